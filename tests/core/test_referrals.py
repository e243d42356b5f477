from datetime import UTC, date, datetime

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.referrals import Outcome, Status, check_move, follow_up_on, overdue

WHEN = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("path"),
    [
        ["accepted", "scheduled", "attended", "closed"],
        ["declined", "closed"],
        ["accepted", "scheduled", "no_show", "scheduled", "attended", "closed"],
        ["accepted", "scheduled", "no_show", "closed"],
    ],
)
def test_a_referral_follows_the_loop_from_sent_to_closed(path):
    status = Status.SENT
    for step in path:
        status, outcome = check_move(status, step, appointment_at=WHEN, outcome="need_met")
    assert status is Status.CLOSED
    assert outcome is Outcome.NEED_MET


@pytest.mark.parametrize(
    ("current", "to"),
    [("sent", "attended"), ("sent", "scheduled"), ("closed", "sent"), ("attended", "no_show")],
)
def test_a_step_out_of_order_is_refused_naming_what_may_come_next(current, to):
    with pytest.raises(InvalidInput) as refused:
        check_move(Status(current), to, appointment_at=WHEN, outcome="need_met")
    assert refused.value.field == "status"
    assert f"from {current}" in refused.value.allowed


def test_an_unknown_status_names_the_statuses():
    with pytest.raises(InvalidInput, match="one of: sent, accepted"):
        check_move(Status.SENT, "lost")


def test_scheduling_needs_the_appointment_time():
    with pytest.raises(InvalidInput) as refused:
        check_move(Status.ACCEPTED, "scheduled")
    assert refused.value.field == "appointment_at"


def test_closing_needs_an_outcome_from_the_list():
    with pytest.raises(InvalidInput) as refused:
        check_move(Status.ATTENDED, "closed", outcome="great")
    assert refused.value.field == "outcome"
    assert "need_met" in refused.value.allowed


def test_follow_up_is_a_week_after_sending_and_the_day_after_an_appointment():
    assert follow_up_on(Status.SENT, TODAY) == date(2026, 12, 12)
    assert follow_up_on(Status.SCHEDULED, TODAY, date(2026, 12, 20)) == date(2026, 12, 21)
    assert follow_up_on(Status.CLOSED, TODAY) is None


def test_a_follow_up_is_overdue_only_after_its_day():
    assert not overdue(date(2026, 12, 5), TODAY)
    assert overdue(date(2026, 12, 4), TODAY)
    assert not overdue(None, TODAY)

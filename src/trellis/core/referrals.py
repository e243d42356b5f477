"""Closed-loop referrals: the status a referral may move to, and when someone must follow up.

A referral is sent to a service, which accepts or declines it; an accepted referral is
scheduled; a scheduled appointment is attended or missed (no-show, which may be rebooked);
every path ends closed with an outcome. The loop is closed only when someone records what
happened, so each open status carries a follow-up date and an overdue one lands on the
navigator's worklist.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum

from trellis.core.errors import InvalidInput


class Status(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    DECLINED = "declined"  # the service declined, or the person did
    NO_SHOW = "no_show"
    CLOSED = "closed"


class Outcome(StrEnum):
    """What the referral achieved for the need, recorded when it is closed."""

    NEED_MET = "need_met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    PERSON_WITHDREW = "person_withdrew"
    LOST_CONTACT = "lost_contact"


NEXT: Mapping[Status, frozenset[Status]] = {
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.CLOSED}),
    Status.ACCEPTED: frozenset({Status.SCHEDULED, Status.DECLINED, Status.CLOSED}),
    Status.SCHEDULED: frozenset({Status.ATTENDED, Status.NO_SHOW, Status.SCHEDULED}),
    Status.ATTENDED: frozenset({Status.CLOSED}),
    Status.NO_SHOW: frozenset({Status.SCHEDULED, Status.CLOSED}),
    Status.DECLINED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# trellis: operational defaults, not clinical figures. A service that has not answered in a
# week, an accepted referral without an appointment after a week, and an appointment whose
# result is not recorded the day after it: each is a loop someone must close.
FOLLOW_UP_DAYS: Mapping[Status, int] = {
    Status.SENT: 7,
    Status.ACCEPTED: 7,
    Status.NO_SHOW: 3,
    Status.ATTENDED: 7,
    Status.DECLINED: 3,
}
AFTER_APPOINTMENT_DAYS = 1


def allowed(current: Status) -> tuple[Status, ...]:
    return tuple(s for s in Status if s in NEXT[current])


def check_move(
    current: Status,
    to: str,
    *,
    appointment_at: datetime | None = None,
    outcome: str | None = None,
) -> tuple[Status, Outcome | None]:
    """Validate one step; return the new status and, when closing, the outcome."""
    try:
        target = Status(to)
    except ValueError:
        raise InvalidInput("status", "one of: " + ", ".join(s.value for s in Status)) from None
    if target not in NEXT[current]:
        nexts = ", ".join(s.value for s in allowed(current)) or "nothing (the referral is closed)"
        raise InvalidInput("status", f"from {current.value}: {nexts}")
    if target is Status.SCHEDULED and appointment_at is None:
        raise InvalidInput("appointment_at", "the date and time of the appointment")
    if target is not Status.CLOSED:
        return target, None
    try:
        return target, Outcome(outcome or "")
    except ValueError:
        raise InvalidInput("outcome", "one of: " + ", ".join(o.value for o in Outcome)) from None


def follow_up_on(status: Status, today: date, appointment_on: date | None = None) -> date | None:
    """The day by which someone should record the next step; None once the loop is closed."""
    if status is Status.CLOSED:
        return None
    if status is Status.SCHEDULED:
        assert appointment_on is not None
        return appointment_on + timedelta(days=AFTER_APPOINTMENT_DAYS)
    return today + timedelta(days=FOLLOW_UP_DAYS[status])


def overdue(follow_up: date | None, today: date) -> bool:
    return follow_up is not None and follow_up < today

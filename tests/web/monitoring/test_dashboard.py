"""The caseload dashboard, alerts acknowledged and resolved, and the progress page."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.monitoring.conftest import checkin_row, score_row
from trellis.alerts.actions import raise_alert
from trellis.alerts.models import Alert
from trellis.audit.models import AuditEvent
from trellis.people.models import CareTeamMembership


def second_person(program, dana, given="Robin"):
    from tests.conftest import _person

    person = _person(program, given)
    CareTeamMembership.objects.create(person=person, member=dana.user)
    return person


def test_the_caseload_puts_the_person_with_an_urgent_alert_first(client, pat, dana, program):
    robin = second_person(program, dana)
    checkin_row(robin, 1)
    raise_alert(
        pat.person,
        kind="suicidal_ideation",
        severity="urgent",
        reasons=["Self-harm answered yes."],
        event_key="x",
        by=None,
    )
    sign_in(client, dana)

    page = client.get("/caseload/")

    assert page.text.index("Pat Example") < page.text.index("Robin Example")
    assert "Self-harm answered yes." in page.text
    assert "1 day ago" in page.text
    assert 'class="sparkline"' in page.text


def test_the_caseload_filters_by_severity_and_by_name(client, pat, dana, program):
    robin = second_person(program, dana)
    raise_alert(
        robin, kind="craving_spike", severity="medium", reasons=["r"], event_key="c", by=None
    )
    sign_in(client, dana)

    high = client.get("/caseload/", {"severity": "high"})
    medium = client.get("/caseload/", {"severity": "medium"})
    named = client.get("/caseload/", {"name": "pat"})

    assert "Robin Example" not in high.text
    assert "No one on your caseload matches these filters." in high.text
    assert "Robin Example" in medium.text
    assert "Pat Example" in named.text
    assert "Robin Example" not in named.text


def test_a_clinician_acknowledges_then_resolves_an_alert_with_notes_audited(client, pat, dana):
    alert = raise_alert(
        pat.person, kind="return_to_use", severity="high", reasons=["r"], event_key="u", by=None
    )
    sign_in(client, dana)

    client.post(f"/alerts/{alert.public_id}/acknowledge/", {"note": "Called Pat."})
    refused = client.post(f"/alerts/{alert.public_id}/resolve/", {"note": "  "})
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert refused.status_code == 302
    client.post(f"/alerts/{alert.public_id}/resolve/", {"note": "Extra session booked."})

    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert (alert.note, alert.resolution) == ("Called Pat.", "Extra session booked.")
    assert alert.resolved_by == dana.user
    assert AuditEvent.objects.filter(action="resolve", object_id=str(alert.public_id)).exists()
    assert "Extra session booked" not in client.get("/caseload/").text  # resolved: off the list


def test_resolving_through_the_api_and_listing_the_caseload_alerts(client, pat, dana):
    alert = raise_alert(
        pat.person, kind="missed_checkins", severity="medium", reasons=["r"], event_key="m", by=None
    )
    sign_in(client, dana)

    listed = client.get("/api/v1/alerts").json()
    empty = client.post(
        f"/api/v1/alerts/{alert.public_id}/resolve", {"note": ""}, content_type="application/json"
    )
    done = client.post(
        f"/api/v1/alerts/{alert.public_id}/resolve",
        {"note": "Reached by phone."},
        content_type="application/json",
    )

    assert [a["id"] for a in listed] == [str(alert.public_id)]
    assert empty.status_code == 422
    assert empty.json()["error"]["field"] == "note"
    assert done.json()["status"] == "resolved"
    assert client.get("/api/v1/alerts").json() == []
    assert client.get("/api/v1/alerts", {"status": "someday"}).status_code == 422


def test_someone_outside_the_care_team_cannot_see_or_resolve_the_alert(client, pat, eli):
    alert = raise_alert(
        pat.person, kind="craving_spike", severity="medium", reasons=["r"], event_key="k", by=None
    )
    sign_in(client, eli)

    assert client.get(f"/api/v1/alerts/{alert.public_id}").status_code == 404
    client.post(f"/alerts/{alert.public_id}/resolve/", {"note": "x"})
    alert.refresh_from_db()
    assert alert.status == "open"
    assert AuditEvent.objects.filter(outcome="denied", object_type="Alert").exists()


def test_the_progress_page_shows_measures_with_bands_and_reliable_change(
    client, pat, dana, mood_plan
):
    score_row(pat.person, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], 30, dana.user)  # 16
    score_row(pat.person, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], 2, dana.user)  # 8
    sign_in(client, dana)

    page = client.get(f"/people/{pat.public_id}/progress/")

    assert page.status_code == 200
    assert "moderately severe" in page.text
    assert "improved (RCI -4.85)" in page.text  # (8 - 16) / 1.651
    assert "<svg" in page.text
    assert "PHQ-9" in page.text
    assert 'data-testid="due"' in page.text


def test_the_schedule_says_what_is_due_and_what_is_overdue(client, pat, dana, mood_plan):
    score_row(pat.person, "phq9", [0] * 9, 30, dana.user)
    sign_in(client, dana)

    due = {
        d["instrument"]: d for d in client.get(f"/api/v1/people/{pat.public_id}/schedule").json()
    }

    assert due["phq9"]["overdue"] is True  # 30 days since the last, every 14, 7 days' grace
    assert due["phq9"]["due_on"] == (timezone.localdate() - timedelta(days=16)).isoformat()
    assert "depression" in due["phq9"]["because"]


def test_the_same_event_never_raises_two_alerts(pat, dana, mood_plan):
    from trellis.monitoring.actions import evaluate

    checkin_row(pat.person, 6)  # then none: days 5 to 1 missed, one run
    evaluate(pat.person, by=None)
    evaluate(pat.person, by=None)

    assert Alert.objects.filter(person=pat.person, kind="missed_checkins").count() == 1


def test_the_person_sees_the_questionnaires_due_on_their_home_page(client, pat, dana, mood_plan):
    score_row(pat.person, "phq9", [0] * 9, 30, dana.user)
    sign_in(client, pat)

    page = client.get("/me/")

    assert 'href="/me/questionnaires/phq9/"' in page.text
    assert "overdue" in page.text


def test_an_overdue_alert_resolves_itself_once_the_measure_is_taken(pat, dana, mood_plan):
    score_row(pat.person, "phq9", [0] * 9, 30, dana.user)
    overdue = Alert.objects.get(person=pat.person, kind="overdue_reassessment")
    assert overdue.status == "open"

    score_row(pat.person, "phq9", [0] * 9, 0, dana.user)

    overdue.refresh_from_db()
    assert overdue.status == "resolved"
    assert "was taken" in overdue.resolution


PLANNED = [
    [],
    [{"code": "mh.depression_treatment", "status": "recommended"}],
    [{"code": "mh.anxiety_treatment", "status": "consider"}],
    [{"code": "med.acamprosate", "status": "recommended"}],
    [{"code": "med.buprenorphine", "status": "recommended"}],
]


def varied_history(who, rng, by, today):
    """Check-ins ending today, days ago or past the 90 days read, or none; measures of every
    scheduled kind, some entered in error, some near midnight; maybe a plan with a review."""
    from trellis.assessments.models import Score
    from trellis.plans.models import Plan
    from trellis.recovery.models import CheckIn

    last, count = rng.choice([0, 0, 1, 4, 89, 90, 91, 120]), rng.choice([0, 1, 5, 30])
    CheckIn.objects.bulk_create(
        CheckIn(
            person=who,
            day=today - timedelta(days=last + n),
            craving=2,
            mood=5,
            sleep_hours=7,
            used=False,
        )
        for n in range(count)
    )
    for _ in range(rng.randint(0, 6)):
        instrument = rng.choice(["phq9", "gad7", "bam", "auditc", "dast10"])
        at = timezone.make_aware(
            datetime.combine(today, time(0, 0)) - timedelta(days=rng.randint(0, 70))
        )
        Score.objects.create(
            person=who,
            instrument=instrument,
            total=None if instrument == "bam" else rng.randint(0, 9),
            responses=[],
            result={},
            source="api",
            entered_by=by,
            taken_at=at + timedelta(minutes=rng.choice([-1, 0, 1, 600])),
            entered_in_error=rng.random() < 0.2,
        )
    for version in range(1, rng.choice([0, 1, 1, 2]) + 1):
        document = {
            "placement": {"level": rng.choice(["0.5", "1.0", "2.1"])},
            "interventions": rng.choice(PLANNED),
            "problems": [{"evidence": [rng.choice(["", "cocaine use disorder"])]}],
            "review_on": (today + timedelta(days=rng.randint(-20, 20))).isoformat(),
        }
        Plan.objects.create(
            person=who,
            version=version,
            document=document,
            kb_version="t",
            level="1.0",
            created_by=by,
        )


def due_from_history(who, today):
    """What was due by the whole history, as the caseload read it before it read the last dates."""
    from trellis.core import monitoring as core
    from trellis.monitoring import actions

    seen = actions.history(who, today=today)
    if seen.plan is None:
        return []
    last = dict(seen.last_taken)
    if seen.checkins:
        last[core.CHECKIN] = seen.checkins[-1].day
    return core.schedule(seen.plan.document, last, today=today)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_what_is_due_from_the_last_dates_is_what_the_whole_history_gives(program, dana, seed):
    from trellis.monitoring import actions, dashboard
    from trellis.people.access import caseload

    rng, today = random.Random(seed), timezone.localdate()
    people = [second_person(program, dana, f"R{n}") for n in range(15)]
    for who in people:
        varied_history(who, rng, dana.user, today)
    expected = {who.pk: due_from_history(who, today) for who in people}

    rows = dashboard.caseload(caseload(dana.user), today=today, filters=dashboard.Filters())

    assert {row.person.pk: row.due for row in rows} == expected
    assert {who.pk: actions.schedule(who, today=today) for who in people} == expected
    found = [d for dues in expected.values() for d in dues]
    assert {d.instrument for d in found} > {"checkin"}
    assert any(d.overdue for d in found)

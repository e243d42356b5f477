"""Recording visits (first contact, session, medication dose) on a person's record.

pat: a person in recovery. dana: clinician on pat's team. eli: clinician, not on pat's team.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent
from trellis.oversight.models import Visit


def test_a_care_team_clinician_records_a_visit_in_the_open_episode(client, pat, dana):
    from trellis.people.models import Episode

    episode = Episode.objects.create(
        person=pat.person,
        program=pat.person.program,
        admitted_on=timezone.localdate() - timedelta(days=10),
        level_of_care="1.0",
    )
    sign_in(client, dana)
    day = (timezone.localdate() - timedelta(days=2)).isoformat()

    response = client.post(
        f"/people/{pat.public_id}/visits/", {"kind": "session", "on": day, "status": "no_show"}
    )

    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.kind, visit.on.isoformat(), visit.status) == ("session", day, "no_show")
    assert visit.episode == episode
    assert visit.recorded_by == dana.user
    assert AuditEvent.objects.filter(
        action="create", object_type="Visit", object_id=str(visit.public_id)
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Visit recorded." in page
    assert "No-show" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "session", "on": "tomorrow", "status": "attended"},
            "Date must be a date as YYYY-MM-DD.",
        ),
        ({"kind": "session", "on": "", "status": "attended"}, "Date must be a date as YYYY-MM-DD."),
        (
            {"kind": "phone", "on": "2026-01-05", "status": "attended"},
            "Kind of visit must be one of the choices listed.",
        ),
        (
            {"kind": "session", "on": "2026-01-05", "status": "late"},
            "What happened must be one of the choices listed.",
        ),
        (
            {"kind": "session", "on": "2999-01-01", "status": "attended"},
            "Date must be a date (YYYY-MM-DD) no later than today.",
        ),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client, pat, dana, data, message):
    sign_in(client, dana)

    response = client.post(f"/people/{pat.public_id}/visits/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(action="create", object_type="Visit").exists()


def test_outside_the_care_team_the_visits_are_missing_and_the_attempt_audited(client, pat, eli):
    sign_in(client, eli)

    page = client.get(f"/people/{pat.public_id}/visits/")
    post = client.post(
        f"/people/{pat.public_id}/visits/",
        {"kind": "session", "on": timezone.localdate().isoformat(), "status": "attended"},
    )

    assert (page.status_code, post.status_code) == (404, 404)
    assert not Visit.objects.exists()
    assert (
        AuditEvent.objects.filter(actor=eli.user, object_type="Visit", outcome="denied").count()
        == 2
    )


def test_an_unknown_person_is_not_found(client, dana):
    sign_in(client, dana)

    assert client.get("/people/00000000-0000-4000-8000-000000000000/visits/").status_code == 404

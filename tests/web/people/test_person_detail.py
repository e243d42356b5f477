from __future__ import annotations

import re
import uuid

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent


def url(person) -> str:
    return f"/people/{person.public_id}/"


def test_a_clinician_on_the_care_team_sees_the_record_and_the_read_is_audited(client, pat, dana):
    sign_in(client, dana)

    response = client.get(url(pat))

    assert response.status_code == 200
    assert "Pat Example" in response.text
    event = AuditEvent.objects.get(actor=dana.user, action="read")
    assert (event.object_id, event.outcome, event.purpose) == (
        str(pat.public_id),
        "allowed",
        "treatment",
    )


def test_a_clinician_outside_the_care_team_gets_404_and_the_attempt_is_audited(client, pat, eli):
    sign_in(client, eli)

    response = client.get(url(pat))

    assert response.status_code == 404
    assert "Pat" not in response.text
    assert (
        AuditEvent.objects.filter(
            actor=eli.user, outcome="denied", object_id=str(pat.public_id)
        ).count()
        == 1
    )


def test_a_missing_record_answers_exactly_like_a_forbidden_one(client, pat, eli):
    sign_in(client, eli)

    forbidden = client.get(url(pat))
    missing = client.get(f"/people/{uuid.uuid4()}/")

    assert forbidden.status_code == missing.status_code == 404
    assert _normalized(forbidden.text) == _normalized(missing.text)


def _normalized(page: str) -> str:
    """The page without what differs by design: the id in the address and the CSRF token."""
    page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)


def test_a_person_sees_their_own_record_but_not_someone_elses(client, pat, quinn):
    sign_in(client, pat)

    assert client.get(url(pat)).status_code == 200
    response = client.get(url(quinn))

    assert response.status_code == 404
    assert "Quinn" not in response.text
    assert AuditEvent.objects.filter(actor=pat.user, outcome="denied").count() == 1


def test_family_navigator_researcher_and_admin_see_nothing_of_a_person_yet(
    client, pat, fran, nia, rae, ada
):
    for persona in (fran, nia, rae, ada):
        client.logout()
        sign_in(client, persona)
        assert client.get(url(pat)).status_code == 404, persona.user.role
    assert AuditEvent.objects.filter(outcome="denied", object_id=str(pat.public_id)).count() == 4


def test_an_anonymous_visitor_is_sent_to_sign_in(client, pat):
    response = client.get(url(pat))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_person_home_shows_their_care_and_the_crisis_line(client, pat, program):
    from datetime import date

    from trellis.people import actions

    actions.admit(pat.person, level_of_care="2.1", on=date(2026, 11, 1), by=pat.user)
    sign_in(client, pat)

    response = client.get("/me/")

    assert response.status_code == 200
    assert "2.1 Intensive outpatient" in response.text
    assert "988" in response.text

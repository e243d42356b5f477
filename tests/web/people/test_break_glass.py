from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent
from trellis.people.models import BreakGlassAccess

REASON = "Person arrived at the emergency department; on-call clinician needs medications."


def test_a_clinician_outside_the_team_is_offered_break_glass_on_the_404_page(client, pat, eli):
    sign_in(client, eli)

    response = client.get(f"/people/{pat.public_id}/")

    assert response.status_code == 404
    assert f"/people/{pat.public_id}/break-glass/" in response.text


def test_break_glass_with_a_reason_opens_the_record_and_flags_it_for_review(client, pat, eli, sam):
    sign_in(client, eli)

    response = client.post(f"/people/{pat.public_id}/break-glass/", {"reason": REASON}, follow=True)

    assert response.status_code == 200
    assert "Emergency (break-glass) access" in response.text
    grant = BreakGlassAccess.objects.get(person=pat.person, user=eli.user)
    assert grant.reason == REASON
    event = AuditEvent.objects.get(action="break_glass", actor=eli.user)
    assert event.detail == {"grant": str(grant.public_id), "flagged_for_review": True}
    read = AuditEvent.objects.filter(actor=eli.user, action="read", outcome="allowed").get()
    assert read.purpose == "break_glass"
    assert "Admit to an episode of care" not in response.text, "break-glass access is read-only"
    admit = client.post(
        f"/people/{pat.public_id}/episodes/", {"level_of_care": "1.0", "admitted_on": "2026-10-01"}
    )
    assert admit.status_code == 404

    client.logout()
    sign_in(client, sam)
    review_page = client.get("/supervision/break-glass/")
    assert REASON in review_page.text
    client.post(
        f"/supervision/break-glass/{grant.public_id}/", {"outcome": "appropriate", "note": ""}
    )
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.review_outcome) == (sam.user, "appropriate")
    assert REASON not in client.get("/supervision/break-glass/").text


def test_break_glass_without_a_reason_is_refused_and_stores_nothing(client, pat, eli):
    sign_in(client, eli)

    response = client.post(f"/people/{pat.public_id}/break-glass/", {"reason": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not BreakGlassAccess.objects.exists()
    assert client.get(f"/people/{pat.public_id}/").status_code == 404


def test_break_glass_access_ends_after_its_time(client, pat, eli):
    sign_in(client, eli)
    client.post(f"/people/{pat.public_id}/break-glass/", {"reason": REASON})
    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(f"/people/{pat.public_id}/").status_code == 404


def test_a_person_cannot_break_glass(client, pat, quinn):
    sign_in(client, pat)

    response = client.post(f"/people/{quinn.public_id}/break-glass/", {"reason": REASON})

    assert response.status_code == 404
    assert not BreakGlassAccess.objects.exists()


def test_break_glass_on_a_missing_record_is_refused_and_audited(client, eli):
    sign_in(client, eli)

    response = client.post(
        "/people/6f1d3c0e-5a57-4e3b-9d1c-3f1c2d9e8b7a/break-glass/", {"reason": REASON}
    )

    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="break_glass", outcome="denied").count() == 1


def test_an_inappropriate_review_needs_a_note(client, pat, eli, sam):
    sign_in(client, eli)
    client.post(f"/people/{pat.public_id}/break-glass/", {"reason": REASON})
    grant = BreakGlassAccess.objects.get()
    client.logout()
    sign_in(client, sam)

    response = client.post(
        f"/supervision/break-glass/{grant.public_id}/", {"outcome": "inappropriate", "note": ""}
    )

    assert response.status_code == 400
    assert "Say what follow-up is needed" in response.text
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_the_reason_is_not_stored_in_clear(client, pat, eli):
    sign_in(client, eli)
    client.post(f"/people/{pat.public_id}/break-glass/", {"reason": REASON})

    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM people_breakglassaccess")
        (stored,) = cursor.fetchone()

    assert stored.startswith("enc1:")
    assert "emergency" not in stored

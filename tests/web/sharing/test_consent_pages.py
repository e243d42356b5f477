"""The person's consent pages: fill in, read in plain language, sign; revoke in one click; the
accounting of disclosures. Refused consents change nothing and are audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.sharing.conftest import consent_for


def form(link, **changes):
    return {
        "recipient_kind": "family_member",
        "recipient_link": str(link.public_id),
        "purpose": "so my sister can support me",
        "categories": ["milestones"],
        "ends_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "end_event": "",
    } | changes


def test_review_then_sign_stores_the_consent_with_every_element(client, pat, fran_link):
    from trellis.audit.models import AuditEvent
    from trellis.sharing.models import Consent

    sign_in(client, pat)
    review = client.post("/me/sharing/new/", form(fran_link))
    page = review.content.decode()
    assert review.status_code == 200
    assert "Read it before you sign" in page
    for element in (
        "Whose information:",
        "Who may share it:",
        "Who receives it:",
        "Why:",
        "What, and how much:",
        "Until when:",
        "My right to revoke:",
        "Signature:",
    ):
        assert element in page
    assert not Consent.objects.exists()  # reviewing stores nothing

    signed = client.post(
        "/me/sharing/new/",
        form(fran_link, sign="1", signature_method="typed", signed_name="Pat Example"),
    )

    consent = Consent.objects.get()
    assert signed.status_code == 302
    assert signed.url == f"/me/sharing/{consent.public_id}/"
    assert consent.recipient_link == fran_link
    assert consent.recipient_name == "Fran"
    assert consent.disclosing_party == "Riverbend"
    assert consent.categories == ["milestones"]
    assert consent.signature_method == "typed"
    assert consent.signed_by == pat.user
    assert "My right to revoke" in consent.text_shown
    assert AuditEvent.objects.filter(action="create", object_type="Consent").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"recipient_kind": "organization", "recipient_name": ""}, "recipient_name", "name"),
        ({"purpose": ""}, "purpose", "why"),
        ({"categories": []}, "categories", "one or more of"),
        ({"ends_on": "2020-01-01"}, "ends_on", "not a date in the past"),
        ({"signed_name": "Someone Else"}, "signed_name", "your full name"),
    ],
)
def test_a_refused_consent_names_the_field_stores_nothing_and_is_audited(
    client, pat, fran_link, changes, field, words
):
    from trellis.audit.models import AuditEvent
    from trellis.sharing.models import Consent

    sign_in(client, pat)
    data = form(fran_link, sign="1", signature_method="typed", signed_name="Pat Example")

    response = client.post("/me/sharing/new/", data | changes)

    assert response.status_code == 400
    error = re.search(rf'id="id_{field}_error"[^>]*>([^<]+)<', response.content.decode())
    assert error is not None, field
    assert words in error.group(1).lower()
    assert not Consent.objects.exists()
    denied = AuditEvent.objects.get(object_type="Consent", outcome="denied")
    assert denied.detail == {"field": field}


def test_revoking_is_immediate_and_the_consent_stays_on_file(client, pat, fran, fran_link):
    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, fran)
    assert client.get(f"/family/people/{pat.public_id}/milestones/").status_code == 200

    sign_in(client, pat)
    page = client.get("/me/sharing/").content.decode()
    assert f"/me/sharing/{consent.public_id}/revoke/" in page
    client.post(f"/me/sharing/{consent.public_id}/revoke/")

    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revoked_by == pat.user
    assert "revoked" in client.get("/me/sharing/").content.decode()
    sign_in(client, fran)
    assert client.get(f"/family/people/{pat.public_id}/milestones/").status_code == 404


def test_another_person_cannot_see_or_revoke_pats_consent(client, pat, quinn, fran_link):
    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, quinn)

    assert client.get(f"/me/sharing/{consent.public_id}/").status_code == 404
    assert client.post(f"/me/sharing/{consent.public_id}/revoke/").status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_the_accounting_lists_each_disclosure_and_downloads_as_csv(client, pat, fran, fran_link):
    consent = consent_for(pat, fran_link, ["milestones", "plan_goals"])
    sign_in(client, fran)
    client.get(f"/family/people/{pat.public_id}/")  # two categories: two disclosures
    client.get(f"/family/people/{pat.public_id}/milestones/")

    sign_in(client, pat)
    page = client.get("/me/sharing/disclosures/").content.decode()
    download = client.get("/me/sharing/disclosures.csv")

    assert "to support me" in page
    assert page.count("seen on Trellis") == 3
    assert download["Content-Disposition"] == 'attachment; filename="disclosures.csv"'
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [r["categories"] for r in rows] == ["milestones", "plan_goals", "milestones"]
    assert {r["recipient"] for r in rows} == {"Fran"}
    assert {r["received_by"] for r in rows} == {"fran"}
    assert {r["consent"] for r in rows} == {str(consent.public_id)}


def test_shared_view_carries_the_redisclosure_notice_and_only_the_consented_parts(
    client, pat, fran, fran_link, plan
):
    consent_for(pat, fran_link, ["milestones"])
    sign_in(client, fran)

    page = client.get(f"/family/people/{pat.public_id}/").content.decode()

    assert "42 CFR part 2 prohibits unauthorized use or disclosure of these records." in page
    assert "Milestones" in page
    assert "Plan goals" not in page
    assert "Be there for my kids" not in page
    assert client.get(f"/plans/{plan.public_id}/").status_code == 404


def test_the_clinician_sees_consents_on_file_and_prepares_a_disclosure(client, pat, dana, plan):
    from trellis.audit.models import AuditEvent
    from trellis.sharing import actions

    terms = actions.check(
        pat.person,
        {
            "recipient_kind": "organization",
            "recipient_name": "Harbor Housing",
            "purpose": "housing application",
            "categories": ["plan_goals"],
            "ends_on": None,
            "end_event": "when my application is decided",
            "signature_method": "confirmed",
            "confirm": True,
        },
        by=pat.user,
    )
    consent = actions.create_consent(pat.person, terms, by=pat.user, language="en", text_shown="…")
    sign_in(client, dana)

    page = client.get(f"/people/{pat.public_id}/family/").content.decode()
    assert "Harbor Housing" in page
    assert "In force" in page

    prepared = client.get(f"/people/{pat.public_id}/consents/{consent.public_id}/disclosure/")
    text = prepared.content.decode()
    assert prepared.status_code == 200
    assert "Plan goals" in text
    assert "42 CFR part 2 prohibits" in text
    event = AuditEvent.objects.get(action="disclose", outcome="allowed")
    assert event.detail == {"consent": str(consent.public_id), "categories": ["plan_goals"]}

    client.post(f"/people/{pat.public_id}/consents/{consent.public_id}/ended/")
    consent.refresh_from_db()
    assert consent.status().value == "expired"
    again = client.get(f"/people/{pat.public_id}/consents/{consent.public_id}/disclosure/")
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="disclose", outcome="denied").count() == 1


def test_the_consent_page_reads_in_spanish(client, pat, fran_link):
    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, pat)
    client.cookies["django_language"] = "es"

    page = client.get(f"/me/sharing/{consent.public_id}/").content.decode()

    assert "Derecho a revocar" in page or "derecho a revocar" in page
    assert "Hitos" in page


def test_the_care_team_records_a_revocation_the_person_asked_for(client, pat, dana, eli, fran_link):
    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, eli)  # not on pat's care team
    assert (
        client.post(f"/people/{pat.public_id}/consents/{consent.public_id}/revoke/").status_code
        == 404
    )
    consent.refresh_from_db()
    assert consent.revoked_at is None

    sign_in(client, dana)
    client.post(f"/people/{pat.public_id}/consents/{consent.public_id}/revoke/")

    consent.refresh_from_db()
    assert consent.revoked_by == dana.user
    assert consent.status().value == "revoked"


def test_an_end_event_cannot_be_recorded_for_a_consent_that_ends_on_a_date(
    client, pat, dana, fran_link
):
    from trellis.audit.models import AuditEvent

    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, dana)

    response = client.post(f"/people/{pat.public_id}/consents/{consent.public_id}/ended/")

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.end_event_on is None
    assert consent.status().value == "active"
    denied = AuditEvent.objects.get(object_type="Consent", outcome="denied")
    assert denied.detail == {"field": "end_event"}
    page = client.get(response.url).content.decode()
    assert "ends on a date, not with an event" in page


def test_a_category_that_does_not_exist_discloses_nothing(client, pat, fran, fran_link):
    consent_for(pat, fran_link, ["milestones"])
    sign_in(client, fran)

    assert client.get(f"/family/people/{pat.public_id}/everything/").status_code == 404
    assert client.get(f"/api/v1/people/{pat.public_id}/shared/everything").status_code == 404

"""The consents API: the person signs and revokes, the care team reads, a family member reads
only what a consent in force shares; bad input names the field and stores nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.conftest import sign_in
from tests.web.sharing.conftest import consent_for


def body(**changes):
    return {
        "recipient_kind": "organization",
        "recipient_name": "Harbor Housing",
        "purpose": "housing application",
        "categories": ["plan_goals"],
        "ends_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "signature_method": "confirmed",
        "confirm": True,
    } | changes


def test_the_person_creates_lists_and_revokes(client, pat, dana):
    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/consents"

    made = client.post(url, body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")

    assert made.status_code == 201
    consent = made.json()
    assert again.json() == consent  # a retry creates nothing new
    assert consent["status"] == "active"
    assert consent["recipient_name"] == "Harbor Housing"
    assert consent["signed_name"] == "Pat Example"
    assert "revoke" in consent["right_to_revoke"]
    assert "Harbor Housing" in consent["text"]
    assert [c["id"] for c in client.get(url).json()] == [consent["id"]]

    revoked = client.post(f"{url}/{consent['id']}/revoke")
    assert revoked.json()["status"] == "revoked"

    sign_in(client, dana)
    assert client.get(f"{url}/{consent['id']}").json()["status"] == "revoked"
    staff_write = client.post(url, body(), content_type="application/json")
    assert staff_write.status_code == 404


def test_bad_consents_name_the_field_and_store_nothing(client, pat):
    from trellis.sharing.models import Consent

    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/consents"
    cases = {
        "recipient_name": body(recipient_name=""),
        "purpose": body(purpose=""),
        "ends_on": body(ends_on="2020-01-01"),
        "categories": body(categories=["everything"]),
        "confirm": body(confirm=False),
    }
    for field, data in cases.items():
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 422, field
        assert response.json()["error"]["field"] == field
    assert not Consent.objects.exists()


def test_disclosures_and_the_shared_endpoint(client, pat, fran, fran_link):
    consent = consent_for(pat, fran_link, ["milestones"])
    sign_in(client, fran)

    shared = client.get(f"/api/v1/people/{pat.public_id}/shared/milestones")
    denied = client.get(f"/api/v1/people/{pat.public_id}/consents")

    assert shared.status_code == 200
    data = shared.json()
    assert data["notice"].startswith("42 CFR part 2 prohibits")
    assert data["consent_id"] == str(consent.public_id)
    assert set(data["data"]) == {"days", "counting", "reached", "next_milestone", "days_to_next"}
    assert denied.status_code == 404

    sign_in(client, pat)
    rows = client.get(f"/api/v1/people/{pat.public_id}/disclosures").json()
    assert [(r["categories"], r["recipient"], r["channel"]) for r in rows] == [
        (["milestones"], "Fran", "portal")
    ]

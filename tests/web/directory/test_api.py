"""The directory and referral endpoints: public search, consent-bound referrals, the loop."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.web.directory.conftest import CHICAGO, consent_to_refer, housing_service
from trellis.referrals.models import Referral

pytestmark = pytest.mark.django_db

NEAR = f"{CHICAGO[0]},{CHICAGO[1]}"


def test_anyone_searches_the_directory_nearest_first_with_distances(client):
    housing_service("a", lat=41.95, lon=-87.63, name="Farther")
    housing_service("b", lat=41.88, lon=-87.63, name="Nearer")
    response = client.get("/api/v1/services", {"near": NEAR, "category": "com.housing"})
    assert response.status_code == 200
    hits = response.json()
    assert [h["name"] for h in hits] == ["Nearer", "Farther"]
    assert hits[0]["distance_km"] < hits[1]["distance_km"]
    assert set(hits[0]) >= {"service_id", "organization", "categories", "location", "phone", "url"}


def test_search_filters_by_language_and_cost(client):
    housing_service("es", languages=["es"], name="Spanish")
    housing_service("paid", languages=["en"], free=False, insurance=True, name="Paid")
    by_language = client.get("/api/v1/services", {"near": NEAR, "language": "es"}).json()
    assert [h["name"] for h in by_language] == ["Spanish"]
    free = client.get("/api/v1/services", {"near": NEAR, "cost": "free"}).json()
    assert [h["name"] for h in free] == ["Spanish"]


def test_coordinates_out_of_range_and_unknown_categories_are_refused_naming_the_field(client):
    far = client.get("/api/v1/services", {"near": "91,0"})
    assert far.status_code == 422
    assert far.json()["error"]["field"] == "latitude"
    bad = client.get("/api/v1/services", {"near": NEAR, "category": "com.nothing"})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "category"
    garbled = client.get("/api/v1/services", {"near": "somewhere"})
    assert garbled.json()["error"]["field"] == "near"


def test_a_service_reads_with_its_hsds_record(client):
    service = housing_service()
    body = client.get(f"/api/v1/services/{service.hsds_id}").json()
    assert body["record"]["description"] == "Help finding and keeping housing."
    assert client.get("/api/v1/services/missing").status_code == 404


def test_a_referral_without_consent_is_refused_and_nothing_is_stored(client, pat, nia):
    service = housing_service()
    sign_in(client, nia)
    response = client.post(
        f"/api/v1/people/{pat.public_id}/referrals",
        {"service_id": service.hsds_id, "need": "com.housing", "reason": "housing"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "consent"
    assert not Referral.objects.exists()


def test_a_referral_is_sent_once_per_idempotency_key_and_moves_through_the_loop(client, pat, nia):
    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, nia)
    body = {"service_id": service.hsds_id, "need": "com.housing", "reason": "housing"}
    url = f"/api/v1/people/{pat.public_id}/referrals"
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert Referral.objects.count() == 1
    referral_id = first.json()["id"]
    step = client.post(
        f"/api/v1/referrals/{referral_id}/status",
        {"status": "attended"},
        content_type="application/json",
    )
    assert step.status_code == 422
    assert "from sent" in step.json()["error"]["message"]
    accepted = client.post(
        f"/api/v1/referrals/{referral_id}/status",
        {"status": "accepted"},
        content_type="application/json",
    )
    assert accepted.json()["status"] == "accepted"
    worklist = client.get("/api/v1/referrals").json()
    assert [r["id"] for r in worklist] == [referral_id]


def test_the_person_reads_their_referrals_but_cannot_send_one(client, pat, dana):
    from trellis.referrals import actions

    service = housing_service()
    consent_to_refer(pat, service)
    actions.send(pat.person, service, need="com.housing", reason="housing", by=dana.user)
    sign_in(client, pat)
    mine = client.get(f"/api/v1/people/{pat.public_id}/referrals").json()
    assert [r["service_id"] for r in mine] == [service.hsds_id]
    refused = client.post(
        f"/api/v1/people/{pat.public_id}/referrals",
        {"service_id": service.hsds_id, "need": "com.housing", "reason": "again"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert Referral.objects.count() == 1

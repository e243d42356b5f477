from __future__ import annotations

import re
import uuid

from tests.conftest import confirmed_device, sign_in
from trellis.accounts import actions
from trellis.audit.models import AuditEvent


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, 'test')}"}


def test_health_is_public(client, db):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_without_a_session_or_token_the_api_answers_401_in_the_error_format(client, pat):
    response = client.get("/api/v1/people")

    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_a_wrong_token_answers_401(client, pat):
    response = client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer trl_not-a-token")

    assert response.status_code == 401


def test_a_person_reads_their_own_record_through_a_token_and_the_read_is_audited(client, pat):
    response = client.get(f"/api/v1/people/{pat.public_id}", **bearer(pat.user))

    assert response.status_code == 200
    assert response.json()["id"] == str(pat.public_id)
    assert AuditEvent.objects.filter(actor=pat.user, action="read", outcome="allowed").count() == 1


def test_a_record_outside_reach_answers_404_like_a_missing_one(client, pat, eli):
    headers = bearer(eli.user)

    forbidden = client.get(f"/api/v1/people/{pat.public_id}", **headers)
    missing = client.get(f"/api/v1/people/{uuid.uuid4()}", **headers)

    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert AuditEvent.objects.filter(actor=eli.user, outcome="denied").count() == 2


def test_a_malformed_id_is_a_422_naming_the_field(client, pat):
    response = client.get("/api/v1/people/not-a-uuid", **bearer(pat.user))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "person_id"


def test_a_clinician_lists_only_their_caseload(client, pat, quinn, dana):
    response = client.get("/api/v1/people", **bearer(dana.user))

    assert [p["id"] for p in response.json()] == [str(pat.public_id)]


def test_a_staff_session_counts_only_after_the_second_factor(client, pat, dana):
    confirmed_device(dana.user)
    client.force_login(dana.user)
    assert client.get("/api/v1/people").status_code == 401

    sign_in(client, dana)
    assert client.get("/api/v1/people").status_code == 200


def test_the_openapi_document_and_the_docs_page_are_served_by_trellis_itself(client, db):
    document = client.get("/api/v1/openapi.json").json()
    docs = client.get("/api/v1/docs")

    assert document["openapi"].startswith("3.1")
    assert "/api/v1/people/{person_id}" in document["paths"]
    outside = [
        src
        for src in re.findall(r'(?:src|href)="([^"]+)"', docs.text)
        if src.startswith(("http:", "https:", "//"))
    ]
    assert outside == []

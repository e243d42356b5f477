"""What the schemathesis run (tests/contract/test_api_fuzz.py) found, each pinned by a plain test."""

from __future__ import annotations

import json

import pytest

from tests.core.test_placement import CASES
from trellis.accounts import actions
from trellis.assessments.models import Intake, PlacementOverride


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, 'test')}"}


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def documented(client, method: str, path: str) -> set[str]:
    """The status codes the served OpenAPI document lists for one operation."""
    document = client.get("/api/v1/openapi.json").json()
    return set(document["paths"][path][method]["responses"])


def test_an_override_to_a_level_that_does_not_exist_is_422_and_changes_nothing(client, pat, dana):
    """Found on PostgreSQL: an unknown level reached the database (a 500 there; on SQLite,
    a level of care that does not exist was stored)."""
    headers = bearer(dana.user)
    created = post(
        client,
        f"/api/v1/people/{pat.public_id}/intakes",
        {"document": CASES[1][1] | {"person": {"age": 30}}},
        headers,
    ).json()

    response = post(
        client,
        f"/api/v1/intakes/{created['id']}/override",
        {"level": "9.99", "reason": "a reason"},
        headers,
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "level must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0",
        "field": "level",
    }
    assert not PlacementOverride.objects.exists()
    assert Intake.objects.get().level == created["result"]["placement"]["level"]


def test_a_malformed_id_answers_422_and_the_document_says_so(client, pat):
    response = client.get("/api/v1/people/not-a-uuid/checkins", **bearer(pat.user))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "person_id"
    assert "422" in documented(client, "get", "/api/v1/people/{person_id}/checkins")


def test_a_body_that_is_not_json_answers_400_in_the_error_format_and_is_documented(client, pat):
    response = client.post(
        f"/api/v1/people/{pat.public_id}/checkins",
        "{not json",
        content_type="application/json",
        **bearer(pat.user),
    )

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "error",
        "message": "Cannot parse request body",
        "field": None,
    }
    assert "400" in documented(client, "post", "/api/v1/people/{person_id}/checkins")


def test_every_operation_documents_the_errors_the_shared_handlers_give(client, db):
    document = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            expected = set()
            if operation.get("security"):
                expected.add("401")
            if "requestBody" in operation:
                expected |= {"400", "422"}
            if any(p["schema"].get("format") == "uuid" for p in operation.get("parameters", [])):
                expected.add("422")
            missing += [f"{method} {path} {s}" for s in expected - set(operation["responses"])]

    assert missing == []
    assert document["components"]["schemas"]["Error"]["properties"]["error"]


@pytest.mark.parametrize(
    "subject", ["Patient/x", {"reference": 5}, {"reference": None}, [], {"display": "Pat"}]
)
def test_a_questionnaire_response_whose_subject_is_not_a_reference_is_422(client, pat, subject):
    """Found by fuzzing: a subject that was a string or a reference that was not one was a 500."""
    response = client.post(
        "/fhir/QuestionnaireResponse",
        json.dumps({"resourceType": "QuestionnaireResponse", "subject": subject}),
        content_type="application/fhir+json",
        **bearer(pat.user),
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "QuestionnaireResponse.subject"

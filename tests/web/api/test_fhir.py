from __future__ import annotations

import json

from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.questionnaire import Questionnaire

from tests.core.test_fhir_questionnaire import response
from trellis.accounts import actions
from trellis.alerts.models import Alert
from trellis.assessments.models import Score


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, 'test')}"}


def test_metadata_is_a_valid_capability_statement(client, db):
    body = client.get("/fhir/metadata").json()

    CapabilityStatement.model_validate(body)
    assert body["fhirVersion"] == "4.0.1"


def test_questionnaires_are_readable_and_searchable(client, db):
    bundle = client.get("/fhir/Questionnaire").json()
    one = client.get("/fhir/Questionnaire/cssrs-screen").json()

    assert bundle["total"] == 14  # the thirteen of contracts/instruments.md and the GAD-2 screen
    Questionnaire.model_validate(one)
    assert one["name"] == "cssrs_screen"
    assert client.get("/fhir/Questionnaire/beck").status_code == 404


def test_a_questionnaire_response_is_scored_stored_and_alerts_on_risk(client, pat, dana):
    resource = {
        **response("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]),
        "subject": {"reference": f"Patient/{pat.public_id}"},
    }

    created = client.post(
        "/fhir/QuestionnaireResponse",
        json.dumps(resource),
        content_type="application/fhir+json",
        **bearer(dana.user),
    )

    assert created.status_code == 201
    stored = Score.objects.get()
    assert (stored.instrument, stored.source, stored.total) == ("phq9", "fhir", 1)
    assert Alert.objects.filter(person=pat.person, severity="urgent").exists()


def test_a_questionnaire_response_needs_a_signed_in_caller_with_reach(client, pat, eli):
    resource = {**response("gad7", [0] * 7), "subject": {"reference": f"Patient/{pat.public_id}"}}
    body = json.dumps(resource)

    assert (
        client.post(
            "/fhir/QuestionnaireResponse", body, content_type="application/fhir+json"
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/fhir/QuestionnaireResponse",
            body,
            content_type="application/fhir+json",
            **bearer(eli.user),
        ).status_code
        == 404
    )
    assert not Score.objects.exists()


def test_a_bad_questionnaire_response_is_422_and_stores_nothing(client, pat):
    resource = {
        **response("gad7", [0, 0, 0, 0, 0, 0, 9]),
        "subject": {"reference": f"Patient/{pat.public_id}"},
    }

    refused = client.post(
        "/fhir/QuestionnaireResponse",
        json.dumps(resource),
        content_type="application/fhir+json",
        **bearer(pat.user),
    )

    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "gad7 item 7 must be 0-3"
    assert not Score.objects.exists()

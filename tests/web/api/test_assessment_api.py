from __future__ import annotations

import json
import uuid

from tests.core.test_placement import CASES
from trellis.accounts import actions
from trellis.alerts.models import Alert
from trellis.assessments.models import Intake, Score
from trellis.audit.models import AuditEvent


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, 'test')}"}


def post(client, path, body, headers, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **headers, **extra)


def test_instrument_definitions_are_public(client, db):
    listing = client.get("/api/v1/instruments")
    phq9 = client.get("/api/v1/instruments/phq9")

    assert listing.status_code == 200
    assert {i["id"] for i in listing.json()} >= {"phq9", "asq", "bam"}
    assert phq9.json()["items"][8]["text"].startswith("Thoughts that you would be better off dead")
    assert client.get("/api/v1/instruments/beck").status_code == 404


def test_a_person_submits_a_questionnaire_and_reads_back_its_score(client, pat):
    headers = bearer(pat.user)

    created = post(
        client,
        f"/api/v1/people/{pat.public_id}/scores",
        {"instrument": "gad7", "responses": [1, 1, 1, 1, 1, 1, 1]},
        headers,
    )
    read = client.get(f"/api/v1/scores/{created.json()['id']}", **headers)

    assert created.status_code == 201
    assert read.json()["result"]["band"] == "mild"
    assert read.json()["source"] == "self_report"


def test_bad_responses_are_422_naming_the_item_and_nothing_is_stored(client, pat):
    response = post(
        client,
        f"/api/v1/people/{pat.public_id}/scores",
        {"instrument": "phq9", "responses": [0] * 8 + [9]},
        bearer(pat.user),
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "phq9 item 9 must be 0-3",
        "field": "phq9 item 9",
    }
    assert not Score.objects.exists()


def test_a_retried_submission_with_the_same_idempotency_key_is_stored_once(client, pat):
    headers = bearer(pat.user)
    body = {"instrument": "phq9", "responses": [0] * 8 + [1]}

    first = post(
        client, f"/api/v1/people/{pat.public_id}/scores", body, headers, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = post(
        client, f"/api/v1/people/{pat.public_id}/scores", body, headers, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    other = post(
        client,
        f"/api/v1/people/{pat.public_id}/scores",
        {**body, "responses": [0] * 9},
        headers,
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Score.objects.count() == 1
    assert Alert.objects.count() == 1
    assert other.status_code == 422
    assert other.json()["error"]["field"] == "Idempotency-Key"


def test_a_clinician_submits_an_intake_and_reads_the_placement(client, pat, dana):
    headers = bearer(dana.user)
    document = {**CASES[5][1], "person": {**CASES[5][1]["person"], "id": str(pat.public_id)}}

    created = post(
        client, f"/api/v1/people/{pat.public_id}/intakes", {"document": document}, headers
    )
    read = client.get(f"/api/v1/intakes/{created.json()['id']}", **headers)

    assert created.status_code == 201
    assert read.json()["result"]["placement"]["level"] == "4.0"
    assert read.json()["result"]["placement"]["withdrawal_management"] == "wm.medically_managed"


def test_an_intake_that_fails_the_schema_is_422_with_the_field_path_and_stores_nothing(
    client, pat, dana
):
    response = post(
        client,
        f"/api/v1/people/{pat.public_id}/intakes",
        {"document": {"schema": "trellis.intake/1", "person": {"age": 300}}},
        bearer(dana.user),
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "person.age"
    assert not Intake.objects.exists()


def test_an_override_through_the_api_needs_a_reason(client, pat, dana):
    headers = bearer(dana.user)
    created = post(
        client,
        f"/api/v1/people/{pat.public_id}/intakes",
        {"document": CASES[1][1] | {"person": {"age": 30}}},
        headers,
    ).json()

    refused = post(
        client, f"/api/v1/intakes/{created['id']}/override", {"level": "2.1", "reason": ""}, headers
    )
    accepted = post(
        client,
        f"/api/v1/intakes/{created['id']}/override",
        {"level": "2.1", "reason": "Person prefers evening group"},
        headers,
    )

    assert refused.status_code == 422
    assert accepted.json()["result"]["placement"]["override"]["level"] == "2.1"


def test_alerts_are_listed_and_acknowledged_through_the_api(client, pat, dana):
    post(
        client,
        f"/api/v1/people/{pat.public_id}/scores",
        {"instrument": "asq", "responses": [True, False, False, False, False]},
        bearer(pat.user),
    )
    headers = bearer(dana.user)

    alerts = client.get(f"/api/v1/people/{pat.public_id}/alerts", **headers).json()
    done = post(
        client,
        f"/api/v1/alerts/{alerts[0]['id']}/acknowledge",
        {"note": "Reached by phone"},
        headers,
    )

    assert alerts[0]["severity"] == "urgent"
    assert done.json()["acknowledged_at"] is not None


def test_outsiders_get_404_for_every_assessment_record(client, pat, dana, eli, quinn):
    post(
        client,
        f"/api/v1/people/{pat.public_id}/scores",
        {"instrument": "asq", "responses": [True, False, False, False, False]},
        bearer(pat.user),
    )
    score_id = Score.objects.get().public_id
    alert_id = Alert.objects.get().public_id
    for outsider in (eli.user, quinn.user):
        headers = bearer(outsider)
        assert client.get(f"/api/v1/scores/{score_id}", **headers).status_code == 404
        assert (
            post(
                client, f"/api/v1/alerts/{alert_id}/acknowledge", {"note": "x"}, headers
            ).status_code
            == 404
        )
        assert client.get(f"/api/v1/scores/{uuid.uuid4()}", **headers).status_code == 404
    assert AuditEvent.objects.filter(outcome="denied").count() >= 6
    assert Alert.objects.get().acknowledged_at is None

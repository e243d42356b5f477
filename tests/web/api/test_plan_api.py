from __future__ import annotations

import json

from trellis.accounts import actions
from trellis.plans.models import Plan


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(user, 'test')}"}


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_a_person_reads_their_plan_and_declines_an_option(client, plan, pat):
    headers = bearer(pat.user)

    listed = client.get(f"/api/v1/people/{pat.public_id}/plans", **headers).json()
    declined = post(
        client,
        f"/api/v1/plans/{plan.public_id}/decisions",
        {
            "code": "med.methadone",
            "decision": "refusal",
            "teach_back": "daily visits do not fit my work",
        },
        headers,
    )

    assert listed[0]["version"] == 1
    assert declined.status_code == 200
    assert declined.json()["version"] == 2


def test_a_clinician_change_without_a_reason_is_422_and_a_stale_version_is_refused(
    client, plan, dana
):
    headers = bearer(dana.user)

    no_reason = post(
        client,
        f"/api/v1/plans/{plan.public_id}/changes",
        {"code": "hol.exercise", "action": "remove", "reason": " "},
        headers,
    )
    first = post(
        client,
        f"/api/v1/plans/{plan.public_id}/changes",
        {"code": "hol.exercise", "action": "remove", "reason": "later"},
        headers,
    )
    stale = post(
        client,
        f"/api/v1/plans/{plan.public_id}/changes",
        {"code": "hol.sleep", "action": "add", "reason": "insomnia", "status": "consider"},
        headers,
    )

    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["field"] == "reason"
    assert first.status_code == 200
    assert stale.status_code == 422
    assert Plan.objects.count() == 2


def test_outsiders_get_404(client, plan, eli, pat):
    assert client.get(f"/api/v1/plans/{plan.public_id}", **bearer(eli.user)).status_code == 404
    assert (
        post(
            client,
            f"/api/v1/plans/{plan.public_id}/changes",
            {"code": "x", "action": "remove", "reason": "y"},
            bearer(pat.user),
        ).status_code
        == 404
    )


def test_the_plan_is_available_as_a_fhir_bundle_and_by_cli(client, plan, pat, capsys):
    from fhir.resources.R4B.bundle import Bundle

    from trellis.cli import main

    fhir = client.get(f"/api/v1/plans/{plan.public_id}/fhir", **bearer(pat.user)).json()
    Bundle.model_validate(fhir)
    assert fhir["entry"][0]["resource"]["subject"]["reference"] == f"Patient/{pat.public_id}"

    assert main(["fhir", "export", str(pat.public_id)]) == 0
    assert json.loads(capsys.readouterr().out)["entry"][0]["resource"]["resourceType"] == "CarePlan"
    assert main(["fhir", "export", "00000000-0000-4000-8000-000000000000"]) == 2

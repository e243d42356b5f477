"""One published vector through every door: the CLI, the REST API, FHIR and the page give the
same result, because they all call the same core functions (DESIGN.md, "one test vector").

Vector: PHQ-9 answers 1,2,3,0,1,1,2,3,0 with item 6 answered — the UW CIRG total-score case
(tests/data/score-test-cases-uwcirg-asbi/phq9) — total 13, band moderate."""

from __future__ import annotations

import json

from tests.conftest import sign_in
from tests.core.test_fhir_questionnaire import response
from trellis.accounts import actions
from trellis.assessments.models import Score
from trellis.cli import main

ANSWERS = [1, 2, 3, 0, 1, 1, 2, 3, 0]
EXPECTED = {
    "instrument": "phq9",
    "total": 13,
    "band": "moderate",
    "flags": [],
    "subscales": None,
    "item_scores": None,
    "notes": [],
}


def test_the_cli_scores_the_vector(capsys):
    assert main(["score", "phq9", *map(str, ANSWERS)]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED


def test_the_api_fhir_and_page_store_the_same_result(client, pat):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(pat.user, 'contract')}"}

    api = client.post(
        f"/api/v1/people/{pat.public_id}/scores",
        json.dumps({"instrument": "phq9", "responses": ANSWERS}),
        content_type="application/json",
        **headers,
    )
    fhir_body = {**response("phq9", ANSWERS), "subject": {"reference": f"Patient/{pat.public_id}"}}
    fhir = client.post(
        "/fhir/QuestionnaireResponse",
        json.dumps(fhir_body),
        content_type="application/fhir+json",
        **headers,
    )
    sign_in(client, pat)
    page = client.post(
        "/me/questionnaires/phq9/", {f"item_{n}": str(a) for n, a in enumerate(ANSWERS, start=1)}
    )

    assert (api.status_code, fhir.status_code, page.status_code) == (201, 201, 200)
    assert api.json()["result"] == EXPECTED
    stored = list(Score.objects.order_by("created").values_list("source", "total", "band"))
    assert stored == [
        ("self_report", 13, "moderate"),
        ("fhir", 13, "moderate"),
        ("self_report", 13, "moderate"),
    ]
    assert all(s.result == EXPECTED for s in Score.objects.all())


def test_an_intake_gives_the_same_plan_from_the_cli_and_the_api(
    client, pat, dana, tmp_path, capsys
):
    from tests.core.test_placement import CASES

    document = {
        **CASES[10][1],
        "assessed_on": "2026-11-20",
        "person": {**CASES[10][1]["person"], "id": str(pat.public_id)},
    }
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(document))
    assert main(["plan", str(path)]) == 0
    cli_plan = json.loads(capsys.readouterr().out)

    headers = {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(dana.user, 'contract')}"}
    api = client.post(
        f"/api/v1/people/{pat.public_id}/intakes",
        json.dumps({"document": document}),
        content_type="application/json",
        **headers,
    ).json()

    assert api["result"] == cli_plan

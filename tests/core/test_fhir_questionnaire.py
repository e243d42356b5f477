from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from jsonschema import Draft6Validator

from trellis.core.errors import InvalidInput
from trellis.core.fhir.questionnaire import questionnaire, score_response
from trellis.core.instruments import instrument, instrument_ids

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "fhir.schema.json"


@cache
def r4() -> Draft6Validator:
    return Draft6Validator(json.loads(SCHEMA.read_text()))


@pytest.mark.parametrize("instrument_id", instrument_ids())
def test_each_instrument_exports_as_a_valid_fhir_r4_questionnaire(instrument_id):
    resource = questionnaire(instrument_id)

    Questionnaire.model_validate(resource)
    assert sorted(e.message for e in r4().iter_errors(resource)) == []
    assert len(resource["item"]) == len(instrument(instrument_id).items)


def test_the_phq9_questionnaire_carries_its_loinc_codes_and_ordinal_scores():
    resource = questionnaire("phq9")

    assert resource["code"][0]["code"] == "44249-1"
    assert resource["item"][8]["code"][0]["code"] == "44260-8"
    assert [o["extension"][0]["valueDecimal"] for o in resource["item"][0]["answerOption"]] == [
        0,
        1,
        2,
        3,
    ]


def response(instrument_id, answers):
    items = []
    for n, value in enumerate(answers, start=1):
        if value is None:
            continue
        if isinstance(value, bool):
            answer = [{"valueBoolean": value}]
        elif isinstance(value, list):
            answer = [{"valueInteger": v} for v in value]
        elif instrument(instrument_id).items[n - 1].options:
            answer = [
                {
                    "valueCoding": {
                        "system": f"urn:trellis:answers:{instrument_id}",
                        "code": str(value),
                    }
                }
            ]
        else:
            answer = [{"valueInteger": value}]
        items.append({"linkId": str(n), "answer": answer})
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": f"urn:trellis:questionnaire:{instrument_id}",
        "item": items,
    }


@pytest.mark.parametrize(
    ("instrument_id", "answers", "band"),
    [
        ("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0], "severe"),
        ("audit", [0, None, None, None, None, None, None, None, 1, 0], "zone i"),
        ("asq", [False, False, True, False, True], "acute positive"),
        ("cows", [4, 2, 1, 5, 2, 2, 1, 1, 1, 1, 3], "moderate"),
        ("bam", [1, 3, 2, 4, 1, 2, [1, 0, 0, 0, 1, 0, 0], 2, 3, 4, 1, 0, 10, True, 1, 5, 2], None),
    ],
)
def test_a_questionnaire_response_is_scored_by_the_same_scorer(instrument_id, answers, band):
    resource = response(instrument_id, answers)
    assert sorted(e.message for e in r4().iter_errors(resource)) == []

    assert score_response(resource).band == band


def test_a_bad_questionnaire_response_names_the_link_id_or_element():
    with pytest.raises(InvalidInput, match="^phq9 item 9 must be 0-3$"):
        score_response(response("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 7]))
    unknown = response("phq9", [0] * 9)
    unknown["item"].append({"linkId": "12", "answer": [{"valueInteger": 1}]})
    with pytest.raises(
        InvalidInput, match="^QuestionnaireResponse.item linkId 12 must be 1-9 for phq9$"
    ):
        score_response(unknown)
    with pytest.raises(InvalidInput, match="^resourceType must be QuestionnaireResponse$"):
        score_response({"resourceType": "Patient"})
    with pytest.raises(InvalidInput, match=r"^QuestionnaireResponse\.bogus must be valid FHIR R4"):
        score_response({**response("phq9", [0] * 9), "bogus": 1})

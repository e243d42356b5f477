"""Instruments as FHIR R4 Questionnaires, and QuestionnaireResponses scored by the one scorer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from trellis.core.errors import InvalidInput
from trellis.core.instruments import Instrument, Item, Score, instrument, score

LOINC = "http://loinc.org"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CANONICAL = "urn:trellis:questionnaire:"
ANSWERS = "urn:trellis:answers:"
TYPES = {
    "choice": "choice",
    "scores": "choice",
    "yesno": "boolean",
    "range": "integer",
    "daylist": "integer",
}


def questionnaire(instrument_id: str) -> dict[str, Any]:
    definition = instrument(instrument_id)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": definition.id.replace("_", "-"),
        "url": CANONICAL + definition.id,
        "name": definition.id,
        "title": definition.name,
        "status": "active",
        "subjectType": ["Patient"],
        "description": definition.prompt or definition.name,
        "purpose": definition.source,
        "copyright": definition.terms,
        "item": [_item(definition, item) for item in definition.items],
    }
    if definition.loinc_panel:
        resource["code"] = [
            {"system": LOINC, "code": definition.loinc_panel, "display": definition.name}
        ]
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _item(definition: Instrument, item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "linkId": str(item.number),
        "text": item.text,
        "type": TYPES[item.kind],
        "required": not item.optional,
    }
    if item.loinc:
        out["code"] = [{"system": LOINC, "code": item.loinc}]
    if item.kind == "daylist":
        out["repeats"] = True
    if item.asked_if_yes:
        out["enableWhen"] = [
            {"question": str(item.asked_if_yes), "operator": "=", "answerBoolean": True}
        ]
    if item.options:
        out["answerOption"] = [
            {
                "valueCoding": {
                    "system": ANSWERS + definition.id,
                    "code": str(o.value),
                    "display": o.label,
                },
                "extension": [{"url": ORDINAL, "valueDecimal": o.score}],
            }
            for o in item.options
        ]
    return out


def score_response(resource: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> Score:
    """Score a QuestionnaireResponse for one of Trellis's questionnaires; unanswered items are null."""
    response = _parse(resource)
    definition = instrument(_instrument_id(response.questionnaire))
    return score(definition.id, _responses(definition, response), context)


def responses_from(resource: Mapping[str, Any], instrument_id: str) -> list[Any]:
    return _responses(instrument(instrument_id), _parse(resource))


def _responses(definition: Instrument, response: QuestionnaireResponse) -> list[Any]:
    answers: dict[str, Any] = {}
    for entry in response.item or []:
        answers[entry.linkId] = _value(definition, entry)
    unknown = sorted(set(answers) - {str(i.number) for i in definition.items})
    if unknown:
        raise InvalidInput(
            f"QuestionnaireResponse.item linkId {unknown[0]}",
            f"1-{len(definition.items)} for {definition.id}",
        )
    responses = [answers.get(str(item.number)) for item in definition.items]
    while responses and responses[-1] is None and definition.items[len(responses) - 1].optional:
        responses.pop()
    return responses


def _parse(resource: Mapping[str, Any]) -> QuestionnaireResponse:
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
        raise InvalidInput("resourceType", "QuestionnaireResponse")
    try:
        return QuestionnaireResponse.model_validate(dict(resource))
    except ValidationError as error:
        where = ".".join(str(p) for p in error.errors()[0]["loc"]) or "QuestionnaireResponse"
        raise InvalidInput(
            f"QuestionnaireResponse.{where}",
            "valid FHIR R4 (see the QuestionnaireResponse resource)",
        ) from None


def _instrument_id(canonical: str | None) -> str:
    if not canonical:
        raise InvalidInput("QuestionnaireResponse.questionnaire", f"{CANONICAL}<instrument id>")
    tail = canonical.split("|")[0].rstrip("/").split(":")[-1].split("/")[-1]
    return tail.replace("-", "_")


def _value(definition: Instrument, entry: Any) -> Any:
    answers = entry.answer or []
    if not answers:
        return None
    item = next((i for i in definition.items if str(i.number) == entry.linkId), None)
    if item is not None and item.kind == "daylist":
        return [a.valueInteger for a in answers]
    answer = answers[0]
    if answer.valueBoolean is not None:
        return answer.valueBoolean
    if answer.valueInteger is not None:
        return answer.valueInteger
    if answer.valueCoding is not None and answer.valueCoding.code is not None:
        code = answer.valueCoding.code
        if not code.lstrip("-").isdigit():
            raise InvalidInput(
                f"QuestionnaireResponse.item linkId {entry.linkId}",
                "an answer code from the Questionnaire",
            )
        return int(code)
    raise InvalidInput(
        f"QuestionnaireResponse.item linkId {entry.linkId}",
        "valueCoding, valueBoolean or valueInteger",
    )

"""FHIR R4 under /fhir/: the CapabilityStatement, the instruments as Questionnaires, and
QuestionnaireResponses scored and stored through the same action as the pages.

No `from __future__ import annotations` here: django-ninja resolves the signatures below.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from ninja import NinjaAPI, Router
from ninja.errors import HttpError

import trellis
from trellis.api import errors
from trellis.api.auth import AUTH
from trellis.api.idempotency import idempotent
from trellis.assessments import actions
from trellis.assessments.models import ScoreSource
from trellis.core.errors import InvalidInput
from trellis.core.fhir.questionnaire import questionnaire, score_response
from trellis.core.instruments import instrument_ids
from trellis.people.access import access_person

fhir = NinjaAPI(
    title="Trellis FHIR R4",
    version="4.0.1",
    urls_namespace="fhir",
    docs_url=None,
    openapi_url=None,
    auth=AUTH,
)
errors.install(fhir)
router = Router()


@router.get("/metadata", auth=None)
def metadata(request: HttpRequest) -> dict[str, Any]:
    statement = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "kind": "instance",
        "software": {"name": "Trellis", "version": trellis.__version__},
        "implementation": {
            "description": "Trellis FHIR R4 endpoint",
            "url": request.build_absolute_uri("/fhir"),
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                    },
                    {"type": "QuestionnaireResponse", "interaction": [{"code": "create"}]},
                    {"type": "HealthcareService", "interaction": [{"code": "read"}]},
                    {"type": "ServiceRequest", "interaction": [{"code": "read"}]},
                ],
            }
        ],
    }
    return CapabilityStatement.model_validate(statement).model_dump(mode="json", exclude_none=True)


@router.get("/Questionnaire", auth=None)
def search_questionnaires(request: HttpRequest) -> dict[str, Any]:
    entries = [
        {
            "fullUrl": request.build_absolute_uri(f"/fhir/Questionnaire/{i.replace('_', '-')}"),
            "resource": questionnaire(i),
        }
        for i in instrument_ids()
    ]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


@router.get("/Questionnaire/{questionnaire_id}", auth=None)
def read_questionnaire(request: HttpRequest, questionnaire_id: str) -> dict[str, Any]:
    instrument_id = questionnaire_id.replace("-", "_")
    if instrument_id not in instrument_ids():
        raise HttpError(404, "No such Questionnaire.")
    return questionnaire(instrument_id)


@router.get("/HealthcareService/{service_id}", auth=None)
def read_healthcare_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    """A directory service (public information, like the directory itself)."""
    from trellis.directory.fhir import service_resource
    from trellis.directory.models import Service

    row = Service.objects.select_related("organization").filter(hsds_id=service_id).first()
    if row is None:
        raise HttpError(404, "No such HealthcareService.")
    return service_resource(row)


@router.get("/ServiceRequest/{referral_id}")
def read_service_request(request: HttpRequest, referral_id: str) -> dict[str, Any]:
    """A referral, for its person's care team and the person (audited; 404 otherwise)."""
    from trellis.directory.fhir import referral_resource
    from trellis.referrals.access import access_referral

    return referral_resource(access_referral(request.user, referral_id))


@router.post("/QuestionnaireResponse", response={201: dict[str, Any]})
@idempotent
def create_questionnaire_response(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """Score a QuestionnaireResponse whose subject is `Patient/<person id>` and store the score."""
    import json

    try:
        resource = json.loads(request.body or b"null")
    except json.JSONDecodeError:
        raise InvalidInput("body", "a JSON QuestionnaireResponse") from None
    subject = _subject_reference(resource)
    if not subject.startswith("Patient/"):
        raise InvalidInput("QuestionnaireResponse.subject", "a reference Patient/<person id>")
    person = access_person(request.user, subject.removeprefix("Patient/"), write=True, what="Score")
    result = score_response(resource)
    stored = actions.record_score(
        person,
        result.instrument,
        _responses(resource, result.instrument),
        by=request.user,
        source=ScoreSource.FHIR,
    )
    return 201, {
        "resourceType": "QuestionnaireResponse",
        "id": str(stored.public_id),
        "status": "completed",
        "questionnaire": resource.get("questionnaire"),
        "subject": {"reference": subject},
        "extension": [
            {"url": "urn:trellis:score", "valueString": json.dumps(stored.result, sort_keys=True)}
        ],
    }


def _subject_reference(resource: Any) -> str:
    """`subject.reference`, or "" when any part of the way there is missing or not of its type."""
    subject = resource.get("subject") if isinstance(resource, dict) else None
    reference = subject.get("reference") if isinstance(subject, dict) else None
    return reference if isinstance(reference, str) else ""


def _responses(resource: dict[str, Any], instrument_id: str) -> list[Any]:
    """The same answers score_response read, in item order (it has already checked them)."""
    from trellis.core.fhir.questionnaire import responses_from

    return responses_from(resource, instrument_id)


fhir.add_router("", router)

"""Plans over the same actions as the plan pages: versions, decisions and clinicians' changes."""
# No `from __future__ import annotations`: django-ninja resolves these signatures.

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.api.errors import Error
from trellis.audit import log as audit
from trellis.core.access import CLINICAL_ROLES, Role
from trellis.people.access import access_person
from trellis.plans import actions
from trellis.plans.access import access_plan
from trellis.plans.models import Plan

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: UUID
    person_id: UUID
    version: int
    created: datetime
    change: str
    cosigned: bool
    document: dict[str, Any]


class DecisionIn(Schema):
    code: str
    decision: str
    teach_back: str
    language: str = "en"


class ChangeIn(Schema):
    code: str
    action: str
    reason: str
    status: str = ""


def plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.public_id,
        "person_id": plan.person.public_id,
        "version": plan.version,
        "created": plan.created,
        "change": plan.change,
        "cosigned": plan.cosigned_at is not None,
        "document": plan.document,
    }


@router.get("/people/{person_id}/plans", response={200: list[PlanOut], 401: Error, 404: Error})
def list_plans(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    """Every version of the person's plan, newest first."""
    person = access_person(request.user, person_id, what="Plan")
    return [plan_out(p) for p in Plan.objects.filter(person=person)]


@router.get("/plans/{plan_id}", response={200: PlanOut, 401: Error, 404: Error})
def get_plan(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    return plan_out(access_plan(request.user, plan_id))


@router.post(
    "/plans/{plan_id}/decisions", response={200: PlanOut, 401: Error, 404: Error, 422: Error}
)
def decide(request: HttpRequest, plan_id: UUID, payload: DecisionIn) -> dict[str, Any]:
    """Informed consent or refusal for one option; a refusal returns the new version."""
    plan = access_plan(request.user, plan_id, write=True)
    if payload.language not in ("en", "es"):
        from trellis.core.errors import InvalidInput

        raise InvalidInput("language", "en or es")
    _record, current = actions.record_decision(
        plan,
        code=payload.code,
        decision=payload.decision,
        teach_back=payload.teach_back,
        language=payload.language,
        by=request.user,
    )
    return plan_out(current)


@router.post(
    "/plans/{plan_id}/changes", response={200: PlanOut, 401: Error, 404: Error, 422: Error}
)
def change(request: HttpRequest, plan_id: UUID, payload: ChangeIn) -> dict[str, Any]:
    """A clinician adds, removes or re-rates an item with a reason; returns the new version.

    A change against a version that is no longer current is refused (422), so two clinicians
    cannot silently overwrite each other.
    """
    if Role(request.user.role) not in CLINICAL_ROLES:
        audit.record(request.user, "write", object_type="Plan", outcome="denied")
        raise HttpError(404, "No such record, or it is outside your reach.")
    plan = access_plan(request.user, plan_id, write=True)
    return plan_out(
        actions.deviate(
            plan,
            code=payload.code,
            action=payload.action,
            reason=payload.reason,
            status=payload.status,
            by=request.user,
        )
    )


@router.get("/plans/{plan_id}/fhir", response={200: dict[str, Any], 401: Error, 404: Error})
def plan_as_fhir(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    """The plan version as a FHIR R4 Bundle: CarePlan, Goal and ServiceRequest resources."""
    from trellis.core.fhir.careplan import bundle

    plan = access_plan(request.user, plan_id)
    return bundle(plan.document, plan_id=str(plan.public_id), patient_id=str(plan.person.public_id))

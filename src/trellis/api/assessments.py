"""Intakes, scores and alerts over the same actions the pages use."""
# No `from __future__ import annotations`: django-ninja reads these signatures through the
# @idempotent wrapper, which lives in another module, so the annotations must be real objects.

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.alerts import actions as alert_actions
from trellis.alerts.access import access_alert
from trellis.api.errors import Error
from trellis.api.idempotency import idempotent
from trellis.assessments import actions
from trellis.assessments.access import access_intake, access_score
from trellis.assessments.models import Intake, Score, ScoreSource
from trellis.audit import log as audit
from trellis.core.access import CLINICAL_ROLES, Role
from trellis.people.access import access_person

router = Router(tags=["assessments"])
public = Router(tags=["instruments"])


class OptionOut(Schema):
    value: int
    score: int
    label: str


class ItemOut(Schema):
    number: int
    text: str
    kind: str
    options: list[OptionOut]
    critical: bool
    loinc: str | None


class InstrumentOut(Schema):
    id: str
    name: str
    prompt: str
    loinc_panel: str | None
    source: str
    terms: str
    items: list[ItemOut]


def instrument_out(definition: Any) -> dict[str, Any]:
    items = [
        {
            "number": i.number,
            "text": i.text,
            "kind": i.kind,
            "options": [{"value": o.value, "score": o.score, "label": o.label} for o in i.options],
            "critical": i.critical,
            "loinc": i.loinc,
        }
        for i in definition.items
    ]
    return {
        "id": definition.id,
        "name": definition.name,
        "prompt": definition.prompt,
        "loinc_panel": definition.loinc_panel,
        "source": definition.source,
        "terms": definition.terms,
        "items": items,
    }


@public.get("/instruments", auth=None, response=list[InstrumentOut])
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    """The instrument definitions (public: no protected data)."""
    from trellis.core.instruments import instrument, instrument_ids

    return [instrument_out(instrument(i)) for i in instrument_ids()]


@public.get("/instruments/{instrument_id}", auth=None, response={200: InstrumentOut, 404: Error})
def get_instrument(request: HttpRequest, instrument_id: str) -> dict[str, Any]:
    from trellis.core.instruments import instrument, instrument_ids

    if instrument_id not in instrument_ids():
        raise HttpError(404, "No such instrument.")
    return instrument_out(instrument(instrument_id))


class ScoreIn(Schema):
    instrument: str
    responses: list[int | bool | None]
    context: dict[str, Any] = {}


class ScoreOut(Schema):
    id: UUID
    person_id: UUID
    created: datetime
    source: str
    result: dict[str, Any]


class IntakeIn(Schema):
    document: dict[str, Any]


class IntakeOut(Schema):
    id: UUID
    person_id: UUID
    status: str
    created: datetime
    kb_version: str
    result: dict[str, Any] | None


class OverrideIn(Schema):
    level: str
    reason: str


class AlertOut(Schema):
    id: UUID
    person_id: UUID
    kind: str
    severity: str
    status: str  # open, acknowledged or resolved
    reasons: list[str]
    created: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str


class AcknowledgeIn(Schema):
    note: str


def score_out(score: Score) -> dict[str, Any]:
    return {
        "id": score.public_id,
        "person_id": score.person.public_id,
        "created": score.created,
        "source": score.source,
        "result": score.result,
    }


def intake_out(intake: Intake) -> dict[str, Any]:
    return {
        "id": intake.public_id,
        "person_id": intake.person.public_id,
        "status": intake.status,
        "created": intake.created,
        "kb_version": intake.kb_version,
        "result": intake.result,
    }


def _clinical(request: HttpRequest, what: str = "Intake") -> None:
    """Clinical records are for the care team's clinicians; anyone else gets the audited 404."""
    if Role(request.user.role) not in CLINICAL_ROLES:
        audit.record(request.user, "read", object_type=what, outcome="denied")
        raise HttpError(404, "No such record, or it is outside your reach.")


@router.post(
    "/people/{person_id}/scores", response={201: ScoreOut, 401: Error, 404: Error, 422: Error}
)
@idempotent
def create_score(
    request: HttpRequest, person_id: UUID, payload: ScoreIn
) -> tuple[int, dict[str, Any]]:
    """Score a questionnaire for a person and store it; a critical finding raises an urgent alert.

    A person may submit their own self-report; clinicians submit for people on their care team.
    """
    person = access_person(request.user, person_id, write=True, what="Score")
    source = ScoreSource.SELF_REPORT if request.user.role == Role.PERSON else ScoreSource.API
    stored = actions.record_score(
        person,
        payload.instrument,
        payload.responses,
        by=request.user,
        source=source,
        context=payload.context,
    )
    return 201, score_out(stored)


@router.get("/people/{person_id}/scores", response={200: list[ScoreOut], 401: Error, 404: Error})
def list_scores(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    person = access_person(request.user, person_id, what="Score")
    return [score_out(s) for s in person.scores.filter(entered_in_error=False)]


@router.get("/scores/{score_id}", response={200: ScoreOut, 401: Error, 404: Error})
def get_score(request: HttpRequest, score_id: UUID) -> dict[str, Any]:
    return score_out(access_score(request.user, score_id))


@router.post(
    "/people/{person_id}/intakes", response={201: IntakeOut, 401: Error, 404: Error, 422: Error}
)
@idempotent
def create_intake(
    request: HttpRequest, person_id: UUID, payload: IntakeIn
) -> tuple[int, dict[str, Any]]:
    """Submit a whole intake document (`trellis.intake/1`); it is assessed and stored as completed."""
    _clinical(request)
    person = access_person(request.user, person_id, write=True, what="Intake")
    intake = actions.submit_intake(person, payload.document, by=request.user)
    return 201, intake_out(intake)


@router.get("/intakes/{intake_id}", response={200: IntakeOut, 401: Error, 404: Error})
def get_intake(request: HttpRequest, intake_id: UUID) -> dict[str, Any]:
    _clinical(request)
    return intake_out(access_intake(request.user, intake_id))


@router.post(
    "/intakes/{intake_id}/override", response={200: IntakeOut, 401: Error, 404: Error, 422: Error}
)
def override_intake(request: HttpRequest, intake_id: UUID, payload: OverrideIn) -> dict[str, Any]:
    """Change the recommended level of care, with a reason (stored and counted)."""
    _clinical(request)
    intake = access_intake(request.user, intake_id, write=True)
    actions.override_placement(intake, level=payload.level, reason=payload.reason, by=request.user)
    return intake_out(intake)


def alert_out(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.public_id,
        "person_id": alert.person.public_id,
        "kind": alert.kind,
        "severity": alert.severity,
        "status": alert.status,
        "reasons": alert.reason_list(),
        "created": alert.created,
        "acknowledged_at": alert.acknowledged_at,
        "resolved_at": alert.resolved_at,
        "resolution": alert.resolution,
    }


@router.get("/people/{person_id}/alerts", response={200: list[AlertOut], 401: Error, 404: Error})
def list_alerts(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    _clinical(request, "Alert")
    person = access_person(request.user, person_id, what="Alert")
    return [alert_out(a) for a in person.alerts.all()]


@router.post(
    "/alerts/{alert_id}/acknowledge", response={200: AlertOut, 401: Error, 404: Error, 422: Error}
)
def acknowledge_alert(
    request: HttpRequest, alert_id: UUID, payload: AcknowledgeIn
) -> dict[str, Any]:
    _clinical(request, "Alert")
    alert = access_alert(request.user, alert_id, write=True)
    return alert_out(alert_actions.acknowledge_alert(alert, by=request.user, note=payload.note))

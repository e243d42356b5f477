"""Measures, the measurement schedule, alerts and stepped-care proposals over the same actions
the pages use."""
# No `from __future__ import annotations`: django-ninja reads these signatures through the
# @idempotent wrapper, which lives in another module, so the annotations must be real objects.

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from trellis.alerts import actions as alert_actions
from trellis.alerts.access import access_alert
from trellis.alerts.models import Alert
from trellis.api.assessments import AlertOut, _clinical, alert_out
from trellis.api.errors import Error
from trellis.api.idempotency import idempotent
from trellis.assessments import actions as assessments
from trellis.assessments.models import Score, ScoreSource
from trellis.audit import log as audit
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.knowledge.monitoring import rules
from trellis.monitoring import actions
from trellis.monitoring.access import access_proposal
from trellis.monitoring.models import Proposal
from trellis.people.access import access_person
from trellis.people.access import caseload as caseload_of

router = Router(tags=["monitoring"])
STATUSES = ("open", "acknowledged", "resolved", "unresolved")


class MeasureIn(Schema):
    instrument: str
    responses: list[int | bool | list[int] | None]
    taken_at: datetime | None = None
    context: dict[str, Any] = {}


class MeasureOut(Schema):
    id: UUID
    person_id: UUID
    instrument: str
    taken_at: datetime
    total: int | None
    band: str | None
    subscales: dict[str, int] | None
    flags: list[str]


class DueOut(Schema):
    instrument: str
    due_on: date
    overdue: bool
    because: str
    last_taken: date | None


class NoteIn(Schema):
    note: str


class ChangeOut(Schema):
    action: str
    code: str | None
    level: str | None


class ProposalOut(Schema):
    id: UUID
    person_id: UUID
    rule_id: str
    status: str
    changes: list[ChangeOut]
    reasons: list[str]
    source: str
    created: datetime
    decided_at: datetime | None
    decision_reason: str
    new_plan_id: UUID | None


class RejectIn(Schema):
    reason: str


def measure_out(score: Score) -> dict[str, Any]:
    return {
        "id": score.public_id,
        "person_id": score.person.public_id,
        "instrument": score.instrument,
        "taken_at": score.taken_at,
        "total": score.total,
        "band": score.band or None,
        "subscales": _declared(score),
        "flags": list((score.result or {}).get("flags") or []),
    }


def _declared(score: Score) -> dict[str, int] | None:
    """The instrument's own subscales (the items kept beside them for monitoring left out)."""
    kept = rules().items(score.instrument)
    scales = {k: v for k, v in (score.subscales or {}).items() if k not in kept}
    return scales or None


def proposal_out(row: Proposal) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "person_id": row.person.public_id,
        "rule_id": row.rule_id,
        "status": row.status,
        "changes": row.changes,
        "reasons": row.reasons,
        "source": row.source,
        "created": row.created,
        "decided_at": row.decided_at,
        "decision_reason": row.decision_reason,
        "new_plan_id": row.new_plan.public_id if row.new_plan else None,
    }


@router.post(
    "/people/{person_id}/measures",
    response={201: MeasureOut, 401: Error, 404: Error, 422: Error},
)
@idempotent
def create_measure(
    request: HttpRequest, person_id: UUID, payload: MeasureIn
) -> tuple[int, dict[str, Any]]:
    """Store a re-assessment taken at `taken_at` (not in the future); what it signals (a critical
    item, reliable worsening) is raised at once. Retries with the same `Idempotency-Key` store
    it once."""
    person = access_person(request.user, person_id, write=True, what="Score")
    source = ScoreSource.SELF_REPORT if request.user.role == Role.PERSON else ScoreSource.API
    stored = assessments.record_score(
        person,
        payload.instrument,
        payload.responses,
        by=request.user,
        source=source,
        context=payload.context,
        taken_at=payload.taken_at,
    )
    return 201, measure_out(stored)


@router.get(
    "/people/{person_id}/measures", response={200: list[MeasureOut], 401: Error, 404: Error}
)
def list_measures(
    request: HttpRequest, person_id: UUID, instrument: str = ""
) -> list[dict[str, Any]]:
    """The person's measures over time, oldest first (optionally one instrument)."""
    person = access_person(request.user, person_id, what="Score")
    rows = actions.scores(person)
    return [measure_out(s) for s in rows if not instrument or s.instrument == instrument]


@router.get("/people/{person_id}/schedule", response={200: list[DueOut], 401: Error, 404: Error})
def get_schedule(request: HttpRequest, person_id: UUID) -> list[Any]:
    """What is due under the current plan, and what is overdue."""
    person = access_person(request.user, person_id, what="Schedule")
    return actions.schedule(person, today=timezone.localdate())


@router.get("/alerts", response={200: list[AlertOut], 401: Error, 404: Error, 422: Error})
def list_caseload_alerts(request: HttpRequest, status: str = "unresolved") -> list[dict[str, Any]]:
    """Alerts for the people on the caller's care teams, most recent first."""
    _clinical(request, "Alert")
    if status not in STATUSES:
        raise InvalidInput("status", "one of " + ", ".join(STATUSES))
    rows = Alert.objects.filter(person__in=caseload_of(request.user)).select_related("person")
    rows = {
        "open": rows.open(),
        "acknowledged": rows.filter(acknowledged_at__isnull=False, resolved_at__isnull=True),
        "resolved": rows.filter(resolved_at__isnull=False),
        "unresolved": rows.unresolved(),
    }[status]
    audit.record(request.user, "list", object_type="Alert", detail={"status": status})
    return [alert_out(a) for a in rows]


@router.get("/alerts/{alert_id}", response={200: AlertOut, 401: Error, 404: Error})
def get_alert(request: HttpRequest, alert_id: UUID) -> dict[str, Any]:
    _clinical(request, "Alert")
    return alert_out(access_alert(request.user, alert_id))


@router.post(
    "/alerts/{alert_id}/resolve", response={200: AlertOut, 401: Error, 404: Error, 422: Error}
)
def resolve_alert(request: HttpRequest, alert_id: UUID, payload: NoteIn) -> dict[str, Any]:
    """Resolve with a note saying what was done (acknowledging it too if it was still open)."""
    _clinical(request, "Alert")
    alert = access_alert(request.user, alert_id, write=True)
    return alert_out(alert_actions.resolve_alert(alert, by=request.user, note=payload.note))


@router.get(
    "/people/{person_id}/proposals", response={200: list[ProposalOut], 401: Error, 404: Error}
)
def list_proposals(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    _clinical(request, "Proposal")
    person = access_person(request.user, person_id, what="Proposal")
    return [proposal_out(p) for p in Proposal.objects.filter(person=person)]


def _proposal(request: HttpRequest, proposal_id: UUID) -> Proposal:
    _clinical(request, "Proposal")
    return access_proposal(request.user, proposal_id, write=True)


@router.post(
    "/proposals/{proposal_id}/accept",
    response={200: ProposalOut, 401: Error, 404: Error, 422: Error},
)
def accept_proposal(request: HttpRequest, proposal_id: UUID) -> dict[str, Any]:
    """Accept: the proposal's changes become a new plan version."""
    row = _proposal(request, proposal_id)
    actions.accept(row, by=request.user)
    return proposal_out(row)


@router.post(
    "/proposals/{proposal_id}/reject",
    response={200: ProposalOut, 401: Error, 404: Error, 422: Error},
)
def reject_proposal(request: HttpRequest, proposal_id: UUID, payload: RejectIn) -> dict[str, Any]:
    row = _proposal(request, proposal_id)
    return proposal_out(actions.reject(row, by=request.user, reason=payload.reason))

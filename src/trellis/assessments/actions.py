"""Audited writes of the assessment: intake sections, questionnaire answers, completion,
placement overrides, and self-reported questionnaires. Clinical meaning lives in trellis.core."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trellis.alerts import actions as alerts
from trellis.assessments.models import Intake, IntakeStatus, PlacementOverride, Score, ScoreSource
from trellis.audit import log as audit
from trellis.core import intake as core_intake
from trellis.core.errors import InvalidInput
from trellis.core.instruments import score as score_responses
from trellis.core.placement import LEVEL_ORDER
from trellis.people.models import Person

SCHEMA_ID = "trellis.intake/1"
URGENT_FLAGS = ("suicidal_ideation", "suicidal_behavior", "acute_suicide_risk")


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@transaction.atomic
def start_intake(person: Person, *, by: Any) -> Intake:
    today = timezone.localdate()
    document = {
        "schema": SCHEMA_ID,
        "assessed_on": today.isoformat(),
        "person": {
            "id": str(person.public_id),
            "age": age_on(person.birth_date, today),
            "preferred_language": person.preferred_language,
        },
    }
    intake = Intake.objects.create(person=person, document=document, created_by=by)
    audit.record(by, "create", intake, detail={"person": str(person.public_id)})
    return intake


def _check_draft(intake: Intake) -> None:
    if intake.status != IntakeStatus.DRAFT:
        raise InvalidInput("intake", "an intake still in progress (this one is completed)")


@transaction.atomic
def save_document(intake: Intake, document: dict[str, Any], *, by: Any, what: str) -> Intake:
    """Replace the draft document after the core accepts it; `what` names the section changed."""
    _check_draft(intake)
    core_intake.validate(document)
    intake.document, intake.updated = document, timezone.now()
    intake.save(update_fields=["document", "updated"])
    audit.record(by, "update", intake, detail={"section": what})
    return intake


def save_responses(intake: Intake, instrument_id: str, responses: list[Any], *, by: Any) -> Intake:
    """Store one questionnaire's answers in the draft, after the scorer accepts them."""
    score_responses(instrument_id, responses, _context(intake.document, instrument_id))
    answers = {**(intake.document.get("instruments") or {}), instrument_id: responses}
    return save_document(
        intake,
        {**intake.document, "instruments": answers},
        by=by,
        what=f"instruments.{instrument_id}",
    )


@transaction.atomic
def submit_intake(person: Person, document: dict[str, Any], *, by: Any) -> Intake:
    """Store a whole intake document at once (the API's path) and complete it."""
    if (document.get("person") or {}).get("id") not in (None, str(person.public_id)):
        raise InvalidInput("person.id", "the id of the person in the address, or nothing")
    core_intake.validate(document)
    intake = Intake.objects.create(person=person, document=document, created_by=by)
    audit.record(by, "create", intake, detail={"person": str(person.public_id), "via": "api"})
    return complete_intake(intake, by=by)


@transaction.atomic
def request_in_full(intake: Intake, instrument_id: str, *, by: Any) -> Intake:
    _check_draft(intake)
    if instrument_id not in intake.requested_in_full:
        intake.requested_in_full = [*intake.requested_in_full, instrument_id]
        intake.save(update_fields=["requested_in_full"])
        audit.record(by, "update", intake, detail={"requested_in_full": instrument_id})
    return intake


@transaction.atomic
def complete_intake(intake: Intake, *, by: Any) -> Intake:
    """Assess the intake, store the result and its scores, and alert the care team when urgent."""
    _check_draft(intake)
    result = make_plan(intake.document)
    intake.result, intake.status, intake.completed_at = (
        result,
        IntakeStatus.COMPLETED,
        timezone.now(),
    )
    intake.level, intake.urgent = result["placement"]["level"], bool(result["safety"]["urgent"])
    intake.kb_version = result["kb_version"]
    intake.save(update_fields=["result", "status", "completed_at", "level", "urgent", "kb_version"])
    for instrument_id, responses in (intake.document.get("instruments") or {}).items():
        _store_score(
            intake.person,
            instrument_id,
            responses,
            _context(intake.document, instrument_id),
            by=by,
            source=ScoreSource.INTAKE,
            intake=intake,
        )
    if intake.urgent:
        alerts.raise_alert(
            intake.person,
            kind="safety",
            severity="urgent",
            by=by,
            event_key=f"intake:{intake.public_id}:safety",
            reasons=[*result["safety"]["flags"], *result["placement"]["rationale"][:1]],
        )
    audit.record(by, "complete", intake, detail={"level": intake.level, "urgent": intake.urgent})
    from trellis.plans.actions import plan_from_intake

    plan_from_intake(intake, by=by)
    return intake


@transaction.atomic
def override_placement(intake: Intake, *, level: str, reason: str, by: Any) -> PlacementOverride:
    if intake.status != IntakeStatus.COMPLETED or not intake.result:
        raise InvalidInput("intake", "a completed intake with a recommendation")
    if level not in LEVEL_ORDER:
        raise InvalidInput("level", "one of " + ", ".join(LEVEL_ORDER))
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "a reason for changing the recommended level")
    recommended = intake.result["placement"]["level"]
    if level == intake.level:
        raise InvalidInput("level", "a level different from the current one")
    override = PlacementOverride.objects.create(
        intake=intake, recommended_level=recommended, level=level, reason=reason, by=by
    )
    intake.result = {
        **intake.result,
        "placement": {
            **intake.result["placement"],
            "override": {"level": level, "reason": reason, "by": by.username},
        },
    }
    intake.level = level
    intake.save(update_fields=["result", "level"])
    _override_current_plan(intake, by=by)
    audit.record(by, "override", intake, detail={"from": recommended, "to": level})
    return override


@transaction.atomic
def _scales(instrument_id: str, subscales: Any, responses: Sequence[Any]) -> dict[str, Any] | None:
    """The subscales, and the single items that have their own reliable-change figures
    (knowledge/monitoring.yaml, e.g. the BAM's days of alcohol use), kept for monitoring."""
    from trellis.knowledge.monitoring import rules

    scales = dict(subscales or {})
    for scale, item in rules().items(instrument_id).items():
        answer = responses[item - 1] if item <= len(responses) else None
        if isinstance(answer, int) and not isinstance(answer, bool):
            scales[scale] = answer
    return scales or None


def record_score(
    person: Person,
    instrument_id: str,
    responses: list[Any],
    *,
    by: Any,
    source: str,
    context: dict[str, Any] | None = None,
    taken_at: datetime | None = None,
) -> Score:
    """Score and store one questionnaire (self-report, API or FHIR), alerting on critical findings.

    `taken_at` is when it was answered (a client may send it later): never in the future.
    """
    if taken_at is not None and taken_at > timezone.now():
        raise InvalidInput("taken_at", "a date and time that is not in the future")
    return _store_score(
        person, instrument_id, responses, context or {}, by=by, source=source, taken_at=taken_at
    )


def _store_score(
    person: Person,
    instrument_id: str,
    responses: list[Any],
    context: dict[str, Any],
    *,
    by: Any,
    source: str,
    intake: Intake | None = None,
    taken_at: datetime | None = None,
) -> Score:
    result = score_responses(instrument_id, responses, context)
    flags = [f for f in result.flags if f in URGENT_FLAGS]
    stored = Score.objects.create(
        person=person,
        intake=intake,
        instrument=instrument_id,
        total=result.total,
        band=result.band or "",
        urgent=bool(flags),
        responses=list(responses),
        result=result.as_dict(),
        subscales=_scales(instrument_id, result.subscales, responses),
        taken_at=taken_at or timezone.now(),
        source=source,
        entered_by=by,
    )
    audit.record(
        by,
        "create",
        stored,
        detail={"person": str(person.public_id), "instrument": instrument_id, "source": source},
    )
    if flags:
        alerts.raise_alert(
            person,
            kind="suicide_risk",
            severity="urgent",
            by=by,
            event_key=f"score:{stored.public_id}:suicide_risk",
            reasons=[f"{instrument_id}: {flag.replace('_', ' ')}" for flag in flags],
        )
    if intake is None:  # a re-assessment: what it changes (reliable worsening) is raised now
        from trellis.monitoring.actions import evaluate

        evaluate(person, by=by)
    return stored


def _context(document: dict[str, Any], instrument_id: str) -> dict[str, Any]:
    sex = (document.get("person") or {}).get("sex_at_birth")
    return {"sex": sex} if instrument_id == "auditc" and sex in ("female", "male") else {}


def make_plan(document: dict[str, Any]) -> dict[str, Any]:
    """The plan document for an intake (contracts/plan.md), from the current knowledge base."""
    from trellis.core.planning import generate
    from trellis.knowledge import placement_rules, plan_rules
    from trellis.knowledge.interventions import knowledge_base

    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=timezone.localdate(),
    )


def kb_version() -> str:
    from trellis.knowledge import version

    return version()


def cssrs_licensed() -> bool:
    return bool(settings.CSSRS_LICENSED)


def _override_current_plan(intake: Intake, *, by: Any) -> None:
    """An override of the level also makes a new plan version that carries it."""
    from trellis.plans.actions import lock_plans, new_version
    from trellis.plans.models import Plan

    lock_plans(intake.person_id)
    current = Plan.objects.filter(person=intake.person).current()
    if current is not None:
        document = {**current.document, "placement": intake.result["placement"]}
        new_version(intake.person, document, by=by, change=f"level overridden to {intake.level}")

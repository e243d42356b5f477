"""Audited writes about plans: a new version from an intake, the person's choices, clinicians'
deviations, and supervisor co-signature. Each change is a new version; none is overwritten."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trellis.assessments.models import Intake
from trellis.audit import log as audit
from trellis.core import plan_changes
from trellis.core.errors import InvalidInput
from trellis.knowledge.interventions import knowledge_base
from trellis.people.models import Person
from trellis.plans.models import Decision, Plan, PlanDecision, PlanDeviation


def _next_version(person: Person) -> int:
    return (Plan.objects.filter(person=person).aggregate(v=Max("version"))["v"] or 0) + 1


def new_version(
    person: Person, document: dict[str, Any], *, by: Any, change: str, intake: Intake | None = None
) -> Plan:
    plan = Plan.objects.create(
        person=person,
        intake=intake,
        version=_next_version(person),
        document=document,
        kb_version=document["kb_version"],
        level=document["placement"]["level"],
        change=change[:200],
        created_by=by,
    )
    audit.record(
        by,
        "create",
        plan,
        detail={"person": str(person.public_id), "version": plan.version, "change": change[:80]},
    )
    return plan


@transaction.atomic
def plan_from_intake(intake: Intake, *, by: Any) -> Plan:
    return new_version(
        intake.person, intake.result, by=by, change="generated from the intake", intake=intake
    )


def lock_plans(person_id: int) -> None:
    """Hold the person's row until the transaction ends: every change that reads the current plan
    version and writes the next one takes this first, so two at the same moment queue and the
    second builds on the first's version (PostgreSQL; SQLite's write transactions already queue).
    """
    Person.objects.select_for_update().filter(pk=person_id).exists()


def _current(plan: Plan) -> None:
    """Refuse a change made from a version that is no longer the newest."""
    lock_plans(plan.person_id)
    latest = Plan.objects.filter(person=plan.person).current()
    if latest is None or latest.pk != plan.pk:
        raise InvalidInput(
            "plan", "the current version (someone changed the plan since you opened it; reload it)"
        )


@transaction.atomic
def record_decision(
    plan: Plan, *, code: str, decision: str, teach_back: str, language: str, by: Any
) -> tuple[PlanDecision, Plan]:
    """Informed consent or refusal for one option, with the text shown and the person's teach-back."""
    _current(plan)
    if decision not in Decision.values:
        raise InvalidInput("decision", "consent or refusal")
    if not teach_back.strip():
        raise InvalidInput("teach_back", "the person's own words for what they chose and why")
    item = next((i for i in plan.document["interventions"] if i["code"] == code), None)
    if item is None:
        raise InvalidInput("code", "an option in this plan")
    kb = knowledge_base()
    shown = dict(kb.entry(code).text[language])
    record = PlanDecision.objects.create(
        plan=plan,
        code=code,
        decision=decision,
        language=language,
        kb_version=plan.kb_version,
        text_shown=shown,
        teach_back=teach_back.strip(),
        decided_by=by,
    )
    audit.record(
        by,
        "decide",
        record,
        detail={"plan": str(plan.public_id), "code": code, "decision": decision},
    )
    if decision == Decision.REFUSAL and item["status"] != "declined":
        document = plan_changes.decline(
            plan.document, code, on=timezone.localdate().isoformat(), kb=kb
        )
        plan = new_version(plan.person, document, by=by, change=f"{code} declined by the person")
    return record, plan


@transaction.atomic
def withdraw_consent(record: PlanDecision, *, by: Any) -> Plan:
    if record.decision != Decision.CONSENT or record.withdrawn_at is not None:
        raise InvalidInput("decision", "a consent that is still in force")
    lock_plans(record.plan.person_id)
    current = Plan.objects.filter(person=record.plan.person).current()
    assert current is not None
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["withdrawn_at"])
    audit.record(by, "withdraw", record, detail={"code": record.code})
    document = plan_changes.decline(
        current.document, record.code, on=timezone.localdate().isoformat(), kb=knowledge_base()
    )
    return new_version(
        current.person, document, by=by, change=f"consent to {record.code} withdrawn"
    )


@transaction.atomic
def deviate(plan: Plan, *, code: str, action: str, reason: str, status: str, by: Any) -> Plan:
    """A clinician's change to the plan, with a reason: recorded, counted and a new version."""
    _current(plan)
    document = plan_changes.deviate(
        plan.document,
        code=code,
        action=action,
        reason=reason,
        by=by.username,
        kb=knowledge_base(),
        status=status,
    )
    new = new_version(plan.person, document, by=by, change=f"{action} {code}: {reason.strip()}")
    PlanDeviation.objects.create(
        plan=new, code=code, action=action, status=status, reason=reason.strip(), by=by
    )
    return new


@transaction.atomic
def cosign(plan: Plan, *, by: Any) -> Plan:
    if plan.cosigned_at is not None:
        raise InvalidInput("plan", "a version not yet co-signed")
    if plan.created_by_id == by.pk:
        raise InvalidInput("plan", "co-signed by someone other than its author")
    plan.cosigned_by, plan.cosigned_at = by, timezone.now()
    plan.save(update_fields=["cosigned_by", "cosigned_at"])
    audit.record(by, "cosign", plan, detail={"version": plan.version})
    return plan

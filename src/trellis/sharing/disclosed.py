"""What each consent category discloses, read from the record: small summaries, never free text.

Each function takes the person and returns plain data for a page or the API. The caller has
already passed `people.access.access_shared` (or is the care team preparing a disclosure), so
the category's audit entry is written before any of this is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from statistics import mean
from typing import Any

from django.utils import timezone

from trellis.assessments.models import Intake, IntakeStatus
from trellis.core.consent import Category
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.actions import timeline
from trellis.recovery.models import CheckIn, RecoveryEvent
from trellis.sharing.models import FamilySession

WEEKS = 4
USE_DAYS = 30


def attendance(person: Person, today: date) -> dict[str, Any]:
    sessions = FamilySession.objects.filter(
        person=person, cancelled_at__isnull=True, starts_at__date__gte=today - timedelta(days=90)
    ).order_by("starts_at")
    return {
        "sessions": [
            {
                "date": s.starts_at.date().isoformat(),
                "kind": s.kind,
                "attended": s.person_attended,
            }
            for s in sessions
        ]
    }


def milestones(person: Person, today: date) -> dict[str, Any]:
    line = timeline(person, today)
    return {
        "days": line.days,
        "counting": line.current is not None,
        "reached": line.reached,
        "next_milestone": line.next_milestone,
        "days_to_next": line.days_to_next,
    }


def plan_goals(person: Person, today: date) -> dict[str, Any]:
    plan = Plan.objects.filter(person=person).current()
    goals = (plan.document.get("goals") or []) if plan is not None else []
    return {
        "goals": [
            {
                "statement": g.get("statement", ""),
                "target": g.get("target", ""),
                "due": g.get("due"),
            }
            for g in goals
        ]
    }


def checkin_summaries(person: Person, today: date) -> dict[str, Any]:
    weeks = []
    for n in range(WEEKS):
        end = today - timedelta(days=7 * n)
        start = end - timedelta(days=6)
        rows = list(CheckIn.objects.filter(person=person, day__range=(start, end)))
        weeks.append(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "checkins": len(rows),
                "mean_mood": round(mean(r.mood for r in rows), 1) if rows else None,
                "mean_craving": round(mean(r.craving for r in rows), 1) if rows else None,
            }
        )
    return {"weeks": weeks}


def medications(person: Person, today: date) -> dict[str, Any]:
    plan = Plan.objects.filter(person=person).current()
    if plan is None:
        return {"medications": []}
    agreed = set(
        plan.decisions.filter(decision="consent", withdrawn_at__isnull=True).values_list(
            "code", flat=True
        )
    )
    return {
        "medications": [
            {"code": i["code"], "name": i.get("name", i["code"])}
            for i in plan.document.get("interventions") or []
            if i.get("category") == "pharmacotherapy" and i["code"] in agreed
        ]
    }


def diagnoses(person: Person, today: date) -> dict[str, Any]:
    intake = (
        Intake.objects.filter(person=person, status=IntakeStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    if intake is None:
        return {"substance_use_disorders": [], "mental_health": []}
    disorders = []
    for s in intake.document.get("substances") or []:
        count = s.get("dsm5_criteria_count")
        if count is not None and count >= 2:  # DSM-5: 2-3 mild, 4-5 moderate, 6+ severe
            severity = "mild" if count <= 3 else "moderate" if count <= 5 else "severe"
            disorders.append({"substance": s["substance"], "severity": severity})
    mental = (intake.document.get("mental_health") or {}).get("diagnoses") or []
    return {"substance_use_disorders": disorders, "mental_health": list(mental)}


def substance_use(person: Person, today: date) -> dict[str, Any]:
    since = today - timedelta(days=USE_DAYS - 1)
    days = CheckIn.objects.filter(person=person, day__range=(since, today), used=True).count()
    returns = RecoveryEvent.objects.filter(person=person, kind="return").order_by("-on")
    return {
        "days_with_use_last_30": days,
        "returns_to_use": [e.on.isoformat() for e in returns],
    }


SUMMARIES: dict[Category, Callable[[Person, date], dict[str, Any]]] = {
    Category.ATTENDANCE: attendance,
    Category.MILESTONES: milestones,
    Category.PLAN_GOALS: plan_goals,
    Category.CHECKIN_SUMMARIES: checkin_summaries,
    Category.MEDICATIONS: medications,
    Category.DIAGNOSES: diagnoses,
    Category.SUBSTANCE_USE: substance_use,
}


def summary(person: Person, category: Category, today: date | None = None) -> dict[str, Any]:
    return SUMMARIES[category](person, today or timezone.localdate())

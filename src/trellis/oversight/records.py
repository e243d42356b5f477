"""Read what the dashboards measure, as core.quality's records, in a few queries per dashboard.

People are keyed by their database id as text: it stays in this process and is never shown.
The filters: a program (the person's, or the episode's for retention) and a date range on the
date each record is about (plan or deviation made, intake completed, admission, score taken,
visit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from trellis.assessments.models import Intake, IntakeStatus, PlacementOverride, Score
from trellis.core import quality
from trellis.core.demographics import Groups
from trellis.oversight.models import Visit
from trellis.people.demographics import groups_by_person
from trellis.people.models import Episode, Person, Program
from trellis.plans.models import Plan, PlanDeviation

SCALES = {
    instrument: [s for i, s in quality.OUTCOME_SCALES if i == instrument]
    for instrument, _ in quality.OUTCOME_SCALES
}


@dataclass(frozen=True)
class Filters:
    program: Program | None = None
    date_from: date | None = None
    date_to: date | None = None

    def apply(self, rows: QuerySet[Any], day: str, person: str = "person") -> QuerySet[Any]:
        """Filter `rows` by the program of `person` and the range on the date field `day`."""
        if self.program is not None:
            rows = rows.filter(**{f"{person}__program": self.program})
        if self.date_from is not None:
            rows = rows.filter(**{f"{day}__gte": self.date_from})
        if self.date_to is not None:
            rows = rows.filter(**{f"{day}__lte": self.date_to})
        return rows

    def as_detail(self) -> dict[str, str]:
        return {
            "program": str(self.program.pk) if self.program else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }


def clinician_name(user: Any) -> str:
    return user.get_full_name() or user.username


def fidelity(filters: Filters) -> tuple[list[quality.PlanAuthored], list[quality.Deviation]]:
    plans = filters.apply(Plan.objects.select_related("created_by"), "created__date")
    deviations = filters.apply(
        PlanDeviation.objects.select_related("by", "plan").order_by("created", "pk"),
        "created__date",
        person="plan__person",
    )
    return (
        [quality.PlanAuthored(clinician_name(p.created_by), str(p.person_id)) for p in plans],
        [
            quality.Deviation(
                clinician_name(d.by), str(d.plan.person_id), d.code, d.action, d.reason
            )
            for d in deviations
        ],
    )


def placements(filters: Filters) -> list[quality.Placed]:
    """Each person's latest completed intake in range, its author, and the plans to compare."""
    intakes = filters.apply(
        Intake.objects.filter(status=IntakeStatus.COMPLETED, result__isnull=False)
        .select_related("created_by")
        .order_by("person_id", "-completed_at", "-pk"),
        "completed_at__date",
    )
    latest: dict[int, Intake] = {}
    for intake in intakes:
        latest.setdefault(intake.person_id, intake)
    overridden = set(
        PlacementOverride.objects.filter(intake__in=latest.values()).values_list(
            "intake_id", flat=True
        )
    )
    current = _current_plans(latest)
    return [
        quality.Placed(
            str(person),
            clinician_name(intake.created_by),
            intake.result["placement"]["level"],
            quality.top_dimensions({d["n"]: d["risk"] for d in intake.result["dimensions"]}),
            intake.pk in overridden,
            _codes(current.get(person, intake.result)),
            _codes(intake.result),
        )
        for person, intake in latest.items()
    ]


def _current_plans(latest: dict[int, Intake]) -> dict[int, dict[str, Any]]:
    current: dict[int, dict[str, Any]] = {}
    for plan in Plan.objects.filter(person_id__in=latest).order_by("person_id", "-version"):
        current.setdefault(plan.person_id, plan.document)
    return current


def _codes(document: dict[str, Any]) -> frozenset[str]:
    return frozenset(i["code"] for i in document.get("interventions") or ())


def episodes(filters: Filters) -> list[quality.EpisodeRecord]:
    rows = filters.apply(Episode.objects.all(), "admitted_on", person="person")
    if filters.program is not None:
        rows = rows.filter(program=filters.program)
    return [
        quality.EpisodeRecord(str(e.person_id), e.admitted_on, e.discharged_on, e.discharge_reason)
        for e in rows
    ]


def scores(filters: Filters) -> list[quality.ScoreRecord]:
    rows = filters.apply(
        Score.objects.filter(entered_in_error=False, instrument__in=SCALES).only(
            "person_id", "instrument", "taken_at", "total", "subscales"
        ),
        "taken_at__date",
    )
    out = []
    for s in rows:
        for scale in SCALES[s.instrument]:
            value = s.total if scale == quality.TOTAL else (s.subscales or {}).get(scale)
            if value is not None:
                on = timezone.localdate(s.taken_at)
                out.append(quality.ScoreRecord(str(s.person_id), s.instrument, scale, on, value))
    return out


def visits(filters: Filters) -> list[quality.VisitRecord]:
    rows = filters.apply(Visit.objects.all(), "on")
    return [quality.VisitRecord(str(v.person_id), v.kind, v.on, v.status) for v in rows]


def groups(filters: Filters, today: date) -> dict[str, Groups]:
    people = Person.objects.all()
    if filters.program is not None:
        people = people.filter(program=filters.program)
    return {str(pk): g for pk, g in groups_by_person(people, today).items()}

"""What the caseload dashboard and the progress page show, read in a few queries per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from trellis.alerts.models import Alert
from trellis.assessments.models import Score
from trellis.core import charts
from trellis.core import monitoring as core
from trellis.core.instruments import instrument
from trellis.core.reliable_change import has_figures, reliable_change
from trellis.monitoring import actions, batch
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn

SPARK_DAYS = 30
SEVERITY_RANK = {s: n for n, s in enumerate(core.SEVERITY_ORDER)}
# The measures the progress page charts, with their y range and ticks.
CHARTED = {"phq9": (0, 27, (0, 5, 10, 15, 20, 27)), "gad7": (0, 21, (0, 5, 10, 15, 21))}


@dataclass
class CaseRow:
    person: Person
    level: str
    alerts: list[Alert]
    last_checkin: date | None
    last_contact: date | None
    next_review: date | None
    due: list[core.Due]
    craving_spark: str = ""
    phq9_spark: str = ""
    today: date = field(default_factory=timezone.localdate)

    @property
    def risk(self) -> tuple[int, int, int, int]:
        counts = [0, 0, 0, 0]
        for alert in self.alerts:
            counts[SEVERITY_RANK.get(alert.severity, 3)] += 1
        return (counts[0], counts[1], counts[2], counts[3])

    @property
    def days_since_checkin(self) -> int | None:
        return None if self.last_checkin is None else (self.today - self.last_checkin).days

    @property
    def overdue(self) -> list[core.Due]:
        return [d for d in self.due if d.overdue]

    @property
    def top_severity(self) -> str:
        return self.alerts[0].severity if self.alerts else ""


@dataclass(frozen=True)
class Filters:
    severity: str = ""  # at least this severe an unresolved alert
    overdue: bool = False
    level: str = ""
    name: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        severity = query.get("severity", "")
        return cls(
            severity=severity if severity in SEVERITY_RANK else "",
            overdue=query.get("overdue") == "1",
            level=query.get("level", "")[:4],
            name=query.get("name", "").strip()[:80],
        )

    def keep(self, row: CaseRow) -> bool:
        if self.severity and not any(
            SEVERITY_RANK[a.severity] <= SEVERITY_RANK[self.severity] for a in row.alerts
        ):
            return False
        if self.overdue and not row.overdue:
            return False
        if self.level and row.level != self.level:
            return False
        return not self.name or self.name.lower() in row.person.full_name.lower()


def caseload(people: Iterable[Person], *, today: date, filters: Filters) -> list[CaseRow]:
    """One row per person, riskiest first: urgent alerts, then high…, then longest silence."""
    people = list(people)
    ids = [p.pk for p in people]
    alerts = _by_person(
        Alert.objects.filter(person_id__in=ids)
        .unresolved()
        .select_related("acknowledged_by")
        .order_by("-created"),
    )
    cravings: defaultdict[int, dict[date, int]] = defaultdict(dict)
    for person_id, day, craving in CheckIn.objects.filter(
        person_id__in=ids, day__gte=today - timedelta(days=SPARK_DAYS)
    ).values_list("person_id", "day", "craving"):
        cravings[person_id][day] = craving
    last_checkin = dict(
        CheckIn.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("day"))
        .values_list("person_id", "last")
    )
    last_taken = actions.last_taken_by(ids)
    phq9 = _by_person(
        Score.objects.filter(person_id__in=ids, instrument="phq9", entered_in_error=False)
        .only("person_id", "total", "taken_at")
        .order_by("taken_at")
    )
    plans = batch.current_plans(ids)
    rows = []
    for person in people:
        plan, taken = plans.get(person.pk), last_taken[person.pk]
        contacts = [
            d for d in (last_checkin.get(person.pk), max(taken.values(), default=None)) if d
        ]
        row = CaseRow(
            person=person,
            level=_level(person, plan),
            alerts=sorted(alerts[person.pk], key=lambda a: SEVERITY_RANK.get(a.severity, 3)),
            last_checkin=last_checkin.get(person.pk),
            last_contact=max(contacts) if contacts else None,
            next_review=core.review_on(plan.document) if plan else None,
            due=actions.due(plan, taken, last_checkin.get(person.pk), today=today),
            today=today,
        )
        row.craving_spark = _craving_spark(cravings[person.pk], today)
        row.phq9_spark = _phq9_spark(phq9[person.pk])
        if filters.keep(row):
            rows.append(row)
    return sorted(rows, key=_riskiest)


def _riskiest(row: CaseRow) -> tuple[Any, ...]:
    silence = row.days_since_checkin if row.days_since_checkin is not None else -1
    return (*(-n for n in row.risk), -len(row.overdue), -silence, row.person.full_name)


def _by_person(rows: Iterable[Any]) -> defaultdict[int, list[Any]]:
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


def _level(person: Person, plan: Plan | None) -> str:
    if plan is not None:
        return core.placement_level(plan.document) or plan.level
    episode = person.current_episode()
    return episode.level_of_care if episode else ""


def _craving_spark(by_day: dict[date, int], today: date) -> str:
    if not by_day:
        return ""
    values = [by_day.get(today - timedelta(days=n)) for n in range(SPARK_DAYS - 1, -1, -1)]
    return charts.sparkline(values, low=0, high=10, title="craving, last 30 days")


def _phq9_spark(rows: Sequence[Score]) -> str:
    values = [s.total for s in rows[-8:] if s.total is not None]
    if len(values) < 2:
        return ""
    return charts.sparkline(values, low=0, high=27, title="PHQ-9, last 8 measures")


# The progress page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    taken_on: date
    value: int
    band: str | None
    change: str  # against the previous measure: reliable change, or "" for the first


@dataclass(frozen=True)
class MeasureSeries:
    instrument: str
    name: str
    scale: str
    rows: list[MeasureRow]
    chart: str


def measure_series(person: Person) -> list[MeasureSeries]:
    """Each measure over time with its published bands and reliable change between measures."""
    measures = [actions.measure(s) for s in actions.scores(person)]
    out = []
    for instrument_id in sorted({m.instrument for m in measures}):
        definition = instrument(instrument_id)
        own = [m for m in measures if m.instrument == instrument_id]
        scales = ["total"] if own[0].total is not None else sorted(own[0].subscales)
        for scale in scales:
            series = [
                (m.taken_on, m.total if scale == "total" else m.subscales.get(scale)) for m in own
            ]
            known = [(on, v) for on, v in series if v is not None]
            if known:
                out.append(_series(definition, scale, known))
    return out


def _series(definition: Any, scale: str, known: list[tuple[date, int]]) -> MeasureSeries:
    rows = []
    for n, (on, value) in enumerate(known):
        change = ""
        if n and has_figures(definition.id, scale):
            found = reliable_change(definition.id, known[n - 1][1], value, scale=scale)
            change = f"{found.direction.value} (RCI {found.index:+.2f})"
        band = definition.band_for(value) if scale == "total" else None
        rows.append(MeasureRow(on, value, band, change))
    name = definition.name if scale == "total" else f"{definition.name}: {scale}"
    chart = ""
    if definition.id in CHARTED and scale == "total":
        low, high, ticks = CHARTED[definition.id]
        chart = charts.line_chart(
            [charts.Point(on, v) for on, v in known],
            title=name,
            low=low,
            high=high,
            ticks=ticks,
            bands=[charts.Band(b.low, b.high, b.label) for b in definition.bands],
        )
    return MeasureSeries(definition.id, name, scale, rows, chart)

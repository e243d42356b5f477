"""Quality-oversight measures for supervisors: fidelity, variation, outcomes, access, equity.

Pure: records in, frozen results out, `today` passed in. Definitions and their sources:

Fidelity. Per clinician: plans written (people whose plan has a version the clinician made),
deviations from the knowledge base's plan by action and by code, the deviation rate (the share of
those plans with at least one deviation by the clinician) and the reasons given.

Variation. "Similar profiles" are people with the same recommended level of care and the same set
of dimensions at the highest risk rating in their profile. Within each profile, per clinician (the
intake's author, who placed the person): the placement-override rate, and the plan difference,
the mean Jaccard distance 1 - |A ∩ B| / |A ∪ B| between the intervention codes of the person's
current plan (A) and those of the plan the knowledge base generated from the intake (B); codes
count whatever their status, so a person's own refusal (kept as "declined") is no difference.

Outcomes. Retention at N days (30, 90): of episodes admitted at least N days before `today`, the
share still in care or discharged as completed after at least N days. Change on PHQ-9, GAD-7 and
the BAM: first to latest score per person (people with two scores on different days), mean
change, and the share with reliable improvement (Jacobson & Truax 1991, with the published
figures in knowledge/monitoring.yaml; None where no figures are published, e.g. the BAM's use
subscale).

Access and engagement, as NIATx measures them (the NIATx aims: wait time from first request to
first treatment session, no-shows, continuation from the first to the fourth treatment session;
Quanbeck AR, Gustafson DH, et al. Disseminating quality improvement: study protocol for a large
cluster-randomized trial (NIATx 200). Implementation Science 2011;6:44; McCarty D, Gustafson DH,
et al. The Network for the Improvement of Addiction Treatment (NIATx). Drug Alcohol Depend
2007;88:138-45):
  - days from first contact to the first attended session, and to the first attended medication
    dose (per person, counted from their earliest first contact; events before it are ignored);
  - no-show rate = sessions no-show / (sessions attended + sessions no-show); cancelled ones are
    left out (a cancellation is rescheduled, not missed);
  - continuation = people with a 4th attended session / people with a 1st attended session, among
    those whose first attended session is at least CONTINUATION_DAYS before `today`. Trellis
    policy, not a published figure: four weekly sessions span 21 days; one more week allows a
    missed or moved one.

Equity. Each measure by group of each of the six attributes (core.demographics), with the group
n. A group with n below MIN_CELL is shown as suppressed, never as a value: the CMS cell size
suppression policy (no cell of 1 to 10 is reported; CMS, "CMS Cell Size Suppression Policy",
ResDAC, current version 2024-01-26).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean, median
from typing import TYPE_CHECKING

from trellis.core.demographics import ATTRIBUTES, Groups
from trellis.core.errors import InvalidInput
from trellis.core.reliable_change import TOTAL, Direction, has_figures, reliable_change

if TYPE_CHECKING:
    from trellis.core.monitoring import Rules

MIN_CELL = 11  # CMS cell size suppression policy: a cell of 1 to 10 is never shown
CONTINUATION_DAYS = 28  # Trellis policy (see the module docstring)
RETENTION_DAYS = (30, 90)
VISIT_KINDS = ("first_contact", "session", "medication_dose")
VISIT_STATUSES = ("attended", "no_show", "cancelled")
# The scales outcomes report: PHQ-9 and GAD-7 totals; the BAM use subscale (items 4+5+6, as the
# monitoring code scores it) and its days of alcohol use (item 4, the BAM figure with published
# reliable-change figures and a good test-retest ICC).
OUTCOME_SCALES = (
    ("phq9", TOTAL),
    ("gad7", TOTAL),
    ("bam", "use"),
    ("bam", "alcohol_days"),
)


# Records in ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanAuthored:
    clinician: str
    person: str


@dataclass(frozen=True, slots=True)
class Deviation:
    clinician: str
    person: str
    code: str
    action: str  # add | remove | change
    reason: str


@dataclass(frozen=True, slots=True)
class Placed:
    """One person's placement: the intake's author, the profile, and the plans to compare."""

    person: str
    clinician: str
    level: str  # the recommended level
    top_dimensions: frozenset[int]  # dimensions at the highest risk rating
    overridden: bool
    plan_codes: frozenset[str]
    kb_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    person: str
    admitted_on: date
    discharged_on: date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    person: str
    instrument: str
    scale: str
    on: date
    value: float


@dataclass(frozen=True, slots=True)
class VisitRecord:
    person: str
    kind: str
    on: date
    status: str


# Results out --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stat:
    """A value over `n` (people, or episodes for retention); None when nothing to measure."""

    value: float | None
    n: int
    numerator: int | None = None

    @property
    def suppressed(self) -> bool:
        return 0 < self.n < MIN_CELL


@dataclass(frozen=True, slots=True)
class ClinicianFidelity:
    clinician: str
    plans: int
    plans_with_deviation: int
    deviations: int
    by_action: Mapping[str, int]
    by_code: Mapping[str, int]
    reasons: tuple[Deviation, ...]

    @property
    def rate(self) -> float | None:
        return self.plans_with_deviation / self.plans if self.plans else None


@dataclass(frozen=True, slots=True)
class VariationCell:
    level: str
    top_dimensions: tuple[int, ...]
    clinician: str
    people: int
    overrides: int
    plan_distance: float | None

    @property
    def override_rate(self) -> float | None:
        return self.overrides / self.people if self.people else None


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    instrument: str
    scale: str
    n: int
    mean_change: float | None
    reliably_improved: int | None  # None: no published reliable-change figures for the scale

    @property
    def improved_share(self) -> float | None:
        if self.reliably_improved is None or not self.n:
            return None
        return self.reliably_improved / self.n


@dataclass(frozen=True, slots=True)
class Access:
    days_to_session: Stat  # mean days; the median is in `medians`
    days_to_dose: Stat
    no_show: Stat
    continuation: Stat
    medians: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EquityCell:
    measure: str
    attribute: str
    group: str
    stat: Stat


# Fidelity -----------------------------------------------------------------------------------


def fidelity(
    plans: Iterable[PlanAuthored], deviations: Iterable[Deviation]
) -> list[ClinicianFidelity]:
    """One row per clinician who wrote or changed a plan, in clinician order."""
    written: dict[str, set[str]] = defaultdict(set)
    for p in plans:
        written[p.clinician].add(p.person)
    theirs: dict[str, list[Deviation]] = defaultdict(list)
    for d in deviations:
        theirs[d.clinician].append(d)
        written[d.clinician].add(d.person)  # a deviation is itself a plan version they made
    return [_fidelity_row(c, written[c], theirs[c]) for c in sorted(written)]


def _fidelity_row(clinician: str, people: set[str], rows: list[Deviation]) -> ClinicianFidelity:
    by_action: dict[str, int] = defaultdict(int)
    by_code: dict[str, int] = defaultdict(int)
    for d in rows:
        by_action[d.action] += 1
        by_code[d.code] += 1
    return ClinicianFidelity(
        clinician,
        len(people),
        len({d.person for d in rows}),
        len(rows),
        dict(sorted(by_action.items())),
        dict(sorted(by_code.items())),
        tuple(rows),
    )


# Variation ----------------------------------------------------------------------------------


def jaccard_distance(a: frozenset[str], b: frozenset[str]) -> float:
    """1 - |a ∩ b| / |a ∪ b|; two empty sets are identical (0)."""
    union = a | b
    return 1 - len(a & b) / len(union) if union else 0.0


def top_dimensions(risks: Mapping[int, int]) -> frozenset[int]:
    """The dimensions at the highest risk rating of a profile ({dimension: risk 0-4})."""
    if not risks:
        return frozenset()
    highest = max(risks.values())
    return frozenset(n for n, r in risks.items() if r == highest)


def variation(placed: Iterable[Placed]) -> list[VariationCell]:
    """One cell per (profile, clinician), profiles by level then dimensions."""
    cells: dict[tuple[str, tuple[int, ...], str], list[Placed]] = defaultdict(list)
    for p in placed:
        cells[(p.level, tuple(sorted(p.top_dimensions)), p.clinician)].append(p)
    return [
        VariationCell(
            level,
            dims,
            clinician,
            len(rows),
            sum(r.overridden for r in rows),
            mean(jaccard_distance(r.plan_codes, r.kb_codes) for r in rows),
        )
        for (level, dims, clinician), rows in sorted(cells.items())
    ]


# Outcomes -----------------------------------------------------------------------------------


def retention(episodes: Iterable[EpisodeRecord], days: int, *, today: date) -> Stat:
    """Share of episodes admitted at least `days` before `today` still in care on `today` or
    discharged as completed after at least `days` days."""
    eligible = [e for e in episodes if e.admitted_on <= today - timedelta(days=days)]
    kept = sum(_retained(e, days, today) for e in eligible)
    return Stat(kept / len(eligible) if eligible else None, len(eligible), kept)


def _retained(episode: EpisodeRecord, days: int, today: date) -> bool:
    if episode.discharged_on is None or episode.discharged_on > today:
        return True
    stayed = (episode.discharged_on - episode.admitted_on).days
    return episode.reason == "completed" and stayed >= days


def score_change(
    scores: Iterable[ScoreRecord],
    instrument: str,
    scale: str = TOTAL,
    *,
    rules: Rules | None = None,
) -> OutcomeChange:
    """First to latest score per person; a positive mean change is a rise in the score."""
    series: dict[str, list[ScoreRecord]] = defaultdict(list)
    for s in scores:
        if s.instrument == instrument and s.scale == scale:
            series[s.person].append(s)
    pairs = [
        (rows[0].value, rows[-1].value)
        for rows in (sorted(r, key=lambda s: s.on) for r in series.values())
        if rows[0].on != rows[-1].on
    ]
    improved = None  # no published figures: no reliable-change share for the scale
    if has_figures(instrument, scale, rules=rules):
        improved = sum(
            reliable_change(instrument, a, b, scale=scale, rules=rules).direction
            is Direction.IMPROVED
            for a, b in pairs
        )
    change = mean(b - a for a, b in pairs) if pairs else None
    return OutcomeChange(instrument, scale, len(pairs), change, improved)


# Access (NIATx) -----------------------------------------------------------------------------


def check_visit(kind: str, status: str, on: date | None, *, today: date) -> None:
    """Raise InvalidInput naming the first bad field of a visit to record."""
    if kind not in VISIT_KINDS:
        raise InvalidInput("kind", "one of " + ", ".join(VISIT_KINDS))
    if status not in VISIT_STATUSES:
        raise InvalidInput("status", "one of " + ", ".join(VISIT_STATUSES))
    if on is None or on > today:
        raise InvalidInput("on", "a date (YYYY-MM-DD) no later than today")


def access(visits: Iterable[VisitRecord], *, today: date) -> Access:
    by_person: dict[str, list[VisitRecord]] = defaultdict(list)
    for v in visits:
        if v.on <= today:
            by_person[v.person].append(v)
    to_session = _waits(by_person, "session")
    to_dose = _waits(by_person, "medication_dose")
    return Access(
        _mean_stat(to_session),
        _mean_stat(to_dose),
        no_show_rate(by_person),
        continuation(by_person, today=today),
        {
            "days_to_session": median(to_session) if to_session else None,
            "days_to_dose": median(to_dose) if to_dose else None,
        },
    )


def _waits(by_person: Mapping[str, list[VisitRecord]], kind: str) -> list[int]:
    waits = []
    for rows in by_person.values():
        contacts = [v.on for v in rows if v.kind == "first_contact" and v.status != "cancelled"]
        if not contacts:
            continue
        first = min(contacts)
        served = [v.on for v in rows if v.kind == kind and v.status == "attended" and v.on >= first]
        if served:
            waits.append((min(served) - first).days)
    return waits


def _mean_stat(values: Sequence[int]) -> Stat:
    return Stat(mean(values) if values else None, len(values))


def no_show_rate(by_person: Mapping[str, list[VisitRecord]]) -> Stat:
    """Sessions missed over sessions attended or missed; n is the people with such sessions."""
    attended = missed = people = 0
    for rows in by_person.values():
        sessions = [v for v in rows if v.kind == "session" and v.status != "cancelled"]
        people += bool(sessions)
        attended += sum(v.status == "attended" for v in sessions)
        missed += sum(v.status == "no_show" for v in sessions)
    total = attended + missed
    return Stat(missed / total if total else None, people, missed)


def continuation(by_person: Mapping[str, list[VisitRecord]], *, today: date) -> Stat:
    cutoff = today - timedelta(days=CONTINUATION_DAYS)
    eligible = fourth = 0
    for rows in by_person.values():
        attended = sorted(v.on for v in rows if v.kind == "session" and v.status == "attended")
        if attended and attended[0] <= cutoff:
            eligible += 1
            fourth += len(attended) >= 4
    return Stat(fourth / eligible if eligible else None, eligible, fourth)


# Equity -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Records:
    """Everything the equity measures read, keyed by person."""

    episodes: Sequence[EpisodeRecord] = ()
    scores: Sequence[ScoreRecord] = ()
    visits: Sequence[VisitRecord] = ()

    def of(self, people: set[str]) -> Records:
        return Records(
            [e for e in self.episodes if e.person in people],
            [s for s in self.scores if s.person in people],
            [v for v in self.visits if v.person in people],
        )


def measures(records: Records, *, today: date, rules: Rules | None = None) -> dict[str, Stat]:
    """Every measure compared across groups, over one group's records (access computed once)."""
    stats = {f"retention_{d}": retention(records.episodes, d, today=today) for d in RETENTION_DAYS}
    for instrument, scale in OUTCOME_SCALES:
        name = instrument if scale == TOTAL else f"{instrument}_{scale}"
        change = score_change(records.scores, instrument, scale, rules=rules)
        stats[f"change_{name}"] = Stat(change.mean_change, change.n)
    found = access(records.visits, today=today)
    stats["days_to_session"] = found.days_to_session
    stats["days_to_dose"] = found.days_to_dose
    stats["no_show_rate"] = found.no_show
    stats["continuation"] = found.continuation
    return stats


def equity(
    groups: Mapping[str, Groups],
    records: Records,
    *,
    today: date,
    rules: Rules | None = None,
) -> list[EquityCell]:
    """Each measure for each group of each attribute; groups in name order."""
    cells = []
    for attribute in ATTRIBUTES:
        members: dict[str, set[str]] = defaultdict(set)
        for person, g in groups.items():
            members[getattr(g, attribute)].add(person)
        for group in sorted(members):
            stats = measures(records.of(members[group]), today=today, rules=rules)
            cells.extend(EquityCell(name, attribute, group, stat) for name, stat in stats.items())
    return cells

"""Measurement-based care for one person: read their history, raise what it signals, propose
stepped care, and let a clinician accept or reject a proposal. Every write is audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from trellis.alerts.actions import raise_alert, resolve_alert
from trellis.alerts.models import Alert
from trellis.assessments.models import Score
from trellis.audit import log as audit
from trellis.core import monitoring as core
from trellis.core import stepped_care
from trellis.core.errors import InvalidInput
from trellis.core.reliable_change import has_figures, reliable_change
from trellis.knowledge.interventions import knowledge_base
from trellis.monitoring.models import Proposal, ProposalStatus
from trellis.people.models import Person
from trellis.plans.actions import lock_plans, new_version
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn, Goal, GoalStatus

HISTORY_DAYS = 90  # check-ins read for an evaluation: the look-back and the weeks before it
ACTIVE = ("recommended", "consider")
TAKEN = "The re-assessment was taken; nothing more is due."  # resolves a met deadline


@dataclass(frozen=True)
class History:
    """What monitoring reads about one person, as the core's values."""

    checkins: list[core.DayCheckIn]
    measures: list[core.Measure]
    goals: list[core.GoalState]
    plan: Plan | None
    last_taken: dict[str, date]


def history(person: Person, *, today: date) -> History:
    since = today - timedelta(days=HISTORY_DAYS)
    checkins = [
        core.DayCheckIn(c.day, c.craving, c.mood, c.used, c.self_harm)
        for c in CheckIn.objects.filter(person=person, day__gte=since).order_by("day")
    ]
    measures = [measure(s) for s in scores(person)]
    plan = Plan.objects.filter(person=person).current()
    return History(checkins, measures, goal_states(person, plan), plan, last_taken(measures))


def last_taken(measures: Iterable[core.Measure]) -> dict[str, date]:
    """When each instrument was last taken."""
    last: dict[str, date] = {}
    for m in measures:
        last[m.instrument] = max(m.taken_on, last.get(m.instrument, m.taken_on))
    return last


def scores(person: Person) -> list[Score]:
    return list(
        Score.objects.filter(person=person, entered_in_error=False).order_by("taken_at", "pk")
    )


def measure(score: Score) -> core.Measure:
    """The score as a measure. Its suicide flags are left out: storing the score already raised
    the urgent alert for it, in the same request (assessments.actions)."""
    return as_measure(score.instrument, score.taken_at, score.total, score.subscales)


def as_measure(
    instrument: str, taken_at: datetime, total: int | None, subscales: Mapping[str, int] | None
) -> core.Measure:
    """A score's columns as a measure (see `measure`)."""
    return core.Measure(instrument, timezone.localdate(taken_at), total, dict(subscales or {}))


def goal_states(person: Person, plan: Plan | None) -> list[core.GoalState]:
    """The person's active goals with their latest progress and the progress when the plan began."""
    started = plan.created if plan is not None else None
    return [
        goal_state(str(goal.public_id), goal.due, _marks(goal), started)
        for goal in Goal.objects.filter(person=person, status=GoalStatus.ACTIVE).prefetch_related(
            "progress"
        )
    ]


class Mark(NamedTuple):
    """One recorded progress of a goal."""

    on: date
    created: datetime
    percent: int


def goal_state(
    goal_id: str, due: date, marks: Sequence[Mark], started: datetime | None
) -> core.GoalState:
    """The goal with its latest progress and its progress when the plan began (`started`)."""
    at_start = latest_mark(marks, until=started) if started is not None else None
    return core.GoalState(goal_id, due, latest_mark(marks), at_start)


def latest_percent(goal: Goal, *, until: datetime | None = None) -> int | None:
    """The goal's latest recorded progress, or the latest recorded by `until` (from prefetched
    progress rows); None when there is none."""
    return latest_mark(_marks(goal), until=until)


def latest_mark(marks: Sequence[Mark], *, until: datetime | None = None) -> int | None:
    """`latest_percent` over marks in the progress rows' own order (newest day first): the
    sort is stable, so that order decides between marks of the same day and time."""
    ordered = sorted(marks, key=lambda m: (m.on, m.created))
    if until is not None:
        ordered = [m for m in ordered if m.created <= until]
    return ordered[-1].percent if ordered else None


def _marks(goal: Goal) -> list[Mark]:
    return [Mark(p.on, p.created, p.percent) for p in goal.progress.all()]


def evaluate(person: Person, *, today: date | None = None, by: Any = None) -> list[Alert]:
    """Raise an alert for every signal in the person's history; the same event never twice.

    Also files a stepped-care proposal when a rule asks for one. Returns the alerts raised now
    or before for the signals found.
    """
    today = today or timezone.localdate()
    seen = history(person, today=today)
    found = signals(seen, today=today)
    alerts = [_raise(person, signal, by) for signal in found]
    _close_met_deadlines(person, {s.event_key for s in found}, by)
    if seen.plan is not None:
        propose(person, seen, today=today, by=by)
    return alerts


def signals(seen: History, *, today: date) -> list[core.Signal]:
    """Every signal the person's history raises (core.monitoring.signals)."""
    return core.signals(
        checkins=seen.checkins,
        measures=seen.measures,
        goals=seen.goals,
        plan=seen.plan.document if seen.plan else None,
        last_taken=seen.last_taken,
        today=today,
    )


def _close_met_deadlines(person: Person, current: set[str], by: Any) -> None:
    """An overdue re-assessment that has since been taken no longer needs anyone: resolve it."""
    for alert in Alert.objects.filter(
        person=person, kind=core.SignalKind.OVERDUE_REASSESSMENT
    ).unresolved():
        if alert.event_key not in current:
            resolve_alert(alert, by=by, note=TAKEN)


def on_checkin(row: CheckIn, *, by: Any) -> list[Alert]:
    """What a new check-in raises at once, in the request that stores it (self-harm: urgent)."""
    earlier = CheckIn.objects.filter(
        person=row.person, day__lt=row.day, day__gte=row.day - timedelta(days=HISTORY_DAYS)
    ).order_by("day")
    found = core.checkin_signals(
        core.DayCheckIn(row.day, row.craving, row.mood, row.used, row.self_harm),
        [core.DayCheckIn(c.day, c.craving, c.mood, c.used, c.self_harm) for c in earlier],
    )
    return [_raise(row.person, signal, by) for signal in found]


def _raise(person: Person, signal: core.Signal, by: Any) -> Alert:
    return raise_alert(
        person,
        kind=signal.kind.value,
        severity=signal.severity,
        reasons=list(signal.reasons),
        event_key=signal.event_key,
        by=by,
    )


def schedule(person: Person, *, today: date | None = None) -> list[core.Due]:
    """What is due for the person under their current plan (empty without a plan)."""
    today = today or timezone.localdate()
    plan = Plan.objects.filter(person=person).current()
    if plan is None:
        return []
    last_checkin = CheckIn.objects.filter(person=person).aggregate(last=Max("day"))["last"]
    return due(plan, last_taken_by([person.pk])[person.pk], last_checkin, today=today)


def due(
    plan: Plan | None, last_taken: Mapping[str, date], last_checkin: date | None, *, today: date
) -> list[core.Due]:
    """What is due under `plan` (empty without one), given the day each instrument was last
    taken and the day of the latest check-in, without reading the person's history. A check-in
    older than the history's HISTORY_DAYS counts as none, as in the history."""
    if plan is None:
        return []
    last = dict(last_taken)
    if last_checkin is not None and last_checkin >= today - timedelta(days=HISTORY_DAYS):
        last[core.CHECKIN] = last_checkin
    return core.schedule(plan.document, last, today=today)


def last_taken_by(ids: Iterable[int]) -> defaultdict[int, dict[str, date]]:
    """`last_taken` of the measures of each of the people `ids`, in one query."""
    rows = (
        Score.objects.filter(person_id__in=ids, entered_in_error=False)
        .values("person_id", "instrument")
        .annotate(last=Max("taken_at"))
        .values_list("person_id", "instrument", "last")
        .order_by()
    )
    out: defaultdict[int, dict[str, date]] = defaultdict(dict)
    for person_id, instrument, taken_at in rows:
        out[person_id][instrument] = timezone.localdate(taken_at)
    return out


# Stepped care ---------------------------------------------------------------------------------


def progress(person: Person, seen: History, *, today: date) -> stepped_care.Progress:
    open_kinds = Alert.objects.filter(person=person).unresolved().values_list("kind", flat=True)
    return progress_with(seen, open_kinds, today=today)


def progress_with(
    seen: History, open_kinds: Iterable[str], *, today: date
) -> stepped_care.Progress:
    """The person's progress, given the kinds of their unresolved alerts."""
    assert seen.plan is not None
    document = seen.plan.document
    interventions = document.get("interventions") or []
    month = [c for c in seen.checkins if c.day > today - timedelta(days=30)]
    return stepped_care.Progress(
        today=today,
        plan_started_on=timezone.localdate(seen.plan.created),
        level=stepped_care.current_level(document),
        active=tuple(i["code"] for i in interventions if i.get("status") in ACTIVE),
        declined=tuple(i["code"] for i in interventions if i.get("status") == "declined"),
        measures=tuple(_changes(seen.measures, since=timezone.localdate(seen.plan.created))),
        days_used_past_30=sum(c.used for c in month) if month else None,
        checkins_past_30=len(month),
        open_alert_kinds=tuple(sorted(set(open_kinds))),
        goals_stalled=any(
            s.kind is core.SignalKind.GOALS_STALLED
            for s in core.signals(
                checkins=[],
                measures=[],
                goals=seen.goals,
                plan=document,
                last_taken=seen.last_taken,
                today=today,
            )
        ),
    )


def _changes(measures: list[core.Measure], *, since: date) -> list[stepped_care.MeasureChange]:
    """First and latest of each measure with published reliable-change figures, since `since`
    (the score just before the plan began counts as its baseline)."""
    out = []
    for instrument, scale, name in (
        ("phq9", "total", "phq9"),
        ("gad7", "total", "gad7"),
        ("bam", "use", "bam.use"),
        ("bam", "risk", "bam.risk"),
        ("bam", "protective", "bam.protective"),
        ("bam", "alcohol_days", "bam.alcohol_days"),
        ("bam", "drug_days", "bam.drug_days"),
        ("bam", "psych_days", "bam.psych_days"),
    ):
        series = [
            (m.taken_on, m.total if scale == "total" else m.subscales.get(scale), m)
            for m in measures
            if m.instrument == instrument
        ]
        series = [(on, v, m) for on, v, m in series if v is not None]
        baseline = [s for s in series if s[0] <= since][-1:]
        window = baseline + [s for s in series if s[0] > since]
        if len(window) < 2 or not has_figures(instrument, scale):
            continue
        (first_on, first, _), (latest_on, latest, last) = window[0], window[-1]
        change = reliable_change(instrument, first, latest, scale=scale)
        out.append(
            stepped_care.MeasureChange(
                name,
                first,
                latest,
                first_on,
                latest_on,
                change.direction.value,
                _band(last, scale),
            )
        )
    return out


def _band(m: core.Measure, scale: str) -> str | None:
    from trellis.core.instruments import instrument

    return instrument(m.instrument).band_for(m.total) if scale == "total" else None


def propose(person: Person, seen: History, *, today: date, by: Any) -> list[Proposal]:
    """File the proposals the stepped-care rules make now (one per rule and plan version)."""
    assert seen.plan is not None
    made = proposals(seen, progress(person, seen, today=today))
    return [_file(person, seen.plan, p, by) for p in made]


def proposals(seen: History, now: stepped_care.Progress) -> list[stepped_care.Proposal]:
    """What the stepped-care rules propose for the person's progress `now`."""
    assert seen.plan is not None
    contraindicated = tuple(
        i["code"]
        for i in seen.plan.document.get("interventions") or []
        if i.get("status") == "contraindicated"
    )
    return stepped_care.propose(now, contraindicated=contraindicated)


def _file(person: Person, plan: Plan, proposal: stepped_care.Proposal, by: Any) -> Proposal:
    existing = Proposal.objects.filter(person=person, key=proposal.key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = new_proposal(person, plan, proposal)
            row.save(force_insert=True)
            audit.record(by, "create", row, detail=filed_detail(row))
    except IntegrityError:  # filed at the same moment by another evaluation
        return Proposal.objects.get(person=person, key=proposal.key)
    return row


def new_proposal(person: Person, plan: Plan, proposal: stepped_care.Proposal) -> Proposal:
    """The proposal row `propose` files, not saved yet (the nightly run files many at once)."""
    return Proposal(
        person=person,
        plan=plan,
        rule_id=proposal.rule_id,
        key=proposal.key,
        changes=[{"action": c.action, "code": c.code, "level": c.level} for c in proposal.changes],
        reasons=list(proposal.reasons),
        source=proposal.source,
    )


def filed_detail(row: Proposal) -> dict[str, object]:
    return {"person": str(row.person.public_id), "rule": row.rule_id}


def as_core(row: Proposal) -> stepped_care.Proposal:
    return stepped_care.Proposal(
        rule_id=row.rule_id,
        changes=tuple(stepped_care.Change(c["action"], c["code"], c["level"]) for c in row.changes),
        reasons=tuple(row.reasons),
        source=row.source,
        key=row.key,
    )


@transaction.atomic
def accept(row: Proposal, *, by: Any) -> Plan:
    """Accept a proposal: the plan's changes become a new plan version."""
    _check_open(row)
    lock_plans(row.person_id)
    current = Plan.objects.filter(person=row.person).current()
    if current is None or current.pk != row.plan_id:
        raise InvalidInput(
            "proposal", "a proposal made for the current plan version (the plan has changed since)"
        )
    document = stepped_care.apply(
        current.document, as_core(row), kb=knowledge_base(), today=timezone.localdate()
    )
    plan = new_version(row.person, document, by=by, change=f"stepped care: {row.rule_id}")
    row.status, row.new_plan = ProposalStatus.ACCEPTED, plan
    _decided(row, by, "")
    return plan


@transaction.atomic
def reject(row: Proposal, *, by: Any, reason: str) -> Proposal:
    _check_open(row)
    if not reason.strip():
        raise InvalidInput("reason", "why the proposal is rejected")
    row.status = ProposalStatus.REJECTED
    _decided(row, by, reason.strip())
    return row


def _check_open(row: Proposal) -> None:
    if row.status != ProposalStatus.PROPOSED:
        raise InvalidInput("proposal", "a proposal that is still waiting for a decision")


def _decided(row: Proposal, by: Any, reason: str) -> None:
    row.decided_by, row.decided_at, row.decision_reason = by, timezone.now(), reason
    row.save(update_fields=["status", "new_plan", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        by,
        "update",
        row,
        detail={"person": str(row.person.public_id), "decision": row.status},
    )

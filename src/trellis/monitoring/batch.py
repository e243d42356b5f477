"""Evaluate many people at once, as the nightly run does: the reads, rules and writes of
`actions.evaluate` for each person, in about twenty queries a batch instead of twenty a person.

The history is read as columns, not model rows, so nothing encrypted that the rules do not use
is decrypted. What to raise, resolve and propose is decided by the functions the per-person
evaluation uses. The new alerts and proposals are then stored in one short transaction, their
audit entries in one stretch of the chain. tests/web/monitoring/test_nightly.py holds the result
to the per-person evaluation's.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from trellis.alerts.actions import created_detail, new_alert, resolve_alert
from trellis.alerts.models import Alert
from trellis.assessments.models import Score
from trellis.audit import log as audit
from trellis.core import monitoring as core
from trellis.core import stepped_care
from trellis.monitoring import actions
from trellis.monitoring.actions import History
from trellis.monitoring.models import Proposal
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn, Goal, GoalProgress, GoalStatus

log = logging.getLogger(__name__)


@dataclass
class Known:
    """What is stored for a person before the evaluation."""

    alerts: set[str] = field(default_factory=set)  # event keys of every alert raised
    unresolved: dict[int, tuple[str, str]] = field(default_factory=dict)  # pk: (kind, event key)
    proposals: set[str] = field(default_factory=set)  # keys of every proposal filed


@dataclass(frozen=True, slots=True)
class Decision:
    """What the evaluation of one person stores: as `actions.evaluate` would, without the rows
    that already exist."""

    person: Person
    plan: Plan | None
    alerts: list[core.Signal]  # to raise
    resolve: list[int]  # overdue re-assessment alerts whose measure has been taken
    proposals: list[stepped_care.Proposal]  # to file


def evaluate_many(ids: Sequence[int], *, today: date, by: Any) -> tuple[int, int]:
    """Evaluate the people `ids` as `actions.evaluate` evaluates each one; return the number of
    alerts raised and of evaluations that failed."""
    try:
        decisions, failed = decide_all(ids, today=today)
        return store(decisions, by=by), failed
    except Exception:
        # Nothing of the batch was stored (one transaction). Most likely a request raised one of
        # these alerts since they were read; maybe a bad record. One by one, each person's
        # evaluation stands or fails alone, as it always did.
        log.warning("nightly batch of %d people evaluated one by one", len(ids), exc_info=True)
        return evaluate_each(ids, today=today, by=by)


def evaluate_each(ids: Sequence[int], *, today: date, by: Any) -> tuple[int, int]:
    """`actions.evaluate` for each person; the same count as `evaluate_many`."""
    alerts = Alert.objects.filter(person_id__in=ids)
    before, failed = alerts.count(), 0
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        try:
            actions.evaluate(person, today=today, by=by)
        except Exception:  # one person's bad record must not stop everyone else's night
            log.exception("nightly evaluation failed for person %s", person.public_id)
            failed += 1
    return alerts.count() - before, failed


def decide_all(ids: Sequence[int], *, today: date) -> tuple[list[Decision], int]:
    """Decide for each person; return the decisions and the number of evaluations that failed
    (each one logged)."""
    seen, known = histories(ids, today=today), _known(ids)
    decisions: list[Decision] = []
    failed = 0
    for person in Person.objects.filter(pk__in=ids).only("public_id").order_by("pk"):
        decision = None
        try:
            decision = decide(person, seen[person.pk], known[person.pk], today=today)
            decision = with_proposals(decision, seen[person.pk], known[person.pk], today=today)
        except Exception:  # one person's bad record must not stop everyone else's night
            log.exception("nightly evaluation failed for person %s", person.public_id)
            failed += 1
        # The alerts of a person whose proposals failed are raised, as `evaluate` raises them
        # before it proposes: a bad plan must not hide a signal.
        if decision is not None:
            decisions.append(decision)
    return decisions, failed


def decide(person: Person, seen: History, known: Known, *, today: date) -> Decision:
    """The alerts `actions.evaluate` would raise for the person and resolve."""
    found = actions.signals(seen, today=today)
    current = {s.event_key for s in found}
    met = [
        pk
        for pk, (kind, key) in known.unresolved.items()
        if kind == core.SignalKind.OVERDUE_REASSESSMENT and key not in current
    ]
    new = [s for s in found if s.event_key not in known.alerts]
    return Decision(person, seen.plan, new, met, [])


def with_proposals(decision: Decision, seen: History, known: Known, *, today: date) -> Decision:
    """The decision with the proposals `actions.evaluate` would file next."""
    if seen.plan is None:
        return decision
    # The kinds `actions.progress` reads once the decision's alerts are raised and resolved.
    kinds = [kind for pk, (kind, _) in known.unresolved.items() if pk not in decision.resolve]
    kinds += [s.kind.value for s in decision.alerts]
    made = _first_of_each_key(
        actions.proposals(seen, actions.progress_with(seen, kinds, today=today))
    )
    return replace(decision, proposals=[p for p in made if p.key not in known.proposals])


def _first_of_each_key(made: Iterable[stepped_care.Proposal]) -> list[stepped_care.Proposal]:
    # Filed one after the other, a second proposal with the same key finds the first.
    unique: dict[str, stepped_care.Proposal] = {}
    for proposal in made:
        unique.setdefault(proposal.key, proposal)
    return list(unique.values())


# Storing ---------------------------------------------------------------------------------------


@transaction.atomic
def store(decisions: Sequence[Decision], *, by: Any) -> int:
    """Store the decisions with their audit entries; return the number of alerts raised.

    Everything is decided before this transaction starts: it holds the audit chain's head, which
    every audited request waits for, only while it writes.
    """
    alerts = [
        new_alert(
            d.person,
            kind=s.kind.value,
            severity=s.severity,
            reasons=list(s.reasons),
            event_key=s.event_key,
        )
        for d in decisions
        for s in d.alerts
    ]
    Alert.objects.bulk_create(alerts)
    audit.record_many(by, "create", [(alert, created_detail(alert)) for alert in alerts])
    met = [pk for d in decisions for pk in d.resolve]
    for alert in Alert.objects.filter(pk__in=met).unresolved().select_related("person"):
        resolve_alert(alert, by=by, note=actions.TAKEN)
    rows = [
        actions.new_proposal(d.person, d.plan, p) for d in decisions if d.plan for p in d.proposals
    ]
    Proposal.objects.bulk_create(rows)
    audit.record_many(by, "create", [(row, actions.filed_detail(row)) for row in rows])
    return len(alerts)


# Reading ---------------------------------------------------------------------------------------


def histories(ids: Sequence[int], *, today: date) -> dict[int, History]:
    """`actions.history` of each of the people `ids`, in five queries."""
    checkins, measures, plans = _checkins(ids, today), _measures(ids), current_plans(ids)
    goals = _goals(ids, plans)
    return {
        pk: History(
            checkins[pk], measures[pk], goals[pk], plans.get(pk), actions.last_taken(measures[pk])
        )
        for pk in ids
    }


def _checkins(ids: Sequence[int], today: date) -> dict[int, list[core.DayCheckIn]]:
    since = today - timedelta(days=actions.HISTORY_DAYS)
    rows = CheckIn.objects.filter(person_id__in=ids, day__gte=since).order_by("person_id", "day")
    out: dict[int, list[core.DayCheckIn]] = defaultdict(list)
    for person_id, *values in rows.values_list(
        "person_id", "day", "craving", "mood", "used", "self_harm"
    ):
        out[person_id].append(core.DayCheckIn(*values))
    return out


def _measures(ids: Sequence[int]) -> dict[int, list[core.Measure]]:
    rows = Score.objects.filter(person_id__in=ids, entered_in_error=False).order_by(
        "person_id", "taken_at", "pk"
    )
    out: dict[int, list[core.Measure]] = defaultdict(list)
    for person_id, *columns in rows.values_list(
        "person_id", "instrument", "taken_at", "total", "subscales"
    ):
        out[person_id].append(actions.as_measure(*columns))
    return out


def current_plans(ids: Sequence[int]) -> dict[int, Plan]:
    """Each person's current plan version."""
    newer = Plan.objects.filter(person_id=OuterRef("person_id"), version__gt=OuterRef("version"))
    return {p.person_id: p for p in Plan.objects.filter(~Exists(newer), person_id__in=ids)}


def _goals(ids: Sequence[int], plans: dict[int, Plan]) -> dict[int, list[core.GoalState]]:
    marks: dict[int, list[actions.Mark]] = defaultdict(list)
    # In the order of the goal's progress rows, which decides ties (actions.latest_mark).
    for goal_id, *mark in (
        GoalProgress.objects.filter(goal__person_id__in=ids, goal__status=GoalStatus.ACTIVE)
        .order_by("-on", "-pk")
        .values_list("goal_id", "on", "created", "percent")
    ):
        marks[goal_id].append(actions.Mark(*mark))
    out: dict[int, list[core.GoalState]] = defaultdict(list)
    for pk, person_id, public_id, due in (
        Goal.objects.filter(person_id__in=ids, status=GoalStatus.ACTIVE)
        .order_by("person_id", "due", "pk")
        .values_list("pk", "person_id", "public_id", "due")
    ):
        plan = plans.get(person_id)
        started = plan.created if plan is not None else None
        out[person_id].append(actions.goal_state(str(public_id), due, marks[pk], started))
    return out


def _known(ids: Sequence[int]) -> dict[int, Known]:
    known: dict[int, Known] = defaultdict(Known)
    alerts = Alert.objects.filter(person_id__in=ids).order_by()
    for person_id, pk, key, kind, resolved in alerts.values_list(
        "person_id", "pk", "event_key", "kind", "resolved_at"
    ):
        known[person_id].alerts.add(key)
        if resolved is None:
            known[person_id].unresolved[pk] = (kind, key)
    proposals = Proposal.objects.filter(person_id__in=ids).order_by()
    for person_id, key in proposals.values_list("person_id", "key"):
        known[person_id].proposals.add(key)
    return known

"""The report of an allocation for a supervisor: who goes where and why, who waits and for about
how long, the need left unmet, and fairness metrics by group; and the three policies side by side.

Fairness metrics are computed with fairlearn's MetricFrame (selection_rate for the placement
rate, placed = the prediction; custom metrics for mean wait and mean travel over the placed).
Pure: the caller passes `today` and the programs' turnover; nothing is read or stored.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate
from numpy.typing import NDArray

from trellis.core.allocation import POLICIES, check_floor
from trellis.core.allocation.document import Allocation, build
from trellis.core.allocation.policies import Situation
from trellis.core.allocation.records import GROUP_ATTRIBUTES, LEVELS, Policy, Program, Request

DIGITS = 6
METRICS = ("placement_rate", "mean_wait_days", "mean_travel_km")


@dataclass(frozen=True, slots=True)
class Placement:
    request: str
    program: str
    distance_km: float
    why: tuple[str, ...]  # short English reasons, one per condition of an appropriate placement


@dataclass(frozen=True, slots=True)
class Waiting:
    request: str
    reason: str
    need_weight: float
    days_waited: int
    expected_wait_days: float | None  # an estimate; see expected_waits


@dataclass(frozen=True, slots=True)
class Unmet:
    count: int
    need: float
    by_level: Mapping[str, tuple[int, float]]  # level -> (count, need), levels in LEVELS order


@dataclass(frozen=True, slots=True)
class GroupFigures:
    members: int
    placed: int
    placement_rate: float
    mean_wait_days: float | None  # None: nobody in the group placed
    mean_travel_km: float | None


@dataclass(frozen=True, slots=True)
class AttributeFairness:
    groups: Mapping[str, GroupFigures]
    ratios: Mapping[str, float | None]  # metric -> min / max over groups; None when undefined


@dataclass(frozen=True)
class Report:
    policy: Policy
    equity_floor: float
    today: date
    placements: tuple[Placement, ...]
    unplaced: tuple[Waiting, ...]
    unmet: Unmet
    fairness: Mapping[str, AttributeFairness]

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": str(self.policy),
            "equity_floor": self.equity_floor,
            "today": self.today.isoformat(),
            "placements": [
                {
                    "request": p.request,
                    "program": p.program,
                    "distance_km": p.distance_km,
                    "why": list(p.why),
                }
                for p in self.placements
            ],
            "unplaced": [
                {
                    "request": w.request,
                    "reason": w.reason,
                    "need_weight": w.need_weight,
                    "days_waited": w.days_waited,
                    "expected_wait_days": w.expected_wait_days,
                }
                for w in self.unplaced
            ],
            "unmet": {
                "count": self.unmet.count,
                "need": self.unmet.need,
                "by_level": {
                    level: {"count": count, "need": need}
                    for level, (count, need) in self.unmet.by_level.items()
                },
            },
            "fairness": {
                attribute: {
                    "groups": {
                        group: {
                            "members": g.members,
                            "placed": g.placed,
                            "placement_rate": g.placement_rate,
                            "mean_wait_days": g.mean_wait_days,
                            "mean_travel_km": g.mean_travel_km,
                        }
                        for group, g in f.groups.items()
                    },
                    "ratios": dict(f.ratios),
                }
                for attribute, f in self.fairness.items()
            },
        }


@dataclass(frozen=True)
class PolicyRun:
    policy: Policy
    allocation: Allocation
    report: Report
    seconds: float  # time to solve, measured for display
    need_placed: float
    people_placed: int
    bound_ratio: float | None  # need placed / LP bound; None for fcfs (no bound)
    worst_ratio: float
    mean_travel_km: float | None  # None: nobody placed

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": str(self.policy),
            "seconds": self.seconds,
            "need_placed": self.need_placed,
            "people_placed": self.people_placed,
            "bound_ratio": self.bound_ratio,
            "worst_ratio": self.worst_ratio,
            "mean_travel_km": self.mean_travel_km,
            "feasible": self.allocation.feasible,
            "allocation": self.allocation.as_dict(),
            "report": self.report.as_dict(),
        }


COMPARED = ("need_placed", "people_placed", "worst_ratio", "mean_travel_km")


@dataclass(frozen=True)
class Comparison:
    equity_floor: float
    today: date
    runs: Mapping[Policy, PolicyRun]  # fcfs, optimal, equitable, in that order
    # policy -> figure (COMPARED) -> its value / fcfs's; None when fcfs's is 0 or missing
    against_fcfs: Mapping[Policy, Mapping[str, float | None]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "equity_floor": self.equity_floor,
            "today": self.today.isoformat(),
            "runs": {str(policy): run.as_dict() for policy, run in self.runs.items()},
            "against_fcfs": {str(p): dict(ratios) for p, ratios in self.against_fcfs.items()},
        }


def report(
    requests: Sequence[Request],
    programs: Sequence[Program],
    allocation: Allocation,
    *,
    today: date,
    turnover_per_week: Mapping[str, float] | None = None,
) -> Report:
    """The report of `allocation` (made from these requests and programs) as of `today`."""
    return _report(Situation(requests, programs), allocation, today, turnover_per_week)


def compare(
    requests: Sequence[Request],
    programs: Sequence[Program],
    *,
    equity_floor: float,
    today: date,
    turnover_per_week: Mapping[str, float] | None = None,
) -> Comparison:
    """fcfs, optimal and equitable (at `equity_floor`) on the same input, each with its report.

    The appropriate pairs are found once; each policy's `seconds` is its solve alone.
    """
    floor = check_floor(equity_floor)
    situation = Situation(requests, programs)
    situation.model  # noqa: B018 - built once, before the clock starts, for every policy
    runs = {}
    for policy in Policy:
        start = time.perf_counter()
        allocation = build(situation, policy, floor, POLICIES[policy](situation, floor))
        seconds = time.perf_counter() - start
        made = _report(situation, allocation, today, turnover_per_week)
        runs[policy] = _run(policy, allocation, made, seconds)
    fcfs = runs[Policy.FCFS]
    against = {
        policy: {name: _over(getattr(run, name), getattr(fcfs, name)) for name in COMPARED}
        for policy, run in runs.items()
        if policy != Policy.FCFS
    }
    return Comparison(floor, today, runs, against)


def _run(policy: Policy, allocation: Allocation, made: Report, seconds: float) -> PolicyRun:
    distances = [a.distance_km for a in allocation.assignments]
    bound = allocation.bound
    return PolicyRun(
        policy=policy,
        allocation=allocation,
        report=made,
        seconds=round(seconds, 3),
        need_placed=allocation.objective,
        people_placed=len(allocation.assignments),
        bound_ratio=_over(allocation.objective, bound),
        worst_ratio=allocation.worst_ratio,
        mean_travel_km=round(math.fsum(distances) / len(distances), 3) if distances else None,
    )


def _over(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, DIGITS)


def _report(
    situation: Situation,
    allocation: Allocation,
    today: date,
    turnover_per_week: Mapping[str, float] | None,
) -> Report:
    requests, programs = situation.requests, situation.programs
    by_request = {r.id: r for r in requests}
    by_program = {p.id: p for p in programs}
    placements = tuple(
        Placement(
            a.request,
            a.program,
            a.distance_km,
            why(by_request[a.request], by_program[a.program], a.distance_km),
        )
        for a in allocation.assignments
    )
    waits = expected_waits(situation, allocation, turnover_per_week)
    unplaced = tuple(
        Waiting(
            u.request,
            u.reason,
            by_request[u.request].need_weight,
            (today - by_request[u.request].waiting_since).days,
            waits.get(u.request),
        )
        for u in allocation.unplaced
    )
    left = [by_request[u.request] for u in allocation.unplaced]
    return Report(
        allocation.policy,
        allocation.equity_floor,
        today,
        placements,
        unplaced,
        _unmet(left),
        fairness(requests, allocation, today),
    )


def why(request: Request, program: Program, distance_km: float) -> tuple[str, ...]:
    """Why the placement is appropriate, one plain sentence per condition of the contract."""
    if program.level == request.level:
        level = f"level {program.level}, the level of care recommended"
    else:
        level = (
            f"level {program.level}, the next more intensive level after the recommended "
            f"{request.level}"
        )
    shared = [x for x in request.languages if x in program.languages]
    languages = f"shared language{'s' if len(shared) > 1 else ''}: {', '.join(shared)}"
    if request.insurance == "none":
        insurance = "accepts people without insurance (free or sliding scale)"
    else:
        insurance = f"accepts {request.insurance} insurance"
    distance = f"{distance_km:g} km away, within the {request.max_travel_km:g} km travel limit"
    return (level, languages, insurance, distance)


def expected_waits(
    situation: Situation,
    allocation: Allocation,
    turnover_per_week: Mapping[str, float] | None,
) -> dict[str, float]:
    """An estimate, in days, of how long each unplaced person may still wait.

    expected_wait_days = position / turnover x 7, where
    - position: the person's place (1 = next) in the queue of the unplaced people who share at
      least one appropriate program with them, ordered by need (highest first), then
      waiting_since (longest first), then id;
    - turnover: the places that free up per week, summed over the person's appropriate programs
      (`turnover_per_week`: program id -> places per week, from the caller's history).
    It assumes the queue keeps this order, every freed place goes to someone in it and nobody
    new arrives ahead: a rough guide, not a promise. A person with no appropriate program, or
    whose programs have no known turnover above 0, has no estimate (left out of the result).
    """
    if not turnover_per_week:
        return {}
    pairs, requests = situation.pairs, situation.requests
    weekly = np.array(
        [max(0.0, float(turnover_per_week.get(p.id, 0.0))) for p in situation.programs]
    )
    unplaced = {u.request for u in allocation.unplaced}
    waiting = [i for i, r in enumerate(requests) if r.id in unplaced]
    waiting.sort(
        key=lambda i: (-requests[i].need_weight, requests[i].waiting_since, requests[i].id)
    )
    starts = np.searchsorted(pairs.request, np.arange(len(requests) + 1))
    queued = [0] * len(situation.programs)  # per program: a bitset of the people queued so far
    result = {}
    for k, i in enumerate(waiting):
        mine = pairs.program[starts[i] : starts[i + 1]].tolist()
        ahead = 0
        for p in mine:
            ahead |= queued[p]
        for p in mine:
            queued[p] |= 1 << k
        turnover = float(weekly[mine].sum()) if mine else 0.0
        if turnover > 0:
            position = ahead.bit_count() + 1
            result[requests[i].id] = round(position / turnover * 7, 1)
    return result


def _unmet(left: Sequence[Request]) -> Unmet:
    by_level = {}
    for level in LEVELS:
        needs = [r.need_weight for r in left if r.level == level]
        if needs:
            by_level[level] = (len(needs), round(math.fsum(needs), DIGITS))
    total = round(math.fsum(r.need_weight for r in left), DIGITS)
    return Unmet(len(left), total, by_level)


def fairness(
    requests: Sequence[Request], allocation: Allocation, today: date
) -> dict[str, AttributeFairness]:
    """Per group attribute present: each group's members, placed, placement rate (fairlearn's
    selection_rate, placed as the prediction), mean wait to `today` and mean travel over its
    placed members, and each metric's ratio min / max over the groups (MetricFrame.ratio())."""
    travel = {a.request: a.distance_km for a in allocation.assignments}
    placed = np.array([r.id in travel for r in requests], dtype=np.int64)
    wait = np.array([(today - r.waiting_since).days for r in requests], dtype=np.float64)
    km = np.array([travel.get(r.id, math.nan) for r in requests], dtype=np.float64)
    result = {}
    for attribute in GROUP_ATTRIBUTES:
        labels = [r.group(attribute) for r in requests]
        rows = np.array([x is not None for x in labels], dtype=bool)
        if rows.any():
            groups = pd.Series([x for x in labels if x is not None], name=attribute, dtype=object)
            result[attribute] = _attribute(groups, placed[rows], wait[rows], km[rows])
    return result


def _attribute(
    groups: pd.Series, placed: NDArray[np.int64], wait: NDArray[Any], km: NDArray[Any]
) -> AttributeFairness:
    frame = MetricFrame(
        metrics={
            "placement_rate": selection_rate,
            "mean_wait_days": _mean_over_placed,
            "mean_travel_km": _mean_over_placed,
        },
        y_true=placed,
        y_pred=placed,
        sensitive_features=groups,
        sample_params={"mean_wait_days": {"values": wait}, "mean_travel_km": {"values": km}},
    )
    table, ratios = frame.by_group, frame.ratio()
    labels = groups.to_numpy()
    figures = {
        str(group): GroupFigures(
            members=int((labels == group).sum()),
            placed=int(placed[labels == group].sum()),
            placement_rate=_value(row["placement_rate"]),
            mean_wait_days=_value(row["mean_wait_days"]),
            mean_travel_km=_value(row["mean_travel_km"]),
        )
        for group, row in table.iterrows()
    }
    return AttributeFairness(figures, {m: _value(ratios[m]) for m in METRICS})


def _mean_over_placed(y_true: Any, y_pred: Any, values: Any) -> float:
    chosen = np.asarray(values, dtype=np.float64)[np.asarray(y_pred) == 1]
    return float(chosen.mean()) if len(chosen) else math.nan


def _value(x: Any) -> Any:
    """A metric as JSON takes it: None for "no value" (NaN), rounded otherwise."""
    x = float(x)
    return None if math.isnan(x) else round(x, DIGITS)

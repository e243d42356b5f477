"""The allocation document of contracts/allocation.md: who goes where, who waits and why,
the need placed against its bound, and the placement rates by group."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from trellis.core.allocation.fairness import ratio, truly_meets
from trellis.core.allocation.pairs import unreachable_reason
from trellis.core.allocation.policies import Outcome, Situation
from trellis.core.allocation.records import Policy
from trellis.core.geo import distance_km

DIGITS = 6  # rates and ratios; distances are given to the metre


@dataclass(frozen=True, slots=True)
class Assignment:
    request: str
    program: str
    distance_km: float


@dataclass(frozen=True, slots=True)
class Unplaced:
    request: str
    reason: str


@dataclass(frozen=True, slots=True)
class Fairness:
    rates: Mapping[str, float]
    ratio: float


@dataclass(frozen=True)
class Allocation:
    policy: Policy
    equity_floor: float
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    objective: float
    bound: float | None
    fairness: Mapping[str, Fairness]
    worst_ratio: float
    feasible: bool
    # equitable: the floor met by the attributes not in floor_dropped (lower when infeasible)
    floor_held: float | None = None
    # equitable: attributes held to no floor because one of their groups cannot be placed at all
    floor_dropped: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The document exactly as contracts/allocation.md lists it, no other keys."""
        return {
            "policy": str(self.policy),
            "equity_floor": self.equity_floor,
            "assignments": [
                {"request": a.request, "program": a.program, "distance_km": a.distance_km}
                for a in self.assignments
            ],
            "unplaced": [{"request": u.request, "reason": u.reason} for u in self.unplaced],
            "objective": self.objective,
            "bound": self.bound,
            "fairness": {
                attribute: {"rates": dict(f.rates), "ratio": f.ratio}
                for attribute, f in self.fairness.items()
            },
            "worst_ratio": self.worst_ratio,
            "feasible": self.feasible,
        }


def build(situation: Situation, policy: Policy, floor: float, outcome: Outcome) -> Allocation:
    placed = situation.placed(outcome.chosen)
    objective = math.fsum(
        r.need_weight for r, p in zip(situation.requests, placed, strict=True) if p
    )
    fairness = _fairness(situation, placed)
    worst = min((f.ratio for f in fairness.values()), default=1.0)
    return Allocation(
        policy=policy,
        equity_floor=floor,
        assignments=_assignments(situation, outcome),
        unplaced=_unplaced(situation, outcome, placed),
        objective=objective,
        bound=_bound(outcome.bound, objective),
        fairness=fairness,
        worst_ratio=worst,
        # fcfs and optimal do not aim at the floor; `feasible` says whether they happen to meet it.
        feasible=truly_meets(situation.indexes, placed, floor) and outcome.floor_met,
        floor_held=outcome.floor_held,
        floor_dropped=outcome.floor_dropped,
    )


def _assignments(situation: Situation, outcome: Outcome) -> tuple[Assignment, ...]:
    pairs = situation.pairs
    chosen = np.flatnonzero(outcome.chosen)  # pairs are in request order
    return tuple(
        Assignment(
            request=situation.requests[r].id,
            program=situation.programs[p].id,
            distance_km=round(
                distance_km(situation.requests[r].location, situation.programs[p].location), 3
            ),
        )
        for r, p in zip(pairs.request[chosen].tolist(), pairs.program[chosen].tolist(), strict=True)
    )


def _unplaced(situation: Situation, outcome: Outcome, placed: np.ndarray) -> tuple[Unplaced, ...]:
    pairs = situation.pairs
    used = np.bincount(pairs.program[outcome.chosen], minlength=len(situation.programs))
    has_room = (situation.catalogue.slots - used > 0)[pairs.program]
    options = np.bincount(pairs.request, minlength=len(situation.requests))
    with_room = np.bincount(pairs.request[has_room], minlength=len(situation.requests))
    return tuple(
        Unplaced(situation.requests[r].id, _reason(situation, r, options[r], with_room[r]))
        for r in np.flatnonzero(~placed).tolist()
    )


def _reason(situation: Situation, request: int, options: int, with_room: int) -> str:
    if not options:
        return unreachable_reason(situation.catalogue, request)
    if with_room:
        return (
            "held back by the equity floor: an appropriate program has a free place, but "
            "placing this person would take a group's placement rate below the floor"
        )
    fit = "1 appropriate program" if options == 1 else f"{options} appropriate programs"
    return f"all appropriate programs full ({fit}, no free place left)"


def _fairness(situation: Situation, placed: np.ndarray) -> dict[str, Fairness]:
    result = {}
    for index in situation.indexes:
        rates = index.rates(placed)
        result[index.attribute] = Fairness(
            rates={g: round(x, DIGITS) for g, x in rates.items()},
            ratio=round(ratio(rates), DIGITS),
        )
    return result


def _bound(bound: float | None, objective: float) -> float | None:
    """The solver's bound, never below the need actually placed: a gap within the solver's
    tolerance is round-off, not room to improve."""
    if bound is None:
        return None
    if bound <= objective + 1e-9 * max(1.0, abs(objective)):
        return objective
    return bound

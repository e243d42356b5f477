"""The three policies of contracts/allocation.md, each choosing among the appropriate pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from trellis.core.allocation import solver
from trellis.core.allocation.fairness import SLACK, GroupIndex, index_groups, truly_meets
from trellis.core.allocation.pairs import Catalogue, Pairs, find_pairs
from trellis.core.allocation.records import Program, Request

# Halvings of the floor when the asked one cannot be met: the floor found is within
# 1/2**7 (under 1%) of the floor asked, below the largest that can be met.
SEARCH_STEPS = 7


@dataclass(frozen=True)
class Outcome:
    chosen: NDArray[np.bool_]  # per pair
    bound: float | None  # linear-relaxation bound of the need placed; None for fcfs
    floor_met: bool = True  # False: only emptying some attribute's groups met the floor asked
    floor_held: float | None = None  # the floor the allocation was held to (equitable)
    floor_dropped: tuple[str, ...] = ()  # attributes held to no floor: a group cannot be placed


class Situation:
    """The requests, the programs, the appropriate pairs between them and the groups."""

    def __init__(self, requests: Sequence[Request], programs: Sequence[Program]) -> None:
        self.requests, self.programs = requests, programs
        self.catalogue = Catalogue(requests, programs)
        self.pairs: Pairs = find_pairs(self.catalogue)
        self.indexes: tuple[GroupIndex, ...] = index_groups(requests, self.eligible)

    @cached_property
    def eligible(self) -> NDArray[np.bool_]:
        """Who has an appropriate program with at least one open place."""
        open_places = self.catalogue.slots[self.pairs.program] > 0
        eligible = np.zeros(len(self.requests), dtype=bool)
        eligible[self.pairs.request[open_places]] = True
        return eligible

    @cached_property
    def model(self) -> solver.Model:
        weight = np.array([r.need_weight for r in self.requests], dtype=np.float64)
        return solver.Model(
            self.pairs,
            weight[self.pairs.request],
            len(self.requests),
            self.catalogue.slots.astype(np.float64),
        )

    def placed(self, chosen: NDArray[np.bool_]) -> NDArray[np.bool_]:
        placed = np.zeros(len(self.requests), dtype=bool)
        placed[self.pairs.request[chosen]] = True
        return placed


def fcfs(situation: Situation, floor: float) -> Outcome:
    """First come, first served: the longest waiting first (same day: the smaller id), each to
    the nearest appropriate program with a free place (same distance: the smaller program id)."""
    pairs, catalogue = situation.pairs, situation.catalogue
    turn = _ranks([(r.waiting_since, r.id) for r in situation.requests])
    program_rank = _ranks([p.id for p in situation.programs])
    order = np.lexsort((program_rank[pairs.program], pairs.distance_km, turn[pairs.request]))
    free = catalogue.slots.tolist()
    placed = [False] * len(situation.requests)
    chosen = np.zeros(len(pairs), dtype=bool)
    request, program = pairs.request.tolist(), pairs.program.tolist()
    for k in order.tolist():
        r, p = request[k], program[k]
        if not placed[r] and free[p] > 0:
            free[p] -= 1
            placed[r] = chosen[k] = True
    return Outcome(chosen, None)


def optimal(situation: Situation, floor: float) -> Outcome:
    """The most need placed (need_weight summed), travel least among the allocations that do."""
    solved = solver.most_need(situation.model)
    return Outcome(fill_free_places(situation, solved.chosen, None), solved.bound)


def equitable(situation: Situation, floor: float) -> Outcome:
    """The most need placed with every group's rate at least `floor` x the best group's.

    Placing nobody always meets a floor; a floor above 0 counts as met only when every
    attribute's groups have someone placed (or nobody in them could be). When a group of an
    attribute cannot be placed at all, only emptying that attribute meets any floor above 0: it
    is held to no floor (`floor_dropped`, not met) and the others to `floor`, with no search.
    When otherwise only emptying meets the floor, the floor is lowered to the largest that a
    real allocation meets (by halving the interval) and that allocation is returned.
    """
    held = tuple(i for i in situation.indexes if floor <= 0 or not i.stuck)
    dropped = tuple(i.attribute for i in situation.indexes if floor > 0 and i.stuck)
    solved = solver.fairest(situation.model, held, floor)
    chosen = fill_free_places(situation, solved.chosen, floor, held)
    if truly_meets(held, situation.placed(chosen), floor):
        return _routed(situation, chosen, solved.bound, floor, dropped)
    lowered, solved = _largest_floor_met(situation, held, floor)
    chosen = fill_free_places(situation, solved.chosen, lowered, held)
    outcome = _routed(situation, chosen, solved.bound, lowered, dropped)
    return replace(outcome, floor_met=False)


def _routed(
    situation: Situation,
    chosen: NDArray[np.bool_],
    bound: float,
    floor: float,
    dropped: tuple[str, ...],
) -> Outcome:
    return Outcome(
        solver.shortest_routes(situation.model, chosen),
        bound,
        floor_met=not dropped,
        floor_held=floor,
        floor_dropped=dropped,
    )


def _largest_floor_met(
    situation: Situation, held: Sequence[GroupIndex], floor: float
) -> tuple[float, solver.Solved]:
    low, high = 0.0, floor
    best = solver.most_need(situation.model)  # a floor of 0 constrains nothing
    for _ in range(SEARCH_STEPS):
        middle = (low + high) / 2
        trial = solver.fairest(situation.model, held, middle)
        if truly_meets(held, situation.placed(trial.chosen), middle):
            low, best = middle, trial
        else:
            high = middle
    return low, best


def fill_free_places(
    situation: Situation,
    chosen: NDArray[np.bool_],
    floor: float | None,
    indexes: Sequence[GroupIndex] = (),
) -> NDArray[np.bool_]:
    """Place anyone left out who has an appropriate program with a free place, most need first,
    if the floor still holds over `indexes`.

    A safety net under the solver's tolerances and gap: at an exact optimum nobody is added. It
    also makes the unplaced reasons true: whoever stays out while a place is free stays out
    because placing them would break the floor.
    """
    pairs, tally = situation.pairs, _Tally(indexes, situation.placed(chosen))
    free = situation.catalogue.slots - np.bincount(
        pairs.program[chosen], minlength=len(situation.programs)
    )
    chosen = chosen.copy()
    starts = np.searchsorted(pairs.request, np.arange(len(situation.requests) + 1))
    for r in _by_need(situation, tally.placed):
        span = np.arange(starts[r], starts[r + 1])
        open_ = span[free[pairs.program[span]] > 0]
        if len(open_) and (floor is None or tally.would_meet(r, floor)):
            k = open_[np.argmin(pairs.distance_km[open_])]
            free[pairs.program[k]] -= 1
            chosen[k] = True
            tally.add(r)
    return chosen


def _by_need(situation: Situation, placed: NDArray[np.bool_]) -> list[int]:
    waiting = np.flatnonzero(situation.eligible & ~placed).tolist()
    return sorted(
        waiting, key=lambda r: (-situation.requests[r].need_weight, situation.requests[r].id)
    )


class _Tally:
    """Placed members per group, updated one person at a time."""

    def __init__(self, indexes: Sequence[GroupIndex], placed: NDArray[np.bool_]) -> None:
        self.indexes, self.placed = indexes, placed.copy()
        self.counts = [index.placed(placed).astype(np.float64) for index in indexes]

    def would_meet(self, request: int, floor: float) -> bool:
        for index, counts in zip(self.indexes, self.counts, strict=True):
            group = index.member_of[request]
            trial = counts.copy()
            if group >= 0:
                trial[group] += 1
            rates = trial / index.sizes
            if rates.max() > 0 and rates.min() / rates.max() < floor - SLACK:
                return False
        return True

    def add(self, request: int) -> None:
        self.placed[request] = True
        for index, counts in zip(self.indexes, self.counts, strict=True):
            if index.member_of[request] >= 0:
                counts[index.member_of[request]] += 1


def _ranks(keys: Sequence[object]) -> NDArray[np.int64]:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys))
    return ranks

"""The optimisation models over the appropriate pairs, solved with HiGHS (see master.py).

One 0-1 variable per appropriate pair (never a dense person x program matrix), one row per person
(placed at most once), one per program (within its open places). Without equity rows this is a
transportation problem: its matrix is totally unimodular, so every vertex of the linear
relaxation is whole, and the simplex answer is the integer optimum and its own bound. The equity
rows break that property; `fairest` says what is done then. Once the need is settled, the least
travel is a flow (routes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trellis.core.allocation.fairness import GroupIndex, level_down, meets_floor
from trellis.core.allocation.master import DUAL, PRICE, Equity, Master, Model
from trellis.core.allocation.routes import least_travel

WHOLE = 1e-6  # a relaxation value this close to 0 or 1 counts as whole
MIP_GAP = 1e-6  # relative gap at which the branch and bound over all pairs may stop
NEIGHBOURHOOD_GAP = 5e-4  # over a neighbourhood: stop within this share of the whole need
NEIGHBOURS = 4  # a concerned person's nearest pairs that join the neighbourhood
MIP_SECONDS = 10.0  # past this the best allocation found so far is used
EXACT_PAIRS = 2_000  # up to this many pairs the branch and bound runs over all of them
ROW_SLACK = 1e-7  # a rate this close to floor x the best counts as meeting it (LP tolerance)

__all__ = ["Model", "Solved", "fairest", "most_need", "shortest_routes"]


@dataclass(frozen=True)
class Solved:
    chosen: NDArray[np.bool_]  # per pair
    bound: float  # the linear-relaxation upper bound of the need placed


def most_need(model: Model) -> Solved:
    """Maximise the need placed; among the allocations that do, one with the least travel."""
    if not len(model.pairs):
        return Solved(np.zeros(0, dtype=bool), 0.0)
    master = Master(model, -model.weight)
    master.generate(np.ones(len(model.pairs), dtype=bool), strategy=DUAL)
    chosen, bound = _whole(master.values()), -master.objective()
    if chosen is None:  # not expected (unimodular), but never hand back a fraction
        nobody = np.zeros(len(model.pairs), dtype=bool)
        return Solved(master.branch_and_bound(nobody, MIP_GAP, MIP_SECONDS), bound)
    return Solved(_least_travel_on_optimal_face(model, master, chosen), bound)


def fairest(model: Model, indexes: Sequence[GroupIndex], floor: float) -> Solved:
    """Maximise the need placed with every group's rate >= floor x the best group's rate.

    1. The most need without the floor: when it already meets the floor it is the answer.
    2. Otherwise the equity rows are added to that programme (re-solved from its basis), those
       of the attributes short of the floor first, and pairs generated again: the
       relaxation's optimum over all pairs is the bound.
    3. When it is fractional, a start is made by rounding down and then unplacing, least need
       first, from the best-served group until the floor holds; the branch and bound then runs
       over all pairs (small instances) or over the pairs where the relaxation and that start
       disagree and the optimal-face pairs of the people and programs involved (relaxation
       induced neighbourhood search, Danna, Rothberg and Le Pape 2005), the rest kept as in
       the start. `bound` says how far from the optimum the answer can be.
    """
    if not len(model.pairs):
        return Solved(np.zeros(0, dtype=bool), 0.0)
    indexes = [i for i in indexes if len(i.groups) > 1]
    everything = np.ones(len(model.pairs), dtype=bool)
    master = Master(model, -model.weight)
    master.generate(everything, strategy=DUAL)
    chosen = _whole(master.values())
    if chosen is not None and meets_floor(indexes, _placed(model, chosen), floor):
        return Solved(chosen, -master.objective())
    _add_equity_rows_as_needed(master, indexes, floor)
    relaxed, bound = master.values(), -master.objective()
    chosen = _whole(relaxed)
    if chosen is not None:
        return Solved(chosen, bound)
    start = _rounded(model, indexes, floor, relaxed)
    if len(model.pairs) <= EXACT_PAIRS:
        return Solved(_branch_and_bound(model, indexes, floor, start, everything, 0.0), bound)
    free = _neighbourhood(master, relaxed, start)
    return Solved(
        _branch_and_bound(model, indexes, floor, start, free, NEIGHBOURHOOD_GAP * bound), bound
    )


def _add_equity_rows_as_needed(master: Master, indexes: Sequence[GroupIndex], floor: float) -> None:
    """Add the equity rows of the attributes whose floor the programme's solution misses, solve
    again, and repeat until every attribute meets the floor.

    Each attribute's rows reach every column of its members, and such dense rows make each
    simplex iteration slow; often one or two attributes bind and the others hold unasked. The
    end is the optimum over all the rows: it meets them all, and it is optimal with fewer.
    """
    pending = list(indexes)
    while True:
        x = master.values()
        short = [index for index in pending if not _holds(master.model, index, floor, x)]
        if not short:
            return
        master.add_equity(Equity(short, floor))
        pending = [index for index in pending if all(index is not s for s in short)]
        master.generate(np.ones(len(master.model.pairs), dtype=bool), strategy=DUAL)


def _holds(model: Model, index: GroupIndex, floor: float, x: NDArray[np.float64]) -> bool:
    """Whether the (perhaps fractional) solution x meets the floor over this attribute."""
    group = index.member_of[model.pairs.request]
    inside = group >= 0
    rates = np.bincount(group[inside], weights=x[inside], minlength=len(index.groups)) / index.sizes
    return bool(rates.min() >= floor * rates.max() - ROW_SLACK)


def shortest_routes(model: Model, chosen: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The same people placed, each sent where the total travel is least.

    Who is placed fixes the need and every group's rate, so this changes neither.
    """
    placed = _placed(model, chosen)
    nothing_held = np.zeros(len(model.slots), dtype=bool)
    routed = least_travel(model, placed[model.pairs.request], placed, nothing_held)
    return chosen if routed is None else routed


def _least_travel_on_optimal_face(
    model: Model, master: Master, chosen: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """The tie-break: least travel over the optimal face of the first programme.

    Pairs whose reduced cost is not zero are left out, and people and programs whose row's dual
    is not zero are held at their limit (complementary slackness, which every optimal allocation
    meets against any optimal dual): every allocation left has the optimum's need, and the
    shortest of them is found as a flow. Should the solver's tolerances blur a zero, `chosen`
    stands.
    """
    tolerance = PRICE * master.scale
    held = master.duals() < -tolerance
    shorter = least_travel(
        model, master.reduced_costs() <= tolerance, held[: model.requests], held[model.requests :]
    )
    if shorter is None or model.weight[shorter].sum() < model.weight[chosen].sum() - tolerance:
        return chosen
    return shorter


def _rounded(
    model: Model, indexes: Sequence[GroupIndex], floor: float, relaxed: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """A feasible start: the relaxation rounded, levelled down to the floor.

    Rounding takes the pairs by their value, largest first, while the person is free and the
    program has a whole place left: the whole placements, then most of the fractional ones.
    Dropping every fraction instead can leave a small group far below the others, and the
    levelling would then take everyone else down with it.
    """
    chosen = _greedy(model, relaxed)
    need = np.zeros(model.requests)
    need[model.pairs.request] = model.weight
    kept = level_down(indexes, _placed(model, chosen), floor, need)
    return chosen & kept[model.pairs.request]


def _greedy(model: Model, relaxed: NDArray[np.float64]) -> NDArray[np.bool_]:
    order = np.argsort(-relaxed, kind="stable")
    order = order[relaxed[order] > WHOLE].tolist()
    request, program = model.pairs.request.tolist(), model.pairs.program.tolist()
    free, taken = model.slots.tolist(), [False] * model.requests
    chosen = np.zeros(len(model.pairs), dtype=bool)
    for k in order:
        r, p = request[k], program[k]
        if not taken[r] and free[p] >= 1 - WHOLE:
            taken[r], free[p], chosen[k] = True, free[p] - 1, True
    return chosen


def _neighbourhood(
    master: Master, relaxed: NDArray[np.float64], start: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """The pairs where the relaxation and the start disagree, and the optimal-face pairs among
    the nearest few of the people concerned."""
    pairs = master.model.pairs
    differ = np.abs(relaxed - start) > WHOLE
    involved = np.isin(pairs.request, pairs.request[differ]) & (pairs.rank < NEIGHBOURS)
    return differ | (involved & (master.reduced_costs() <= PRICE * master.scale))


def _branch_and_bound(
    model: Model,
    indexes: Sequence[GroupIndex],
    floor: float,
    start: NDArray[np.bool_],
    free: NDArray[np.bool_],
    absolute: float,
) -> NDArray[np.bool_]:
    """The 0-1 optimum over the `free` pairs, every other pair kept as in the feasible `start`,
    to within MIP_GAP or the `absolute` gap in need."""
    fixed = start & ~free
    settled = _placed(model, fixed)
    free = free & ~settled[model.pairs.request]  # a person placed by a kept pair stays there
    used = np.bincount(model.pairs.program[fixed], minlength=len(model.slots))
    sub = Model(model.pairs.subset(free), model.weight[free], model.requests, model.slots - used)
    master = Master(sub, -sub.weight)
    master.add(np.arange(len(sub.pairs)))
    master.add_equity(Equity(indexes, floor, [index.placed(settled) for index in indexes]))
    found = master.branch_and_bound(start[free], MIP_GAP, MIP_SECONDS, absolute=absolute)
    chosen = fixed.copy()
    chosen[np.flatnonzero(free)[found]] = True
    return chosen


def _placed(model: Model, chosen: NDArray[np.bool_]) -> NDArray[np.bool_]:
    placed = np.zeros(model.requests, dtype=bool)
    placed[model.pairs.request[chosen]] = True
    return placed


def _whole(x: NDArray[np.float64]) -> NDArray[np.bool_] | None:
    """The 0-1 choice x stands for, or None when some value is a fraction."""
    if np.any(np.minimum(np.abs(x), np.abs(1 - x)) > WHOLE):
        return None
    return x > 0.5

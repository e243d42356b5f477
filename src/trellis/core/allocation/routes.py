"""Least travel as a minimum-cost flow, solved with OR-Tools' `SimpleMinCostFlow` (a
cost-scaling push-relabel algorithm).

Once who is placed is settled (or the optimal face of the need is known), what is left is a
transportation problem: send each person who must be placed to one program, keep each program
within its places, and travel least. Written as a network (source, people, programs, sink) it is
solved exactly by a flow algorithm in a fraction of the time the simplex method takes over the
same pairs, and its answer is whole by construction. Costs must be integers: distances count in
whole metres, so the travel is least to the metre.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from trellis.core.allocation.master import Model

METRES_PER_KM = 1000


def least_travel(
    model: Model,
    allowed: NDArray[np.bool_],
    people_held: NDArray[np.bool_],
    programs_held: NDArray[np.bool_],
) -> NDArray[np.bool_] | None:
    """The allocation over the `allowed` pairs with the least total distance in which every
    person in `people_held` is placed and every program in `programs_held` is full; anyone else
    may be placed, and any other program filled, or not. None when no allocation does that.

    Nodes: the source, one per person, one per program, the sink. A held person starts with one
    unit of supply of their own, anyone else may draw one from the source; a held program must
    take in exactly its places, any other sends at most its places on to the sink. The source's
    units that nobody draws go straight to the sink.
    """
    people, programs = model.requests, len(model.slots)
    source, sink = people + programs, people + programs + 1
    slots = np.rint(model.slots).astype(np.int64)
    pair = np.flatnonzero(allowed)
    optional_people = np.flatnonzero(~people_held)
    open_programs = np.flatnonzero(~programs_held)
    tails = np.concatenate(
        [model.pairs.request[pair], np.full(len(optional_people), source), people + open_programs]
    )
    heads = np.concatenate(
        [people + model.pairs.program[pair], optional_people, np.full(len(open_programs), sink)]
    )
    capacity = np.concatenate(
        [np.ones(len(pair) + len(optional_people), dtype=np.int64), slots[open_programs]]
    )
    cost = np.zeros(len(tails), dtype=np.int64)
    cost[: len(pair)] = np.rint(model.pairs.distance_km[pair] * METRES_PER_KM)
    supply = np.zeros(people + programs + 2, dtype=np.int64)
    supply[:people] = people_held
    supply[people:source] = -np.where(programs_held, slots, 0)
    supply[source] = len(optional_people)
    supply[sink] = -int(supply[:sink].sum())
    if supply[sink] > 0:  # the held programs want more people than there are
        return None
    flow = SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacity, cost
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, len(optional_people), 0)
    flow.set_nodes_supplies(np.arange(len(supply), dtype=np.int32), supply)
    if flow.solve() != flow.OPTIMAL:
        return None
    chosen = np.zeros(len(model.pairs), dtype=bool)
    chosen[pair[flow.flows(arcs[: len(pair)]) > 0]] = True
    return chosen

"""The HiGHS programme of core/allocation/master.py checked against the same linear programmes
written out in full (every pair, the rates over the pairs) and solved by scipy's linprog."""

import numpy as np
import pytest
from scipy.optimize import linprog

from trellis.bench.allocation_bench import generate
from trellis.core.allocation import parse_capacity, parse_requests, solver
from trellis.core.allocation.master import Equity, Master
from trellis.core.allocation.policies import Situation


@pytest.fixture(scope="module")
def situation():
    requests, programs = generate(400, 25, seed=3)
    return Situation(parse_requests(requests), parse_capacity(programs))


def full_programme(situation, floor):
    """max need s.t. once each, places, and every group's rate in [floor x t, t]: over all pairs."""
    model, pairs = situation.model, situation.model.pairs
    n, rows, upper = len(pairs), [], []
    for r in range(model.requests):
        rows.append(np.where(pairs.request == r, 1.0, 0.0))
        upper.append(1.0)
    for p, slots in enumerate(model.slots):
        rows.append(np.where(pairs.program == p, 1.0, 0.0))
        upper.append(slots)
    for index in [i for i in situation.indexes if len(i.groups) > 1 and not i.stuck]:
        t = len(rows[0])  # each attribute's t is one more column
        rows = [np.append(row, 0.0) for row in rows]
        group = index.member_of[pairs.request]
        for g, size in enumerate(index.sizes):
            member = np.append(np.where(group == g, 1.0, 0.0), np.zeros(len(rows[0]) - n))
            at_most, at_least = member.copy(), -member.copy()
            at_most[t], at_least[t] = -size, floor * size
            rows += [at_most, at_least]
            upper += [0.0, 0.0]
    width = len(rows[0])
    cost = np.concatenate([-model.weight, np.zeros(width - n)])
    return linprog(cost, A_ub=np.array(rows), b_ub=upper, bounds=(0, 1), method="highs")


@pytest.mark.parametrize("floor", [0.8, 0.95])
def test_it_bounds_the_need_by_the_same_lp_optimum_as_the_rates_written_over_every_pair(
    situation, floor
):
    indexes = [i for i in situation.indexes if len(i.groups) > 1 and not i.stuck]
    master = Master(situation.model, -situation.model.weight)
    master.generate(np.ones(len(situation.model.pairs), dtype=bool))
    master.add_equity(Equity(indexes, floor))
    master.generate(np.ones(len(situation.model.pairs), dtype=bool))
    reference = full_programme(situation, floor)
    assert reference.status == 0
    assert -master.objective() == pytest.approx(-reference.fun, rel=1e-7)


def test_its_equity_rows_hold_the_floor_in_the_relaxation(situation):
    indexes = [i for i in situation.indexes if len(i.groups) > 1 and not i.stuck]
    master = Master(situation.model, -situation.model.weight)
    master.generate(np.ones(len(situation.model.pairs), dtype=bool))
    master.add_equity(Equity(indexes, 0.95))
    master.generate(np.ones(len(situation.model.pairs), dtype=bool))
    x, request = master.values(), situation.model.pairs.request
    for index in indexes:
        group = index.member_of[request]
        rates = np.bincount(group[group >= 0], x[group >= 0], len(index.groups)) / index.sizes
        assert rates.min() >= 0.95 * rates.max() - 1e-6


def pair_rows(model):
    """Each person's row (placed at most once) and each program's (within its places)."""
    pairs = model.pairs
    people = [np.where(pairs.request == r, 1.0, 0.0) for r in range(model.requests)]
    programs = [np.where(pairs.program == p, 1.0, 0.0) for p in range(len(model.slots))]
    return np.array(people), np.array(programs)


def test_the_routes_flow_finds_the_least_travel_of_the_same_people_as_linprog(situation):
    model = situation.model
    chosen = solver.most_need(model).chosen
    placed = np.zeros(model.requests, dtype=bool)
    placed[model.pairs.request[chosen]] = True
    people, programs = pair_rows(model)
    reference = linprog(
        model.pairs.distance_km,
        A_ub=programs,
        b_ub=model.slots,
        A_eq=people[placed],
        b_eq=np.ones(placed.sum()),
        bounds=[(0, 1 if fits else 0) for fits in placed[model.pairs.request]],
        method="highs",
    )
    assert reference.status == 0
    routed = solver.shortest_routes(model, chosen)
    assert np.array_equal(
        np.bincount(model.pairs.request[routed], minlength=model.requests) > 0, placed
    )
    assert np.all(
        np.bincount(model.pairs.program[routed], minlength=len(model.slots)) <= model.slots
    )
    # distances count in whole metres: at most half a metre off per person
    travel = model.pairs.distance_km[routed].sum()
    assert travel == pytest.approx(reference.fun, abs=0.0005 * placed.sum())


def test_optimal_travels_least_among_the_allocations_of_the_most_need(situation):
    model = situation.model
    people, programs = pair_rows(model)
    rows, limits = (
        np.vstack([people, programs]),
        np.concatenate([np.ones(model.requests), model.slots]),
    )
    most = linprog(-model.weight, A_ub=rows, b_ub=limits, bounds=(0, 1), method="highs")
    shortest = linprog(
        model.pairs.distance_km,
        A_ub=np.vstack([rows, -model.weight]),
        b_ub=np.append(limits, most.fun + 1e-6),
        bounds=(0, 1),
        method="highs",
    )
    assert most.status == 0
    assert shortest.status == 0
    chosen = solver.most_need(model).chosen
    assert model.weight[chosen].sum() == pytest.approx(-most.fun, rel=1e-9)
    travel = model.pairs.distance_km[chosen].sum()
    assert travel == pytest.approx(shortest.fun, abs=0.0005 * chosen.sum())

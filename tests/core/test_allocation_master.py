"""The HiGHS programme of core/allocation/master.py checked against the same linear programmes
written out in full (every pair, the rates over the pairs) and solved by scipy's linprog."""

import numpy as np
import pytest
from scipy.optimize import linprog

from trellis.bench.allocation_bench import generate
from trellis.core.allocation import parse_capacity, parse_requests, solver
from trellis.core.allocation.master import DUAL, INF, Equity, Master
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


def test_the_least_travel_pass_from_the_start_basis_finds_the_cold_solves_optimum(situation):
    model = situation.model
    chosen = solver.most_need(model).chosen
    placed = np.zeros(model.requests, dtype=bool)
    placed[model.pairs.request[chosen]] = True
    lower = np.concatenate([np.where(placed, 1.0, -INF), np.full(len(model.slots), -INF)])
    allowed = placed[model.pairs.request]
    warm = Master(model, model.pairs.distance_km, lower=lower)
    warm.add(np.flatnonzero(chosen))
    assert warm.generate(allowed, start=chosen)
    cold = Master(model, model.pairs.distance_km, lower=lower)
    cold.add(np.flatnonzero(chosen))
    assert cold.generate(allowed, strategy=DUAL)
    assert warm.objective() == pytest.approx(cold.objective(), rel=1e-9)
    routed = warm.values() > 0.5
    assert np.array_equal(
        np.bincount(model.pairs.request[routed], minlength=model.requests) > 0, placed
    )

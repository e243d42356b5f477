"""A HiGHS linear programme over some of the appropriate pairs, grown by column generation.

Even the appropriate pairs are many (about 30 a person at 20,000 people x 1,000 programs), and
the simplex method slows with every column it must price. So a programme starts from each
person's two nearest pairs and adds, round by round, the pairs whose reduced cost says they would
improve it (for each person the best such pair), re-solving from the last basis, until no pair
outside would. That is the optimum over all pairs, reached with a fraction of them.

Rows: one per person (at most once), one per program (within its places), then, once equity is
added, for each attribute three rows per group: its count (pairs of its members - n = 0, n the
group's placed count, a column), n <= t x size and n >= floor x t x size, t the attribute's best
rate (a column). A pair column so has one entry per attribute, not two: the rows that reach
every pair of a group's members are what make each simplex iteration slow, and this way there is
one such row a group instead of two (the bound rows are short).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

from trellis.core.allocation.fairness import GroupIndex
from trellis.core.allocation.pairs import Pairs

INF = highspy.kHighsInf
PRICE = 1e-7  # reduced costs above -PRICE x the largest cost do not improve (HiGHS's tolerance)
FIRST = 2  # each person's nearest pairs in the first programme
PRIMAL, DUAL = 4, 1  # HiGHS simplex strategies
# The dual simplex's pricing once equity rows are in: devex. Dual steepest edge updates a weight
# per row with a further solve each iteration, dear with the dense equity rows in the basis;
# devex took 17-37% less time in the equity re-solve at 20,000 x 1,000 (floors 0.95 and 0.8).
DEVEX = 1


class _Quiet(highspy.Highs):
    """highspy.Highs, silent from the start.

    highspy prints HiGHS's banner on stdout as soon as it attaches its callbacks, which its
    constructor does before any option can be set; that would corrupt the JSON `trellis allocate`
    prints. Turning the output off just before the callbacks are attached keeps it silent.
    """

    def enableCallbacks(self) -> None:  # noqa: N802 - highspy's name
        self.silent()
        super().enableCallbacks()


@dataclass(frozen=True)
class Model:
    """The appropriate pairs with what the solver needs to weigh them."""

    pairs: Pairs
    weight: NDArray[np.float64]  # each pair's request's need_weight
    requests: int
    slots: NDArray[np.float64]  # places each program has open (or has left)


@dataclass(frozen=True)
class Equity:
    """Equity rows: every group's rate between floor x t and t, t the attribute's best rate.

    `already` holds each group's members placed outside the programme (fixed), if any.
    """

    indexes: Sequence[GroupIndex]
    floor: float
    already: Sequence[NDArray[np.float64]] | None = None


class Master:
    """The programme over the pairs added so far; see the module docstring."""

    def __init__(self, model: Model, cost: NDArray[np.float64]) -> None:
        self.model, self.cost = model, cost
        self.scale = max(1.0, float(np.abs(cost).max())) if len(cost) else 1.0
        self.highs = _Quiet()
        self.highs.setOptionValue("simplex_strategy", PRIMAL)  # an added column keeps it feasible
        self.position = np.full(len(model.pairs), -1, dtype=np.int64)  # pair -> column, or -1
        self.equity: Equity | None = None
        self.rates_at: list[int] = []  # the t columns, each after its attribute's n columns
        upper = np.concatenate([np.ones(model.requests), model.slots])
        _add_rows(self.highs, np.full(len(upper), -INF), upper)

    @property
    def group_rows(self) -> int:
        return self.model.requests + len(self.model.slots)

    def add(self, pairs: NDArray[np.int64]) -> None:
        """Add the columns of these pairs (those not in yet)."""
        pairs = np.unique(pairs[self.position[pairs] < 0])
        if not len(pairs):
            return
        people = self.model.pairs.request[pairs]
        rows = [people, self.model.requests + self.model.pairs.program[pairs]]
        values = [np.ones(len(pairs)), np.ones(len(pairs))]
        for row, index in self._attributes():
            group = index.member_of[people]
            rows.append(_or_none(group, row + group))
            values.append(np.ones(len(pairs)))
        self.position[pairs] = self.highs.getNumCol() + np.arange(len(pairs))
        _add_columns(self.highs, self.cost[pairs], np.column_stack(rows), np.column_stack(values))

    def add_equity(self, equity: Equity) -> None:
        """Add the equity rows of `equity.indexes` over the columns already in, then the n columns
        and one t column per attribute. Called again (same floor, no `already`), more attributes
        join."""
        first = len(self._attributes())
        if self.equity is None:
            self.equity = equity
        else:
            self.equity = Equity([*self.equity.indexes, *equity.indexes], equity.floor)
        added = self._attributes()[first:]
        self.highs.setOptionValue("simplex_dual_edge_weight_strategy", DEVEX)
        inside = np.flatnonzero(self.position >= 0)
        for a, (row, index) in enumerate(added):
            size = len(index.groups)
            group = index.member_of[self.model.pairs.request[inside]]
            placed = np.zeros(size) if equity.already is None else 1.0 * equity.already[a]
            counts = [(self.position[inside[group == g]], 1.0) for g in range(size)]
            _add_rows(self.highs, -placed, -placed, counts)  # pairs - n = -(placed outside)
            _add_rows(self.highs, np.full(2 * size, -INF), np.zeros(2 * size))
            diagonal = row + np.arange(size)
            n_rows = np.column_stack([diagonal, diagonal + size, diagonal + 2 * size])
            n_values = np.tile([-1.0, 1.0, -1.0], (size, 1))
            _add_columns(self.highs, np.zeros(size), n_rows, n_values)
            t_rows = np.concatenate([diagonal + size, diagonal + 2 * size])
            t_values = np.concatenate([-index.sizes, equity.floor * index.sizes]).astype(float)
            self.rates_at.append(self.highs.getNumCol())
            _add_columns(self.highs, np.zeros(1), t_rows[None, :], t_values[None, :], top=1.0)

    def _attributes(self) -> list[tuple[int, GroupIndex]]:
        """(first row, index) of each attribute in the equity rows."""
        if self.equity is None:
            return []
        result, row = [], self.group_rows
        for index in self.equity.indexes:
            result.append((row, index))
            row += 3 * len(index.groups)
        return result

    def generate(self, allowed: NDArray[np.bool_], *, strategy: int = PRIMAL) -> bool:
        """Solve, add the improving `allowed` pairs, repeat until none would improve.

        It ends: every round adds at least one pair not yet in, and there are finitely many.
        The first solve may use another simplex strategy (dual after rows were added).
        """
        self.add(_nearest(self.model.pairs, allowed, FIRST))
        self.highs.setOptionValue("simplex_strategy", strategy)
        while True:
            self.highs.run()
            self.highs.setOptionValue("simplex_strategy", PRIMAL)
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return False
            entering = self._entering(allowed)
            if not len(entering):
                return True
            self.add(entering)

    def _entering(self, allowed: NDArray[np.bool_]) -> NDArray[np.int64]:
        """For each person, the allowed pair outside with the most negative reduced cost."""
        reduced = self.reduced_costs()
        better = np.flatnonzero(allowed & (self.position < 0) & (reduced < -PRICE * self.scale))
        order = better[np.lexsort((reduced[better], self.model.pairs.request[better]))]
        people = self.model.pairs.request[order]
        return order[np.r_[True, people[1:] != people[:-1]]] if len(order) else order

    def duals(self) -> NDArray[np.float64]:
        return np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)

    def reduced_costs(self) -> NDArray[np.float64]:
        """cost - duals . column, for every pair, in the programme or not."""
        y, pairs = self.duals(), self.model.pairs
        reduced = self.cost - y[pairs.request] - y[self.model.requests + pairs.program]
        for row, index in self._attributes():
            group = index.member_of[pairs.request]
            reduced -= np.where(group >= 0, y[row + group], 0.0)
        return reduced

    def values(self) -> NDArray[np.float64]:
        """Each pair's value in the last solution (0 for the pairs not in the programme)."""
        solved = np.asarray(self.highs.getSolution().col_value, dtype=np.float64)
        inside = self.position >= 0
        x = np.zeros(len(self.model.pairs))
        x[inside] = solved[self.position[inside]]
        return x

    def objective(self) -> float:
        return float(self.highs.getInfo().objective_function_value)

    def branch_and_bound(
        self, start: NDArray[np.bool_], gap: float, seconds: float, *, absolute: float = 0.0
    ) -> NDArray[np.bool_]:
        """The 0-1 optimum over the pairs in the programme, from the feasible `start` (t
        continuous), to within a relative `gap` or an `absolute` one."""
        columns = self.position[self.position >= 0].astype(np.int32)
        self.highs.changeColsIntegrality(
            len(columns), columns, np.ones(len(columns), dtype=np.uint8)
        )
        self.highs.changeColsBounds(
            len(columns), columns, np.zeros(len(columns)), np.ones(len(columns))
        )
        self.highs.setOptionValue("simplex_strategy", DUAL)  # re-solves after branching
        self.highs.setOptionValue("mip_rel_gap", gap)
        self.highs.setOptionValue("mip_abs_gap", absolute)
        self.highs.setOptionValue("time_limit", seconds)
        self._start_from(start)
        self.highs.run()
        if (
            self.highs.getInfo().primal_solution_status
            != highspy.SolutionStatus.kSolutionStatusFeasible
        ):
            return start
        return self.values() > 0.5

    def _start_from(self, start: NDArray[np.bool_]) -> None:
        """Hand HiGHS a feasible allocation to improve on (t = each attribute's best rate)."""
        solution = np.zeros(self.highs.getNumCol())
        inside = self.position >= 0
        solution[self.position[inside]] = start[inside]
        if self.equity is not None:
            people = self.model.pairs.request[start]
            for a, (at, index) in enumerate(zip(self.rates_at, self.equity.indexes, strict=True)):
                counts = index.placed(np.isin(np.arange(self.model.requests), people))
                if self.equity.already is not None:
                    counts = counts + self.equity.already[a]
                solution[at - len(index.groups) : at] = counts
                solution[at] = float((counts / index.sizes).max())
        self.highs.setSolution(len(solution), np.arange(len(solution), dtype=np.int32), solution)


def _or_none(group: NDArray[np.int64], rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """The row for each member of a group; -1 (no entry) for those in none."""
    return np.where(group >= 0, rows, -1)


def _add_rows(
    highs: highspy.Highs,
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    entries: Sequence[tuple[NDArray[np.int64], float]] = (),
) -> None:
    """Rows with bounds; entries[i] = (columns, coefficient) of row i when given."""
    counts = [len(columns) for columns, _ in entries] or [0] * len(upper)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
    columns = [c for c, _ in entries]
    index = np.concatenate(columns).astype(np.int32) if columns else np.zeros(0, dtype=np.int32)
    values = np.concatenate([np.full(len(c), v) for c, v in entries]) if entries else np.zeros(0)
    highs.addRows(len(upper), lower, upper, len(index), starts, index, values)


def _add_columns(
    highs: highspy.Highs,
    cost: NDArray[np.float64],
    rows: NDArray[np.int64],
    values: NDArray[np.float64],
    top: float = INF,
) -> None:
    """One column per line of `rows`/`values`; a row of -1 is no entry."""
    kept = rows >= 0
    starts = np.concatenate([[0], np.cumsum(kept.sum(axis=1))[:-1]]).astype(np.int32)
    n = len(cost)
    highs.addCols(
        n,
        cost,
        np.zeros(n),
        np.full(n, top),
        int(kept.sum()),
        starts,
        rows[kept].astype(np.int32),
        values[kept].astype(np.float64),
    )


def _nearest(pairs: Pairs, allowed: NDArray[np.bool_], count: int) -> NDArray[np.int64]:
    """Each person's `count` nearest pairs, of those allowed."""
    return np.flatnonzero(allowed & (pairs.rank < count))

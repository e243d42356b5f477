"""Placement rates by group, their ratio, and the equity floor.

A group's placement rate is its members placed / its members among the requests, the plain rate
anyone can compute from the output. A request without an attribute is in none of its groups.
A group none of whose members has an appropriate program with an open place keeps a rate of 0
whatever the allocation does, so a floor above 0 over its attribute can only be met by placing
nobody in any of that attribute's groups; such a floor counts as not met (see `stuck`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trellis.core.allocation.records import GROUP_ATTRIBUTES, Request

# Rates are compared with this slack so that 0.6/0.75 (= 0.7999999999999999 in floating point)
# meets a floor of 0.8, as it does in exact arithmetic.
SLACK = 1e-9


@dataclass(frozen=True)
class GroupIndex:
    """For one group attribute: its groups, their sizes, and who belongs to which."""

    attribute: str
    groups: tuple[str, ...]
    member_of: NDArray[np.int64]  # per request: its position in `groups`, or -1
    sizes: NDArray[np.int64]  # members among the requests
    reachable: NDArray[np.int64]  # members with an appropriate program with an open place

    def placed(self, placed: NDArray[np.bool_]) -> NDArray[np.int64]:
        """How many of each group's members are placed."""
        members = self.member_of[placed & (self.member_of >= 0)]
        return np.bincount(members, minlength=len(self.groups))

    def rates(self, placed: NDArray[np.bool_]) -> dict[str, float]:
        counts = self.placed(placed)
        return {g: float(counts[i] / self.sizes[i]) for i, g in enumerate(self.groups)}

    @property
    def stuck(self) -> bool:
        """Whether some group can never be placed while another can: then no floor above 0 is
        met by an allocation that places anyone in this attribute's groups."""
        return bool((self.reachable == 0).any() and (self.reachable > 0).any())

    def emptied(self, placed: NDArray[np.bool_]) -> bool:
        """Whether nobody in the groups is placed although someone could be."""
        return bool(self.reachable.sum() > 0 and not self.placed(placed).any())


def index_groups(
    requests: Sequence[Request], eligible: NDArray[np.bool_]
) -> tuple[GroupIndex, ...]:
    """One index for each group attribute that any request carries, in GROUP_ATTRIBUTES order.

    `eligible`: per request, whether an appropriate program has an open place for them.
    """
    labels = [dict(r.groups) for r in requests]
    indexes = []
    for attribute in GROUP_ATTRIBUTES:
        groups = tuple(sorted({x[attribute] for x in labels if attribute in x}))
        if groups:
            position = {g: i for i, g in enumerate(groups)}
            member_of = np.array([position.get(x.get(attribute), -1) for x in labels])
            member_of = member_of.astype(np.int64)
            inside = member_of >= 0
            sizes = np.bincount(member_of[inside], minlength=len(groups))
            reachable = np.bincount(member_of[inside & eligible], minlength=len(groups))
            indexes.append(GroupIndex(attribute, groups, member_of, sizes, reachable))
    return tuple(indexes)


def ratio(rates: Mapping[str, float]) -> float:
    """The lowest rate over the highest; 1.0 when nobody in any group is placed (all equal)."""
    best = max(rates.values(), default=0.0)
    return min(rates.values()) / best if best > 0 else 1.0


def worst_ratio(indexes: Sequence[GroupIndex], placed: NDArray[np.bool_]) -> float:
    """The smallest ratio over the attributes; 1.0 when the requests carry no groups."""
    return min((ratio(index.rates(placed)) for index in indexes), default=1.0)


def meets_floor(indexes: Sequence[GroupIndex], placed: NDArray[np.bool_], floor: float) -> bool:
    return worst_ratio(indexes, placed) >= floor - SLACK


def truly_meets(indexes: Sequence[GroupIndex], placed: NDArray[np.bool_], floor: float) -> bool:
    """The floor is met, and not by emptying an attribute's groups when a floor above 0 is
    asked (placing nobody always meets a floor, and says nothing about fairness)."""
    if not meets_floor(indexes, placed, floor):
        return False
    return floor <= 0 or not any(index.emptied(placed) for index in indexes)


def level_down(
    indexes: Sequence[GroupIndex],
    placed: NDArray[np.bool_],
    floor: float,
    need: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Unplace people until every attribute meets the floor: each time, from the attribute
    furthest below it, a placed member of the best-served group, with the least need among
    those whose leaving takes none of their other groups below the floor.

    Without that care, taking a member of a small group that another attribute's floor holds
    at its limit forces every other group of that attribute down, and so on, at worst to
    nobody placed. It ends, at the latest with nobody placed (every ratio is then 1).
    """
    placed = placed.copy()
    while True:
        worst = min(indexes, key=lambda index: ratio(index.rates(placed)), default=None)
        if worst is None or ratio(worst.rates(placed)) >= floor - SLACK:
            return placed
        rates = worst.placed(placed) / worst.sizes
        members = np.flatnonzero(placed & (worst.member_of == int(np.argmax(rates))))
        harmless = _harmless(indexes, placed, floor, members, worst)
        pool = members[harmless] if harmless.any() else members
        placed[pool[np.argmin(need[pool])]] = False


def _harmless(
    indexes: Sequence[GroupIndex],
    placed: NDArray[np.bool_],
    floor: float,
    members: NDArray[np.int64],
    worst: GroupIndex,
) -> NDArray[np.bool_]:
    """Which of `members` could leave with each of their groups in the other attributes still
    at or above floor x that attribute's best rate."""
    ok = np.ones(len(members), dtype=bool)
    for index in indexes:
        if index is worst:
            continue
        counts = index.placed(placed)
        best = float((counts / index.sizes).max()) if len(counts) else 0.0
        group = index.member_of[members]
        inside = group >= 0
        after = (counts[group[inside]] - 1) / index.sizes[group[inside]]
        ok[inside] &= after >= floor * best - SLACK
    return ok

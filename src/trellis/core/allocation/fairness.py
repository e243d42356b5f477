"""Placement rates by group, their ratio, and the equity floor.

A group's placement rate is placed / eligible members, where a member is eligible when at least
one appropriate program has an open place for them. People with no such program cannot be placed
by any allocation; counting them would make the floor hold everyone else back for a gap in the
network of programs rather than for a choice the allocation makes. A group with no eligible
member at all is therefore left out of the rates and of the floor, and listed as excluded.
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
    """For one group attribute: the eligible groups, their sizes, and who belongs to which."""

    attribute: str
    groups: tuple[str, ...]
    member_of: NDArray[np.int64]  # per request: its position in `groups`, or -1
    sizes: NDArray[np.int64]
    excluded: tuple[str, ...]  # groups present in the requests with no eligible member

    def placed(self, placed: NDArray[np.bool_]) -> NDArray[np.int64]:
        """How many of each group's members are placed."""
        members = self.member_of[placed & (self.member_of >= 0)]
        return np.bincount(members, minlength=len(self.groups))

    def rates(self, placed: NDArray[np.bool_]) -> dict[str, float]:
        counts = self.placed(placed)
        return {g: float(counts[i] / self.sizes[i]) for i, g in enumerate(self.groups)}


def index_groups(
    requests: Sequence[Request], eligible: NDArray[np.bool_]
) -> tuple[GroupIndex, ...]:
    """One index for each group attribute that any request carries, in GROUP_ATTRIBUTES order."""
    labels = [dict(r.groups) for r in requests]
    indexes = []
    for attribute in GROUP_ATTRIBUTES:
        present = {x[attribute] for x in labels if attribute in x}
        if present:
            indexes.append(_index(attribute, present, labels, eligible))
    return tuple(indexes)


def _index(
    attribute: str, present: set[str], labels: list[dict[str, str]], eligible: NDArray[np.bool_]
) -> GroupIndex:
    groups = tuple(
        sorted(
            {x[attribute] for x, ok in zip(labels, eligible, strict=True) if ok and attribute in x}
        )
    )
    position = {g: i for i, g in enumerate(groups)}
    member_of = np.array(
        [
            position[x[attribute]] if ok and attribute in x else -1
            for x, ok in zip(labels, eligible, strict=True)
        ],
        dtype=np.int64,
    )
    sizes = np.bincount(member_of[member_of >= 0], minlength=len(groups))
    return GroupIndex(attribute, groups, member_of, sizes, tuple(sorted(present - set(groups))))


def ratio(rates: Mapping[str, float]) -> float:
    """The lowest rate over the highest; 1.0 when nobody in any group is placed (all equal)."""
    best = max(rates.values(), default=0.0)
    return min(rates.values()) / best if best > 0 else 1.0


def worst_ratio(indexes: Sequence[GroupIndex], placed: NDArray[np.bool_]) -> float:
    """The smallest ratio over the attributes; 1.0 when the requests carry no groups."""
    return min((ratio(index.rates(placed)) for index in indexes), default=1.0)


def meets_floor(indexes: Sequence[GroupIndex], placed: NDArray[np.bool_], floor: float) -> bool:
    return worst_ratio(indexes, placed) >= floor - SLACK


def level_down(
    indexes: Sequence[GroupIndex],
    placed: NDArray[np.bool_],
    floor: float,
    need: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Unplace people until every attribute meets the floor: each time, from the attribute
    furthest below it, the best-served group's placed member with the least need.

    It ends, at the latest with nobody placed (every ratio is then 1).
    """
    placed = placed.copy()
    while True:
        worst = min(indexes, key=lambda index: ratio(index.rates(placed)), default=None)
        if worst is None or ratio(worst.rates(placed)) >= floor - SLACK:
            return placed
        rates = worst.placed(placed) / worst.sizes
        members = np.flatnonzero(placed & (worst.member_of == int(np.argmax(rates))))
        placed[members[np.argmin(need[members])]] = False

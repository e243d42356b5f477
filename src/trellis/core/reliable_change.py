"""Reliable change (Jacobson & Truax 1991) and the trend of one measure over time.

RCI = (after - before) / S_diff, with S_diff = sqrt(2) * SE and SE = SD * sqrt(1 - r). The SD,
the reliability r and the threshold come from knowledge/monitoring.yaml, each with its source;
no clinical number is written here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from trellis.core.errors import InvalidInput

if TYPE_CHECKING:
    from trellis.core.monitoring import Measure, Rules

TOTAL = "total"


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    NO_RELIABLE_CHANGE = "no reliable change"


@dataclass(frozen=True, slots=True)
class Reliability:
    """The published figures that make a change on one scale of one instrument reliable."""

    instrument: str
    scale: str
    sd: float
    reliability: float
    worse: str  # "up": a higher score is worse (PHQ-9); "down": a lower score is worse
    sources: tuple[str, ...]  # the citations of the SD and of the reliability
    item: int | None = None  # a single item's answer (1-based), when the figures are an item's

    @property
    def s_diff(self) -> float:
        # sqrt(2) * SD * sqrt(1 - r), written as one root so that r = 0.5 gives exactly SD.
        return self.sd * math.sqrt(2 * (1 - self.reliability))


@dataclass(frozen=True, slots=True)
class ReliableChange:
    instrument: str
    scale: str
    before: float
    after: float
    index: float  # positive when the score went up
    threshold: float
    direction: Direction
    sd: float
    reliability: float
    s_diff: float
    sources: tuple[str, ...]

    @property
    def reliable(self) -> bool:
        return self.direction is not Direction.NO_RELIABLE_CHANGE


@dataclass(frozen=True, slots=True)
class Point:
    on: date
    value: int
    band: str | None


@dataclass(frozen=True, slots=True)
class Trend:
    instrument: str
    scale: str
    points: tuple[Point, ...]
    slope_per_30_days: float | None  # least-squares slope; None without two distinct days
    change: ReliableChange | None  # latest against first; None without two points or figures

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def reliable_change(
    instrument: str,
    before: float,
    after: float,
    *,
    scale: str = TOTAL,
    rules: Rules | None = None,
) -> ReliableChange:
    """Classify the change from `before` to `after` as improved, worsened or neither.

    A change is reliable when the index reaches the threshold (1.96: at or beyond it, the
    change is larger than measurement error alone would give 95% of the time).
    """
    rules = rules or _default_rules()
    figures = rules.reliabilities.get((instrument, scale))
    if figures is None:
        raise InvalidInput(
            f"{instrument} {scale}",
            "a scale with published reliable-change figures: " + _known(rules),
        )
    index = (after - before) / figures.s_diff
    return ReliableChange(
        instrument,
        scale,
        before,
        after,
        index,
        rules.threshold,
        _direction(index, rules.threshold, figures.worse),
        figures.sd,
        figures.reliability,
        figures.s_diff,
        figures.sources,
    )


def has_figures(instrument: str, scale: str = TOTAL, *, rules: Rules | None = None) -> bool:
    return (instrument, scale) in (rules or _default_rules()).reliabilities


def trend(
    measures: Sequence[Measure],
    instrument: str,
    *,
    scale: str = TOTAL,
    rules: Rules | None = None,
) -> Trend:
    """Return the points of one instrument's scale in date order, their slope and the change."""
    rules = rules or _default_rules()
    points = tuple(
        Point(m.taken_on, value, _band(instrument, scale, value))
        for m in sorted(measures, key=lambda m: m.taken_on)
        if m.instrument == instrument and (value := value_of(m, scale)) is not None
    )
    change = None
    if len(points) >= 2 and has_figures(instrument, scale, rules=rules):
        change = reliable_change(
            instrument, points[0].value, points[-1].value, scale=scale, rules=rules
        )
    return Trend(instrument, scale, points, _slope_per_30_days(points), change)


def value_of(measure: Measure, scale: str) -> int | None:
    return measure.total if scale == TOTAL else measure.subscales.get(scale)


def _direction(index: float, threshold: float, worse: str) -> Direction:
    if abs(index) < threshold:
        return Direction.NO_RELIABLE_CHANGE
    went_up = index > 0
    return Direction.WORSENED if went_up == (worse == "up") else Direction.IMPROVED


def _slope_per_30_days(points: Sequence[Point]) -> float | None:
    if len({p.on for p in points}) < 2:
        return None
    days = [(p.on - points[0].on).days for p in points]
    mean_day = sum(days) / len(days)
    mean_value = sum(p.value for p in points) / len(points)
    covariance = sum(
        (d - mean_day) * (p.value - mean_value) for d, p in zip(days, points, strict=True)
    )
    spread = sum((d - mean_day) ** 2 for d in days)
    return 30 * covariance / spread


def _band(instrument_id: str, scale: str, value: int) -> str | None:
    if scale != TOTAL:
        return None
    from trellis.core.instruments import instrument

    try:
        return instrument(instrument_id).band_for(value)
    except InvalidInput:  # not a scored instrument of the catalog: no published bands
        return None


def _known(rules: Rules) -> str:
    return ", ".join(f"{i} {s}" for i, s in sorted(rules.reliabilities))


def _default_rules() -> Rules:
    from trellis.knowledge.monitoring import rules

    return rules()

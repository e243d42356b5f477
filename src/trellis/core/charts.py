"""Line charts as SVG drawn on the server: no script, no outside service, readable by print.

Each chart carries a title and a description for screen readers; pages show the same numbers
as a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 320, 140
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 28, 8, 10, 22


@dataclass(frozen=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True)
class Band:
    """A published severity band drawn behind the line (e.g. PHQ-9 "moderate", 10-14)."""

    low: float
    high: float
    label: str


BAND_FILLS = ("#f3f7f5", "#e6efea")


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    low: float,
    high: float,
    ticks: Sequence[float],
    bands: Sequence[Band] = (),
) -> str:
    """An SVG line chart of `points` (in date order) on a fixed y range [low, high]."""
    if high <= low:
        raise ValueError("high must be above low")
    points = sorted(points, key=lambda p: p.day)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return PAD_TOP + plot_h * (1 - (value - low) / (high - low))

    if points:
        first, last = points[0].day, points[-1].day
        span = max((last - first).days, 1)

        def x(day: date) -> float:
            if first == last:
                return PAD_LEFT + plot_w / 2
            return PAD_LEFT + plot_w * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="{_id(title)}-t">'
        f'<title id="{_id(title)}-t">{escape(title)}</title>'
    ]
    for n, band in enumerate(bands):
        top, bottom = y(min(band.high + 0.5, high)), y(max(band.low - 0.5, low))
        parts.append(
            f'<rect x="{PAD_LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="{BAND_FILLS[n % 2]}"/>'
            f'<text x="{WIDTH - PAD_RIGHT - 2}" y="{top + 9:.1f}" text-anchor="end" '
            f'font-size="8" fill="#4a5852">{escape(band.label)}</text>'
        )
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#d5ddd9" stroke-width="1"/>'
            f'<text x="{PAD_LEFT - 4}" y="{ty + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#4a5852">{_num(tick)}</text>'
        )
    if points:
        coords = " ".join(f"{x(p.day):.1f},{y(p.value):.1f}" for p in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="#1f5f4a" stroke-width="2.5" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )
        parts.extend(
            f'<circle cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="3" fill="#1f5f4a"/>'
            for p in points
        )
        for day, anchor in (
            ((first, "start"), (last, "end")) if first != last else ((first, "middle"),)
        ):
            parts.append(
                f'<text x="{x(day):.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}" font-size="10" '
                f'fill="#4a5852">{day.isoformat()}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


SPARK_W, SPARK_H = 96, 24


def sparkline(values: Sequence[float | None], *, low: float, high: float, title: str) -> str:
    """A small inline trend (one value per day or measure, gaps as None) for a table cell."""
    if high <= low:
        raise ValueError("high must be above low")
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    step = SPARK_W / max(len(values) - 1, 1)

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return 2 + (SPARK_H - 4) * (1 - (value - low) / (high - low))

    coords = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in known)
    mark = (
        f'<circle cx="{known[-1][0] * step:.1f}" cy="{y(known[-1][1]):.1f}" r="2" fill="#1f5f4a"/>'
        if known
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_W} {SPARK_H}" '
        f'class="sparkline" role="img" aria-label="{escape(title)}">'
        f'<polyline points="{coords}" fill="none" stroke="#1f5f4a" stroke-width="1.5"/>'
        f"{mark}</svg>"
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]

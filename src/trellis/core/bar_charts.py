"""Horizontal bar charts as SVG drawn on the server: no script, no outside service.

Each chart carries a title and a description for screen readers; pages show the same numbers
as a table beside it. A bar without a value (suppressed or nothing measured) is drawn as its
label and a note, never as a bar of zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 320
ROW_H, BAR_H, PAD_TOP, PAD_BOTTOM = 26, 14, 6, 6
LABEL_W, VALUE_W = 118, 62
BAR_FILL = "#1f5f4a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    shown: str  # the value as the table shows it ("42%", "3.5", "suppressed")


def bar_chart(
    bars: Sequence[Bar], *, title: str, description: str, maximum: float | None = None
) -> str:
    """An SVG chart with one horizontal bar per item, scaled to `maximum` (or the largest)."""
    values = [b.value for b in bars if b.value is not None]
    top = maximum if maximum is not None else max([abs(v) for v in values] + [0.0])
    if top < 0:
        raise ValueError("maximum must not be negative")
    height = PAD_TOP + PAD_BOTTOM + ROW_H * max(len(bars), 1)
    plot_w = WIDTH - LABEL_W - VALUE_W
    key = _id(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'class="chart bar-chart" aria-labelledby="{key}-t {key}-d">'
        f'<title id="{key}-t">{escape(title)}</title>'
        f'<desc id="{key}-d">{escape(description)}</desc>'
    ]
    for n, bar in enumerate(bars):
        y = PAD_TOP + n * ROW_H
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 3}" text-anchor="end" font-size="10" '
            f'fill="#1d2a25">{escape(_short(bar.label))}</text>'
        )
        width = 0.0
        if bar.value is not None and top > 0:
            width = plot_w * min(abs(bar.value), top) / top
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" '
                f'fill="{BAR_FILL}" rx="2"/>'
            )
        colour = "#1d2a25" if bar.value is not None else "#4a5852"
        parts.append(
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + BAR_H - 3}" font-size="10" '
            f'fill="{colour}">{escape(bar.shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _id(title: str) -> str:
    return "bars-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]

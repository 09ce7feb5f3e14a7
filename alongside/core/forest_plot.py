"""A forest plot: one row per group, a point for its ratio and a line for its 95% interval, on
a log scale with a line at 1 (parity), drawn on the server as SVG with presentation attributes
only (strict CSP, no script), like core.charts. Pages show it with its table beside it, which
says the same in numbers. First drawn for area insight: who is let down most.

A ratio on a log scale: 0.5 (half as often) sits as far left of 1 as 2 (twice as often) sits
right of it, so groups let down and groups served well look alike in size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_W = 230  # the group names, on the left
LEFT = LABEL_W + 16
RIGHT = WIDTH - 24
TOP = 16
ROW_H = 34
AXIS_H = 48
POINT_FILL = "#0b5c4b"
FLAGGED_FILL = "#a23b00"
LINE_COLOUR = "#1b1b1b"
MUTED = "#4a4a4a"
NICE_TICKS = (0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10, 20, 50, 100)


@dataclass(frozen=True)
class Row:
    label: str
    ratio: float | None  # None: not shown (hidden to protect people, or not comparable)
    low: float | None
    high: float | None
    flagged: bool = False
    note: str = ""  # why there is no point, in words


@dataclass
class ForestPlot:
    plot_id: str
    title: str
    description: str
    x_label: str = "Ratio (log scale): 1 is parity"
    rows: list[Row] = field(default_factory=list)

    @property
    def drawn(self) -> list[Row]:
        return [r for r in self.rows if r.ratio is not None and r.low and r.high]

    @property
    def empty(self) -> bool:
        return not self.drawn

    @property
    def height(self) -> int:
        return TOP + ROW_H * max(len(self.rows), 1) + AXIS_H

    def _range(self) -> tuple[float, float]:
        values = [v for r in self.drawn for v in (r.low, r.high) if v]
        low = min([1.0, *values])
        high = max([1.0, *values])
        # A little room each side, and never narrower than 0.5 to 2.
        return min(low / 1.15, 0.5), max(high * 1.15, 2.0)

    def ticks(self) -> list[float]:
        low, high = self._range()
        return [t for t in NICE_TICKS if low <= t <= high]

    @property
    def svg(self) -> SafeString:
        if self.empty:
            return mark_safe("")  # noqa: S308 - nothing to escape
        low, high = self._range()
        span = math.log(high) - math.log(low)

        def x_of(value: float) -> float:
            value = min(max(value, low), high)
            return round(LEFT + (math.log(value) - math.log(low)) / span * (RIGHT - LEFT), 2)

        bottom = TOP + ROW_H * len(self.rows)
        parts = [
            format_html(
                '<svg class="chart-svg" viewBox="0 0 {} {}" role="img" '
                'aria-labelledby="{}-title {}-desc" focusable="false" '
                'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
                '<desc id="{}-desc">{}</desc><g font-size="14" fill="{}">',
                WIDTH,
                self.height,
                self.plot_id,
                self.plot_id,
                self.plot_id,
                self.title,
                self.plot_id,
                self.description,
                MUTED,
            )
        ]
        for tick in self.ticks():
            x = x_of(tick)
            parts.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="#d9d9d9" '
                    'stroke-width="1"/><text x="{x}" y="{ty}" text-anchor="middle">{}</text>',
                    _tick(tick),
                    x=x,
                    t=TOP,
                    b=bottom,
                    ty=bottom + 18,
                )
            )
        one = x_of(1.0)
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="{c}" stroke-width="1.5" '
                'stroke-dasharray="4 3"/>'
                '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="{c}" stroke-width="1.5"/>'
                '<text x="{m}" y="{ly}" text-anchor="middle">{lab}</text></g>',
                x=one,
                t=TOP,
                b=bottom,
                c=LINE_COLOUR,
                l=LEFT,
                r=RIGHT,
                m=round((LEFT + RIGHT) / 2, 2),
                ly=bottom + 40,
                lab=self.x_label,
            )
        )
        for index, row in enumerate(self.rows):
            y = TOP + ROW_H * index + ROW_H / 2
            parts.append(
                format_html(
                    '<text x="{}" y="{}" dy="5" text-anchor="end" font-size="14" '
                    'fill="{}">{}</text>',
                    LABEL_W,
                    y,
                    LINE_COLOUR,
                    _short(row.label),
                )
            )
            if row.ratio is None or not row.low or not row.high:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" dy="5" font-size="13" fill="{}">{}</text>',
                        LEFT + 4,
                        y,
                        MUTED,
                        row.note or "not shown",
                    )
                )
                continue
            fill = FLAGGED_FILL if row.flagged else POINT_FILL
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{f}" stroke-width="2.5"/>'
                    '<rect x="{}" y="{}" width="10" height="10" fill="{f}"/>',
                    x_of(row.low),
                    x_of(row.high),
                    round(x_of(row.ratio) - 5, 2),
                    round(y - 5, 2),
                    y=y,
                    f=fill,
                )
            )
        parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
        return SafeString("".join(parts))


def _tick(value: float) -> str:
    return f"{value:g}"


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def describe(title: str, rows: list[Row]) -> str:
    """The plot in one or two sentences, for screen readers: what is drawn and which groups
    stand apart."""
    drawn = [r for r in rows if r.ratio is not None]
    if not drawn:
        return f"{title}: no group has enough people to draw safely."
    above = [r.label for r in drawn if r.flagged and r.ratio is not None and r.ratio > 1]
    below = [r.label for r in drawn if r.flagged and r.ratio is not None and r.ratio < 1]
    words = [
        f"{title}: each group's ratio against parity (1), with its 95% interval, for "
        f"{len(drawn)} of {len(rows)} groups."
    ]
    if below:
        words.append(f"Clearly below 1: {', '.join(below)}.")
    if above:
        words.append(f"Clearly above 1: {', '.join(above)}.")
    if not below and not above:
        words.append("No group's interval lies wholly above or below 1.")
    return " ".join(words)

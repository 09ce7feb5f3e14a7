"""A before-and-during bar chart: for each thing measured, two bars side by side (before a
change was tried, and while it was tried), drawn on the server as SVG with presentation
attributes only (strict CSP, no script), with the numbers written on the bars. Pages show it
with its table beside it, as with core.charts. First drawn for convening's experiments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .charts import number

WIDTH = 600
HEIGHT = 300
LEFT = 56
RIGHT = WIDTH - 24
TOP = 24
BOTTOM = HEIGHT - 64
BEFORE_FILL = "#8a8a8a"
DURING_FILL = "#0b5c4b"


@dataclass(frozen=True)
class Pair:
    label: str
    before: float | None  # None: not shown (suppressed, or no data)
    during: float | None
    before_text: str
    during_text: str


@dataclass
class PairChart:
    """Before and during, side by side, for one or more things measured. Drawn here as SVG
    with presentation attributes only (strict CSP, no script), like core.charts."""

    chart_id: str
    title: str
    description: str
    y_label: str
    y_max: float
    pairs: list[Pair] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return all(p.before is None and p.during is None for p in self.pairs)

    @property
    def svg(self) -> SafeString:
        if self.empty:
            return mark_safe("")  # noqa: S308 - nothing to escape
        plot_h = BOTTOM - TOP
        slot = (RIGHT - LEFT) / max(len(self.pairs), 1)
        bar_w = min(64.0, slot / 3)
        y_max = self.y_max if self.y_max > 0 else 1

        def y_of(value: float) -> float:
            return round(TOP + (1 - min(value, y_max) / y_max) * plot_h, 2)

        parts = [
            format_html(
                '<svg class="chart-svg" viewBox="0 0 {} {}" role="img" '
                'aria-labelledby="{}-title {}-desc" focusable="false" '
                'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
                '<desc id="{}-desc">{}</desc><g font-size="14" fill="#4a4a4a">',
                WIDTH,
                HEIGHT,
                self.chart_id,
                self.chart_id,
                self.chart_id,
                self.title,
                self.chart_id,
                self.description,
            )
        ]
        for tick in _ticks(y_max):
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="#d9d9d9" stroke-width="1"/>'
                    '<text x="{}" y="{y}" dy="5" text-anchor="end">{}</text>',
                    LEFT,
                    RIGHT,
                    LEFT - 8,
                    number(tick),
                    y=y_of(tick),
                )
            )
        parts.append(
            format_html(
                '<line x1="{l}" x2="{l}" y1="{t}" y2="{b}" stroke="#1b1b1b" stroke-width="1.5"/>'
                '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="#1b1b1b" stroke-width="1.5"/>'
                '<text x="16" y="{m}" text-anchor="middle" transform="rotate(-90 16 {m})">{lab}'
                "</text></g>",
                l=LEFT,
                r=RIGHT,
                t=TOP,
                b=BOTTOM,
                m=(TOP + BOTTOM) / 2,
                lab=self.y_label,
            )
        )
        for index, pair in enumerate(self.pairs):
            middle = LEFT + slot * (index + 0.5)
            if pair.before is None and pair.during is None:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="13" '
                        'fill="#1b1b1b">not shown</text>',
                        round(middle, 2),
                        BOTTOM - 6,
                    )
                )
            for offset, value, text, fill, word in (
                (-bar_w - 2, pair.before, pair.before_text, BEFORE_FILL, "before"),
                (2, pair.during, pair.during_text, DURING_FILL, "during"),
            ):
                x = round(middle + offset, 2)
                centre = round(x + bar_w / 2, 2)
                if value is not None:
                    y = y_of(value)
                    parts.append(
                        format_html(
                            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" '
                            'fill="{}"/><text x="{}" y="{}" text-anchor="middle" '
                            'font-size="13" fill="#1b1b1b">{}</text>',
                            x,
                            y,
                            round(bar_w, 2),
                            round(BOTTOM - y, 2),
                            fill,
                            centre,
                            round(y - 6, 2),
                            text,
                        )
                    )
                elif pair.before is not None or pair.during is not None:
                    parts.append(
                        format_html(
                            '<text x="{}" y="{}" text-anchor="middle" font-size="13" '
                            'fill="#1b1b1b">\u2013</text>',
                            centre,
                            BOTTOM - 6,
                        )
                    )
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="13" '
                        'fill="#4a4a4a">{}</text>',
                        centre,
                        BOTTOM + 18,
                        word,
                    )
                )
            if pair.label:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="14" '
                        'fill="#1b1b1b">{}</text>',
                        round(middle, 2),
                        BOTTOM + 40,
                        _short(pair.label, max(6, int(slot / 7))),
                    )
                )
        parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
        return SafeString("".join(parts))


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _ticks(y_max: float) -> list[float]:
    if y_max <= 5:
        step = 1.0
    elif y_max <= 10:
        step = 2.0
    else:
        raw = y_max / 5
        magnitude = 10 ** (len(str(int(raw))) - 1)
        step = float(max(1, round(raw / magnitude)) * magnitude)
    ticks, value = [], 0.0
    while value <= y_max + 1e-9:
        ticks.append(value)
        value += step
    return ticks

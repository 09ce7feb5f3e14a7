"""Server-rendered, accessible SVG line charts (DESIGN.md principle 10).

`line_chart` works out the geometry of one measure over time: a dot for each value, a
line joining them, an optional dashed reference line (such as a national average), axis
ticks, a title and a one-sentence description for screen readers, and the rows of the data
table that always goes beside the picture. `templates/core/chart.html` draws it with
presentation attributes only (no inline style, no script), so it passes a strict CSP and
works with JavaScript off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import escaped

from .words import day_short_month_year

WIDTH = 600
HEIGHT = 320
LEFT = 56
RIGHT = 24
TOP = 24
BOTTOM = 56
MIN_LABEL_GAP = 72  # px between x-axis labels, so they never overlap


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    when: date
    text: str  # the value as shown


@dataclass(frozen=True)
class Tick:
    at: float
    label: str  # a number or a month ("Mar 2026"): nothing in it to escape
    anchor: str = "middle"  # text-anchor, so labels at the ends stay inside the picture


@dataclass(frozen=True)
class Row:
    when: date
    value: float | None
    text: str  # the value, or "Skipped": nothing in it to escape
    band: str
    reference: str  # the reference value, the same on every row: nothing to escape


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    y_label: str
    reference_label: str
    points: list[Point] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    reference_y: float | None = None
    reference_text: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.points

    @property
    def polyline(self) -> str:
        return " ".join([f"{p.x:g},{p.y:g}" for p in self.points])

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def x_label_y(self) -> int:
        return self.bottom + 24

    @property
    def y_label_x(self) -> int:
        return 16

    @property
    def y_label_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def svg(self) -> SafeString:
        """The picture, built here rather than in the template: a chart is a few dozen
        elements, and the template language took most of a person page's time drawing them.
        Every text given to line_chart is escaped by `_e` (as format_html would, for a
        fraction of the calls: a page draws several charts); numbers and the ticks' labels are
        written here and need no escaping."""
        if self.empty:
            return mark_safe("")  # noqa: S308 - nothing to escape
        chart_id = _e(self.chart_id)
        left, right, top, bottom = self.left, self.right, self.top, self.bottom
        parts = [
            f'<svg class="chart-svg" viewBox="{self.view_box}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
            'focusable="false" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{_e(self.title)}</title>'
            f'<desc id="{chart_id}-desc">{_e(self.description)}</desc>'
            '<g font-size="14" fill="#4a4a4a">'
        ]
        # A tick's place is a number and its label a number or a month, made by line_chart:
        # nothing to escape, and a chart has a tick for most of its points.
        parts.extend(
            [
                f'<line x1="{left}" x2="{right}" y1="{tick.at}" y2="{tick.at}" '
                f'stroke="#d9d9d9" stroke-width="1"/><text x="{left - 8}" y="{tick.at}" '
                f'dy="5" text-anchor="end">{tick.label}</text>'
                for tick in self.y_ticks
            ]
        )
        parts.append(
            f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#1b1b1b" '
            f'stroke-width="1.5"/><line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" '
            'stroke="#1b1b1b" stroke-width="1.5"/>'
        )
        label_y = self.x_label_y
        parts.extend(
            [
                f'<line x1="{tick.at}" x2="{tick.at}" y1="{bottom}" y2="{bottom + 6}" '
                f'stroke="#1b1b1b" stroke-width="1.5"/><text x="{tick.at}" y="{label_y}" '
                f'text-anchor="{tick.anchor}">{tick.label}</text>'
                for tick in self.x_ticks
            ]
        )
        x, y = self.y_label_x, _n(self.y_label_y)
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" transform="rotate(-90 {x} {y})">'
            f"{_e(self.y_label)}</text></g>"
        )
        if self.reference_y is not None:
            y = _n(self.reference_y)
            parts.append(
                f'<line class="chart-reference" x1="{left}" x2="{right}" y1="{y}" y2="{y}" '
                'stroke="#4a4a4a" stroke-width="2" stroke-dasharray="8 6"/>'
                f'<text x="{right}" y="{y}" dy="-8" text-anchor="end" font-size="14" '
                f'fill="#1b1b1b">{_e(self.reference_text)}</text>'
            )
        parts.append(
            f'<polyline class="chart-line" points="{_e(self.polyline)}" fill="none" '
            'stroke="#0b5c4b" stroke-width="3" stroke-linejoin="round"/>'
        )
        parts.extend(
            [
                f'<circle class="chart-dot" cx="{point.x}" cy="{point.y}" r="6" fill="#0b5c4b" '
                'stroke="#ffffff" stroke-width="2"/>'
                for point in self.points
            ]
        )
        parts.append("</svg>")
        return SafeString("".join(parts))

    @property
    def figure(self) -> SafeString:
        """The whole figure `templates/core/chart.html` shows: its caption, the picture (or the
        sentence saying there is none yet) and the data table of every check-in. Written here,
        with the template's own line breaks, because a page includes it once a measure and the
        template language spent hundreds of calls a chart looking up these few values."""
        chart_id, title = _e(self.chart_id), _e(self.title)
        if self.empty:
            picture = f'<p class="muted">{_e(self.description)}</p>'
        else:
            picture = self.svg
        table = ""
        if self.rows:
            reference_head = ""
            if self.reference_text:
                label = self.reference_label[:1].upper() + self.reference_label[1:]  # capfirst
                reference_head = f'<th scope="col" class="num">{_e(label)}</th>'
            table = (
                "\n"
                '  <div class="table-wrap" tabindex="0" role="region" '
                f'aria-labelledby="{chart_id}-table">\n'
                "    <table>\n"
                f'      <caption id="{chart_id}-table">{title}: each check-in</caption>\n'
                '      <thead><tr><th scope="col">Date</th><th scope="col" class="num">Score</th>'
                f'<th scope="col">Band</th>{reference_head}</tr></thead>\n'
                "      <tbody>\n"
                f"        {self.table_rows}\n"
                "      </tbody>\n"
                "    </table>\n"
                "  </div>\n"
                "  "
            )
        # The blank, indented lines are where the template's {% if %} tags stood.
        return SafeString(
            f'<figure class="chart" aria-labelledby="{chart_id}-caption">\n'
            f'  <figcaption id="{chart_id}-caption"><h3>{title}</h3></figcaption>\n'
            f"  \n  {picture}\n  \n  {table}\n</figure>"
        )

    @property
    def table_rows(self) -> SafeString:
        """The rows of the data table under the picture, one `<tr>` a check-in, built here for
        the same reason as the picture (a table row cost the template about a hundred calls).
        The whitespace around each row is what the template's loop wrote."""
        with_reference = bool(self.reference_text)
        # A row's value and the reference are numbers (or "Skipped"), made by line_chart; a
        # band's words come from an instrument, a few of them for every row: each escaped once.
        bands = {band: _e(band or "—") for band in {row.band for row in self.rows}}
        return SafeString(
            "".join(
                [
                    f"\n        <tr><td>{_short_day(row.when)}</td>"
                    f'<td class="num">{row.text}</td><td>{bands[row.band]}</td>'
                    + (f'<td class="num">{row.reference}</td>' if with_reference else "")
                    + "</tr>\n        "
                    for row in self.rows
                ]
            )
        )


# The same few days are written in each chart of a page (one a check-in, for every measure).
_short_day = lru_cache(maxsize=4096)(day_short_month_year)


def _e(text: object) -> str:
    """Text escaped for HTML, as Django's conditional_escape does (safe text is left as it is),
    without the lazy-string wrappers that make format_html a dozen calls an argument."""
    if type(text) is str:  # nearly always: no further question to ask
        return escaped(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return escaped(str(text))


def _n(value: float) -> str:
    """A coordinate as the template language wrote it (Django prints floats with repr)."""
    return str(value)


def number(value: float | None) -> str:
    """3 → "3", 7.45 → "7.45", 6.5 → "6.5"."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _when(day: date, other: date) -> str:
    """How a date reads in the description: the month, plus the year or day when needed."""
    if day.year == other.year and day.month == other.month and day != other:
        return f"on {day.day} {day:%B}"
    if day.year != other.year:
        return f"in {day:%B %Y}"
    return f"in {day:%B}"


def describe(
    title: str, values: Sequence[tuple[date, float]], reference: float | None, reference_label: str
) -> str:
    """One sentence a screen reader user gets instead of the picture."""
    if not values:
        sentence = f"{title}: no scores yet."
    elif len(values) == 1:
        ((day, value),) = values
        sentence = f"{title} was {number(value)} {_when(day, day)} {day.year}."
    else:
        (first_day, first), (last_day, last) = values[0], values[-1]
        if last > first:
            verb = f"rose from {number(first)}"
        elif last < first:
            verb = f"fell from {number(first)}"
        else:
            verb = f"was {number(first)}"
        to = f"to {number(last)}" if last != first else f"and {number(last)} again"
        sentence = f"{title} {verb} {_when(first_day, last_day)} {to} {_when(last_day, first_day)}"
        if len(values) > 2:
            sentence += f", over {len(values)} check-ins"
        sentence += "."
    if reference is not None:
        sentence = sentence[:-1] + f"; the {reference_label} is {number(reference)}."
    return sentence


def line_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[tuple[date, float | None]],
    y_min: int,
    y_max: int,
    reference: float | None = None,
    reference_label: str = "UK average",
    band: Callable[[Any], str] | None = None,
    y_label: str = "Score",
    y_step: int | None = None,
) -> Chart:
    """The geometry of one measure over time. `series` is (date, value) in any order; a
    value of None (a skipped answer) gets a table row but no dot."""
    if y_max <= y_min:
        raise ValueError("y_max must be bigger than y_min")
    ordered = sorted(series, key=itemgetter(0))
    chart = Chart(
        chart_id=chart_id,
        title=title,
        description="",
        y_label=y_label,
        reference_label=reference_label,
    )
    plot_w = chart.right - chart.left
    plot_h = chart.bottom - chart.top

    def y_of(value: float) -> float:
        return round(chart.top + (y_max - value) / (y_max - y_min) * plot_h, 2)

    present = [(day, value) for day, value in ordered if value is not None]
    # A measure takes a few values (0 to 10, say) over many check-ins: each value's words,
    # height and band are worked out once.
    distinct = {value for _, value in present}
    texts = {value: number(value) for value in distinct}
    heights = {value: y_of(value) for value in distinct}
    bands = {value: band(value) for value in distinct} if band else {}
    if present:
        first, last = present[0][0], present[-1][0]
        span = (last - first).days
        for day, value in present:
            if span == 0:
                x = chart.left + plot_w / 2
            else:
                x = chart.left + (day - first).days / span * plot_w
            chart.points.append(Point(round(x, 2), heights[value], value, day, texts[value]))
        shown_at: float | None = None
        for point in chart.points:
            if shown_at is None or point.x - shown_at >= MIN_LABEL_GAP:
                chart.x_ticks.append(Tick(point.x, f"{point.when:%b %Y}"))
                shown_at = point.x
        # Always label the most recent check-in, moving earlier labels aside if needed.
        final = chart.points[-1]
        if chart.x_ticks[-1].at != final.x:
            if final.x - chart.x_ticks[-1].at < MIN_LABEL_GAP:
                chart.x_ticks.pop()
            chart.x_ticks.append(Tick(final.x, f"{final.when:%b %Y}"))

    step = y_step or max(1, (y_max - y_min) // 5)
    chart.y_ticks = [Tick(y_of(v), str(v)) for v in range(y_min, y_max + 1, step)]
    if reference is not None:
        chart.reference_y = y_of(min(max(reference, y_min), y_max))
        chart.reference_text = f"{reference_label} {number(reference)}"
    reference_words = number(reference)  # the same on every row
    chart.rows = [
        Row(
            when=day,
            value=value,
            text=texts[value] if value is not None else "Skipped",
            band=(bands[value] if band and value is not None else ""),
            reference=reference_words,
        )
        for day, value in ordered
    ]
    chart.x_ticks = [
        Tick(t.at, t.label, _anchor(t.at, chart.left, chart.right)) for t in chart.x_ticks
    ]
    chart.description = describe(title, present, reference, reference_label)
    return chart


def _anchor(x: float, left: float, right: float) -> str:
    if x - left < 32:
        return "start"
    if right - x < 32:
        return "end"
    return "middle"

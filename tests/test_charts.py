"""The SVG line chart: points in the right place, gaps skipped, one point, no data."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template.loader import render_to_string

from alongside.core import charts


def chart(series, **extra):
    options = {"chart_id": "c", "title": "Life satisfaction", "y_min": 0, "y_max": 10}
    options.update(extra)
    return charts.line_chart(series=series, **options)


def test_points_are_placed_by_date_and_value():
    c = chart([(date(2026, 1, 1), 0), (date(2026, 1, 11), 10), (date(2026, 1, 21), 5)])
    left, right, top, bottom = c.left, c.right, c.top, c.bottom
    assert [(p.x, p.y) for p in c.points] == [
        (left, bottom),
        ((left + right) / 2, top),
        (right, (top + bottom) / 2),
    ]
    assert c.polyline == " ".join(f"{p.x:g},{p.y:g}" for p in c.points)


def test_points_follow_the_dates_not_the_order_given():
    c = chart([(date(2026, 3, 1), 7), (date(2026, 1, 1), 3)])
    assert [p.value for p in c.points] == [3, 7]
    assert c.points[0].x < c.points[1].x


def test_missing_values_are_skipped_but_kept_in_the_table():
    c = chart([(date(2026, 1, 1), 2), (date(2026, 2, 1), None), (date(2026, 3, 1), 8)])
    assert [p.value for p in c.points] == [2, 8]
    assert [row.text for row in c.rows] == ["2", "Skipped", "8"]


def test_a_single_point_sits_in_the_middle():
    c = chart([(date(2026, 5, 4), 6)], reference=7.45)
    assert len(c.points) == 1
    assert c.points[0].x == (c.left + c.right) / 2
    assert c.description == "Life satisfaction was 6 in May 2026; the UK average is 7.45."


def test_no_data_says_so():
    c = chart([], reference=7.45)
    assert c.empty
    assert c.description == "Life satisfaction: no scores yet; the UK average is 7.45."
    c = chart([(date(2026, 5, 4), None)])
    assert c.empty and c.rows[0].text == "Skipped"
    html = render_to_string("core/chart.html", {"chart": chart([])})
    assert "<svg" not in html and "no scores yet" in html


def test_reference_line_and_description():
    c = chart(
        [(date(2026, 3, 9), 3), (date(2026, 6, 2), 4), (date(2026, 10, 27), 7)],
        reference=7.45,
        band=lambda v: "High" if v >= 7 else "Low",
    )
    assert c.reference_y == pytest.approx(c.top + (10 - 7.45) / 10 * (c.bottom - c.top), abs=0.01)
    assert c.description == (
        "Life satisfaction rose from 3 in March to 7 in October, over 3 check-ins; "
        "the UK average is 7.45."
    )
    assert [row.band for row in c.rows] == ["Low", "Low", "High"]
    assert all(row.reference == "7.45" for row in c.rows)


def test_falling_and_steady_and_across_years():
    falling = chart([(date(2025, 11, 1), 8), (date(2026, 2, 1), 4)])
    assert (
        falling.description
        == "Life satisfaction fell from 8 in November 2025 to 4 in February 2026."
    )
    steady = chart([(date(2026, 3, 2), 5), (date(2026, 3, 20), 5)])
    assert steady.description == "Life satisfaction was 5 on 2 March and 5 again on 20 March."


def test_x_labels_never_crowd_and_the_latest_is_always_labelled():
    days = [date(2026, 1, d) for d in range(1, 29)]
    c = chart([(d, 5) for d in days])
    gaps = [b.at - a.at for a, b in zip(c.x_ticks, c.x_ticks[1:], strict=False)]
    assert all(gap >= charts.MIN_LABEL_GAP for gap in gaps)
    assert c.x_ticks[-1].at == c.points[-1].x
    assert c.x_ticks[0].anchor == "start" and c.x_ticks[-1].anchor == "end"


def test_the_svg_is_accessible_and_has_no_inline_style_or_script():
    c = chart([(date(2026, 3, 9), 3), (date(2026, 10, 27), 7)], reference=7.45)
    html = render_to_string("core/chart.html", {"chart": c})
    assert 'role="img"' in html
    assert 'aria-labelledby="c-title c-desc"' in html
    assert '<title id="c-title">Life satisfaction</title>' in html
    assert "rose from 3 in March to 7 in October; the UK average is 7.45." in html
    assert 'stroke-dasharray="8 6"' in html  # the national average, dashed
    assert len(re.findall(r"<circle ", html)) == 2
    assert "style=" not in html and "<script" not in html
    assert "<table>" in html and "UK average" in html


def test_a_bad_scale_is_refused():
    with pytest.raises(ValueError):
        chart([], y_min=5, y_max=5)


def test_the_figure_escapes_every_word_and_writes_the_table_as_the_template_did():
    """The figure is written in Python for speed: words are escaped as the template would."""
    c = chart(
        [(date(2026, 9, 3), 3), (date(2026, 10, 27), None)],
        chart_id='c"1',
        title="Calm <b> & 'so'",
        band=lambda v: "<Low>",
        y_label="Score <0 to 10>",
    )
    html = render_to_string("core/chart.html", {"chart": c})
    assert "<b>" not in html and "<Low>" not in html and "<0 to 10>" not in html
    assert "<h3>Calm &lt;b&gt; &amp; &#x27;so&#x27;</h3>" in html
    assert 'id="c&quot;1-caption"' in html
    assert '<tr><td>3 Sep 2026</td><td class="num">3</td><td>&lt;Low&gt;</td></tr>' in html
    assert '<tr><td>27 Oct 2026</td><td class="num">Skipped</td><td>—</td></tr>' in html
    assert "UK average" not in html  # no reference, no column for it

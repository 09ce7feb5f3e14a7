"""The forest plot: a log scale centred on parity, accessible, and safe with any group name."""

from __future__ import annotations

import re

from alongside.core.forest_plot import ForestPlot, Row, describe


def _plot(rows):
    return ForestPlot(plot_id="p", title="Housed", description=describe("Housed", rows), rows=rows)


def test_half_and_double_sit_equally_far_from_parity_and_names_are_escaped():
    rows = [
        Row("<script>alert(1)</script>", 0.5, 0.4, 0.6, flagged=True),
        Row("Women", 2.0, 1.5, 2.5, flagged=True),
        Row("Men", None, None, None, note="hidden, to protect people"),
    ]
    svg = str(_plot(rows).svg)
    assert 'role="img"' in svg and '<title id="p-title">Housed</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "hidden, to protect people" in svg
    # The dashed line at 1, and the two squares (10 wide) either side of it.
    one = float(re.search(r'<line x1="([\d.]+)"[^>]*stroke-dasharray', svg)[1])
    squares = [float(x) + 5 for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    assert len(squares) == 2
    assert abs((one - squares[0]) - (squares[1] - one)) < 0.05


def test_the_description_says_which_groups_stand_apart():
    rows = [
        Row("Black residents", 0.5, 0.4, 0.6, flagged=True),
        Row("White residents", 1.1, 0.9, 1.3),
    ]
    words = describe("Housed", rows)
    assert "Clearly below 1: Black residents." in words
    assert "White residents" not in words
    assert _plot([Row("A", None, None, None)]).empty
    assert str(_plot([Row("A", None, None, None)]).svg) == ""

"""Disclosure control: counts under 10 hidden, others rounded to 5, no cell recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alongside.core.disclosure import ROUND_TO, THRESHOLD, protect, protect_table

counts = st.integers(min_value=0, max_value=100_000)
tables = st.dictionaries(st.text(min_size=1, max_size=8), counts, min_size=1, max_size=8)


@given(counts)
def test_a_single_count_is_suppressed_or_rounded(n):
    cell = protect(n)
    if n < THRESHOLD:
        assert cell.suppressed
        assert str(cell) == "fewer than 10"
    else:
        assert cell.value % ROUND_TO == 0
        assert abs(cell.value - n) <= ROUND_TO // 2
        assert cell.value >= THRESHOLD


def test_edges():
    assert protect(9).suppressed
    assert protect(10).value == 10
    assert protect(12).value == 10
    assert protect(13).value == 15
    assert str(protect(1234)) == "1,235"


@given(tables)
def test_no_table_ever_shows_a_small_count(table):
    cells, total = protect_table(table)
    assert set(cells) == set(table)
    for key, cell in cells.items():
        if table[key] < THRESHOLD:
            assert cell.suppressed, key
    assert total.suppressed == (sum(table.values()) < THRESHOLD)


@given(tables)
def test_a_lone_suppressed_cell_cannot_be_worked_out_from_the_total(table):
    cells, total = protect_table(table)
    hidden = [key for key, cell in cells.items() if cell.suppressed]
    if total.suppressed:
        return
    # With the total shown, one hidden cell is total minus the others: never leave one alone.
    assert len(hidden) != 1


def test_secondary_suppression_hides_the_next_smallest():
    cells, total = protect_table({"paused": 3, "working together": 40, "ended": 12})
    assert cells["paused"].suppressed
    assert cells["ended"].suppressed
    assert cells["working together"].value == 40
    assert total.value == 55

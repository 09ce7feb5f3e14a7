"""Secondary suppression holds for any table: no hidden cell is the total minus what is shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.core.disclosure import ROUND_TO, THRESHOLD, protect_table, round_count

small_or_large = st.one_of(st.integers(0, 12), st.integers(0, 5_000))
tables = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), small_or_large, min_size=1, max_size=7
)


@settings(max_examples=30)
@given(tables)
def test_no_hidden_cell_can_be_worked_out_and_every_shown_cell_is_safe(table):
    cells, total = protect_table(table)
    hidden = [key for key, cell in cells.items() if cell.suppressed]
    shown = [cell.value for cell in cells.values() if not cell.suppressed]
    for value in shown:
        assert value % ROUND_TO == 0
        assert value >= THRESHOLD
    if total.value is not None:
        assert total.value % ROUND_TO == 0
        # With the total shown, a single hidden cell would be the total minus the others.
        assert len(hidden) != 1
        if hidden:
            # Two or more hidden cells: their sum is known, none of them is.
            assert len(hidden) >= 2
    for key in hidden:
        others_known = total.value is not None and len(hidden) == 1
        assert not others_known, key


@settings(max_examples=30)
@given(
    st.dictionaries(st.text(alphabet="xyz", min_size=1), st.integers(THRESHOLD, 10**6), min_size=1)
)
def test_a_table_with_no_small_cells_is_only_rounded(table):
    cells, total = protect_table(table)
    assert {key: cell.value for key, cell in cells.items()} == {
        key: round_count(value) for key, value in table.items()
    }
    assert total.value == round_count(sum(table.values()))

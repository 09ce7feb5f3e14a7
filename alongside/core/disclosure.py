"""Disclosure control for every aggregate shown outside a person's own coaching team.

DESIGN.md principle 9: counts under 10 are suppressed, the rest rounded to the nearest 5,
and where a total would let someone work out a suppressed cell, the next smallest cell is
suppressed too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 10
ROUND_TO = 5


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when suppressed

    def __str__(self) -> str:
        return "fewer than 10" if self.value is None else f"{self.value:,}"

    @property
    def suppressed(self) -> bool:
        return self.value is None


def round_count(count: int) -> int:
    return int(ROUND_TO * round(count / ROUND_TO))


def protect(count: int) -> Cell:
    """One count on its own."""
    if count < THRESHOLD:
        return Cell(None)
    return Cell(round_count(count))


def protect_table(counts: Mapping[str, int]) -> tuple[dict[str, Cell], Cell]:
    """Cells and their total. If exactly one cell is suppressed while the total is shown,
    the total minus the others would reveal it, so the next smallest cell goes too."""
    cells = {key: protect(value) for key, value in counts.items()}
    total = protect(sum(counts.values()))
    suppressed = [key for key, cell in cells.items() if cell.suppressed]
    if len(suppressed) == 1 and not total.suppressed:
        shown = sorted((value, key) for key, value in counts.items() if key not in suppressed)
        if shown:
            cells[shown[0][1]] = Cell(None)
    return cells, total

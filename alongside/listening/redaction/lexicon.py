"""The word lists behind name detection, read once from data/ beside this file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

GIVEN = 1
SURNAME = 2
WORD = 4  # also an everyday word: "Hope", "Mark", "Green"
PLACE = 8  # also a place, month or country: "Chester", "May", "Jordan"


@dataclass(frozen=True)
class Lexicon:
    flags: dict[str, int]  # casefolded name -> GIVEN | SURNAME | WORD | PLACE
    not_names: tuple[str, ...]  # phrases to leave alone, longest first


def _lines(filename: str) -> list[str]:
    text = (DATA / filename).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and s[0] != "#"]


@cache
def lexicon() -> Lexicon:
    flags: dict[str, int] = {}
    for filename, flag in (
        ("given_names.txt", GIVEN),
        ("surnames.txt", SURNAME),
        ("name_words.txt", WORD),
        ("name_places.txt", PLACE),
    ):
        for word in _lines(filename):
            key = word.casefold()
            flags[key] = flags.get(key, 0) | flag
    not_names = tuple(sorted(_lines("not_names.txt"), key=len, reverse=True))
    return Lexicon(flags, not_names)

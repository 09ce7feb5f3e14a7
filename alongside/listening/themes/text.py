"""Words out of contributions, shared by every method and by the labels."""

from __future__ import annotations

import re
import unicodedata

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[a-z0-9]+")
# Spoken contributions are full of these; they say nothing about what a contribution is about.
EXTRA_STOP_WORDS = frozenset(
    """
    just really like got get gets getting go going gone went come came say said says tell told
    know knew think thought did does doing don didn doesn isn wasn weren won wouldn couldn
    shouldn ve ll re im ive id dont cant wont thats theres theyre youre s t d m
    thing things lot lots bit way ever one two also still even much many every
    """.split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP_WORDS


def normalise(text: str) -> str:
    """Small letters without accents, as the sentence model's own tokeniser makes them."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    return WORD.findall(normalise(text))


def content_words(text: str) -> list[str]:
    """Words without stop words; all the words when a text has nothing else ("I did")."""
    all_words = words(text)
    kept = [w for w in all_words if w not in STOP_WORDS]
    return kept or all_words

"""The language prompt (DESIGN.md principle 6): gently offer kinder words, never block.

The default phrases live here; an organisation adds its own or switches a default off with
LanguageWord rows. `find(text, organisation)` is for any form that takes free text.

tests/test_language.py scans quoted Python strings for deficit words, so every line below
that names one also carries the word "deficit" in a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .models import LanguageWord

# (phrase, a kinder alternative). Matched case-insensitively as whole words.
DEFAULTS: tuple[tuple[str, str], ...] = (
    ("client", "the person, or their name"),  # deficit phrase
    ("service user", "the person, or their name"),  # deficit phrase
    ("case", "the person, or the work we're doing together"),  # deficit phrase
    ("caseload", "the people I work alongside"),  # deficit phrase
    ("chaotic", "going through a lot right now"),  # deficit phrase
    ("non-compliant", "chose differently: what mattered to them?"),  # deficit phrase
    ("refused to engage", "wasn't ready yet, or it wasn't the right offer"),  # deficit phrase
    ("disengaged", "we haven't heard from them lately: how can we keep in touch?"),  # deficit
    ("hard to reach", "we haven't yet found a way that works for them"),  # deficit phrase
    ("manipulative", "trying to get a need met"),  # deficit phrase
    ("attention seeking", "looking for connection"),  # deficit phrase
    ("challenging behaviour", "having a hard time: what was going on for them?"),  # deficit
    ("vulnerable", "going through a tough time (say what, in their words)"),  # deficit phrase
    ("failed to attend", "didn't come: what got in the way?"),  # deficit phrase
    ("lacks insight", "sees it differently"),  # deficit phrase
    ("in denial", "not ready to talk about it yet"),  # deficit phrase
    ("complex needs", "a lot going on (say what, in their words)"),  # deficit phrase
)


@dataclass(frozen=True)
class Match:
    phrase: str
    suggestion: str


@lru_cache(maxsize=512)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def phrases_for(organisation: Any) -> list[Match]:
    """The organisation's active list: the defaults, less those switched off, plus its own."""
    own = {w.phrase.lower(): w for w in LanguageWord.objects.filter(organisation=organisation)}
    result: list[Match] = []
    for phrase, suggestion in DEFAULTS:
        word = own.pop(phrase, None)
        if word is None:
            result.append(Match(phrase, suggestion))
        elif word.active:
            result.append(Match(phrase, word.suggestion or suggestion))
    result.extend(Match(w.phrase, w.suggestion) for w in own.values() if w.active)
    return result


def matches_phrase(phrase: str, text: str) -> bool:
    return bool(_pattern(phrase).search(text or ""))


def find(text: str, organisation: Any) -> list[Match]:
    """The phrases from the organisation's list that appear in `text`, in list order."""
    if not text or not text.strip():
        return []
    return [m for m in phrases_for(organisation) if _pattern(m.phrase).search(text)]


@dataclass(frozen=True)
class ListedPhrase:
    phrase: str
    suggestion: str
    active: bool
    is_default: bool


def full_list(words: Iterable[tuple[str, str, bool]]) -> list[ListedPhrase]:
    """Every phrase, switched on or off, for the organisation's own page, from its own words
    (phrase, suggestion, active): the defaults first, then the organisation's additions."""
    own = {phrase.lower(): (phrase, suggestion, active) for phrase, suggestion, active in words}
    listed: list[ListedPhrase] = []
    for phrase, suggestion in DEFAULTS:
        word = own.pop(phrase, None)
        listed.append(
            ListedPhrase(
                phrase,
                (word[1] if word else "") or suggestion,
                word[2] if word else True,
                True,
            )
        )
    listed.extend(
        ListedPhrase(phrase, suggestion, active, False)
        for phrase, suggestion, active in own.values()
    )
    return listed

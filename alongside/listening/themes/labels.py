"""Keywords and a short label for each suggested theme.

A keyword is a word or two-word phrase that the theme's members use much more than the other
contributions do (a lift score, like TF-IDF of the theme against the rest), favouring words used
by the theme's most typical members (those nearest its centre). A phrase is two words written
side by side with nothing between them ("mental health", "food bank"), never across a comma or
a full stop, and it takes the place of its own word when people use it for much of that word's
use. No two keywords share a word (by a light fold: "sanction", "sanctions", "sanctioned" are
one); each keyword is shown in the form the theme's own members write most ("housing", not the
"house" that other themes say). A small theme whose words rarely pass the strict test still gets
a name: when fewer than two keywords pass, looser rules fill the list (see RULES). The label is
the first two or three keywords, three words at most, joined as a person would write them
("Damp, mould and landlord", "Mental health and therapy"): a starting point the team renames.
How well they read is measured in naming.py (docs/listening-themes.md)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .text import STOP_WORDS, normalise

KEYWORDS = 8
MIN_WORD_LENGTH = 3
LABEL_MAX_WORDS = 3
LABEL_MAX_KEYWORDS = 3
# The best-lifted terms considered before nearness to the theme's centre reorders them.
CANDIDATES = 40
# Affinity below this adds nothing; the floor keeps a distinctive word that the vectors place
# poorly (a rare name, a misspelling) from vanishing altogether.
AFFINITY_FLOOR = 0.1
# A term used barely more inside the theme than outside it ("felt", "asked") names nothing:
# it must be used at least this many times as often inside.
MIN_RATIO = 2.0
# A phrase replaces its own word among the keywords ("health" -> "mental health") when at
# least this share of the members using the word use the phrase.
PHRASE_SHARE = 0.5
# Words that name no experience on their own: everyday verbs, time, size and manner words,
# people in general. Under the strict rule a keyword made only of these is left out ("felt",
# "late", "same day"); in a phrase with a telling word they stay ("hot meal", "long wait").
# Chosen by kind of word, not from any labelled set.
GENERIC = frozenset(
    """
    actually asked asking bad better big came called calling changed days day different early
    end ended feel feeling felt gave giving good happen happened having help helped helps hour
    hours kept kind late lot long look looked looking made make makes man men minute minutes
    month months moved morning new night nights old person people picked place proper read real
    remember right ring rang said sat saw see seen sent showed small someone spent spoke start
    started stay stayed stop stopped sure time times today told took tried turned use used
    wanted week weeks whole woman women word words wrote year years young
    """.split()
)


@dataclass(frozen=True)
class Rule:
    """What a term needs to be a keyword: used by at least `floor` members (one in a theme of
    fewer than twice that), at least `min_ratio` times as often inside the theme as outside
    (None: any term the members use), and telling on its own unless `generic`."""

    min_ratio: float | None
    generic: bool
    floor: int = 2


STRICT = Rule(min_ratio=MIN_RATIO, generic=False)
# Tried in turn while a theme has fewer than FALLBACK_BELOW keywords, each filling the list
# after what the stricter rules found: a small theme (20 members) often has a single word used
# twice as often inside as outside, which names nothing. Then any term used more inside than
# outside, telling ones before everyday ones; then a word of one member; then the words the
# members use most. Stop words and contraction pieces never qualify, so "Theme 4" means there
# was truly nothing to say.
RULES = (
    STRICT,
    Rule(min_ratio=1.0, generic=False),
    Rule(min_ratio=1.0, generic=True),
    Rule(min_ratio=1.0, generic=True, floor=1),
    Rule(min_ratio=None, generic=True, floor=1),
)
FALLBACK_BELOW = 2
# What the fold leaves on a word that is still the same word to a reader.
ENDINGS = frozenset({"", "ment", "ments", "er", "ers", "ing", "ed", "es", "s", "ness", "ful"})
# A word, with "'s" or "'" after it when possessive. Other endings after an apostrophe make a
# contraction ("haven't", "I'd"), which is no keyword: its first part alone is a fragment.
TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]*)?")

# (candidate keywords, group number) -> similarity of each keyword to the group's centre
Affinity = Callable[[list[str], int], np.ndarray]


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """A light stem, so that words a reader takes as one match: "sanction", "sanctions" and
    "sanctioned"; "believe" and "believed"; "family" and "families". Never shown to anyone."""
    word = word.lower()
    if word.endswith("ies") and len(word) >= 5:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) >= 5 and not word.endswith("ee"):
        word = word[:-1]
    return word


_GENERIC_FOLDS = frozenset(fold(w) for w in GENERIC)


def _related(a: str, b: str) -> bool:
    """Two folded words a reader takes as one word: the same fold, or one the other with an
    ending ("pay" and "payment", "work" and "worker"; not "police" and "policy")."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short) :] in ENDINGS


def _usable(word: str) -> bool:
    return word not in STOP_WORDS and len(word) >= MIN_WORD_LENGTH and not word.isdigit()


def _telling(term: str) -> bool:
    """Whether a (folded) term says something besides everyday words."""
    return not all(w in _GENERIC_FOLDS for w in term.split())


def _terms(text: str) -> dict[str, str]:
    """Folded term -> the form used, for the words and side-by-side word pairs of a text."""
    text = normalise(text)
    terms: dict[str, str] = {}
    previous: tuple[str, int] | None = None  # a usable word that a pair may start with, its end
    for match in TOKEN.finditer(text):
        token = match.group()
        word, apostrophe, ending = token.replace("\u2019", "'").partition("'")
        if apostrophe and ending not in ("", "s"):
            previous = None
            continue
        if not _usable(word):
            previous = None
            continue
        key = fold(word)
        terms.setdefault(key, word)
        if previous is not None and text[previous[1] : match.start()] == " ":
            first = previous[0]
            if not _related(fold(first), key):  # "waiting waiting" is no phrase
                terms.setdefault(f"{fold(first)} {key}", f"{first} {word}")
        # A possessive ends a phrase: "mum's flat" is not "mum flat".
        previous = None if apostrophe else (word, match.end())
    return terms


def _lift_scores(
    members: Sequence[int],
    doc_terms: list[dict[str, str]],
    doc_freq: Counter,
    total: int,
    centrality: dict[int, float],
    rule: Rule = STRICT,
) -> tuple[list[tuple[float, str]], Counter]:
    inside: Counter = Counter()
    closeness: dict[str, float] = {}
    for i in members:
        for term in doc_terms[i]:
            inside[term] += 1
            closeness[term] = closeness.get(term, 0.0) + centrality[i]
    size = len(members)
    # A keyword shared by a single member says little about a theme of any size.
    floor = rule.floor if size >= 2 * rule.floor else 1
    scored = []
    for term, count in inside.items():
        if count < floor or not (rule.generic or _telling(term)):
            continue
        p_in = count / size
        p_out = (doc_freq[term] - count + 0.5) / (total - size + 1)
        if rule.min_ratio is None:
            lift = p_in  # the last resort: what the members say most
        elif p_in < rule.min_ratio * p_out or p_in <= p_out:
            continue
        else:
            lift = p_in * math.log2(p_in / p_out)
        scored.append((lift * closeness[term] / count, term))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return scored, inside


def _choose(scored: Sequence[tuple[float, str]], inside: Counter) -> list[str]:
    """The best terms, no two sharing a word; a phrase in place of its words when it is how
    people say them ("mental health" rather than "health" and "mental")."""
    chosen: list[str] = []
    for _, term in scored:
        parts = term.split()
        clashes = [
            n
            for n, kept in enumerate(chosen)
            if any(_related(p, q) for p in parts for q in kept.split())
        ]
        if not clashes:
            chosen.append(term)
        elif len(parts) > 1 and all(chosen[n] in parts for n in clashes):
            if inside[term] >= PHRASE_SHARE * max(inside[chosen[n]] for n in clashes):
                chosen[clashes[0]] = term
                for n in reversed(clashes[1:]):
                    del chosen[n]
        if len(chosen) == KEYWORDS:
            break
    return chosen


def _theme_form(term: str, members: Sequence[int], doc_terms: list[dict[str, str]]) -> str:
    """The form of a folded term that most of the theme's members write, alphabetical on a
    tie: a theme about housing says "housing" though the whole exercise says "house" more."""
    forms = Counter(doc_terms[i][term] for i in members if term in doc_terms[i])
    return min(forms.items(), key=lambda item: (-item[1], item[0]))[0]


def keywords_for(
    groups: Sequence[Sequence[int]],
    texts: Sequence[str],
    similarity: np.ndarray,
    affinity: Affinity | None = None,
) -> list[list[str]]:
    """Up to KEYWORDS keywords per group, most telling first, each as the group's members write
    it; looser rules (RULES) fill in when fewer than FALLBACK_BELOW pass the strict one.
    `similarity` is each text's similarity to its own group's centre (any scale: it is compared
    within a group only); `affinity`, when the method has word vectors, favours keywords near
    the group's centre."""
    doc_terms = [_terms(t) for t in texts]
    doc_freq: Counter = Counter()
    for terms in doc_terms:
        doc_freq.update(terms.keys())

    result = []
    for number, members in enumerate(groups):
        sims = np.asarray([similarity[i] for i in members], dtype=np.float64)
        mean = float(sims.mean()) if sims.size and sims.mean() > 0 else 1.0
        centrality = {i: max(float(similarity[i]), 0.0) / mean + 0.5 for i in members}
        ranked: list[tuple[float, str]] = []
        chosen: list[str] = []
        for rule in RULES:
            scored, inside = _lift_scores(
                members, doc_terms, doc_freq, len(texts), centrality, rule
            )
            known = {term for _, term in ranked}
            scored = [pair for pair in scored if pair[1] not in known][:CANDIDATES]
            if affinity is not None and scored:
                forms = [_theme_form(term, members, doc_terms) for _, term in scored]
                near = affinity(forms, number)
                scored = sorted(
                    (
                        (score * max(float(a), AFFINITY_FLOOR), term)
                        for (score, term), a in zip(scored, near, strict=True)
                    ),
                    key=lambda pair: (-pair[0], pair[1]),
                )
            # A looser rule's terms come after every term of the stricter ones.
            ranked.extend(scored)
            chosen = _choose(ranked, inside)
            if len(chosen) >= FALLBACK_BELOW:
                break
        result.append([_theme_form(term, members, doc_terms) for term in chosen])
    return result


def _join(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def label_for(keywords: Sequence[str], position: int) -> str:
    """The first two or three keywords, three words at most, as a person would write them:
    "Damp, mould and landlord", "Mental health and therapy". A theme with a single word to its
    name says so: "Damp (theme 3)"."""
    picked: list[str] = []
    folds: list[str] = []
    count = 0
    for keyword in keywords:
        parts = [fold(w) for w in keyword.split()]
        if count + len(parts) > LABEL_MAX_WORDS:
            continue
        if any(_related(p, q) for p in parts for q in folds):
            continue
        picked.append(keyword)
        folds.extend(parts)
        count += len(parts)
        if len(picked) == LABEL_MAX_KEYWORDS or count == LABEL_MAX_WORDS:
            break
    if count < 2:
        return f"Theme {position}" if not picked else f"{picked[0].capitalize()} (theme {position})"
    text = _join(picked)
    return text[0].upper() + text[1:]

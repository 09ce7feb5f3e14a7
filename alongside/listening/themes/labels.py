"""Keywords and a short label for each suggested theme.

A keyword is a word or two-word phrase that the theme's members use much more than the other
contributions do (a lift score, like TF-IDF of the theme against the rest), favouring words used
by the theme's most typical members (those nearest its centre). The label is the first two or
three keywords, 2-4 words in all: a starting point the team renames."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from .text import STOP_WORDS, words

KEYWORDS = 8
MIN_WORD_LENGTH = 3
LABEL_MAX_WORDS = 4
LABEL_MAX_KEYWORDS = 3
# The best-lifted terms considered before nearness to the theme's centre reorders them.
CANDIDATES = 40
# Affinity below this adds nothing; the floor keeps a distinctive word that the vectors place
# poorly (a rare name, a misspelling) from vanishing altogether.
AFFINITY_FLOOR = 0.1

# (candidate keywords, group number) -> similarity of each keyword to the group's centre
Affinity = Callable[[list[str], int], np.ndarray]


def _stem(word: str) -> str:
    """Just enough folding that "sanction", "sanctions" and "sanctioned" count as one."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> dict[str, str]:
    """Stemmed term → the surface form used, for the words and adjacent word pairs of a text."""
    sequence = words(text)
    usable = [
        w not in STOP_WORDS and len(w) >= MIN_WORD_LENGTH and not w.isdigit() for w in sequence
    ]
    terms: dict[str, str] = {}
    for i, word in enumerate(sequence):
        if not usable[i]:
            continue
        terms.setdefault(_stem(word), word)
        if i + 1 < len(sequence) and usable[i + 1]:
            pair = f"{word} {sequence[i + 1]}"
            terms.setdefault(f"{_stem(word)} {_stem(sequence[i + 1])}", pair)
    return terms


def _lift_scores(
    members: Sequence[int],
    doc_terms: list[dict[str, str]],
    doc_freq: Counter,
    total: int,
    centrality: dict[int, float],
) -> list[tuple[float, str]]:
    inside: Counter = Counter()
    closeness: dict[str, float] = {}
    for i in members:
        for term in doc_terms[i]:
            inside[term] += 1
            closeness[term] = closeness.get(term, 0.0) + centrality[i]
    size = len(members)
    # A keyword shared by a single member says little about a theme of any size.
    floor = 2 if size >= 4 else 1
    scored = []
    for term, count in inside.items():
        if count < floor:
            continue
        p_in = count / size
        p_out = (doc_freq[term] - count + 0.5) / (total - size + 1)
        if p_in <= p_out:
            continue
        lift = p_in * math.log2(p_in / p_out)
        scored.append((lift * closeness[term] / count, term))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return scored


def keywords_for(
    groups: Sequence[Sequence[int]],
    texts: Sequence[str],
    similarity: np.ndarray,
    affinity: Affinity | None = None,
) -> list[list[str]]:
    """Up to KEYWORDS keywords per group, most telling first. `similarity` is each text's
    similarity to its own group's centre (any scale: it is compared within a group only);
    `affinity`, when the method has word vectors, favours keywords near the group's centre."""
    doc_terms = [_terms(t) for t in texts]
    doc_freq: Counter = Counter()
    for terms in doc_terms:
        doc_freq.update(terms.keys())
    surface: dict[str, Counter] = {}
    for terms in doc_terms:
        for key, form in terms.items():
            surface.setdefault(key, Counter())[form] += 1

    def form_of(term: str) -> str:
        # The form people used most often, alphabetical on a tie.
        return min(surface[term].items(), key=lambda item: (-item[1], item[0]))[0]

    result = []
    for number, members in enumerate(groups):
        sims = np.asarray([similarity[i] for i in members], dtype=np.float64)
        mean = float(sims.mean()) if sims.size and sims.mean() > 0 else 1.0
        centrality = {i: max(float(similarity[i]), 0.0) / mean + 0.5 for i in members}
        scored = _lift_scores(members, doc_terms, doc_freq, len(texts), centrality)[:CANDIDATES]
        if affinity is not None and scored:
            near = affinity([form_of(term) for _, term in scored], number)
            scored = sorted(
                (
                    (score * max(float(a), AFFINITY_FLOOR), term)
                    for (score, term), a in zip(scored, near, strict=True)
                ),
                key=lambda pair: (-pair[0], pair[1]),
            )
        chosen: list[str] = []
        covered: set[str] = set()
        for _, term in scored:
            parts = term.split()
            if all(p in covered for p in parts):
                continue
            form = form_of(term)
            chosen.append(form)
            covered.update(parts)
            if len(chosen) == KEYWORDS:
                break
        result.append(chosen)
    return result


def label_for(keywords: Sequence[str], position: int) -> str:
    """2-4 words from the first keywords, e.g. "Mould, damp, landlord"."""
    picked: list[str] = []
    count = 0
    for keyword in keywords:
        size = len(keyword.split())
        if count + size > LABEL_MAX_WORDS:
            continue
        picked.append(keyword)
        count += size
        if len(picked) == LABEL_MAX_KEYWORDS or count == LABEL_MAX_WORDS:
            break
    if count < 2:
        return f"Theme {position}" if not picked else f"{picked[0].capitalize()} (theme {position})"
    text = ", ".join(picked)
    return text[0].upper() + text[1:]

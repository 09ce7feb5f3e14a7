"""Suggest themes for a listening exercise's contributions. A suggestion only: the team owns
the themes once it has them (see alongside/listening/services).

The interface (others depend on it): `suggest(texts, k=None, seed=0, method=None)` returns a
`Suggestion` in which every index of `texts` appears exactly once, in a theme or in
`didnt_fit`. Deterministic for a given seed.

Methods (docs/listening-themes.md has the figures): "static", static word vectors distilled
from a small sentence model (the default when its file is present), and "tfidf", the fallback
that needs no model file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from . import clustering, labels, static, tfidf

STATIC = "static"
TFIDF = "tfidf"
METHODS: dict[str, Callable[[Sequence[str]], clustering.Matrix]] = {
    STATIC: static.embed,
    TFIDF: tfidf.embed,
}
REPRESENTATIVES = 20
# A "theme" of fewer members than this is not one: its members go to "didn't fit".
MIN_THEME_SIZE = 2
# Below this many usable contributions there is nothing to group: one theme holds them all.
MIN_TO_GROUP = 3


@dataclass
class SuggestedTheme:
    label: str
    keywords: list[str]
    members: list[int]
    # Up to 20 member indices, the most typical first: candidates for quotes.
    representatives: list[int] = field(default_factory=list)


@dataclass
class Suggestion:
    themes: list[SuggestedTheme]
    didnt_fit: list[int]
    method: str
    k: int
    seed: int


def available_methods() -> list[str]:
    return [name for name in METHODS if name != STATIC or static.available()]


def default_method() -> str:
    return STATIC if static.available() else TFIDF


def _resolve(method: str | None) -> str:
    if method is None:
        return default_method()
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: choose from {', '.join(METHODS)}.")
    # Asked for the static vectors on an install without their file: say so by falling back
    # visibly (Suggestion.method) rather than failing a team's request.
    return method if method in available_methods() else TFIDF


def _row_norms(x: clustering.Matrix) -> np.ndarray:
    if hasattr(x, "multiply"):
        return np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return np.linalg.norm(x, axis=1)


def _static_affinity(groups: list[list[int]], vectors: np.ndarray) -> labels.Affinity:
    """Keywords near a theme's centre in the static vector space name it best."""
    centres = np.vstack([vectors[g].mean(axis=0) for g in groups])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)

    def affinity(terms: list[str], number: int) -> np.ndarray:
        return static.embed(terms) @ centres[number]

    return affinity


def suggest(
    texts: Sequence[str], *, k: int | None = None, seed: int = 0, method: str | None = None
) -> Suggestion:
    """Group `texts` into themes. `k` is the number of themes wanted (chosen from the texts
    when None); fewer come back when there are fewer distinct texts or a group is too small.
    Texts with nothing to group on (empty, or no known word) go to `didnt_fit`."""
    if k is not None and k < 1:
        raise ValueError("k must be at least 1")
    name = _resolve(method)
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return Suggestion(themes=[], didnt_fit=[], method=name, k=0, seed=seed)

    vectors = METHODS[name](texts)
    norms = _row_norms(vectors)
    usable = np.flatnonzero(norms > 0)
    unusable = [int(i) for i in np.flatnonzero(norms == 0)]
    if usable.size == 0:
        return Suggestion(themes=[], didnt_fit=unusable, method=name, k=0, seed=seed)

    x = vectors[usable]
    wanted = 1 if usable.size < MIN_TO_GROUP else k
    # One thread: bit-for-bit the same result for a seed, and on a busy 2-core server the
    # BLAS/OpenMP threads of k-means otherwise fight the web workers (several times slower).
    with threadpool_limits(limits=1):
        grouping = clustering.group(x, wanted, seed)
    min_size = MIN_THEME_SIZE if usable.size >= MIN_TO_GROUP * MIN_THEME_SIZE else 1
    out = clustering.didnt_fit(grouping, min_size)

    # Typicality is measured against the theme as shown, without what didn't fit.
    similarity = np.zeros(len(texts), dtype=np.float64)
    groups = []
    for c in range(grouping.k):
        rows = np.flatnonzero((grouping.labels == c) & ~out)
        if rows.size:
            similarity[usable[rows]] = clustering.closeness(x, rows)
            # Most typical first; the index breaks ties so the order never depends on luck.
            members = sorted(usable[rows].tolist(), key=lambda i: (-similarity[i], i))
            groups.append([int(i) for i in members])
    groups.sort(key=lambda g: (-len(g), min(g)))

    affinity = _static_affinity(groups, vectors) if name == STATIC else None
    keywords = labels.keywords_for(groups, texts, similarity, affinity)
    themes = [
        SuggestedTheme(
            label=labels.label_for(words, position),
            keywords=words,
            members=sorted(members),
            representatives=members[:REPRESENTATIVES],
        )
        for position, (members, words) in enumerate(zip(groups, keywords, strict=True), start=1)
    ]
    didnt_fit = sorted(unusable + [int(usable[r]) for r in np.flatnonzero(out)])
    return Suggestion(themes=themes, didnt_fit=didnt_fit, method=name, k=grouping.k, seed=seed)

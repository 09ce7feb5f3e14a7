"""Suggest themes for a listening exercise's contributions. A suggestion only: the team owns
the themes once it has them (see alongside/listening/services).

The interface (others depend on it): `suggest(texts, k=None, seed=0, method=None,
vectors=None, grouping=None)` returns a `Suggestion` in which every index of `texts` appears
exactly once, in a theme or in `didnt_fit`. Deterministic for a given seed.

Methods (docs/listening-themes.md has the figures): "minilm", the full sentence model
all-MiniLM-L6-v2 run in numpy (best, but too slow to embed a whole exercise per request, so
contributions' vectors are computed once when saved and passed in as `vectors`); "static",
static word vectors distilled from the same model (the default for texts alone when its file is
present), and "tfidf", the fallback that needs no model file. Groupings (clustering.py):
"spectral", the default, and "kmeans", the usual recipe, kept as the reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from . import clustering, labels, minilm, static, tfidf

MINILM = "minilm"
STATIC = "static"
TFIDF = "tfidf"
METHODS: dict[str, Callable[[Sequence[str]], clustering.Matrix]] = {
    # Looked up at call time so a test (or a missing install) can stand in for the module.
    MINILM: lambda texts: minilm.embed(texts),
    STATIC: static.embed,
    TFIDF: tfidf.embed,
}
# Methods whose themes are named with the static keyword vectors' help (see _affinity).
NAMED_WITH_STATIC = (MINILM, STATIC)
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
    grouping: str = clustering.DEFAULT_GROUPING


def available_methods() -> list[str]:
    needs = {MINILM: minilm.available, STATIC: static.available}
    return [name for name in METHODS if name not in needs or needs[name]()]


def default_method() -> str:
    return STATIC if static.available() else TFIDF


def _resolve(method: str | None) -> str:
    if method is None:
        return default_method()
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: choose from {', '.join(METHODS)}.")
    # Asked for a model on an install without it: say so by falling back visibly
    # (Suggestion.method) rather than failing a team's request.
    if method in available_methods():
        return method
    return default_method()


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


def _affinity(
    name: str, groups: list[list[int]], texts: list[str], vectors: clustering.Matrix
) -> labels.Affinity | None:
    """Keywords need to sit in the same space as the theme centres. Embedding each candidate
    keyword with MiniLM would cost a forward pass per word, so minilm themes are named with the
    static vectors (distilled from the same model, cheap for single words), their centres taken
    from the members' static vectors; the grouping itself stays MiniLM's."""
    if name == STATIC:
        return _static_affinity(groups, vectors)
    if name in NAMED_WITH_STATIC and static.available() and groups:
        return _static_affinity(groups, static.embed(texts))
    return None


def suggest(
    texts: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    method: str | None = None,
    vectors: np.ndarray | None = None,
    grouping: str | None = None,
) -> Suggestion:
    """Group `texts` into themes. `k` is the number of themes wanted (chosen from the texts
    when None); fewer come back when there are fewer distinct texts or a group is too small.
    Texts with nothing to group on (empty, or no known word) go to `didnt_fit`.

    `vectors`, one MiniLM row per text (as stored on each contribution), skips embedding: the
    method is then "minilm" whatever `method` says. A zero row counts as nothing to group on.
    The labels still come from the texts. `grouping` is "spectral" (None: the default) or
    "kmeans" (clustering.py)."""
    if k is not None and k < 1:
        raise ValueError("k must be at least 1")
    grouping = grouping or clustering.DEFAULT_GROUPING
    if grouping not in clustering.GROUPINGS:
        raise ValueError(
            f"Unknown grouping {grouping!r}: choose from {', '.join(clustering.GROUPINGS)}."
        )
    if vectors is not None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError("vectors must have one row per text")
        name = MINILM
    else:
        name = _resolve(method)
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return Suggestion(themes=[], didnt_fit=[], method=name, k=0, seed=seed, grouping=grouping)

    if vectors is None:
        vectors = METHODS[name](texts)
    norms = _row_norms(vectors)
    usable = np.flatnonzero(norms > 0)
    unusable = [int(i) for i in np.flatnonzero(norms == 0)]
    if usable.size == 0:
        return Suggestion(
            themes=[], didnt_fit=unusable, method=name, k=0, seed=seed, grouping=grouping
        )

    x = vectors[usable]
    wanted = 1 if usable.size < MIN_TO_GROUP else k
    # One thread: bit-for-bit the same result for a seed, and on a busy 2-core server the
    # BLAS/OpenMP threads of k-means otherwise fight the web workers (several times slower).
    with threadpool_limits(limits=1):
        grouped = clustering.group(x, wanted, seed, grouping)
    min_size = MIN_THEME_SIZE if usable.size >= MIN_TO_GROUP * MIN_THEME_SIZE else 1
    out = clustering.didnt_fit(grouped, min_size)

    # Typicality is measured against the theme as shown, without what didn't fit.
    similarity = np.zeros(len(texts), dtype=np.float64)
    groups = []
    for c in range(grouped.k):
        rows = np.flatnonzero((grouped.labels == c) & ~out)
        if rows.size:
            similarity[usable[rows]] = clustering.closeness(x, rows)
            # Most typical first; the index breaks ties so the order never depends on luck.
            members = sorted(usable[rows].tolist(), key=lambda i: (-similarity[i], i))
            groups.append([int(i) for i in members])
    groups.sort(key=lambda g: (-len(g), min(g)))

    affinity = _affinity(name, groups, texts, vectors)
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
    return Suggestion(
        themes=themes,
        didnt_fit=didnt_fit,
        method=name,
        k=grouped.k,
        seed=seed,
        grouping=grouping,
    )

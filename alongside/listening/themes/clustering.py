"""Group unit-length vectors with k-means; choose k; find what didn't fit. Deterministic for a
seed: every random choice goes through the seed, every tie is broken by index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

Matrix = np.ndarray | sparse.csr_matrix

# Teams read each theme as one part of a report: more than this many is rarely useful.
MAX_AUTO_K = 12
# k-means starts; the best of these (lowest inertia) is kept.
N_INIT = 4
# A contribution this far below the quartile of its theme's similarities is "didn't fit"
# (Tukey's lower fence, in units of the interquartile range).
FENCE_IQR = 1.5
SILHOUETTE_SAMPLE = 1000
# Silhouette chooses among the rule's k and this many below it.
K_WINDOW = 2


@dataclass
class Grouping:
    labels: np.ndarray  # cluster of each row
    similarity: np.ndarray  # cosine similarity of each row to its cluster's centroid
    k: int


def distinct_rows(x: Matrix) -> int:
    if sparse.issparse(x):
        x = x.tocsr()
        keys = {
            (tuple(x.indices[a:b]), tuple(np.round(x.data[a:b], 5)))
            for a, b in zip(x.indptr[:-1], x.indptr[1:], strict=True)
        }
        return len(keys)
    return int(np.unique(np.round(x, 5), axis=0).shape[0])


def _kmeans(x: Matrix, k: int, seed: int) -> np.ndarray:
    model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed)
    return model.fit_predict(x).astype(np.int64)


def _similarity(x: Matrix, labels: np.ndarray, k: int) -> np.ndarray:
    """Cosine similarity of each row to the (normalised) mean of its cluster."""
    dims = x.shape[1]
    centroids = np.zeros((k, dims), dtype=np.float64)
    for c in range(k):
        rows = x[labels == c]
        if rows.shape[0]:
            centroids[c] = np.asarray(rows.mean(axis=0)).ravel()
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    np.divide(centroids, norms, out=centroids, where=norms > 0)
    products = x @ centroids.T
    products = np.asarray(products.todense() if sparse.issparse(products) else products)
    return products[np.arange(x.shape[0]), labels]


def closeness(x: Matrix, rows: np.ndarray) -> np.ndarray:
    """Cosine similarity of each of `rows` to their own (normalised) mean."""
    part = x[rows]
    centre = np.asarray(part.mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    if norm == 0:
        return np.zeros(len(rows))
    products = part @ (centre / norm)
    return np.asarray(products).ravel()


def rule_k(n: int) -> int:
    """About sqrt(n / 4) themes: 5 for 100 contributions, 12 (the most) from about 600."""
    return int(min(MAX_AUTO_K, max(2, round((n / 4) ** 0.5))))


def auto_k(x: Matrix, seed: int) -> tuple[int, np.ndarray | None]:
    """k for these rows, and the k-means labels for it (None when k is 1).

    The rule from n gives the most themes worth reading; silhouette (on a fixed, seeded sample,
    so deterministic) then chooses within a small window below it, because on short texts
    silhouette is too flat to choose over a wide range (docs/listening-themes.md)."""
    n = x.shape[0]
    # At least ~4 contributions a theme on average, and never more themes than distinct texts.
    upper = min(rule_k(n), distinct_rows(x) - 1, max(2, n // 4))
    if upper < 2:
        return 1, None
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(max(2, upper - K_WINDOW), upper + 1):
        labels = _kmeans(x, k, seed)
        if len(set(labels.tolist())) < 2:
            continue
        score = silhouette_score(
            x, labels, metric="cosine", sample_size=min(SILHOUETTE_SAMPLE, n), random_state=seed
        )
        if best is None or score > best[0] + 1e-9:
            best = (float(score), k, labels)
    if best is None:
        return 1, None
    return best[1], best[2]


def group(x: Matrix, k: int | None, seed: int) -> Grouping:
    """k-means into at most k groups (fewer when there are fewer distinct contributions);
    k None chooses it (auto_k)."""
    labels: np.ndarray | None = None
    if k is None:
        k, labels = auto_k(x, seed)
    else:
        k = max(1, min(k, distinct_rows(x)))
    if labels is None:
        labels = np.zeros(x.shape[0], dtype=np.int64) if k == 1 else _kmeans(x, k, seed)
    return Grouping(labels=labels, similarity=_similarity(x, labels, k), k=k)


def didnt_fit(grouping: Grouping, min_size: int) -> np.ndarray:
    """Rows that fit their theme much worse than the theme's other members do, and every member
    of a theme too small to be one. Returns a boolean mask.

    The fence is per theme because how tight a theme is differs from theme to theme: a loose
    theme should not push its members out merely for being loose."""
    out = np.zeros(grouping.labels.shape[0], dtype=bool)
    for c in range(grouping.k):
        members = np.flatnonzero(grouping.labels == c)
        if members.size == 0:
            continue
        if members.size < min_size:
            out[members] = True
            continue
        sims = grouping.similarity[members]
        q1, q3 = np.percentile(sims, [25, 75])
        out[members[sims < q1 - FENCE_IQR * (q3 - q1)]] = True
    return out

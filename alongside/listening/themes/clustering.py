"""Group unit-length vectors; choose k; find what didn't fit. Deterministic for a seed: every
random choice goes through the seed, every tie is broken by index.

Two groupings (docs/listening-themes.md has the figures):

- "spectral", the default: each contribution is joined to its nearest neighbours (cosine), the
  graph's leading eigenvectors place contributions that share neighbours close together, k-means
  groups them there, and a few rounds of k-means on the vectors themselves, started from those
  groups, settle each contribution with the theme it is nearest. On every labelled set we have it
  agrees with the labels better than k-means alone. When k is not given, the graph also chooses
  it: the number of its eigenvalues of at least one half (see auto_k_spectral).
- "kmeans", the usual recipe, kept as the reference and for sparse (TF-IDF) vectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

Matrix = np.ndarray | sparse.csr_matrix

SPECTRAL = "spectral"
KMEANS = "kmeans"
GROUPINGS = (SPECTRAL, KMEANS)
DEFAULT_GROUPING = SPECTRAL

# Teams read each theme as one part of a report: more than this many is rarely useful.
MAX_AUTO_K = 20
# The k-means rule (rule_k) stays at its old ceiling: it is the reference, unchanged.
MAX_RULE_K = 12
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
    return int(min(MAX_RULE_K, max(2, round((n / 4) ** 0.5))))


def auto_k(x: Matrix, seed: int) -> tuple[int, np.ndarray | None]:
    """k for these rows, and the k-means labels for it (None when k is 1).

    The rule from n gives the most themes worth reading; silhouette (on a fixed, seeded sample,
    so deterministic) then chooses within a small window below it, because on short texts
    silhouette is too flat to choose over a wide range (docs/listening-themes.md)."""
    n = x.shape[0]
    upper = _upper_k(x, rule_k(n))
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


# --- spectral grouping ---------------------------------------------------------------------

# Below this many rows a graph says little that k-means does not: k-means groups them.
SPECTRAL_MIN_ROWS = 30
# Each contribution's neighbours: about sqrt(n), between these. Fewer and small sets fall apart
# into islands; more and themes blur into one another (measured on the labelled sets).
MIN_NEIGHBOURS = 10
MAX_NEIGHBOURS = 50
# Up to this many of the graph's eigenvalues are worked out.
SPECTRAL_STARTS = 10
# auto_k_spectral counts the graph's eigenvalues at or above this.
EIGENVALUE_FLOOR = 0.5
# Below this many contributions each one's neighbours are a large share of all of them, the
# graph is dense and its count of themes falls to 2 or 3 (for 40 contributions drawn from sets
# of 8 to 15 labels): there the old rule's number for n (rule_k) is the least it chooses.
FEW_ROWS = 150
# Neighbours at least this similar are near-copies (the same words with a word or two changed).
# Distinct contributions of the labelled sets are at most about 0.7 from their nearest
# neighbour; small rewordings of one are 0.85 or more.
NEAR_COPY = 0.9
# However many near-copies there are, no row is joined to more neighbours than this.
MAX_WIDENED = 200
# Rows of the similarity matrix worked out at once: bounds memory (about 30 MB a block at
# GRAPH_ROWS).
BLOCK_ROWS = 512
# Above this many contributions the graph is built on a seeded sample of this many: building it
# grows with the square of the rows (a 20,000-row graph took 17 s on the 2-core machine), and
# this many are plenty to find 20 themes; the settling rounds then place every row.
GRAPH_ROWS = 5000
# Dense eigen-decomposition below this many rows (exact and quick); ARPACK above.
DENSE_EIGEN_ROWS = 500


def neighbours_for(n: int) -> int:
    return int(min(MAX_NEIGHBOURS, max(MIN_NEIGHBOURS, round(n**0.5)), n - 1))


def neighbour_graph(x: np.ndarray, neighbours: int) -> sparse.csr_matrix:
    """Each row joined to its `neighbours` most similar rows (weight: their cosine, kept just
    above zero so every row has a neighbour), made symmetric by keeping the larger weight."""
    n = x.shape[0]
    x32 = np.ascontiguousarray(x, dtype=np.float32)
    index = np.empty((n, neighbours), dtype=np.int64)
    weight = np.empty((n, neighbours), dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        block = x32[start : start + BLOCK_ROWS] @ x32.T
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = -np.inf  # not its own neighbour
        nearest = np.argpartition(block, n - neighbours, axis=1)[:, n - neighbours :]
        index[start : start + BLOCK_ROWS] = nearest
        weight[start : start + BLOCK_ROWS] = np.take_along_axis(block, nearest, axis=1)
    values = np.maximum(weight.ravel(), 1e-3).astype(np.float64)
    rows = np.repeat(np.arange(n), neighbours)
    graph = sparse.csr_matrix((values, (rows, index.ravel())), shape=(n, n))
    return graph.maximum(graph.T).tocsr()


def spectrum(graph: sparse.csr_matrix, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The `count` largest eigenvalues of the graph's normalised adjacency D^-1/2 A D^-1/2,
    largest first, and their eigenvectors (columns). Raises ArpackError when ARPACK fails."""
    n = graph.shape[0]
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = sparse.diags(1 / np.sqrt(degree))
    normalised = (scale @ graph @ scale).tocsr()
    if n <= DENSE_EIGEN_ROWS or count >= n - 1:
        values, vectors = np.linalg.eigh(normalised.toarray())
        return values[::-1][:count], vectors[:, ::-1][:, :count]
    # Starting from the known leading eigenvector makes ARPACK deterministic and quick.
    start = np.sqrt(degree) / np.linalg.norm(np.sqrt(degree))
    values, vectors = eigsh(normalised, k=count, which="LA", v0=start, tol=1e-6)
    order = np.argsort(-values, kind="stable")
    return values[order], vectors[:, order]


def auto_k_spectral(values: np.ndarray, upper: int, at_least: int = 2) -> int:
    """How many themes: the eigenvalues of at least one half, but never fewer than
    `at_least`. An eigenvalue near 1 belongs to a group whose neighbours are nearly all inside
    it; one of a half to a group at least as much inside as out. On the labelled sets this
    count lands within a few of the true number of labels (docs/listening-themes.md), where
    silhouette and the largest eigengap do not. `at_least` is a floor for small exercises
    (see FEW_ROWS)."""
    count = int((values >= EIGENVALUE_FLOOR).sum())
    return int(min(upper, max(2, at_least, count)))


def _spectral_labels(
    x: np.ndarray, vectors: np.ndarray, k: int, seed: int, rows: np.ndarray | None = None
) -> np.ndarray:
    """Labels for every row of x from the graph's eigenvectors of `rows` (all rows if None)."""
    embedded = vectors[:, :k].copy()
    embedded /= np.maximum(np.linalg.norm(embedded, axis=1, keepdims=True), 1e-12)
    first = KMeans(n_clusters=k, n_init=SPECTRAL_STARTS, random_state=seed).fit_predict(embedded)
    found = np.unique(first)
    part = x if rows is None else x[rows]
    # Settle each row with the theme it is nearest in the vectors' own space, starting from the
    # graph's groups (a few Lloyd rounds): keeps the graph's grouping, mends its edges, and
    # places the rows the graph was not built on.
    centres = np.vstack([part[first == c].mean(axis=0) for c in found])
    refine = KMeans(n_clusters=len(found), init=centres, n_init=1, random_state=seed)
    return refine.fit_predict(x).astype(np.int64)


def graph_rows(n: int, seed: int) -> np.ndarray | None:
    """The rows the graph is built on: all of them (None) up to GRAPH_ROWS, else a seeded
    sample of GRAPH_ROWS. Every row is still grouped (the settling rounds place the rest)."""
    if n <= GRAPH_ROWS:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, GRAPH_ROWS, replace=False))


def _upper_k(x: Matrix, ceiling: int) -> int:
    # At least ~4 contributions a theme on average, and never more themes than distinct texts.
    return min(ceiling, distinct_rows(x) - 1, max(2, x.shape[0] // 4))


def near_copy_share(graph: sparse.csr_matrix) -> float:
    """How many rows there are for each distinct contribution, near-copies (neighbours at
    NEAR_COPY or more, joined in chains) counted once: 1.0 when there are none."""
    close = (graph >= NEAR_COPY).astype(np.int8)
    distinct, _ = connected_components(close, directed=False)
    return graph.shape[0] / distinct


def contribution_graph(x: np.ndarray) -> sparse.csr_matrix:
    """The neighbour graph grouping and counting use. Each row is joined to about the square
    root of the number of *distinct* contributions' worth of neighbours: when each is said
    several times in nearly the same words, its near-copies would otherwise fill its whole
    neighbourhood, and every tight little set of copies would look like a theme of its own
    (measured: 23 themes counted for the bench's 2,000, which are 620 contributions each said
    about three times with small changes; 12 with this, against a true 10)."""
    n = x.shape[0]
    neighbours = neighbours_for(n)
    graph = neighbour_graph(x, neighbours)
    copies = near_copy_share(graph)
    if copies > 1:
        distinct = max(2, round(n / copies))
        wider = min(n - 1, MAX_WIDENED, round(neighbours_for(distinct) * copies))
        if wider > neighbours:
            graph = neighbour_graph(x, wider)
    return graph


def _group_spectral(x: np.ndarray, k: int | None, seed: int) -> tuple[int, np.ndarray] | None:
    """k and labels, or None when the graph cannot be used (then k-means groups them)."""
    upper = 0
    if k is None:
        upper = _upper_k(x, MAX_AUTO_K)
        if upper < 2:
            return None
    rows = graph_rows(x.shape[0], seed)
    graph = contribution_graph(x if rows is None else x[rows])
    try:
        values, vectors = spectrum(graph, upper + 1 if k is None else k)
    except (ArpackError, ArpackNoConvergence):
        return None
    if k is None:
        small = x.shape[0] < FEW_ROWS
        k = auto_k_spectral(values, upper, at_least=rule_k(x.shape[0]) if small else 2)
    return k, _spectral_labels(x, vectors, k, seed, rows)


def group(x: Matrix, k: int | None, seed: int, grouping: str = DEFAULT_GROUPING) -> Grouping:
    """Group the rows into at most k groups (fewer when there are fewer distinct contributions);
    k None chooses it. `grouping` is "spectral" (dense rows only; small or sparse inputs use
    k-means) or "kmeans"."""
    if grouping not in GROUPINGS:
        raise ValueError(f"Unknown grouping {grouping!r}: choose from {', '.join(GROUPINGS)}.")
    if k is not None:
        k = max(1, min(k, distinct_rows(x)))
    labels: np.ndarray | None = None
    use_graph = (
        grouping == SPECTRAL
        and not sparse.issparse(x)
        and x.shape[0] >= SPECTRAL_MIN_ROWS
        and (k is None or 1 < k < x.shape[0] // 2)
    )
    if use_graph:
        found = _group_spectral(np.asarray(x, dtype=np.float64), k, seed)
        if found is not None:
            k, labels = found
    if labels is None:
        if k is None:
            k, labels = auto_k(x, seed)
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

"""Score suggested themes against hand labels: NMI and purity.

"Didn't fit" counts as one more cluster of its own, so a method cannot look better by pushing
awkward contributions out of its themes: they still have to agree with the labels as a group."""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from . import MINILM, Suggestion, available_methods, minilm, suggest

DIDNT_FIT = -1


class DatasetError(ValueError):
    pass


def read_dataset(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    if not path.is_file():
        raise DatasetError(f"No such file: {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [c for c in (text_column, label_column) if c not in columns]
            if missing:
                raise DatasetError(
                    f"{path} has no column {', '.join(repr(c) for c in missing)}; "
                    f"its columns are: {', '.join(columns) or '(none)'}"
                )
            rows = list(reader)
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path} is not UTF-8 text: save it as CSV in UTF-8") from error
    if not rows:
        raise DatasetError(f"{path} has no rows")
    return [r[text_column] or "" for r in rows], [r[label_column] or "" for r in rows]


def assignment(suggestion: Suggestion, n: int) -> list[int]:
    """Theme number of each text, DIDNT_FIT for the didn't-fit group."""
    out = [DIDNT_FIT] * n
    for number, theme in enumerate(suggestion.themes):
        for i in theme.members:
            out[i] = number
    return out


def purity(labels: Sequence[str], clusters: Sequence[int]) -> float:
    """Share of texts whose cluster's most common label is their own."""
    by_cluster: dict[int, Counter] = {}
    for label, cluster in zip(labels, clusters, strict=True):
        by_cluster.setdefault(cluster, Counter())[label] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / len(labels)


def evaluation_method(method: str | None) -> str | None:
    """What teams get: an exercise suggests from its stored MiniLM vectors, so the evaluation
    does too when the model is installed; otherwise the engine's own default."""
    if method is None and MINILM in available_methods():
        return MINILM
    return method


def _nmi(a: Sequence[Any], b: Sequence[Any]) -> float:
    return round(float(normalized_mutual_info_score(a, b)), 4)


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    method: str | None = None,
    grouping: str | None = None,
    seeds: int = 1,
) -> dict[str, Any]:
    """Score the suggestion for `seed` (nmi, purity, k ...). With `seeds` above 1, also the
    seeds seed .. seed+seeds-1: the mean and spread of NMI and purity, each seed's k, and
    stability, the mean NMI between the groupings of every two seeds (1: the seed does not
    matter)."""
    method = evaluation_method(method)
    vectors = None
    started = time.perf_counter()
    if method == MINILM:
        # Embedded once, as each contribution is when it is saved; suggest() then groups them.
        vectors = np.asarray(minilm.embed(list(texts)), dtype=np.float32)
    embed_seconds = time.perf_counter() - started
    runs = []
    for offset in range(max(1, seeds)):
        started = time.perf_counter()
        suggestion = suggest(
            texts, k=k, seed=seed + offset, method=method, vectors=vectors, grouping=grouping
        )
        runs.append((suggestion, time.perf_counter() - started))
    first, seconds = runs[0]
    clusters = [assignment(s, len(texts)) for s, _ in runs]
    report: dict[str, Any] = {
        "nmi": _nmi(labels, clusters[0]),
        "purity": round(purity(labels, clusters[0]), 4),
        "n": len(texts),
        "k": first.k,
        "seconds": round(seconds + embed_seconds, 3),
        "method": first.method,
        "grouping": first.grouping,
        "seed": seed,
        "themes": len(first.themes),
        "didnt_fit": len(first.didnt_fit),
        "labels": len(set(labels)),
        "didnt_fit_scored_as": "one cluster of its own",
    }
    if vectors is not None:
        report["embed_seconds"] = round(embed_seconds, 3)
        report["group_seconds"] = round(seconds, 3)
    if len(runs) > 1:
        nmis = [_nmi(labels, c) for c in clusters]
        purities = [purity(labels, c) for c in clusters]
        pairs = [
            _nmi(clusters[a], clusters[b])
            for a in range(len(clusters))
            for b in range(a + 1, len(clusters))
        ]
        report["seeds"] = {
            "from": seed,
            "count": len(runs),
            "nmi_mean": round(float(np.mean(nmis)), 4),
            "nmi_sd": round(float(np.std(nmis)), 4),
            "purity_mean": round(float(np.mean(purities)), 4),
            "k_each": [s.k for s, _ in runs],
            "stability": round(float(np.mean(pairs)), 4),
        }
    return report

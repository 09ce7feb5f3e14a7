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

from sklearn.metrics import normalized_mutual_info_score

from . import Suggestion, suggest

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


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    method: str | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    suggestion = suggest(texts, k=k, seed=seed, method=method)
    seconds = time.perf_counter() - started
    clusters = assignment(suggestion, len(texts))
    return {
        "nmi": round(float(normalized_mutual_info_score(labels, clusters)), 4),
        "purity": round(purity(labels, clusters), 4),
        "n": len(texts),
        "k": suggestion.k,
        "seconds": round(seconds, 3),
        "method": suggestion.method,
        "seed": seed,
        "themes": len(suggestion.themes),
        "didnt_fit": len(suggestion.didnt_fit),
        "labels": len(set(labels)),
        "didnt_fit_scored_as": "one cluster of its own",
    }

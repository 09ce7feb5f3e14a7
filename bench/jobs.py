"""The listening jobs the bench times, each in its own process so its peak memory is its own.

    python -m bench.jobs embed --size 2000      MiniLM vectors, kept as the app stores them
    python -m bench.jobs themes --size 20000 --method minilm
    python -m bench.jobs redaction --size 2000

Each prints one JSON line: seconds (median and max of --repeat runs), then one more run under
tracemalloc for `peak_alloc_mb` (the most the job itself held at once, numpy arrays included),
and `peak_rss_mb`, the process's high-water mark (interpreter, libraries and model included;
`rss_before_mb` is that mark before the job started).

Theme suggestion clusters vectors stored when each contribution was saved (see bench/themes.py),
so for "minilm" the vectors come from the `embed` job's file (bench/.data/vectors-N.npy). At
20,000, embedding every contribution would take about 4 minutes and is not what a suggestion
does: each contribution takes the stored vector of an embedded variant of the same sentence,
with a little noise so no two are the same ("vectors": "reused" in the output).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .server import DATA_DIR, configure_django, peak_rss_mb
from .themes import DATASET, SEED, _vary, contributions

REDACTION_WORDS = 80


def vectors_path(size: int) -> Path:
    return DATA_DIR / f"vectors-{size}.npy"


def _timed(work: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return timings, result


def _peak_alloc_mb(work: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 2)


def _summary(timings: list[float]) -> dict[str, float]:
    return {
        "seconds_median": round(statistics.median(timings), 3),
        "seconds_max": round(max(timings), 3),
    }


def embed_job(size: int) -> dict[str, Any]:
    """Embed `size` contributions with MiniLM once, as capture and import do, and keep the
    vectors in their stored (float16) form for the themes job."""
    import numpy as np

    from alongside.listening.themes import minilm

    if not minilm.available():
        return {"job": "embed", "size": size, "skipped": "the MiniLM model is not installed"}
    texts, _ = contributions(size)
    minilm.embed(texts[:1])  # loads the weights once
    before = peak_rss_mb()
    started = time.perf_counter()
    rows = minilm.embed(texts)
    seconds = time.perf_counter() - started
    stored = np.vstack([minilm.from_bytes(minilm.to_bytes(row)) for row in rows])
    vectors_path(size).parent.mkdir(parents=True, exist_ok=True)
    np.save(vectors_path(size), stored)
    return {
        "job": "embed",
        "size": size,
        "seconds": round(seconds, 2),
        "ms_per_contribution": round(1000 * seconds / size, 2),
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def _stored_vectors(size: int, embedded: int) -> tuple[Any, str]:
    """Vectors for contributions(size): the embed job's rows, reused with noise beyond them."""
    import numpy as np

    cached = np.load(vectors_path(embedded))
    if size <= len(cached):
        return cached[:size].astype(np.float32), "embedded"
    # contributions() gives text i a variant of row i % rows of the labelled set; so does
    # every row of the cache with the same remainder.
    with DATASET.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    rng = np.random.default_rng(SEED)
    picks = []
    for i in range(size):
        base = i % rows
        options = range(base, len(cached), rows) or range(i % len(cached), i % len(cached) + 1)
        picks.append(options[(i // rows) % len(options)])
    vectors = cached[picks].astype(np.float32)
    vectors += rng.normal(0, 0.01, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, "reused"


def themes_job(
    size: int, method: str, repeat: int, embedded: int, grouping: str | None = None
) -> dict[str, Any]:
    from sklearn.metrics import normalized_mutual_info_score

    from alongside.listening.themes import MINILM, available_methods, suggest
    from alongside.listening.themes.evaluation import assignment

    if method not in available_methods():
        return {"job": "themes", "size": size, "method": method, "skipped": "not installed"}
    texts, labels = contributions(size)
    extra: dict[str, Any] = {}
    vectors = None
    if method == MINILM:
        if not vectors_path(embedded).exists():
            embed_job(embedded)
        vectors, extra["vectors"] = _stored_vectors(size, embedded)
    else:
        suggest(texts[:50], seed=SEED, method=method)  # loads the vectors file once
    before = peak_rss_mb()

    def work() -> Any:
        return suggest(texts, seed=SEED, method=method, vectors=vectors, grouping=grouping)

    timings, suggestion = _timed(work, repeat)
    clusters = assignment(suggestion, len(texts))
    return (
        {"job": "themes", "size": size, "method": method, "repeat": repeat}
        | {"grouping": suggestion.grouping}
        | _summary(timings)
        | extra
        | {
            "k": suggestion.k,
            "themes": len(suggestion.themes),
            "didnt_fit": len(suggestion.didnt_fit),
            "nmi": round(float(normalized_mutual_info_score(labels, clusters)), 4),
            "peak_alloc_mb": _peak_alloc_mb(work),
            "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


def redaction_texts(size: int, seed: int = SEED) -> list[str]:
    """`size` contributions of about 80 words, each a few of the demo's voices (which carry
    planted names, numbers, emails and addresses) run together, varied so none repeat."""
    from alongside.demo.listening import VOICES

    rng = random.Random(seed)
    voices = [voice[2] for voice in VOICES]
    texts, seen = [], set()
    while len(texts) < size:
        parts, words = [], 0
        while words < REDACTION_WORDS:
            part = _vary(rng.choice(voices), rng)
            parts.append(part)
            words += len(part.split())
        text = " ".join(parts)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def redaction_job(size: int, repeat: int) -> dict[str, Any]:
    from alongside.demo.listening import NAMES_TO_REDACT
    from alongside.listening.redaction import find_identifying

    texts = redaction_texts(size)
    names = NAMES_TO_REDACT.splitlines()
    find_identifying(texts[0], names)  # loads the name lists once
    before = peak_rss_mb()

    def work() -> int:
        return sum(len(find_identifying(text, names)) for text in texts)

    timings, found = _timed(work, repeat)
    words = sum(len(text.split()) for text in texts)
    median = statistics.median(timings)
    return (
        {"job": "redaction", "size": size, "repeat": repeat}
        | _summary(timings)
        | {
            "mean_words": round(words / size, 1),
            "contributions_per_second": round(size / median),
            "words_per_second": round(words / median),
            "details_found": found,
            "peak_alloc_mb": _peak_alloc_mb(work),
            "rss_before_mb": before,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__)
    parser.add_argument("job", choices=["embed", "themes", "redaction"])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--method", default="minilm")
    parser.add_argument("--grouping", default=None, help="spectral (default) or kmeans")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--embedded", type=int, default=2000, help="vectors the embed job made")
    args = parser.parse_args(argv)
    # The jobs read no database: Django is set up only for the app registry.
    configure_django("sqlite://:memory:")
    if args.job == "embed":
        result = embed_job(args.size)
    elif args.job == "themes":
        result = themes_job(args.size, args.method, args.repeat, args.embedded, args.grouping)
    else:
        result = redaction_job(args.size, args.repeat)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

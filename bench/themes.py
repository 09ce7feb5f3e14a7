"""Time theme suggestion on 2,000 contributions, for each method.

    python -m bench.themes       (`make bench` times the same through bench/jobs.py, at 2,000
                                  and 20,000 contributions, each in its own process)

The 2,000 are built from the labelled set alongside/listening/data/themes_eval.csv, each
repeated with small seeded variations (an opening or closing phrase, a dropped word, text-speak
lower case) so that no two are identical. The default path is timed: k chosen automatically.
NMI against the labels is reported too, "didn't fit" counting as a cluster of its own.

For "minilm" the request clusters vectors stored when each contribution was saved, so that is
what is timed; embedding the 2,000 (done once, as an import would) is reported apart as
embed_seconds, and the vectors go through the stored float16 form first.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "alongside" / "listening" / "data" / "themes_eval.csv"
SIZE = 2000
REPEAT = 3
TARGET_SECONDS = 10.0
SEED = 1

OPENINGS = ["Honestly, ", "For me, ", "What I'd say is ", "Well, ", "To be fair, ", "So "]
CLOSINGS = [
    " That's how it was.",
    " It still makes me angry.",
    " Thanks for asking.",
    " I hope it's different for others.",
    " That's all really.",
]


def _vary(text: str, rng: random.Random) -> str:
    if rng.random() < 0.4:
        opening = rng.choice(OPENINGS)
        text = opening + text[0].lower() + text[1:]
    if rng.random() < 0.4:
        text = text + rng.choice(CLOSINGS)
    words = text.split()
    if len(words) > 6 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
        text = " ".join(words)
    if rng.random() < 0.15:
        text = text.lower().replace(",", "")
    return text


def contributions(size: int = SIZE, seed: int = SEED) -> tuple[list[str], list[str]]:
    with DATASET.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(seed)
    texts, labels, seen = [], [], set()
    while len(texts) < size:
        row = rows[len(texts) % len(rows)]
        # The first pass keeps the originals; later passes vary them until new.
        text = row["text"] if len(texts) < len(rows) else _vary(row["text"], rng)
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        labels.append(row["label"])
    return texts, labels


def run(size: int = SIZE, repeat: int = REPEAT) -> dict[str, Any]:
    import numpy as np
    from sklearn.metrics import normalized_mutual_info_score

    from alongside.listening.themes import MINILM, available_methods, minilm, suggest
    from alongside.listening.themes.evaluation import assignment

    texts, labels = contributions(size)
    methods: dict[str, Any] = {}
    for method in available_methods():
        stored = None
        extra: dict[str, Any] = {}
        if method == MINILM:
            minilm.embed(texts[:1])  # loads the weights once
            started = time.perf_counter()
            rows = minilm.embed(texts)
            extra["embed_seconds"] = round(time.perf_counter() - started, 3)
            stored = np.vstack([minilm.from_bytes(minilm.to_bytes(r)) for r in rows])
        else:
            suggest(texts[:50], seed=SEED, method=method)  # loads the vectors file once
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            suggestion = suggest(texts, seed=SEED, method=method, vectors=stored)
            timings.append(time.perf_counter() - started)
        clusters = assignment(suggestion, len(texts))
        methods[method] = extra | {
            "seconds_median": round(statistics.median(timings), 3),
            "seconds_max": round(max(timings), 3),
            "k": suggestion.k,
            "themes": len(suggestion.themes),
            "didnt_fit": len(suggestion.didnt_fit),
            "nmi": round(float(normalized_mutual_info_score(labels, clusters)), 4),
        }
    return {
        "n": len(texts),
        "repeat": repeat,
        "target_seconds": TARGET_SECONDS,
        "within_target": all(m["seconds_max"] < TARGET_SECONDS for m in methods.values()),
        "methods": methods,
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"themes: {result['n']} contributions, k chosen automatically, "
        f"{result['repeat']} runs each (target under {result['target_seconds']:.0f}s)",
        "method    median s   max s    k  didnt fit     nmi",
    ]
    for name, m in result["methods"].items():
        lines.append(
            f"{name:8s}  {m['seconds_median']:8.2f}  {m['seconds_max']:6.2f}  {m['k']:3d}  "
            f"{m['didnt_fit']:9d}  {m['nmi']:6.3f}"
        )
    return "\n".join(lines)


def main() -> int:
    result = run()
    print(table(result))
    print(json.dumps(result, indent=2))
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())

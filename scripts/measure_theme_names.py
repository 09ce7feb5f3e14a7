"""Print how well suggested themes are named (alongside/listening/themes/naming.py).

    .venv/bin/python scripts/measure_theme_names.py [FILE.csv ...] [--seeds 0-4] [--examples]
    .venv/bin/python scripts/measure_theme_names.py --speed

With no file, the building set (themes_eval.csv). Score an unseen set only once, when the
naming is settled. --speed times naming alone (keywords and labels, static vectors for
nearness) for the 2,000 contributions of `make bench` grouped in 12 themes: the budget is
0.15 s of CPU.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5


def speed() -> None:
    import numpy as np

    from alongside.listening.themes import labels, static, suggest
    from bench.themes import contributions

    texts, _ = contributions(2000)
    suggestion = suggest(texts, k=12, seed=1, method="static")
    vectors = static.embed(texts)
    groups = [
        t.representatives + [m for m in t.members if m not in t.representatives]
        for t in suggestion.themes
    ]
    similarity = np.zeros(len(texts))
    centres = []
    for g in groups:
        centre = vectors[g].mean(axis=0)
        centre /= np.linalg.norm(centre)
        similarity[g] = vectors[g] @ centre
        centres.append(centre)

    def affinity(terms: list[str], number: int) -> np.ndarray:
        return static.embed(terms) @ centres[number]

    timings, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        keywords = labels.keywords_for(groups, texts, similarity, affinity)
        names = [labels.label_for(k, n) for n, k in enumerate(keywords, start=1)]
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    # CPU time too: on the shared 2-core machine wall clock mostly measures the neighbours.
    print(
        f"{len(texts)} contributions, {len(groups)} themes: naming median "
        f"{statistics.median(timings):.3f} s, max {max(timings):.3f} s, "
        f"CPU median {statistics.median(cpu):.3f} s ({RUNS} runs)"
    )
    print("; ".join(names))


def main() -> int:
    if "--speed" in sys.argv[1:]:
        speed()
        return 0
    from alongside.listening.themes import naming

    return naming.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

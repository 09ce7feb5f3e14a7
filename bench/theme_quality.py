"""How well theme suggestion groups labelled sets: every grouping on the same MiniLM vectors.

    .venv/bin/python -m bench.theme_quality            # all sets, seeds 0-4: about 3 minutes
    .venv/bin/python -m bench.theme_quality --sets themes_eval --seeds 2

Each set is embedded once with the sentence model (as each contribution is when saved). Then:

- the engine itself (`suggest` on the stored vectors, "didn't fit" scored as a cluster of its
  own) with the usual recipe, k-means, and with the default, spectral: NMI and purity at the
  true number of labels, the spread over seeds and stability (mean NMI between two seeds'
  groupings); and with k left to the engine, the k it chose and the NMI there;
- other ways of grouping the same vectors, as plain clusterings (no "didn't fit"), at the true
  k: Ward and average-linkage agglomerative, HDBSCAN (its noise as one more cluster), a
  consensus of k-means runs, and spectral without the settling k-means rounds.

Results: bench/results/themes-quality.json and .md (the README and docs/listening-themes.md quote
them). The sets and where they come from: docs/listening-themes.md, "The labelled sets"."""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "alongside" / "listening" / "data"
RESULTS = ROOT / "bench" / "results"
# name, file, what kind of set it is
SETS = [
    ("themes_eval", DATA / "themes_eval.csv", "ours: lived experience, 1-3 sentences (building)"),
    ("themes_eval_holdout", DATA / "themes_eval_holdout.csv", "ours: notes and texts (holdout)"),
    ("themes_accounts", DATA / "themes_accounts.csv", "ours: longer personal accounts"),
    (
        "questions_chatterbot",
        DATA / "public" / "questions_chatterbot.csv",
        "public: short questions",
    ),
    ("definitions_wordnet", DATA / "public" / "definitions_wordnet.csv", "public: definitions"),
    # Added after the grouping and the choice of k were settled: scored as it came.
    ("verbs_wordnet", DATA / "public" / "verbs_wordnet.csv", "public: verb definitions (unseen)"),
]
GROUPINGS = ("kmeans", "spectral")


def read(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def _nmi(a: Any, b: Any) -> float:
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(a, b))


NAME_SCORES = ("accepted", "distinct", "keyword_hit", "label_defect", "keyword_repeats")


def engine(
    name: str,
    texts: list[str],
    labels: list[str],
    vectors: np.ndarray,
    grouping: str,
    seeds: int,
) -> dict[str, Any]:
    from alongside.listening.themes import suggest
    from alongside.listening.themes.evaluation import assignment, purity
    from alongside.listening.themes.naming import name_scores, titles_for

    true_k = len(set(labels))
    titles = titles_for(labels, name)
    fixed, auto, seconds, names = [], [], [], []
    for seed in range(seeds):
        started = time.perf_counter()
        s = suggest(texts, k=true_k, seed=seed, vectors=vectors, grouping=grouping)
        seconds.append(time.perf_counter() - started)
        fixed.append(assignment(s, len(texts)))
        names.append(name_scores(s, texts, labels, titles))
        a = suggest(texts, k=None, seed=seed, vectors=vectors, grouping=grouping)
        auto.append((a.k, assignment(a, len(texts))))
    nmis = [_nmi(labels, c) for c in fixed]
    pairs = [_nmi(fixed[i], fixed[j]) for i in range(seeds) for j in range(i + 1, seeds)]
    return {
        "nmi_mean": round(statistics.mean(nmis), 4),
        "nmi_sd": round(statistics.pstdev(nmis), 4),
        "purity_mean": round(statistics.mean(purity(labels, c) for c in fixed), 4),
        "stability": round(statistics.mean(pairs), 4) if pairs else None,
        "seconds_median": round(statistics.median(seconds), 3),
        "auto_k": [k for k, _ in auto],
        "auto_nmi_mean": round(statistics.mean(_nmi(labels, c) for _, c in auto), 4),
        "names": {
            score: round(statistics.mean(n.get(score, 0.0) for n in names), 3)
            for score in NAME_SCORES
        },
        "example_labels": [t.label for t in s.themes[:5]],
    }


SMALL_SIZES = (40, 80)


def small_exercises(
    texts: list[str], labels: list[str], vectors: np.ndarray, seeds: int
) -> dict[str, Any]:
    """A listening exercise may hold only 40 contributions: k left to the engine on seeded
    samples of each size, the k chosen and NMI for each grouping."""
    from alongside.listening.themes import suggest
    from alongside.listening.themes.evaluation import assignment

    out: dict[str, Any] = {}
    rng = np.random.default_rng(0)
    for size in SMALL_SIZES:
        if size >= len(texts):
            continue
        found: dict[str, list[tuple[int, float]]] = {g: [] for g in GROUPINGS}
        for _ in range(seeds):
            rows = np.sort(rng.choice(len(texts), size, replace=False))
            part_texts = [texts[i] for i in rows]
            part_labels = [labels[i] for i in rows]
            for grouping in GROUPINGS:
                s = suggest(part_texts, seed=0, vectors=vectors[rows], grouping=grouping)
                clusters = assignment(s, size)
                found[grouping].append((s.k, _nmi(part_labels, clusters)))
        out[str(size)] = {
            g: {
                "k_mean": round(statistics.mean(k for k, _ in v), 1),
                "nmi_mean": round(statistics.mean(n for _, n in v), 4),
            }
            for g, v in found.items()
        }
    return out


def alternatives(seeds: int) -> dict[str, Callable[[np.ndarray, int, int], np.ndarray]]:
    from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans

    from alongside.listening.themes import clustering

    def ward(x: np.ndarray, k: int, seed: int) -> np.ndarray:
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)

    def average(x: np.ndarray, k: int, seed: int) -> np.ndarray:
        model = AgglomerativeClustering(n_clusters=k, linkage="average", metric="cosine")
        return model.fit_predict(x)

    def hdbscan(x: np.ndarray, k: int, seed: int) -> np.ndarray:
        return HDBSCAN(min_cluster_size=5, copy=True).fit_predict(x)

    def consensus(x: np.ndarray, k: int, seed: int) -> np.ndarray:
        rng = np.random.RandomState(seed)
        together = np.zeros((x.shape[0], x.shape[0]))
        runs = 20
        for _ in range(runs):
            many = KMeans(n_clusters=rng.randint(k, 2 * k + 1), n_init=1, random_state=rng)
            found = many.fit_predict(x)
            together += found[:, None] == found[None, :]
        model = AgglomerativeClustering(n_clusters=k, linkage="average", metric="precomputed")
        return model.fit_predict(1 - together / runs)

    def spectral_unsettled(x: np.ndarray, k: int, seed: int) -> np.ndarray:
        graph = clustering.contribution_graph(x)
        _, vectors = clustering.spectrum(graph, k)
        embedded = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(embedded)

    return {
        "ward": ward,
        "average_linkage": average,
        "hdbscan": hdbscan,
        "consensus_of_kmeans": consensus,
        "spectral_unsettled": spectral_unsettled,
    }


def run(names: list[str], seeds: int) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    from alongside.listening.themes import minilm

    out: dict[str, Any] = {"seeds": seeds, "sets": {}}
    for name, path, kind in SETS:
        if names and name not in names:
            continue
        texts, labels = read(path)
        started = time.perf_counter()
        vectors = np.asarray(minilm.embed(texts), dtype=np.float32)
        entry: dict[str, Any] = {
            "kind": kind,
            "file": str(path.relative_to(ROOT)),
            "n": len(texts),
            "labels": len(set(labels)),
            "embed_seconds": round(time.perf_counter() - started, 1),
            "engine": {g: engine(name, texts, labels, vectors, g, seeds) for g in GROUPINGS},
            "plain": {},
            "small": small_exercises(texts, labels, vectors, seeds),
        }
        x = vectors.astype(np.float64)
        with threadpool_limits(limits=1):
            for alt, cluster in alternatives(seeds).items():
                scores = [_nmi(labels, cluster(x, len(set(labels)), s)) for s in range(seeds)]
                entry["plain"][alt] = round(statistics.mean(scores), 4)
        e = entry["engine"]
        entry["gain"] = round(e["spectral"]["nmi_mean"] - e["kmeans"]["nmi_mean"], 4)
        out["sets"][name] = entry
        print(name, json.dumps(entry), flush=True)
    gains = [s["gain"] for s in out["sets"].values()]
    out["mean_gain"] = round(statistics.mean(gains), 4) if gains else None
    out["worst_gain"] = min(gains) if gains else None
    return out


def table(result: dict[str, Any]) -> str:
    seeds = result["seeds"]
    lines = [
        f"Theme grouping on MiniLM vectors, NMI at the true number of labels, mean of seeds "
        f'0-{seeds - 1} ("didn\'t fit" scored as a cluster of its own)',
        "",
        "| set | kind | n | labels | k-means | spectral (default) | gain | stability k-means → "
        "spectral | k chosen (k-means → spectral) | NMI at chosen k (k-means → spectral) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, s in result["sets"].items():
        km, sp = s["engine"]["kmeans"], s["engine"]["spectral"]
        lines.append(
            f"| {name} | {s['kind']} | {s['n']} | {s['labels']} | "
            f"{km['nmi_mean']:.3f} ± {km['nmi_sd']:.3f} | "
            f"{sp['nmi_mean']:.3f} ± {sp['nmi_sd']:.3f} | "
            f"{s['gain']:+.3f} | {km['stability']:.2f} → {sp['stability']:.2f} | "
            f"{_ks(km['auto_k'])} → {_ks(sp['auto_k'])} | "
            f"{km['auto_nmi_mean']:.3f} → {sp['auto_nmi_mean']:.3f} |"
        )
    lines += [
        "",
        f"Mean gain {result['mean_gain']:+.3f}; smallest gain {result['worst_gain']:+.3f}.",
        "",
    ]
    lines += [
        "Names of the default's themes (spectral), the share of themes, mean over seeds: "
        "accepted (the label shares a word with a title people wrote for the group, or with "
        "the label's own words on the public sets), distinct (more with its own group's titles "
        "than any other's), keyword hit, label defects, keyword lists repeating a word:",
        "",
        "| set | accepted | distinct | keyword hit | label defects | keyword repeats | "
        "labels, last seed |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, s in result["sets"].items():
        n = s["engine"]["spectral"]["names"]
        examples = "; ".join(s["engine"]["spectral"]["example_labels"][:3])
        lines.append(
            f"| {name} | {n['accepted']:.2f} | {n['distinct']:.2f} | {n['keyword_hit']:.2f} | "
            f"{n['label_defect']:.2f} | {n['keyword_repeats']:.2f} | {examples} |"
        )
    lines += [
        "",
        "Small exercises: seeded samples of 40 and 80 contributions of each set, k left to the "
        "engine (mean k chosen; NMI), k-means → spectral:",
        "",
        "| set | 40: k | 40: NMI | 80: k | 80: NMI |",
        "|---|---|---|---|---|",
    ]
    for name, s in result["sets"].items():
        cells = []
        for size in SMALL_SIZES:
            got = s["small"].get(str(size))
            if got is None:
                cells += ["", ""]
                continue
            km, sp = got["kmeans"], got["spectral"]
            cells += [
                f"{km['k_mean']} → {sp['k_mean']}",
                f"{km['nmi_mean']:.3f} → {sp['nmi_mean']:.3f}",
            ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Other ways of grouping the same vectors, as plain clusterings at the true k (no "
        '"didn\'t fit"; NMI, mean of seeds):',
        "",
    ]
    alts = next(iter(result["sets"].values()))["plain"].keys() if result["sets"] else []
    lines.append("| set | " + " | ".join(alts) + " |")
    lines.append("|---|" + "---:|" * len(alts))
    for name, s in result["sets"].items():
        lines.append(f"| {name} | " + " | ".join(f"{s['plain'][a]:.3f}" for a in alts) + " |")
    return "\n".join(lines) + "\n"


def _ks(ks: list[int]) -> str:
    low, high = min(ks), max(ks)
    return str(low) if low == high else f"{low}-{high}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--name", default="themes-quality", help="results file name")
    args = parser.parse_args()
    result = run([n for n in args.sets.split(",") if n], args.seeds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    text = table(result)
    (RESULTS / f"{args.name}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

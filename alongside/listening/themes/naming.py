"""How well suggested themes are named: would a listening team keep the label?

Measured against titles that people wrote for each hand-labelled group before seeing what the
engine says (`alongside/listening/data/theme_titles.csv`, columns set,label,title). A set with
no titles written for it can use its labels' own words ("card_arrival" -> "card arrival").

Each suggested theme is matched to the most common hand label among its members; then

- *accepted*: the theme's label shares at least one folded content word with at least one title
  of its matched label (a person's own name for the group would take that word);
- *distinct*: the label shares more title words with its own label's titles than with any other
  label's (a reader could tell which group it names);
- *keyword hit*: at least one of the theme's keywords is a word of its matched label's titles;
- *coverage* (a mean, not a share of themes): the share of a theme's members that use a word of
  its label (by fold). A name a person gives a group speaks for most of it; words that two of
  twenty members used do not. Needs no titles, so it reads the same on every set;
- *defects*: a label with a stop word, a word repeated (same fold), only one word, a fragment
  (a word no contribution uses as a whole word), or the same label as another theme; and a
  keyword list in which two keywords share a word (same fold).

`name_scores` gives the shares; `true_groups` names the hand-labelled groups themselves, which
isolates naming from grouping.

    python -m alongside.listening.themes.naming [FILE.csv ...] [--seeds 0-4] [--examples]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import SuggestedTheme, Suggestion, labels, minilm, static, suggest
from .text import STOP_WORDS, normalise, words

DATA = Path(__file__).resolve().parent.parent / "data"
TITLES_FILE = DATA / "theme_titles.csv"
BUILDING_SET = DATA / "themes_eval.csv"
# The holdout's groups are the building set's: its titles are the same, written from the
# building set's texts only.
TITLE_SETS = {"themes_eval": "themes_eval", "themes_eval_holdout": "themes_eval"}
# Joins between a label's keywords, not words of the label.
JOINERS = re.compile(r",\s*|\s+and\s+|\s*&\s*")
NUMBERED = re.compile(r"\s*\(theme \d+\)$|^theme \d+$", re.IGNORECASE)
DEFECTS = ("stop_word", "repeated_word", "one_word", "fragment", "same_as_another")

Titles = Mapping[str, Sequence[str]]


def load_titles(path: Path = TITLES_FILE) -> dict[str, dict[str, list[str]]]:
    """set -> gold label -> the titles people wrote for it."""
    out: dict[str, dict[str, list[str]]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            title = (row["title"] or "").strip()
            if title:
                out.setdefault(row["set"], {}).setdefault(row["label"], []).append(title)
    return out


def label_words(label: str) -> str:
    """A gold label read as words: "card_arrival" -> "card arrival"."""
    return re.sub(r"[_\-./]+", " ", label).strip()


def titles_for(
    gold_labels: Sequence[str], set_name: str | None = None, path: Path = TITLES_FILE
) -> dict[str, list[str]]:
    """Titles for every label of a set: those written for it, else the label's own words."""
    written = load_titles(path).get(TITLE_SETS.get(set_name or "", set_name or ""), {})
    return {g: written.get(g) or [label_words(g)] for g in sorted(set(gold_labels))}


def content_folds(text: str) -> list[str]:
    """Folded content words of a label or title, in order (stop words and short words out)."""
    return [
        labels.fold(w)
        for w in words(text)
        if w not in STOP_WORDS and len(w) >= labels.MIN_WORD_LENGTH and not w.isdigit()
    ]


def _label_words(label: str) -> list[str]:
    """The words of a label without its joiners ("," and "and") or a "(theme 3)" suffix."""
    bare = NUMBERED.sub("", label.strip())
    return [w for part in JOINERS.split(bare) for w in words(part)]


TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")


def whole_words(texts: Sequence[str]) -> set[str]:
    """Words the contributions use as whole words. "haven't" gives none ("haven" is a piece of
    it, not a word the speaker said); "mum's" gives "mum"."""
    known: set[str] = set()
    for text in texts:
        for token in TOKEN.findall(normalise(text)):
            base, _, suffix = token.replace("\u2019", "'").partition("'")
            if not suffix or suffix == "s":
                known.add(base)
    return known


def label_defects(
    label: str, known_words: set[str], other_labels: Sequence[str] = ()
) -> dict[str, bool]:
    """Which defects a label has. `known_words` are the words the contributions use, so a
    word-piece or a stem shown as is ("hous") counts as a fragment."""
    said = _label_words(label)
    folds = [labels.fold(w) for w in said]
    return {
        "stop_word": any(w in STOP_WORDS for w in said),
        "repeated_word": len(set(folds)) < len(folds),
        "one_word": len(said) < 2,
        "fragment": any(w not in known_words or len(w) < 2 for w in said),
        "same_as_another": label.strip().lower() in {o.strip().lower() for o in other_labels},
    }


def keyword_repeats(keywords: Sequence[str]) -> bool:
    """Whether two keywords share a word by fold ("sanction", "sanctioned"; "health", "mental
    health"): the list says the same thing twice."""
    seen: set[str] = set()
    for keyword in keywords:
        folds = {labels.fold(w) for w in words(keyword)}
        if folds & seen:
            return True
        seen |= folds
    return False


def majority(members: Sequence[int], gold_labels: Sequence[str]) -> str:
    counts = Counter(gold_labels[i] for i in members)
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _overlap(label_folds: set[str], titles: Sequence[str]) -> int:
    return len(label_folds & {f for t in titles for f in content_folds(t)})


def name_scores(
    suggestion: Suggestion, texts: Sequence[str], gold_labels: Sequence[str], titles: Titles
) -> dict[str, Any]:
    """Shares of the suggestion's themes that are accepted, distinct, hit by a keyword, and
    have each defect (see the module's docstring). `titles`: gold label -> titles."""
    themes = suggestion.themes
    if not themes:
        return {"themes": 0}
    known = whole_words(texts)
    member_folds: dict[int, set[str]] = {}
    counts: Counter = Counter()
    coverage = 0.0
    for number, theme in enumerate(themes):
        gold = majority(theme.members, gold_labels)
        label_folds = set(content_folds(NUMBERED.sub("", theme.label)))
        own = _overlap(label_folds, titles.get(gold, [label_words(gold)]))
        others = [_overlap(label_folds, t) for g, t in titles.items() if g != gold]
        counts["accepted"] += own > 0
        counts["distinct"] += own > max(others, default=0)
        keyword_folds = {f for k in theme.keywords for f in content_folds(k)}
        counts["keyword_hit"] += _overlap(keyword_folds, titles.get(gold, [])) > 0
        other_labels = [t.label for j, t in enumerate(themes) if j != number]
        defects = label_defects(theme.label, known, other_labels)
        counts.update(name for name, present in defects.items() if present)
        counts["label_defect"] += any(defects.values())
        counts["keyword_repeats"] += keyword_repeats(theme.keywords)
        coverage += _coverage(label_folds, theme.members, texts, member_folds)
    n = len(themes)
    scores: dict[str, Any] = {"themes": n}
    for name in ("accepted", "distinct", "keyword_hit", "label_defect", *DEFECTS):
        scores[name] = round(counts[name] / n, 4)
    scores["keyword_repeats"] = round(counts["keyword_repeats"] / n, 4)
    scores["coverage"] = round(coverage / n, 4)
    return scores


def _coverage(
    label_folds: set[str], members: Sequence[int], texts: Sequence[str], cache: dict[int, set[str]]
) -> float:
    """The share of members using a word of the label (by fold)."""
    if not members:
        return 0.0
    used = 0
    for i in members:
        if i not in cache:
            cache[i] = set(content_folds(texts[i]))
        used += bool(label_folds & cache[i])
    return used / len(members)


def _centrality(groups: Sequence[Sequence[int]], vectors: np.ndarray) -> np.ndarray:
    similarity = np.zeros(vectors.shape[0])
    for g in groups:
        centre = vectors[list(g)].mean(axis=0)
        norm = np.linalg.norm(centre)
        if norm > 0:
            similarity[list(g)] = vectors[list(g)] @ (centre / norm)
    return similarity


def name_groups(groups: Sequence[Sequence[int]], texts: Sequence[str]) -> list[SuggestedTheme]:
    """Name given groups as the engine names its own (static vectors for nearness)."""
    vectors = static.embed(texts) if static.available() else None
    similarity = np.ones(len(texts)) if vectors is None else _centrality(groups, vectors)
    ordered = [sorted(g, key=lambda i: (-similarity[i], i)) for g in groups]
    affinity = None
    if vectors is not None:
        centres = np.vstack([vectors[g].mean(axis=0) for g in ordered])
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)

        def affinity(terms: list[str], number: int) -> np.ndarray:
            return static.embed(terms) @ centres[number]

    keywords = labels.keywords_for(ordered, texts, similarity, affinity)
    return [
        SuggestedTheme(label=labels.label_for(k, n), keywords=k, members=sorted(g))
        for n, (g, k) in enumerate(zip(ordered, keywords, strict=True), start=1)
    ]


def true_groups(texts: Sequence[str], gold_labels: Sequence[str]) -> Suggestion:
    """The hand-labelled groups, named by the engine: naming on its own, without grouping."""
    by_label: dict[str, list[int]] = {}
    for i, g in enumerate(gold_labels):
        by_label.setdefault(g, []).append(i)
    groups = [by_label[g] for g in sorted(by_label)]
    themes = name_groups(groups, texts)
    return Suggestion(themes=themes, didnt_fit=[], method="true groups", k=len(groups), seed=0)


def read_set(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] or "" for r in rows], [r["label"] or "" for r in rows]


def _mean(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k in runs[0] if isinstance(runs[0][k], float)]
    out: dict[str, Any] = {k: round(statistics.mean(r[k] for r in runs), 4) for k in keys}
    out["themes"] = runs[0]["themes"]
    out["runs"] = len(runs)
    return out


def measure(
    path: Path, seeds: Sequence[int], method: str | None = None, examples: bool = False
) -> dict[str, Any]:
    """Figures for one labelled set: on its true groups, and on suggested groups (k = number
    of labels, one run per seed, mean of the shares)."""
    texts, gold = read_set(path)
    titles = titles_for(gold, path.stem)
    k = len(set(gold))
    truth = true_groups(texts, gold)
    result: dict[str, Any] = {"set": path.name, "n": len(texts), "k": k}
    result["true_groups"] = name_scores(truth, texts, gold, titles)
    if method is None:
        method = "minilm" if minilm.available() else None
    vectors = minilm.embed(texts) if method == "minilm" else None
    runs, names = [], []
    started = time.perf_counter()
    for seed in seeds:
        suggestion = suggest(texts, k=k, seed=seed, method=method, vectors=vectors)
        runs.append(name_scores(suggestion, texts, gold, titles))
        names.append(suggestion)
    result["suggested"] = _mean(runs) if runs else {}
    result["suggested"]["method"] = names[0].method if names else None
    result["suggest_seconds"] = round(time.perf_counter() - started, 2)
    if examples:
        result["examples_true"] = [
            [t.label, majority(t.members, gold), t.keywords] for t in truth.themes
        ]
        if names:
            result["examples_suggested_seed0"] = [
                [t.label, majority(t.members, gold), t.keywords] for t in names[0].themes
            ]
    return result


def _seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(s) for s in text.split(",") if s]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="How well suggested themes are named.")
    parser.add_argument("datasets", nargs="*", type=Path, default=[BUILDING_SET])
    parser.add_argument("--seeds", default="0-4", help="e.g. 0-4 or 0,2")
    parser.add_argument("--method", default=None, help="minilm (default when installed)")
    parser.add_argument("--examples", action="store_true", help="print every label")
    args = parser.parse_args(argv)
    for path in args.datasets:
        result = measure(path, _seeds(args.seeds), args.method, args.examples)
        print(json.dumps(result, indent=1 if args.examples else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())

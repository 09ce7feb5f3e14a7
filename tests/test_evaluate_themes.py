"""`manage.py evaluate_themes`: one JSON object with the agreed keys, clear errors for bad
files, and on the shipped set the default method groups far better than chance."""

from __future__ import annotations

import csv
import json
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import normalized_mutual_info_score

from alongside.listening.themes import SuggestedTheme, Suggestion, minilm
from alongside.listening.themes.evaluation import (
    DIDNT_FIT,
    assignment,
    evaluation_method,
    purity,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "alongside/listening/data/themes_eval.csv"
HOLDOUT = ROOT / "alongside/listening/data/themes_eval_holdout.csv"
KEYS = {"nmi", "purity", "n", "k", "seconds", "method"}


def run(path: Path, **options) -> dict:
    out = StringIO()
    call_command("evaluate_themes", dataset=str(path), stdout=out, **options)
    text = out.getvalue()
    assert len(text.strip().splitlines()) == 1  # one object, nothing else printed
    return json.loads(text)


def write(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / "set.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def test_a_small_file_gives_one_json_object_with_the_keys(tmp_path):
    rows = [
        ["The landlord won't fix the mould.", "housing"],
        ["Damp walls and a broken boiler.", "housing"],
        ["The mould is back in the bedroom.", "housing"],
        ["I was sanctioned at the jobcentre.", "benefits"],
        ["My universal credit was stopped.", "benefits"],
        ["The jobcentre stopped my money.", "benefits"],
    ]
    report = run(write(tmp_path, ["text", "label"], rows), k=2, seed=0)
    assert KEYS <= set(report)
    assert report["n"] == 6
    assert report["k"] == 2
    # What teams get: the sentence model's vectors (a stand-in here, see conftest) and spectral.
    assert report["method"] == ("minilm" if minilm.available() else "static")
    assert report["grouping"] == "spectral"
    assert 0.0 <= report["nmi"] <= 1.0 and 0.0 < report["purity"] <= 1.0
    assert report["seconds"] >= 0


def test_columns_and_method_can_be_chosen(tmp_path):
    rows = [[f"Contribution number {i} about the rent", "a" if i % 2 else "b"] for i in range(8)]
    path = write(tmp_path, ["words", "theme"], rows)
    report = run(path, text_column="words", label_column="theme", method="tfidf", k=2)
    assert report["method"] == "tfidf"
    assert report["n"] == 8


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nowhere.csv")


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    path = write(tmp_path, ["text", "theme"], [["Some words", "x"]])
    with pytest.raises(CommandError, match=r"no column 'label'.*text, theme"):
        run(path)


def test_an_empty_file_and_a_bad_k_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no rows"):
        run(write(tmp_path, ["text", "label"], []))
    with pytest.raises(CommandError, match="--k"):
        run(SHIPPED, k=0)


def test_didnt_fit_is_scored_as_a_cluster_of_its_own():
    suggestion = Suggestion(
        themes=[SuggestedTheme(label="A b", keywords=[], members=[0, 1])],
        didnt_fit=[2, 3],
        method="static",
        k=1,
        seed=0,
    )
    clusters = assignment(suggestion, 4)
    assert clusters == [0, 0, DIDNT_FIT, DIDNT_FIT]
    # The two didn't-fit texts carry different labels, so they cost purity.
    assert purity(["x", "x", "y", "z"], clusters) == 0.75


def test_the_shipped_sets_are_big_enough_and_labelled():
    texts, labels = read(SHIPPED)
    assert len(texts) >= 600 and 8 <= len(set(labels)) <= 12
    assert len(set(texts)) == len(texts)
    holdout_texts, holdout_labels = read(HOLDOUT)
    assert set(holdout_labels) == set(labels)
    assert not set(holdout_texts) & set(texts)


def test_seeds_report_the_spread_and_stability(tmp_path):
    rows = [[f"The rent went up again in month {i}", "rent"] for i in range(20)]
    rows += [[f"The police never came back on day {i}", "police"] for i in range(20)]
    report = run(write(tmp_path, ["text", "label"], rows), k=2, seeds=3, method="static")
    seeds = report["seeds"]
    assert seeds["count"] == 3 and len(seeds["k_each"]) == 3
    assert 0.0 <= seeds["stability"] <= 1.0
    assert seeds["nmi_mean"] == pytest.approx(report["nmi"], abs=0.5)
    with pytest.raises(CommandError, match="--seeds"):
        run(SHIPPED, seeds=0)


def test_a_grouping_can_be_chosen(tmp_path):
    rows = [[f"Contribution number {i} about the rent", "a" if i % 2 else "b"] for i in range(40)]
    report = run(write(tmp_path, ["text", "label"], rows), k=2, grouping="kmeans")
    assert report["grouping"] == "kmeans"


def test_without_a_method_the_evaluation_measures_what_teams_get():
    assert evaluation_method(None) == ("minilm" if minilm.available() else None)
    assert evaluation_method("tfidf") == "tfidf"


def test_the_default_method_beats_random_assignment_by_a_clear_margin():
    texts, labels = read(SHIPPED)
    report = run(SHIPPED, k=len(set(labels)), seed=0, method="static")
    assert report["method"] == "static"
    # Random themes of the same sizes: what grouping by chance scores on this set.
    chance = list(range(len(texts)))
    random.Random(0).shuffle(chance)
    random_nmi = normalized_mutual_info_score(labels, [c % report["k"] for c in chance])
    assert random_nmi < 0.05
    assert report["nmi"] > random_nmi + 0.15
    assert report["purity"] > 0.3


def test_the_default_method_beats_the_tfidf_fallback_on_the_shipped_set():
    k = len(set(read(SHIPPED)[1]))
    static = run(SHIPPED, k=k, seed=0, method="static")
    tfidf = run(SHIPPED, k=k, seed=0, method="tfidf")
    assert static["nmi"] > tfidf["nmi"] + 0.1

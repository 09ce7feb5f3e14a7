"""`manage.py evaluate_redaction`: the report on a small file we can work out by hand, clear
errors on bad files, and the figures on the shipped labelled set."""

from __future__ import annotations

import importlib.util
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "alongside/listening/data/redaction_eval.jsonl"
RECALL_TARGETS = {"email": 0.95, "phone": 0.95, "postcode": 0.95, "ni_number": 0.95, "name": 0.85}


def run(path: Path, **options) -> dict:
    out = StringIO()
    call_command("evaluate_redaction", dataset=str(path), stdout=out, **options)
    return json.loads(out.getvalue())


def write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def span(text: str, detail: str, label: str) -> dict:
    start = text.index(detail)
    return {"start": start, "end": start + len(detail), "label": label}


def test_a_small_file_worked_out_by_hand(tmp_path):
    found = "Email sam@example.org or ring 07700 900461."
    missed = "The worker zzkq was kind."  # labelled a name the engine cannot know
    extra = "Big Al looked after us."
    path = write(
        tmp_path,
        {
            "text": found,
            "spans": [
                span(found, "sam@example.org", "email"),
                span(found, "07700 900461", "phone"),
            ],
        },
        {"text": missed, "spans": [span(missed, "zzkq", "name")]},
        "",
        {"text": extra, "spans": [span(extra, "Big Al", "name")], "extra_names": ["Big Al"]},
        {"text": "Nothing to see on Oxford Street.", "spans": []},
    )
    report = run(path)
    assert report["n"] == 4
    assert report["labels"]["email"] == {
        "precision": 1.0,
        "recall": 1.0,
        "support": 1,
        "predicted": 1,
    }
    assert report["labels"]["phone"]["recall"] == 1.0
    assert report["labels"]["name"] == {
        "precision": 1.0,
        "recall": 0.5,
        "support": 2,
        "predicted": 1,
    }
    assert report["labels"]["postcode"] == {
        "precision": None,
        "recall": None,
        "support": 0,
        "predicted": 0,
    }
    assert report["overall"]["recall"] == 0.75
    assert report["overall"]["precision"] == 1.0
    assert "parts" not in report


def test_a_phone_number_half_hidden_is_not_found(tmp_path):
    # Labelled longer than the engine's span: the tail would still show, so it is a miss.
    text = "ring 07700 900461 123"
    path = write(tmp_path, {"text": text, "spans": [span(text, "07700 900461 123", "phone")]})
    assert run(path)["labels"]["phone"]["recall"] == 0.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok", "spans": []}\n{"text": "broken", ', "line 2: not valid JSON"),
        (
            '{"text": "short", "spans": [{"start": 2, "end": 40, "label": "name"}]}',
            "line 1: span 2-40 is outside the text",
        ),
        ('{"text": "hello", "spans": [{"start": 0, "end": 2, "label": "pet"}]}', "line 1: span"),
        (
            '{"text": "hello", "spans": [{"start": "0", "end": 2, "label": "name"}]}',
            "whole numbers",
        ),
        ('{"text": "hello"}', "line 1: 'spans' must be a list"),
        ("[1, 2]", "line 1: expected a JSON object"),
        ("\n\n", "no sentences"),
    ],
)
def test_a_bad_file_names_the_line_and_fails(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nowhere.jsonl")


@pytest.fixture(scope="module")
def shipped() -> dict:
    return run(SHIPPED)


def test_the_shipped_set_is_big_enough_and_covers_every_label(shipped):
    assert shipped["n"] >= 200
    assert all(figures["support"] >= 20 for figures in shipped["labels"].values())
    assert set(shipped["parts"]) == {"tune", "holdout"}


@pytest.mark.parametrize(("label", "target"), sorted(RECALL_TARGETS.items()))
def test_recall_targets_are_met_on_the_shipped_set(shipped, label, target):
    assert shipped["labels"][label]["recall"] >= target
    assert shipped["parts"]["holdout"]["labels"][label]["recall"] >= target


def test_the_part_option_keeps_only_that_part():
    holdout = run(SHIPPED, part="holdout")
    assert 0 < holdout["n"] < run(SHIPPED)["n"]
    with pytest.raises(CommandError, match="no lines with part"):
        run(SHIPPED, part="nonesuch")


def test_the_shipped_file_is_what_the_script_builds():
    spec = importlib.util.spec_from_file_location(
        "build_redaction_eval", ROOT / "scripts/build_redaction_eval.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert SHIPPED.read_text(encoding="utf-8") == script.build()

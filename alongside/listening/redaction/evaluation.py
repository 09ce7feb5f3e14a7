"""Measure the engine against a labelled set: recall and precision per label and overall.

Matching (also in docs/listening-redaction.md):
- A labelled name or address counts as found when a predicted span with the same label
  overlaps it: "Mr [name]" for "Mr Graham Pike" hides the person well enough.
- A labelled email, phone, postcode, NI number or date of birth counts as found only when
  every non-space character of it lies inside predicted spans with the same label: half a
  phone number left showing is a leak.
- A predicted span is correct when it overlaps a labelled span with the same label.
- `hidden` (overall only) is the share of labelled spans whose every non-space character is
  inside some predicted span, whatever its label: what a reader of the redacted text can't see.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spans import LABELS, Span

OVERLAP_LABELS = frozenset({"name", "address"})


class DatasetError(ValueError):
    """A problem with the labelled file, naming the line."""


@dataclass(frozen=True)
class Example:
    line: int
    text: str
    spans: tuple[Span, ...]
    extra_names: tuple[str, ...] = ()
    part: str = ""


@dataclass
class Tally:
    support: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    hidden: int = 0
    sentences: int = 0

    def add(self, gold: Iterable[Span], predicted: Iterable[Span], text: str) -> None:
        gold, predicted = list(gold), list(predicted)
        self.sentences += 1
        for span in gold:
            self.support[span.label] += 1
            same = [p for p in predicted if p.label == span.label]
            if _found(span, same, text):
                self.found[span.label] += 1
            if _covered(span, predicted, text):
                self.hidden += 1
        for span in predicted:
            if span.label not in self.predicted:
                continue
            self.predicted[span.label] += 1
            if any(g.label == span.label and _overlaps(g, span) for g in gold):
                self.correct[span.label] += 1

    def report(self) -> dict[str, Any]:
        labels = {
            label: {
                "precision": _ratio(self.correct[label], self.predicted[label]),
                "recall": _ratio(self.found[label], self.support[label]),
                "support": self.support[label],
                "predicted": self.predicted[label],
            }
            for label in LABELS
        }
        support = sum(self.support.values())
        overall = {
            "precision": _ratio(sum(self.correct.values()), sum(self.predicted.values())),
            "recall": _ratio(sum(self.found.values()), support),
            "hidden": _ratio(self.hidden, support),
            "support": support,
        }
        return {"n": self.sentences, "labels": labels, "overall": overall}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _covered(span: Span, cover: list[Span], text: str) -> bool:
    return all(
        text[i].isspace() or any(c.start <= i < c.end for c in cover)
        for i in range(span.start, span.end)
    )


def _found(span: Span, same_label: list[Span], text: str) -> bool:
    if span.label in OVERLAP_LABELS:
        return any(_overlaps(span, p) for p in same_label)
    return _covered(span, same_label, text)


# --- reading the labelled file -------------------------------------------------------------


def read_dataset(path: Path) -> list[Example]:
    """Every example in a JSON-lines file; DatasetError names the first bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise DatasetError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path}: cannot read it ({error})") from error
    examples = [_example(raw, n) for n, raw in enumerate(lines, 1) if raw.strip()]
    if not examples:
        raise DatasetError(f"{path}: no sentences in the file")
    return examples


def _example(raw: str, n: int) -> Example:
    def fail(problem: str) -> DatasetError:
        return DatasetError(f"line {n}: {problem}")

    try:
        row = json.loads(raw)
    except json.JSONDecodeError as error:
        raise fail(f"not valid JSON ({error.msg} at column {error.colno})") from error
    except (RecursionError, ValueError) as error:  # nested too deep, or a number too long
        raise fail(
            "not JSON this tool can read (nested too deeply, or a number too long)"
        ) from error
    if not isinstance(row, dict):
        raise fail("expected a JSON object with 'text' and 'spans'")
    text, spans = row.get("text"), row.get("spans")
    if not isinstance(text, str):
        raise fail("'text' must be a string")
    if not isinstance(spans, list):
        raise fail("'spans' must be a list")
    extra = row.get("extra_names", [])
    if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
        raise fail("'extra_names' must be a list of strings")
    return Example(
        line=n,
        text=text,
        spans=tuple(_span(s, text, fail) for s in spans),
        extra_names=tuple(extra),
        part=str(row.get("part", "")),
    )


def _is_bool(*values: object) -> bool:
    """True and False are ints to Python; a span's ends must be numbers written as such."""
    return any(isinstance(v, bool) for v in values)


def _span(raw: object, text: str, fail: Callable[[str], DatasetError]) -> Span:
    if not isinstance(raw, dict):
        raise fail("each span must be an object with start, end and label")
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    if not isinstance(start, int) or not isinstance(end, int) or _is_bool(start, end):
        raise fail(f"span {raw!r}: start and end must be whole numbers")
    if label not in LABELS:
        raise fail(f"span {raw!r}: label must be one of {', '.join(LABELS)}")
    if not 0 <= start < end <= len(text):
        raise fail(f"span {start}-{end} is outside the text (length {len(text)})")
    return Span(start, end, label, text[start:end])


# --- running it ----------------------------------------------------------------------------


def evaluate(
    examples: Iterable[Example], find: Callable[[str, tuple[str, ...]], list[Span]]
) -> dict[str, Any]:
    """The report for `examples`, with a breakdown per part when the file names parts."""
    examples = list(examples)
    overall, parts = Tally(), dict[str, Tally]()
    for example, predicted in _predictions(examples, find):
        overall.add(example.spans, predicted, example.text)
        if example.part:
            parts.setdefault(example.part, Tally()).add(example.spans, predicted, example.text)
    report = overall.report()
    if parts:
        report["parts"] = {name: tally.report() for name, tally in sorted(parts.items())}
    return report


def _predictions(
    examples: list[Example], find: Callable[[str, tuple[str, ...]], list[Span]]
) -> Iterator[tuple[Example, list[Span]]]:
    for example in examples:
        yield example, find(example.text, example.extra_names)

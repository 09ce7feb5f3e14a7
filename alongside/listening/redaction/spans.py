"""The span a detector reports, and the two things done with spans: merging them so that
no character is claimed twice, and replacing them with placeholders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LABELS = ("name", "phone", "email", "address", "postcode", "date_of_birth", "ni_number")
PLACEHOLDER = {label: f"[{label.replace('_', ' ')}]" for label in LABELS}
# What each kind of detail is called on a page, in the middle of a sentence.
LABEL_WORDS = {
    "name": "name",
    "phone": "phone number",
    "email": "email address",
    "address": "address",
    "postcode": "postcode",
    "date_of_birth": "date of birth",
    "ni_number": "National Insurance number",
}

# When two detectors claim overlapping text the merged span keeps the label of the more
# specific one: a phone number inside a sentence about an address is still a phone number.
_PRIORITY = {
    label: rank
    for rank, label in enumerate(
        ("email", "ni_number", "phone", "postcode", "date_of_birth", "address", "name")
    )
}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    label: str
    text: str


def merged(spans: Iterable[Span], text: str) -> list[Span]:
    """Sorted, non-overlapping spans covering every character any input span covered.

    Overlapping spans become one: hiding a little too much is safer than leaving the tail of
    a phone number showing because a name detector stopped early."""
    # A span reaching past the end (the text was edited after it was found) is cut to fit
    # rather than dropped: dropping it would show what it covered.
    clamped = ((max(s.start, 0), min(s.end, len(text)), s.label) for s in spans)
    ordered = sorted(
        (Span(a, b, label, "") for a, b, label in clamped if a < b), key=lambda s: (s.start, -s.end)
    )
    out: list[Span] = []
    for span in ordered:
        if out and span.start < out[-1].end:
            last = out[-1]
            end = max(last.end, span.end)
            label = min(last.label, span.label, key=lambda lab: _PRIORITY.get(lab, len(_PRIORITY)))
            out[-1] = Span(last.start, end, label, text[last.start : end])
        else:
            out.append(Span(span.start, span.end, span.label, text[span.start : span.end]))
    return out


def apply(text: str, spans: Iterable[Span]) -> str:
    """The text with each span replaced by its placeholder, e.g. "[phone]"."""
    out, last = [], 0
    for span in merged(spans, text):
        out.append(text[last : span.start])
        out.append(PLACEHOLDER.get(span.label, "[removed]"))
        last = span.end
    out.append(text[last:])
    return "".join(out)

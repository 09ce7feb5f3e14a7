"""Find identifying details in a contribution so they can be redacted before anyone but the
listener sees it (DESIGN.md principle 8). Offline: rules and word lists shipped with the code,
nothing fetched. How it works, how well, and what it misses: docs/listening-redaction.md.

The interface (others depend on it): `find_identifying(text, extra_names)` returns the spans,
`apply(text, spans)` gives the redacted text."""

from __future__ import annotations

from collections.abc import Iterable

from .formats import fixed_format_spans
from .names import extra_name_spans, name_spans
from .spans import LABEL_WORDS, LABELS, PLACEHOLDER, Span, apply, merged

__all__ = ["LABELS", "LABEL_WORDS", "PLACEHOLDER", "Span", "apply", "find_identifying"]


def find_identifying(text: str, extra_names: Iterable[str] = ()) -> list[Span]:
    """Spans of identifying detail, sorted, not overlapping.

    `extra_names` are names the team listed (nicknames, a local figure everyone knows): they
    are found however they are written and wherever they stand, even where the rules would
    leave them alone."""
    fixed = fixed_format_spans(text)
    spans = fixed + name_spans(text, skip=fixed) + extra_name_spans(text, extra_names)
    return merged(spans, text)

"""Building contributions and their redactions, and finding words in their text.

Nothing here asks the policy or writes an audit entry: the services (alongside/listening/
services) do both around these, and the demo, which is not something a user did, uses them
directly. `redacted_text` is always rebuilt from the Redaction rows, never edited by hand, and
`set_redacted_text` is the one place that sets it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from . import redaction
from .models import Contribution, Exercise, Redaction

logger = logging.getLogger(__name__)

Decision = Redaction.Decision
# Suggestions count as removed until a person keeps them: the safe default.
HIDDEN = (Decision.SUGGESTED, Decision.REMOVE)


@dataclass(frozen=True)
class ContributionFields:
    """What a listener records about one contribution."""

    channel: str
    text: str
    place: str = ""
    heard_on: date | None = None
    credit: str = Contribution.Credit.ANONYMOUS
    credit_name: str = ""
    credit_place: str = ""
    consent_to_quote: bool = False
    content_warnings: str = ""

    def as_json(self) -> dict[str, Any]:
        """For a job's payload: the same fields, the date as text."""
        values = dict(self.__dict__)
        values["heard_on"] = self.heard_on.isoformat() if self.heard_on else None
        return values

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> ContributionFields:
        heard_on = values.get("heard_on")
        return cls(**{**values, "heard_on": date.fromisoformat(heard_on) if heard_on else None})

    def cleaned(self) -> ContributionFields:
        named = self.credit == Contribution.Credit.NAMED
        return ContributionFields(
            channel=self.channel,
            text=self.text.strip(),
            place=self.place.strip(),
            heard_on=self.heard_on,
            credit=self.credit,
            credit_name=self.credit_name.strip() if named else "",
            credit_place=self.credit_place.strip() if named else "",
            consent_to_quote=self.consent_to_quote,
            content_warnings=self.content_warnings.strip(),
        )


# --- redactions ------------------------------------------------------------------------------


def spans_of(text: str, redactions: Iterable[Redaction]) -> list[redaction.Span]:
    """The spans still hidden from the team: suggested or removed, not kept."""
    return [
        redaction.Span(r.start, r.end, r.label, text[r.start : r.end])
        for r in redactions
        if r.decision in HIDDEN
    ]


def redacted(text: str, redactions: Iterable[Redaction]) -> str:
    return redaction.apply(text, spans_of(text, redactions))


def suggested_redactions(text: str, exercise: Exercise) -> list[Redaction]:
    """Unsaved Redaction rows for every identifying detail the engine finds."""
    return [
        Redaction(start=s.start, end=s.end, label=s.label, decision=Decision.SUGGESTED)
        for s in redaction.find_identifying(text, exercise.extra_names())
    ]


def set_redacted_text(
    contributions: Sequence[Contribution], texts: Sequence[str], *, embed: bool = False
) -> None:
    """The one place a contribution's redacted_text is set. It empties `vector`, the MiniLM
    vector of those same redacted words (never of the original: vectors reach the theme engine,
    whose keywords and labels the team sees): a background job (listening.jobs.embed_missing)
    fills it, because the model is too slow to run inside a request. `embed=True` embeds at once,
    all of `contributions` in one batch. Without the model installed the vector stays empty and
    theme suggestion falls back to the methods that need none."""
    for contribution, text in zip(contributions, texts, strict=True):
        contribution.redacted_text = text
        contribution.vector = None
    if embed:
        embed_redacted(contributions)


def embed_redacted(contributions: Sequence[Contribution]) -> None:
    """Fill `vector` from each contribution's redacted words, in one batch."""
    if not contributions:
        return
    # The model (numpy and friends) is loaded the first time a contribution is embedded, not
    # when the site starts: a worker that never embeds never holds it.
    from .themes import minilm

    if not minilm.available():
        return
    try:
        rows = minilm.embed([c.redacted_text for c in contributions])
    except Exception:
        # A contribution must never be lost because the model failed: it is saved without a
        # vector, and themes_suggest tries again for the ones that lack one.
        logger.exception("MiniLM embedding failed; contributions saved without vectors")
        return
    for contribution, row in zip(contributions, rows, strict=True):
        contribution.vector = minilm.to_bytes(row)


# --- contributions -----------------------------------------------------------------------------


def build(exercise: Exercise, actor: Any, fields: ContributionFields) -> Contribution:
    """An unsaved contribution with its suggested redactions on `_pending_redactions`."""
    fields = fields.cleaned()
    contribution = Contribution(
        exercise=exercise,
        channel=fields.channel,
        place=fields.place,
        heard_on=fields.heard_on,
        text=fields.text,
        credit=fields.credit,
        credit_name=fields.credit_name,
        credit_place=fields.credit_place,
        consent_to_quote=fields.consent_to_quote,
        content_warnings=fields.content_warnings,
        captured_by=actor,
        captured_at=timezone.now(),
    )
    pending = suggested_redactions(contribution.text, exercise)
    # Embedded when saved (save_built, contribution_create): callers building many at once
    # get one batch, and the demo changes the redactions before saving.
    set_redacted_text([contribution], [redacted(contribution.text, pending)], embed=False)
    contribution._pending_redactions = pending
    return contribution


def save_built(contributions: Sequence[Contribution]) -> list[Contribution]:
    """Store contributions made by `build`, and their redactions, in a fixed number of
    queries however many there are, embedding their redacted words in one batch."""
    embed_redacted([c for c in contributions if c.vector is None])
    saved = Contribution.objects.bulk_create(contributions)
    rows = []
    for contribution in saved:
        for row in contribution._pending_redactions:
            row.contribution = contribution
            rows.append(row)
    Redaction.objects.bulk_create(rows)
    return saved


# --- finding words -------------------------------------------------------------------------------


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def occurrences(text: str, words: str, blocked: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where `words` appear as whole words (capitals or not, any spacing between them), outside
    the `blocked` ranges."""
    parts = words.split()
    if not parts:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)"
    blocked = list(blocked)
    return [
        (m.start(), m.end())
        for m in re.finditer(pattern, text, re.IGNORECASE)
        if not any(overlaps(m.start(), m.end(), s, e) for s, e in blocked)
    ]


def merge_team_span(rows: list[Redaction], start: int, end: int, label: str) -> list[Redaction]:
    """Add a span a person asked to remove. Removal wins: any redaction it touches (even
    one kept) is folded into one span covering both, so spans never overlap."""
    touching = [r for r in rows if overlaps(start, end, r.start, r.end)]
    if touching:
        start = min([start] + [r.start for r in touching])
        end = max([end] + [r.end for r in touching])
    merged = Redaction(
        start=start, end=end, label=label, decision=Decision.REMOVE, added_by_team=True
    )
    return sorted([r for r in rows if r not in touching] + [merged], key=lambda r: (r.start, r.end))


def locate(text: str, words: str, start_hint: int | None = None) -> tuple[int, int] | None:
    """Where the typed or pasted words stand in the text, as (start, end).

    Exact words first (at the hinted place if it matches there); then allowing for different
    spacing or line breaks, as pasting often changes them; then ignoring capitals."""
    words = words.strip()
    if not words:
        return None
    if start_hint is not None and text[start_hint : start_hint + len(words)] == words:
        return start_hint, start_hint + len(words)
    found = text.find(words)
    if found >= 0:
        return found, found + len(words)
    pattern = r"\s+".join(re.escape(part) for part in words.split())
    for flags in (0, re.IGNORECASE):
        match = re.search(pattern, text, flags)
        if match:
            return match.start(), match.end()
    return None

"""Capturing contributions and checking what was taken out of them (DESIGN.md principle 8).

Redaction happens at capture: before anyone but the listener sees a contribution, every
detail the engine suggests is counted as removed. A person then checks each suggestion
(remove it, or keep the words because they don't identify anyone), may remove details the
engine missed, and marks the contribution checked. Only a checked contribution can be
quoted. `redacted_text` is always rebuilt from the Redaction rows, never edited by hand.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from .. import redaction
from ..models import Contribution, Exercise, Redaction
from ..themes import minilm

logger = logging.getLogger(__name__)

Decision = Redaction.Decision
# Suggestions count as removed until a person keeps them: the safe default.
HIDDEN = (Decision.SUGGESTED, Decision.REMOVE)
TEAM_LABEL_DEFAULT = "name"


class ContributionConflictError(Exception):
    """Someone else changed the contribution first. `current` is it as they saved it."""

    def __init__(self, current: Contribution) -> None:
        super().__init__("contribution changed by someone else")
        self.current = current


class WordsNotFoundError(ValueError):
    """The words a reviewer asked to remove are not in the text they can see."""

    def __init__(self, words: list[str]) -> None:
        super().__init__("words not found")
        self.words = words


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


# --- building redactions (no policy, no audit: shared with import and the demo) ----------


def spans_of(text: str, redactions: Iterable[Redaction]) -> list[redaction.Span]:
    """The spans still hidden from the team: suggested or removed, not kept."""
    return [
        redaction.Span(r.start, r.end, r.label, text[r.start : r.end])
        for r in redactions
        if r.decision in HIDDEN
    ]


def redacted(text: str, redactions: Iterable[Redaction]) -> str:
    return redaction.apply(text, spans_of(text, redactions))


def set_redacted_text(
    contributions: Sequence[Contribution], texts: Sequence[str], *, embed: bool = True
) -> None:
    """The one place a contribution's redacted_text is set, and with it `vector`, the MiniLM
    vector of those same redacted words (never of the original: vectors reach the theme engine,
    whose keywords and labels the team sees). All of `contributions` are embedded in one batch.

    With `embed=False` the vector is left empty for `save_built` to fill, so a bulk path that
    builds contributions one at a time still embeds them together. Without the model installed
    the vector stays empty and theme suggestion falls back to the methods that need none."""
    for contribution, text in zip(contributions, texts, strict=True):
        contribution.redacted_text = text
        contribution.vector = None
    if embed:
        _embed_into(contributions)


def _embed_into(contributions: Sequence[Contribution]) -> None:
    if not contributions or not minilm.available():
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


def suggest(text: str, exercise: Exercise) -> list[Redaction]:
    """Unsaved Redaction rows for every identifying detail the engine finds."""
    return [
        Redaction(start=s.start, end=s.end, label=s.label, decision=Decision.SUGGESTED)
        for s in redaction.find_identifying(text, exercise.extra_names())
    ]


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
    pending = suggest(contribution.text, exercise)
    # Embedded when saved (save_built, contribution_create): callers building many at once
    # get one batch, and the demo changes the redactions before saving.
    set_redacted_text([contribution], [redacted(contribution.text, pending)], embed=False)
    contribution._pending_redactions = pending
    return contribution


def save_built(contributions: Sequence[Contribution]) -> list[Contribution]:
    """Store contributions made by `build`, and their redactions, in a fixed number of
    queries however many there are, embedding their redacted words in one batch."""
    _embed_into([c for c in contributions if c.vector is None])
    saved = Contribution.objects.bulk_create(contributions)
    rows = []
    for contribution in saved:
        for row in contribution._pending_redactions:
            row.contribution = contribution
            rows.append(row)
    Redaction.objects.bulk_create(rows)
    return saved


# --- writes --------------------------------------------------------------------------


def contribution_create(actor: Any, exercise: Exercise, fields: ContributionFields) -> Contribution:
    """Save one contribution with the engine's suggestions already taken out."""
    policy.require(actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution add")
    with transaction.atomic():
        contribution = build(exercise, actor, fields)
        pending = contribution._pending_redactions
        _embed_into([contribution])
        contribution.save()
        for row in pending:
            row.contribution = contribution
        Redaction.objects.bulk_create(pending)
        audit.record(
            actor,
            AuditAction.CREATE,
            contribution,
            detail=f"contribution added, {len(pending)} details suggested for removal",
        )
    return contribution


def contribution_update(
    actor: Any, contribution: Contribution, fields: ContributionFields, *, version: int
) -> Contribution:
    """Change what was recorded. Only the listener who captured it may change the words;
    new words are checked again from scratch (the details the team removed by hand are
    looked for again in the new words) and wait for a person to check them."""
    exercise = contribution.exercise
    policy.require(actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution edit")
    fields = fields.cleaned()
    new_text = fields.text != contribution.text
    if new_text:
        policy.require(
            actor, policy.Action.CONTRIBUTION_ORIGINAL, contribution, detail="contribution words"
        )
    changes: dict[str, Any] = {
        "channel": fields.channel,
        "place": fields.place,
        "heard_on": fields.heard_on,
        "credit": fields.credit,
        "credit_name": fields.credit_name,
        "credit_place": fields.credit_place,
        "consent_to_quote": fields.consent_to_quote,
        "content_warnings": fields.content_warnings,
    }
    with transaction.atomic():
        rows: list[Redaction] = []
        if new_text:
            old = list(contribution.redactions.all())
            rows = suggest(fields.text, exercise)
            for row in old:
                if row.added_by_team and row.decision == Decision.REMOVE:
                    words = contribution.text[row.start : row.end]
                    for start, end in occurrences(fields.text, words, blocked=()):
                        rows = merge_team_span(rows, start, end, row.label)
            vectored = Contribution(text=fields.text)
            set_redacted_text([vectored], [redacted(fields.text, rows)])
            changes.update(
                text=fields.text,
                redacted_text=vectored.redacted_text,
                vector=vectored.vector,
                state=Contribution.State.DRAFT,
                reviewed_by=None,
                reviewed_at=None,
            )
        _update_or_conflict(contribution, version, changes)
        if new_text:
            contribution.redactions.all().delete()
            for row in rows:
                row.pk = None
                row.contribution = contribution
            Redaction.objects.bulk_create(rows)
        audit.record(
            actor,
            AuditAction.CHANGE,
            contribution,
            detail="contribution words changed" if new_text else "contribution details changed",
        )
    return contribution


def contribution_review(
    actor: Any,
    contribution: Contribution,
    decisions: Mapping[int, str],
    extra_words: Sequence[str],
    *,
    version: int | None = None,
    label: str = TEAM_LABEL_DEFAULT,
    finish: bool = True,
) -> Contribution:
    """Apply a person's check: `decisions` maps Redaction ids to "remove" or "keep";
    `extra_words` are exact words to remove as well (each place they appear). With
    `finish`, anything still only suggested is removed and the contribution is checked.

    A reviewer who can't see the original words can only remove words they can see: the
    parts already hidden from them are not searched, so nobody can probe what was taken
    out. Raises WordsNotFoundError (nothing written) when words can't be found, and
    ContributionConflictError when `version` is not the current one."""
    exercise = contribution.exercise
    policy.require(actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution review")
    sees_original = policy.can(actor, policy.Action.CONTRIBUTION_ORIGINAL, contribution)
    rows = list(contribution.redactions.all())
    hidden_before = (
        [] if sees_original else [(r.start, r.end) for r in rows if r.decision in HIDDEN]
    )

    for row in rows:
        choice = decisions.get(row.pk)
        if choice in (Decision.REMOVE, Decision.KEEP):
            row.decision = choice
        elif finish and row.decision == Decision.SUGGESTED:
            row.decision = Decision.REMOVE

    missing = []
    for words in (w for w in extra_words if w.strip()):
        found = occurrences(contribution.text, words, blocked=hidden_before)
        if not found:
            missing.append(words.strip())
        for start, end in found:
            rows = merge_team_span(rows, start, end, label)
    if missing:
        raise WordsNotFoundError(missing)

    # A stand-in carries the new words so the caller's object is untouched if this conflicts.
    vectored = Contribution(text=contribution.text)
    set_redacted_text([vectored], [redacted(contribution.text, rows)])
    changes: dict[str, Any] = {"redacted_text": vectored.redacted_text, "vector": vectored.vector}
    if finish:
        changes.update(
            state=Contribution.State.REVIEWED, reviewed_by=actor, reviewed_at=timezone.now()
        )
    with transaction.atomic():
        _update_or_conflict(contribution, version, changes)
        kept_ids = [r.pk for r in rows if r.pk is not None]
        contribution.redactions.exclude(pk__in=kept_ids).delete()
        existing = [r for r in rows if r.pk is not None]
        if existing:
            Redaction.objects.bulk_update(existing, ["decision"])
        added = [r for r in rows if r.pk is None]
        for row in added:
            row.contribution = contribution
        Redaction.objects.bulk_create(added)
        removed = sum(1 for r in rows if r.decision in HIDDEN)
        audit.record(
            actor,
            AuditAction.CHANGE,
            contribution,
            detail=(
                f"contribution {'checked' if finish else 'check saved'}: "
                f"{removed} removed, {len(rows) - removed} kept"
            ),
        )
    return contribution


def rescan_for_names(exercise: Exercise) -> int:
    """After the team adds names to redact, look for them (and anything else the engine
    now finds) in every contribution. A contribution that gains a suggestion goes back to
    waiting for a check. Returns how many did. Called inside the exercise update."""
    changed = 0
    contributions = list(exercise.contributions.prefetch_related("redactions"))
    new_rows: list[Redaction] = []
    changed_rows: list[tuple[Contribution, str]] = []
    for contribution in contributions:
        rows = list(contribution.redactions.all())
        taken = [(r.start, r.end) for r in rows]
        fresh = [
            row
            for row in suggest(contribution.text, exercise)
            if not any(_overlaps(row.start, row.end, s, e) for s, e in taken)
        ]
        if not fresh:
            continue
        for row in fresh:
            row.contribution = contribution
        new_rows += fresh
        changed_rows.append((contribution, redacted(contribution.text, rows + fresh)))
    # All the changed contributions embedded in one batch, then written one by one (each keeps
    # its own version count).
    set_redacted_text([c for c, _ in changed_rows], [t for _, t in changed_rows])
    for contribution, _ in changed_rows:
        Contribution.objects.filter(pk=contribution.pk).update(
            redacted_text=contribution.redacted_text,
            vector=contribution.vector,
            state=Contribution.State.DRAFT,
            reviewed_by=None,
            reviewed_at=None,
            version=F("version") + 1,
        )
        changed += 1
    Redaction.objects.bulk_create(new_rows)
    return changed


# --- helpers -------------------------------------------------------------------------


def _update_or_conflict(contribution: Contribution, version: int | None, changes: dict) -> None:
    current = version if version is not None else contribution.version
    updated = Contribution.objects.filter(pk=contribution.pk, version=current).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise ContributionConflictError(
            Contribution.objects.select_related("exercise").get(pk=contribution.pk)
        )
    contribution.refresh_from_db()


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
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
        if not any(_overlaps(m.start(), m.end(), s, e) for s, e in blocked)
    ]


def merge_team_span(rows: list[Redaction], start: int, end: int, label: str) -> list[Redaction]:
    """Add a span a person asked to remove. Removal wins: any redaction it touches (even
    one kept) is folded into one span covering both, so spans never overlap."""
    touching = [r for r in rows if _overlaps(start, end, r.start, r.end)]
    if touching:
        start = min([start] + [r.start for r in touching])
        end = max([end] + [r.end for r in touching])
    merged = Redaction(
        start=start, end=end, label=label, decision=Decision.REMOVE, added_by_team=True
    )
    return sorted([r for r in rows if r not in touching] + [merged], key=lambda r: (r.start, r.end))

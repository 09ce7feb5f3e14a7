"""Capturing contributions and checking what was taken out of them (DESIGN.md principle 8).

Redaction happens at capture: before anyone but the listener sees a contribution, every
detail the engine suggests is counted as removed. A person then checks each suggestion
(remove it, or keep the words because they don't identify anyone), may remove details the
engine missed, and marks the contribution checked. Only a checked contribution can be
quoted. `redacted_text` is always rebuilt from the Redaction rows, never edited by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import F
from django.template.defaultfilters import pluralize
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core.models import AuditAction

from ..background import queue_embedding
from ..building import (
    HIDDEN,
    ContributionFields,
    build,
    merge_team_span,
    occurrences,
    redacted,
    set_redacted_text,
    suggested_redactions,
)
from ..models import Contribution, Exercise, Redaction

__all__ = [
    "TEAM_LABEL_DEFAULT",
    "ContributionConflictError",
    "ContributionFields",
    "WordsNotFoundError",
    "contribution_create",
    "contribution_review",
    "contribution_update",
]

Action = policy.Action
Decision = Redaction.Decision
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


# --- writes --------------------------------------------------------------------------


def contribution_create(
    *, actor: User, exercise: Exercise, fields: ContributionFields
) -> Contribution:
    """Save one contribution with the engine's suggestions already taken out."""
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="contribution add") as write:
        contribution = build(exercise, actor, fields)
        pending = contribution._pending_redactions  # type: ignore[attr-defined]
        contribution.save()
        for row in pending:
            row.contribution = contribution
        Redaction.objects.bulk_create(pending)
        queue_embedding(exercise=exercise, started_by=actor)
        write.audit(
            AuditAction.CREATE,
            contribution,
            detail=f"contribution added, {len(pending)} detail{pluralize(len(pending))} "
            "suggested for removal",
        )
    return contribution


def contribution_update(
    *, actor: User, contribution: Contribution, fields: ContributionFields, version: int
) -> Contribution:
    """Change what was recorded. Only the listener who captured it may change the words;
    new words are checked again from scratch (the details the team removed by hand are
    looked for again in the new words) and wait for a person to check them."""
    exercise = contribution.exercise
    fields = fields.cleaned()
    new_text = fields.text != contribution.text
    # Changing the words needs the words as heard (only their listener, in the team); any
    # other change needs the team.
    action, obj, detail = (
        (Action.CONTRIBUTION_ORIGINAL, contribution, "contribution words")
        if new_text
        else (Action.EXERCISE_WORK, exercise, "contribution edit")
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
    with policy.writing(actor, action, obj, detail=detail) as write:
        rows: list[Redaction] = []
        if new_text:
            old = list(contribution.redactions.all())
            rows = suggested_redactions(fields.text, exercise)
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
        if "vector" in changes:
            queue_embedding(exercise=exercise, started_by=actor)
        if new_text:
            contribution.redactions.all().delete()
            for row in rows:
                row.pk = None
                row.contribution = contribution
            Redaction.objects.bulk_create(rows)
        write.audit(
            AuditAction.CHANGE,
            contribution,
            detail="contribution words changed" if new_text else "contribution details changed",
        )
    return contribution


def contribution_review(
    *,
    actor: User,
    contribution: Contribution,
    decisions: Mapping[int, str],
    extra_words: Sequence[str] = (),
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
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail="contribution review"
    ) as write:
        sees_original = policy.can(actor, Action.CONTRIBUTION_ORIGINAL, contribution)
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

        # A stand-in carries the new words so the caller's object is untouched if this
        # conflicts.
        vectored = Contribution(text=contribution.text)
        set_redacted_text([vectored], [redacted(contribution.text, rows)])
        changes: dict[str, Any] = {"redacted_text": vectored.redacted_text}
        if vectored.redacted_text != contribution.redacted_text:
            changes["vector"] = None  # a job embeds the new words
        if finish:
            changes.update(
                state=Contribution.State.REVIEWED, reviewed_by=actor, reviewed_at=timezone.now()
            )
        _update_or_conflict(contribution, version, changes)
        if "vector" in changes:
            queue_embedding(exercise=exercise, started_by=actor)
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
        write.audit(
            AuditAction.CHANGE,
            contribution,
            detail=(
                f"contribution {'checked' if finish else 'check saved'}: "
                f"{removed} removed, {len(rows) - removed} kept"
            ),
        )
    return contribution


# --- helpers -------------------------------------------------------------------------


def _update_or_conflict(
    contribution: Contribution, version: int | None, changes: dict[str, Any]
) -> None:
    current = version if version is not None else contribution.version
    updated = Contribution.objects.filter(pk=contribution.pk, version=current).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise ContributionConflictError(
            Contribution.objects.select_related("exercise").get(pk=contribution.pk)
        )
    contribution.refresh_from_db()

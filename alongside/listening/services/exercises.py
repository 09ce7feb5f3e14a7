"""Starting and changing a listening exercise: one open question, a team to listen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F
from django.template.defaultfilters import pluralize

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, User
from alongside.core.models import AuditAction

from ..background import queue_embedding
from ..building import overlaps, redacted, set_redacted_text, suggested_redactions
from ..models import Contribution, Exercise, Redaction
from ..selectors.exercises import team_candidates

Action = policy.Action

DEFAULT_CONSENT_SCRIPT = (
    "We're listening to as many people as we can about one question. There are no right "
    "or wrong answers, and you can stop at any time. We won't use your name unless you ask "
    "us to: before anyone else reads what you said, we take out names, phone numbers and "
    "anything else that could point to you. If you're happy for us to quote your words, "
    "tell us how you'd like to be named: a first name or a made-up one, and a place, or "
    "no name at all. You can change your mind later by getting in touch with us."
)


def exercise_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    question: str,
    asked_by: str = "",
    area: Area | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    target_groups: str = "",
    channels: Iterable[str] = (),
    consent_script: str = "",
    names_to_redact: str = "",
) -> Exercise:
    """The person who starts an exercise is the first member of its team."""
    with policy.writing(
        actor, Action.EXERCISE_CREATE, organisation, detail="exercise add"
    ) as write:
        exercise = Exercise.objects.create(
            organisation=organisation,
            title=title.strip(),
            question=question.strip(),
            asked_by=asked_by.strip(),
            area=area,
            starts_on=starts_on,
            ends_on=ends_on,
            target_groups=target_groups.strip(),
            channels=list(channels),
            consent_script=consent_script.strip(),
            names_to_redact=names_to_redact.strip(),
            created_by=actor,
        )
        exercise.team.add(actor)
        write.audit(AuditAction.CREATE, exercise, detail="listening exercise started")
    return exercise


def exercise_update(
    *,
    actor: User,
    exercise: Exercise,
    team: Iterable[User],
    names_to_redact: str = "",
    **details: Any,
) -> int:
    """Change the exercise's details, team and names to redact. Team members must listen
    or lead in the exercise's organisation. When the names change, every contribution is
    looked through again; returns how many now wait for a check because of that."""
    with policy.writing(actor, Action.EXERCISE_EDIT, exercise, detail="exercise edit") as write:
        allowed = set(team_candidates(exercise.organisation_id).values_list("pk", flat=True))
        members = [user for user in team if user.pk in allowed]
        if not members:
            raise ValueError("An exercise needs at least one person in its team.")
        names_changed = _names(names_to_redact) != _names(exercise.names_to_redact)
        fields = ["names_to_redact"]
        for name, value in details.items():
            setattr(exercise, name, value.strip() if isinstance(value, str) else value)
            fields.append(name)
        if "channels" in details:
            exercise.channels = list(details["channels"])
        exercise.names_to_redact = names_to_redact.strip()
        exercise.save(update_fields=fields)
        exercise.team.set(members)
        waiting = _rescan_for_names(exercise) if names_changed else 0
        write.audit(
            AuditAction.CHANGE,
            exercise,
            detail=f"exercise changed: team of {len(members)}"
            + (
                f", names changed, {waiting} contribution{pluralize(waiting)} to check again"
                if names_changed
                else ""
            ),
        )
    return waiting


def _names(text: str) -> set[str]:
    return {line.strip().casefold() for line in text.splitlines() if line.strip()}


def _rescan_for_names(exercise: Exercise) -> int:
    """After the team adds names to redact, look for them (and anything else the engine
    now finds) in every contribution. A contribution that gains a suggestion goes back to
    waiting for a check. Returns how many did. Runs inside the exercise update's write."""
    changed = 0
    contributions = list(exercise.contributions.prefetch_related("redactions"))
    new_rows: list[Redaction] = []
    changed_rows: list[tuple[Contribution, str]] = []
    for contribution in contributions:
        rows = list(contribution.redactions.all())
        taken = [(r.start, r.end) for r in rows]
        fresh = [
            row
            for row in suggested_redactions(contribution.text, exercise)
            if not any(overlaps(row.start, row.end, s, e) for s, e in taken)
        ]
        if not fresh:
            continue
        for row in fresh:
            row.contribution = contribution
        new_rows += fresh
        changed_rows.append((contribution, redacted(contribution.text, rows + fresh)))
    # Written one by one (each keeps its own version count); a job embeds the new words.
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
    if changed:
        queue_embedding(exercise=exercise)
    return changed

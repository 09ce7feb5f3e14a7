"""Starting and changing a listening exercise: one open question, a team to listen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from alongside.accounts import policy
from alongside.accounts.models import Area, Membership, Organisation, Role
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Exercise
from .contributions import rescan_for_names

TEAM_ROLES = (Role.LISTENER, Role.LEAD)

DEFAULT_CONSENT_SCRIPT = (
    "We're listening to as many people as we can about one question. There are no right "
    "or wrong answers, and you can stop at any time. We won't use your name unless you ask "
    "us to: before anyone else reads what you said, we take out names, phone numbers and "
    "anything else that could point to you. If you're happy for us to quote your words, "
    "tell us how you'd like to be named: a first name or a made-up one, and a place, or "
    "no name at all. You can change your mind later by getting in touch with us."
)


def team_candidates(organisation: Organisation) -> Any:
    """The people who may be in an exercise's team: listeners and leads there."""
    from django.contrib.auth import get_user_model

    user_ids = Membership.objects.filter(organisation=organisation, role__in=TEAM_ROLES).values(
        "user_id"
    )
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("first_name", "username")
    )


def exercise_create(
    actor: Any,
    organisation: Organisation,
    *,
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
    policy.require(actor, policy.Action.EXERCISE_CREATE, organisation, detail="exercise add")
    with transaction.atomic():
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
        audit.record(actor, AuditAction.CREATE, exercise, detail="listening exercise started")
    return exercise


def exercise_update(
    actor: Any,
    exercise: Exercise,
    *,
    team: Iterable[Any],
    names_to_redact: str = "",
    **details: Any,
) -> int:
    """Change the exercise's details, team and names to redact. Team members must listen
    or lead in the exercise's organisation. When the names change, every contribution is
    looked through again; returns how many now wait for a check because of that."""
    policy.require(actor, policy.Action.EXERCISE_EDIT, exercise, detail="exercise edit")
    allowed = set(team_candidates(exercise.organisation).values_list("pk", flat=True))
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
    with transaction.atomic():
        exercise.save(update_fields=fields)
        exercise.team.set(members)
        waiting = rescan_for_names(exercise) if names_changed else 0
        audit.record(
            actor,
            AuditAction.CHANGE,
            exercise,
            detail=f"exercise changed: team of {len(members)}"
            + (f", names changed, {waiting} contributions to check again" if names_changed else ""),
        )
    return waiting


def _names(text: str) -> set[str]:
    return {line.strip().casefold() for line in text.splitlines() if line.strip()}

"""Starting to work with someone, and every change to how we work together.

Nothing here ever ends a relationship on its own: only the person's choice does, and an
ended or paused relationship can restart without a new referral. Every change of state or
intensity is kept as a RelationshipChange, so the history is never overwritten.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Person, Relationship, RelationshipChange

State = Relationship.State

# Where a relationship may go from each state. Ended is never a dead end.
ALLOWED: dict[str, set[str]] = {
    State.GETTING_TO_KNOW: {State.WORKING_TOGETHER, State.PAUSED, State.ENDED},
    State.WORKING_TOGETHER: {State.PAUSED, State.ENDED},
    State.PAUSED: {State.WORKING_TOGETHER, State.ENDED},
    State.ENDED: {State.WORKING_TOGETHER},
}


def allowed_next(relationship: Relationship) -> set[str]:
    return ALLOWED.get(relationship.state, set())


def person_start(
    actor: Any, organisation: Organisation, chosen_name: str, *, pronouns: str = ""
) -> Person:
    """Start working with someone: only the name they choose is needed."""
    policy.require(actor, policy.Action.PERSON_START, organisation)
    chosen_name = chosen_name.strip()
    if not chosen_name:
        raise ValidationError("Write the name they'd like to use.")
    with transaction.atomic():
        person = Person.objects.create(
            organisation=organisation, chosen_name=chosen_name, pronouns=pronouns.strip()
        )
        relationship = Relationship.objects.create(
            person=person, coach=actor, organisation=organisation, state=State.GETTING_TO_KNOW
        )
        RelationshipChange.objects.create(
            relationship=relationship,
            by=actor,
            from_state="",
            to_state=State.GETTING_TO_KNOW,
            intensity=relationship.intensity,
        )
        audit.record(actor, AuditAction.CREATE, person, detail="started working together")
    return person


def relationship_change_state(
    actor: Any, relationship: Relationship, to_state: str, *, note: str = ""
) -> RelationshipChange:
    """Move a relationship to a new state, if that move makes sense, and keep the history.

    `note` is how the person would like us to keep in touch (pausing) or what's in place
    now (ending)."""
    policy.require(actor, policy.Action.PERSON_CHANGE, relationship.person)
    from_state = relationship.state
    if to_state == from_state:
        raise ValidationError(
            f"You're already at “{State(from_state).label.lower()}”, so nothing changed."
        )
    if to_state not in allowed_next(relationship):
        raise ValidationError(
            f"A relationship can't go from “{State(from_state).label.lower()}” "
            f"to “{State(to_state).label.lower()}”."
        )
    note = note.strip()
    if to_state == State.PAUSED and not note:
        raise ValidationError("Write how they'd like us to keep in touch while paused.")
    if to_state == State.ENDED and not note:
        raise ValidationError("Write what's in place now, so the way back is clear.")
    with transaction.atomic():
        relationship.state = to_state
        if to_state == State.PAUSED:
            relationship.keep_in_touch = note[:300]
        else:
            relationship.keep_in_touch = ""
        relationship.save(update_fields=["state", "keep_in_touch"])
        change = RelationshipChange.objects.create(
            relationship=relationship,
            by=actor,
            from_state=from_state,
            to_state=to_state,
            intensity=relationship.intensity,
            note=note,
        )
        audit.record(
            actor,
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} {from_state} to {to_state}",
        )
    return change


def relationship_work_together(actor: Any, relationship: Relationship) -> RelationshipChange:
    """From getting to know each other, or back from a pause or an ending: no re-referral."""
    return relationship_change_state(actor, relationship, State.WORKING_TOGETHER)


def relationship_restart(actor: Any, relationship: Relationship) -> RelationshipChange:
    if relationship.state not in {State.PAUSED, State.ENDED}:
        policy.require(actor, policy.Action.PERSON_CHANGE, relationship.person)
        raise ValidationError("Only a paused or ended relationship can restart.")
    return relationship_work_together(actor, relationship)


def relationship_pause(
    actor: Any, relationship: Relationship, keep_in_touch: str
) -> RelationshipChange:
    return relationship_change_state(actor, relationship, State.PAUSED, note=keep_in_touch)


def relationship_end(
    actor: Any, relationship: Relationship, in_place_now: str
) -> RelationshipChange:
    return relationship_change_state(actor, relationship, State.ENDED, note=in_place_now)


def relationship_set_intensity(
    actor: Any, relationship: Relationship, intensity: str
) -> RelationshipChange:
    """How often we meet is the person's choice, and can change; each change is kept."""
    policy.require(actor, policy.Action.PERSON_CHANGE, relationship.person)
    if intensity not in Relationship.Intensity.values:
        raise ValidationError("Choose one of the options for how often to meet.")
    if intensity == relationship.intensity:
        raise ValidationError("That's how often you meet already, so nothing changed.")
    with transaction.atomic():
        relationship.intensity = intensity
        relationship.save(update_fields=["intensity"])
        change = RelationshipChange.objects.create(
            relationship=relationship,
            by=actor,
            from_state=relationship.state,
            to_state=relationship.state,
            intensity=intensity,
        )
        audit.record(
            actor,
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} intensity {intensity}",
        )
    return change


def relationship_set_dates(
    actor: Any,
    relationship: Relationship,
    *,
    last_contact_on: datetime.date | None,
    next_meeting_on: datetime.date | None,
) -> Relationship:
    """When we last were in touch, and when we next meet (either may be left empty)."""
    policy.require(actor, policy.Action.PERSON_CHANGE, relationship.person)
    with transaction.atomic():
        relationship.last_contact_on = last_contact_on
        relationship.next_meeting_on = next_meeting_on
        relationship.save(update_fields=["last_contact_on", "next_meeting_on"])
        audit.record(
            actor,
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} dates",
        )
    return relationship

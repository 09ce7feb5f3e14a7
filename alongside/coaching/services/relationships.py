"""Starting to work with someone, and every change to how we work together.

Nothing here ever ends a relationship on its own: only the person's choice does, and an
ended or paused relationship can restart without a new referral. Every change of state or
intensity is kept as a RelationshipChange, so the history is never overwritten.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Person, Relationship, RelationshipChange
from ..selectors.relationships import allowed_next

State = Relationship.State


def person_start(
    *, actor: User, organisation: Organisation, chosen_name: str, pronouns: str = ""
) -> Person:
    """Start working with someone: only the name they choose is needed."""
    chosen_name = chosen_name.strip()
    if not chosen_name:
        raise ValidationError("Write the name they'd like to use.")
    with policy.writing(actor, Action.PERSON_START, organisation) as write:
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
        write.audit(AuditAction.CREATE, person, detail="started working together")
    return person


def relationship_change_state(
    *, actor: User, relationship: Relationship, to_state: str, note: str = ""
) -> RelationshipChange:
    """Move a relationship to a new state, if that move makes sense, and keep the history.

    `note` is how the person would like us to keep in touch (pausing) or what's in place
    now (ending). The row is locked, so two changes at once are made one after the other
    and each is checked against the state the other left."""
    with policy.writing(actor, Action.PERSON_CHANGE, relationship.person) as write:
        locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
        relationship.state = locked.state
        change = _change_state(relationship, actor=actor, to_state=to_state, note=note)
        write.audit(
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} {change.from_state} to {to_state}",
        )
    return change


def _change_state(
    relationship: Relationship, *, actor: User, to_state: str, note: str
) -> RelationshipChange:
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
    relationship.state = to_state
    relationship.keep_in_touch = note[:300] if to_state == State.PAUSED else ""
    relationship.save(update_fields=["state", "keep_in_touch"])
    return RelationshipChange.objects.create(
        relationship=relationship,
        by=actor,
        from_state=from_state,
        to_state=to_state,
        intensity=relationship.intensity,
        note=note,
    )


def relationship_work_together(*, actor: User, relationship: Relationship) -> RelationshipChange:
    """From getting to know each other, or back from a pause or an ending: no re-referral."""
    return relationship_change_state(
        actor=actor, relationship=relationship, to_state=State.WORKING_TOGETHER
    )


def relationship_restart(*, actor: User, relationship: Relationship) -> RelationshipChange:
    if relationship.state not in {State.PAUSED, State.ENDED}:
        policy.require(actor, Action.PERSON_CHANGE, relationship.person)
        raise ValidationError("Only a paused or ended relationship can restart.")
    return relationship_work_together(actor=actor, relationship=relationship)


def relationship_pause(
    *, actor: User, relationship: Relationship, keep_in_touch: str
) -> RelationshipChange:
    return relationship_change_state(
        actor=actor, relationship=relationship, to_state=State.PAUSED, note=keep_in_touch
    )


def relationship_end(
    *, actor: User, relationship: Relationship, in_place_now: str
) -> RelationshipChange:
    return relationship_change_state(
        actor=actor, relationship=relationship, to_state=State.ENDED, note=in_place_now
    )


def relationship_set_intensity(
    *, actor: User, relationship: Relationship, intensity: str
) -> RelationshipChange:
    """How often we meet is the person's choice, and can change; each change is kept."""
    if intensity not in Relationship.Intensity.values:
        policy.require(actor, Action.PERSON_CHANGE, relationship.person)
        raise ValidationError("Choose one of the options for how often to meet.")
    if intensity == relationship.intensity:
        policy.require(actor, Action.PERSON_CHANGE, relationship.person)
        raise ValidationError("That's how often you meet already, so nothing changed.")
    with policy.writing(actor, Action.PERSON_CHANGE, relationship.person) as write:
        relationship.intensity = intensity
        relationship.save(update_fields=["intensity"])
        change = RelationshipChange.objects.create(
            relationship=relationship,
            by=actor,
            from_state=relationship.state,
            to_state=relationship.state,
            intensity=intensity,
        )
        write.audit(
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} intensity {intensity}",
        )
    return change


def relationship_set_dates(
    *,
    actor: User,
    relationship: Relationship,
    last_contact_on: datetime.date | None,
    next_meeting_on: datetime.date | None,
) -> Relationship:
    """When we last were in touch, and when we next meet (either may be left empty)."""
    with policy.writing(actor, Action.PERSON_CHANGE, relationship.person) as write:
        relationship.last_contact_on = last_contact_on
        relationship.next_meeting_on = next_meeting_on
        relationship.save(update_fields=["last_contact_on", "next_meeting_on"])
        write.audit(
            AuditAction.CHANGE, relationship, detail=f"relationship {relationship.pk} dates"
        )
    return relationship

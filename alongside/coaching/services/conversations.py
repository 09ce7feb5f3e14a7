"""Writing conversations up with the person, and the organisation's language list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Conversation, Goal, LanguageWord, Person, Relationship


class ConversationConflictError(Exception):
    """Someone else saved the note first. `current` is their version, as saved."""

    def __init__(self, current: Conversation) -> None:
        super().__init__("conversation changed by someone else")
        self.current = current


def _own_goals(person: Person, goals: Iterable[Goal]) -> list[Goal]:
    return [g for g in goals if g.person_id == person.pk]


def conversation_create(
    actor: Any,
    person: Person,
    *,
    happened_on: date,
    place: str = "",
    notes: str = "",
    reflection: str = "",
    goals: Iterable[Goal] = (),
) -> Conversation:
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="conversation add")
    relationship = Relationship.objects.filter(person=person, coach=actor).first()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            person=person,
            relationship=relationship,
            happened_on=happened_on,
            place=place,
            notes=notes,
            reflection=reflection,
            written_by=actor,
        )
        conversation.goals.set(_own_goals(person, goals))
        audit.record(actor, AuditAction.CREATE, conversation, detail="conversation added")
    return conversation


def conversation_update(
    actor: Any,
    conversation: Conversation,
    *,
    version: int,
    happened_on: date,
    place: str = "",
    notes: str = "",
    reflection: str = "",
    goals: Iterable[Goal] = (),
) -> Conversation:
    """Save an edit that started from `version`. If someone else saved in between, nothing
    is written and ConversationConflictError carries their version."""
    person = conversation.person
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="conversation edit")
    with transaction.atomic():
        changed = Conversation.objects.filter(pk=conversation.pk, version=version).update(
            happened_on=happened_on,
            place=place,
            notes=notes,
            reflection=reflection,
            version=F("version") + 1,
        )
        if not changed:
            raise ConversationConflictError(
                Conversation.objects.prefetch_related("goals").get(pk=conversation.pk)
            )
        conversation.refresh_from_db()
        conversation.goals.set(_own_goals(person, goals))
        audit.record(
            actor,
            AuditAction.CHANGE,
            conversation,
            detail=f"conversation changed to version {conversation.version}",
        )
    return conversation


def language_word_add(
    actor: Any, organisation: Any, *, phrase: str, suggestion: str
) -> LanguageWord:
    """Add a phrase to the organisation's list (or turn one back on with a new suggestion)."""
    policy.require(actor, policy.Action.ORGANISATION_MANAGE, organisation, detail="language list")
    phrase = " ".join(phrase.split()).lower()
    with transaction.atomic():
        word, _ = LanguageWord.objects.update_or_create(
            organisation=organisation,
            phrase=phrase,
            defaults={"suggestion": suggestion, "active": True},
        )
        audit.record(
            actor,
            AuditAction.CHANGE,
            word,
            detail=f"language phrase {word.pk} added",
            organisation_id=organisation.pk,
        )
    return word


def language_word_set_active(
    actor: Any, organisation: Any, *, phrase: str, active: bool
) -> LanguageWord:
    """Switch a phrase (a default or the organisation's own) off or back on."""
    policy.require(actor, policy.Action.ORGANISATION_MANAGE, organisation, detail="language list")
    phrase = " ".join(phrase.split()).lower()
    with transaction.atomic():
        word, _ = LanguageWord.objects.update_or_create(
            organisation=organisation, phrase=phrase, defaults={"active": active}
        )
        audit.record(
            actor,
            AuditAction.CHANGE,
            word,
            detail=f"language phrase {word.pk} {'on' if active else 'off'}",
            organisation_id=organisation.pk,
        )
    return word

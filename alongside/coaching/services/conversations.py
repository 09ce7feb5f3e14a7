"""Writing conversations up with the person, and the organisation's language list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core import signing
from django.db.models import F, Q
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from .. import language
from ..models import Conversation, Goal, LanguagePromptEvent, LanguageWord, Person, Relationship
from ..selectors.conversations import writer_relationship

# Signs the ids of a prompt's events, so "keep my words" can mark them later.
SIGNING_SALT = "alongside.language-prompt"


class ConversationConflictError(Exception):
    """Someone else saved the note first. `current` is their version, as saved."""

    def __init__(self, current: Conversation) -> None:
        super().__init__("conversation changed by someone else")
        self.current = current


def _own_goals(person: Person, goals: Iterable[Goal]) -> list[Goal]:
    return [g for g in goals if g.person_id == person.pk]


def _keep_dates(
    write: policy.Write,
    relationship: Relationship | None,
    happened_on: date,
    next_meeting_on: date | None = None,
) -> None:
    """A conversation is contact: "last in touch" moves on to its day (never back, never to
    a day still to come). A planned meeting on or before that day has happened, so it is
    cleared, unless the writer gives the next one. Audited as a change of the relationship's
    dates when anything changed."""
    if relationship is None:
        return
    changed = 0
    if happened_on <= timezone.localdate():
        changed += Relationship.objects.filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=happened_on),
            pk=relationship.pk,
        ).update(last_contact_on=happened_on)
    if next_meeting_on is not None:
        changed += Relationship.objects.filter(pk=relationship.pk).update(
            next_meeting_on=next_meeting_on
        )
    else:
        changed += Relationship.objects.filter(
            pk=relationship.pk, next_meeting_on__lte=happened_on
        ).update(next_meeting_on=None)
    if changed:
        relationship.refresh_from_db(fields=["last_contact_on", "next_meeting_on"])
        write.audit(
            AuditAction.CHANGE,
            relationship,
            detail=f"relationship {relationship.pk} dates, after a conversation",
        )


def conversation_create(
    *,
    actor: User,
    person: Person,
    happened_on: date,
    place: str = "",
    notes: str = "",
    reflection: str = "",
    goals: Iterable[Goal] = (),
    next_meeting_on: date | None = None,
) -> Conversation:
    """Write a conversation up. When the writer coaches the person it also moves their
    relationship's "last in touch" on, and sets (or clears) the next meeting."""
    relationship = writer_relationship(person, actor)
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="conversation add") as write:
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
        write.audit(AuditAction.CREATE, conversation, detail="conversation added")
        _keep_dates(write, relationship, happened_on, next_meeting_on)
    return conversation


def conversation_update(
    *,
    actor: User,
    conversation: Conversation,
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
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="conversation edit") as write:
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
        write.audit(
            AuditAction.CHANGE,
            conversation,
            detail=f"conversation changed to version {conversation.version}",
        )
        if conversation.relationship_id is not None:
            # A corrected date may be a later contact; "last in touch" never moves back.
            relationship = Relationship.objects.get(pk=conversation.relationship_id)
            if relationship.last_contact_on is None or relationship.last_contact_on < happened_on:
                _keep_dates(write, relationship, happened_on, relationship.next_meeting_on)
    return conversation


def language_word_add(
    *, actor: User, organisation: Organisation, phrase: str, suggestion: str
) -> LanguageWord:
    """Add a phrase to the organisation's list (or turn one back on with a new suggestion)."""
    phrase = " ".join(phrase.split()).lower()
    manage = Action.ORGANISATION_MANAGE
    with policy.writing(actor, manage, organisation, detail="language list") as write:
        word, _ = LanguageWord.objects.update_or_create(
            organisation=organisation,
            phrase=phrase,
            defaults={"suggestion": suggestion, "active": True},
        )
        write.audit(
            AuditAction.CHANGE,
            word,
            detail=f"language phrase {word.pk} added",
            organisation_id=organisation.pk,
        )
    return word


def language_word_set_active(
    *, actor: User, organisation: Organisation, phrase: str, active: bool
) -> LanguageWord:
    """Switch a phrase (a default or the organisation's own) off or back on."""
    phrase = " ".join(phrase.split()).lower()
    manage = Action.ORGANISATION_MANAGE
    with policy.writing(actor, manage, organisation, detail="language list") as write:
        word, _ = LanguageWord.objects.update_or_create(
            organisation=organisation, phrase=phrase, defaults={"active": active}
        )
        write.audit(
            AuditAction.CHANGE,
            word,
            detail=f"language phrase {word.pk} {'on' if active else 'off'}",
            organisation_id=organisation.pk,
        )
    return word


def language_prompt_offered(*, actor: User, person: Person, matches: list[language.Match]) -> str:
    """The language prompt came up while writing about `person`: count it by phrase and day
    only (no person, no writer, no text on the event). Returns a signed token the form
    carries, so "keep my words" can be counted later."""
    organisation = person.organisation
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="language prompt") as write:
        events = LanguagePromptEvent.objects.bulk_create(
            LanguagePromptEvent(organisation=organisation, phrase=m.phrase[:80]) for m in matches
        )
        write.audit(
            AuditAction.CREATE,
            None,
            detail=f"language prompt offered ({len(events)} phrases)",
            organisation_id=organisation.pk,
        )
    return signing.dumps([e.pk for e in events], salt=SIGNING_SALT)


def language_words_kept(*, actor: User, person: Person, token: str, text: str) -> int:
    """The writer kept their words: mark the prompt's events for phrases still in the text.
    A token from another organisation's prompt, or a forged one, marks nothing."""
    try:
        ids = signing.loads(token, salt=SIGNING_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        ids = []
    if not isinstance(ids, list):
        ids = []
    organisation = person.organisation
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="language prompt") as write:
        events = LanguagePromptEvent.objects.filter(
            organisation=organisation, pk__in=[i for i in ids if isinstance(i, int)]
        )
        kept = [e.pk for e in events if language.matches_phrase(e.phrase, text)]
        marked = LanguagePromptEvent.objects.filter(pk__in=kept).update(kept_words=True)
        write.audit(
            AuditAction.CHANGE,
            None,
            detail=f"language prompt: words kept ({marked} phrases)",
            organisation_id=organisation.pk,
        )
    return marked

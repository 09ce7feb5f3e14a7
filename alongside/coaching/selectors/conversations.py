"""Reads for conversations and the language prompt's figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth

from ..models import Conversation, LanguagePromptEvent, Relationship

# Notes longer than this show their beginning, and "Read all" opens the rest (a 50,000-character
# note once made the person page 31,000 px long).
FOLD_AT = 700


def fold(text: str, at: int = FOLD_AT) -> tuple[str, str]:
    """Split long text at a space near `at` characters: (what shows, what "Read all" opens).
    Short text comes back whole, with nothing to open."""
    if len(text) <= at + at // 4:
        return text, ""
    cut = text.rfind(" ", 0, at)
    cut = cut if cut > at // 2 else at
    return text[:cut].rstrip(), text[cut:].lstrip()


def for_record(person: Any) -> dict[str, Any]:
    """The ten most recent conversations, with their goals, in two queries."""
    # Any: the page's folded notes are set on each (notes_shown, notes_rest).
    conversations: list[Any] = list(
        Conversation.objects.filter(person=person)
        .select_related("written_by")
        .prefetch_related("goals")[:10]
    )
    for conversation in conversations:
        conversation.notes_shown, conversation.notes_rest = fold(conversation.notes)
    return {"conversations": conversations}


def prompt_counts(organisation: Any) -> list[dict[str, Any]]:
    """How often the prompt fired, per month and phrase, and how often words were kept.
    No names and no text: only phrases and counts."""
    return [
        dict(row)
        for row in LanguagePromptEvent.objects.filter(organisation=organisation)
        .annotate(month=TruncMonth("on"))
        .values("month", "phrase")
        .annotate(fired=Count("id"), kept=Count("id", filter=Q(kept_words=True)))
        .order_by("-month", "-fired", "phrase")
    ]


def writer_relationship(person: Any, writer: Any) -> Relationship | None:
    """The relationship a conversation `writer` writes up belongs to: theirs with this
    person, a current one before one that ended, the newest first. None for anyone who does
    not coach them (the person themselves, a lead). One query."""
    if not getattr(writer, "pk", None):
        return None
    ended_last = Case(
        When(state=Relationship.State.ENDED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Relationship.objects.filter(person=person, coach=writer)
        .order_by(ended_last, "-started_on", "-id")
        .first()
    )

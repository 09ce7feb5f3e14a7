"""Reads for conversations and the language prompt's figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from alongside.core.words import day_month_year, day_words
from alongside.core.written import person_rows, rows_for_ids

from ..models import Conversation, LanguagePromptEvent, Relationship
from .shaping import part_paths

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


@dataclass
class ConversationRow:
    """One conversation on the person page, with its day and its goals already in words."""

    pk: int
    heading: str  # "Monday 3 November 2026, the café on Mill Lane" (the day, and the place)
    day_short: str  # "3 November 2026", in the links' words for screen readers
    notes: str
    notes_shown: str  # the notes, folded (see `fold`)
    notes_rest: str
    reflection: str
    goals: str  # the goals talked about: "“find a home”, “see my sister”"
    edit_url: str


def _recent_query(person_id: int) -> QuerySet[Conversation, tuple[Any, ...]]:
    return Conversation.objects.filter(person_id=person_id).values_list(
        "pk", "happened_on", "place", "notes", "reflection"
    )[:10]


def _goals_query(conversation_ids: list[int]) -> QuerySet[Any, tuple[Any, ...]]:
    return (
        Conversation.goals.through.objects.filter(conversation_id__in=conversation_ids)
        .order_by("pk")
        .values_list("conversation_id", "goal__words")
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_recent_query,)


def for_record(person: Any) -> dict[str, Any]:
    """The ten most recent conversations, with the words of their goals, in two queries, each
    written by the ORM once (`written`; the second once for each number of conversations)."""
    talks = person_rows(_recent_query, person.pk)
    goals: dict[int, list[str]] = {}
    if talks:
        for conversation_id, words in rows_for_ids(_goals_query, [t[0] for t in talks]):
            goals.setdefault(conversation_id, []).append(f"\u201c{words}\u201d")
    edit_path = part_paths("coaching:conversation_edit", person.pk)
    rows = []
    for pk, happened_on, place, notes, reflection in talks:
        shown, rest = fold(notes)
        day = day_words(happened_on)
        rows.append(
            ConversationRow(
                pk=pk,
                heading=f"{day}, {place}" if place else day,
                day_short=day_month_year(happened_on),
                notes=notes,
                notes_shown=shown,
                notes_rest=rest,
                reflection=reflection,
                goals=", ".join(goals.get(pk, [])),
                edit_url=edit_path(pk),
            )
        )
    return {"conversations": rows}


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
    # A writer has a handful of relationships with one person at most: choosing among them
    # here costs less than having the database order them by a CASE.
    relationships = Relationship.objects.filter(person=person, coach=writer)
    return min(
        relationships,
        key=lambda r: (r.state == Relationship.State.ENDED, -r.started_on.toordinal(), -r.pk),
        default=None,
    )

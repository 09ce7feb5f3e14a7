"""Reads for conversations and the language prompt's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from alongside.core.words import day_month_year, day_words
from alongside.core.written import person_rows, rows_by_values, rows_for_ids

from ..language import ListedPhrase, full_list
from ..models import Conversation, Goal, LanguagePromptEvent, LanguageWord, Relationship
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


def _prompt_counts_query(organisation_id: int) -> QuerySet[Any, tuple[Any, ...]]:
    return (
        LanguagePromptEvent.objects.filter(organisation_id=organisation_id)
        .annotate(month=TruncMonth("on"))
        .values("month", "phrase")
        .annotate(fired=Count("id"), kept=Count("id", filter=Q(kept_words=True)))
        .order_by("-month", "-fired", "phrase")
        .values_list("month", "phrase", "fired", "kept")
    )


def prompt_counts(organisation_id: int) -> list[dict[str, Any]]:
    """How often the prompt fired, per month and phrase, and how often words were kept.
    No names and no text: only phrases and counts."""
    return [
        {"month": month, "phrase": phrase, "fired": fired, "kept": kept}
        for month, phrase, fired, kept in rows_by_values(_prompt_counts_query, organisation_id)
    ]


def _language_words_query(organisation_id: int) -> QuerySet[Any, tuple[Any, ...]]:
    return LanguageWord.objects.filter(organisation_id=organisation_id).values_list(
        "phrase", "suggestion", "active"
    )


def language_list(organisation_id: int) -> list[ListedPhrase]:
    """`language.full_list` of the organisation's words, from a query written once and read
    as tuples, not model instances."""
    return full_list(rows_by_values(_language_words_query, organisation_id))


def _goal_choices_query(person_id: int) -> QuerySet[Any, tuple[Any, ...]]:
    # The choices ConversationForm's goals field offers (its queryset), as (id, words).
    return (
        Goal.objects.filter(person_id=person_id)
        .exclude(status=Goal.Status.CHANGED_MY_MIND)
        .order_by("-created_at")
        .values_list("pk", "words")
    )


def goal_choices(person_id: int) -> list[tuple[int, str]]:
    """The goals a conversation can be linked to, newest first, as (id, words): what the
    form's checkboxes show, without a model instance each."""
    return person_rows(_goal_choices_query, person_id)


def _chosen_first(state: str, started_on: Any, pk: int) -> tuple[bool, int, int]:
    # A current relationship before one that ended, the newest first.
    return (state == Relationship.State.ENDED, -started_on.toordinal(), -pk)


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
        key=lambda r: _chosen_first(r.state, r.started_on, r.pk),
        default=None,
    )


def _writer_relationships_query(person_id: int, writer_id: int) -> QuerySet[Any, tuple[Any, ...]]:
    return Relationship.objects.filter(person_id=person_id, coach_id=writer_id).values_list(
        "state", "started_on", "pk", "next_meeting_on"
    )


@dataclass(frozen=True)
class WriterRelationship:
    """What the new-conversation form needs of `writer_relationship`'s choice."""

    pk: int
    next_meeting_on: date | None


def writer_relationship_row(person_id: int, writer: Any) -> WriterRelationship | None:
    """`writer_relationship`, chosen the same way, from a query written once: the form only
    needs to know there is one and its next meeting, not a model instance."""
    if not getattr(writer, "pk", None):
        return None
    rows = rows_by_values(_writer_relationships_query, person_id, writer.pk)
    chosen = min(rows, key=lambda row: _chosen_first(row[0], row[1], row[2]), default=None)
    return None if chosen is None else WriterRelationship(pk=chosen[2], next_meeting_on=chosen[3])

"""Reads for goals, strengths and milestones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from alongside.core.words import day_month_year
from alongside.core.written import person_rows

from ..models import Goal, Milestone, MilestoneKind, Strength
from .shaping import part_paths

# What an organisation's list of milestones starts as, until a lead changes it.
DEFAULT_KINDS = (
    "Moved into my own home",
    "Kept my home 6 months",
    "Kept my home 12 months",
    "Started a course",
    "Got a qualification",
    "Started work",
    "Started volunteering",
    "Got my licence",
    "Reconnected with family",
    "Joined a group",
)


def milestone_kinds(organisation: Any) -> list[MilestoneKind]:
    """The organisation's list, or the defaults (unsaved) if it has never changed it. A read:
    nothing is written on the way."""
    kinds = list(MilestoneKind.objects.filter(organisation=organisation))
    if kinds:
        return kinds
    return [
        MilestoneKind(organisation=organisation, label=label, position=i)
        for i, label in enumerate(DEFAULT_KINDS)
    ]


# The kinds of strength a person has in themselves (Strength.is_internal); the rest are
# around them.
INTERNAL_KINDS = {Strength.Kind.SKILL, Strength.Kind.QUALITY, Strength.Kind.INTEREST}
STRENGTH_KINDS = {kind: label.lower() for kind, label in Strength.Kind.choices}


@dataclass
class StrengthRow:
    words: str
    kind: str  # in words, as a list says it: "a skill"


def _strengths_query(person_id: int) -> QuerySet[Strength, tuple[Any, ...]]:
    return (
        Strength.objects.filter(person_id=person_id)
        .order_by("kind", "created_at", "id")
        .values_list("kind", "words")
    )


def strengths_grouped(person: Any) -> dict[str, list[StrengthRow]]:
    rows = [
        (kind in INTERNAL_KINDS, StrengthRow(words=words, kind=STRENGTH_KINDS.get(kind, kind)))
        for kind, words in person_rows(_strengths_query, person.pk)
    ]
    return {
        "strengths": [row for _, row in rows],
        "strengths_internal": [row for internal, row in rows if internal],
        "strengths_external": [row for internal, row in rows if not internal],
    }


@dataclass
class GoalRow:
    """One goal on the person page, its status line already in words."""

    pk: int
    words: str
    why_it_matters: str
    status: str  # "Working on it · suggested, not yet accepted · 2 steps"
    achieved_on: str  # "3 November 2026", or "" when no day was written down
    url: str


GOAL_STATUSES = dict(Goal.Status.choices)


def _goals_query(person_id: int) -> QuerySet[Goal, tuple[Any, ...]]:
    return (
        Goal.objects.filter(person_id=person_id)
        .values_list(  # one row per goal (its pk), then its steps counted
            "pk",
            "words",
            "why_it_matters",
            "status",
            "suggested_by_id",
            "accepted_at",
            "achieved_on",
        )
        .annotate(step_count=Count("steps"))
        .order_by("-created_at", "-id")
    )


def _goal_rows(person: Any) -> list[tuple[str, Any, GoalRow]]:
    """(status, the day it was achieved, the row) for each goal, newest first: one query,
    the steps counted rather than fetched (the page says only how many)."""
    goals = person_rows(_goals_query, person.pk)
    goal_path = part_paths("coaching:goal_detail", person.pk)
    rows = []
    for pk, words, why, status, suggested_by_id, accepted_at, achieved_on, steps in goals:
        line = GOAL_STATUSES.get(status, status)
        if suggested_by_id is not None and accepted_at is None:  # Goal.is_suggestion
            line += " · suggested, not yet accepted"
        if steps:
            line += f" · {steps} step{'' if steps == 1 else 's'}"
        row = GoalRow(
            pk=pk,
            words=words,
            why_it_matters=why,
            status=line,
            achieved_on=day_month_year(achieved_on),
            url=goal_path(pk),
        )
        rows.append((status, achieved_on, row))
    return rows


def _milestones_query(person_id: int) -> QuerySet[Milestone, tuple[Any, ...]]:
    return (
        Milestone.objects.filter(person_id=person_id)
        .order_by("-happened_on", "-id")
        .values_list("kind", "words", "happened_on")
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (
    _strengths_query,
    _goals_query,
    _milestones_query,
)


def for_record(person: Any) -> dict[str, Any]:
    """Goals (open, then achieved with dates), strengths grouped, milestones: three queries."""
    goals = _goal_rows(person)
    open_statuses = {Goal.Status.DREAMING, Goal.Status.WORKING_ON_IT}
    achieved = sorted(
        ((on, row) for status, on, row in goals if status == Goal.Status.ACHIEVED),
        key=lambda pair: (pair[0] is not None, pair[0]),
        reverse=True,
    )
    return {
        "goals": [row for status, _, row in goals if status in open_statuses],
        "achieved_goals": [row for _, row in achieved],
        "changed_goals": [row for status, _, row in goals if status == Goal.Status.CHANGED_MY_MIND],
        "milestones": [
            {"kind": kind, "words": words, "happened_on": day_month_year(happened_on)}
            for kind, words, happened_on in person_rows(_milestones_query, person.pk)
        ],
        **strengths_grouped(person),
    }

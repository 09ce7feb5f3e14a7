"""Reads for goals, strengths and milestones."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from ..models import Goal, GoalStep, Milestone, MilestoneKind, Strength

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


def _goals(person: Any) -> list[Goal]:
    return list(
        Goal.objects.filter(person=person)
        .prefetch_related(Prefetch("steps", queryset=GoalStep.objects.order_by("created_at", "id")))
        .order_by("-created_at", "-id")
    )


def strengths_grouped(person: Any) -> dict[str, list[Strength]]:
    strengths = list(Strength.objects.filter(person=person).order_by("kind", "created_at", "id"))
    return {
        "strengths": strengths,
        "strengths_internal": [s for s in strengths if s.is_internal],
        "strengths_external": [s for s in strengths if not s.is_internal],
    }


def for_record(person: Any) -> dict[str, Any]:
    """Goals (open, then achieved with dates), strengths grouped, milestones: four queries."""
    goals = _goals(person)
    open_statuses = {Goal.Status.DREAMING, Goal.Status.WORKING_ON_IT}
    achieved = sorted(
        (g for g in goals if g.status == Goal.Status.ACHIEVED),
        key=lambda g: (g.achieved_on is not None, g.achieved_on),
        reverse=True,
    )
    return {
        "goals": [g for g in goals if g.status in open_statuses],
        "achieved_goals": achieved,
        "changed_goals": [g for g in goals if g.status == Goal.Status.CHANGED_MY_MIND],
        "milestones": list(Milestone.objects.filter(person=person).order_by("-happened_on", "-id")),
        **strengths_grouped(person),
    }

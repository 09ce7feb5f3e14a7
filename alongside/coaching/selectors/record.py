"""Reads for coaching pages, shaped to a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from alongside.accounts.models import Role
from alongside.core import policy

from ..models import Goal, Person, Relationship


def relationships_for_coach(user: Any, search: str = "") -> QuerySet[Relationship]:
    qs = (
        Relationship.objects.filter(
            coach=user, organisation_id__in=policy.organisations_where(user, Role.COACH)
        )
        .exclude(state=Relationship.State.ENDED)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__goals",
                queryset=Goal.objects.filter(
                    status__in=[Goal.Status.DREAMING, Goal.Status.WORKING_ON_IT]
                ).order_by("-created_at"),
                to_attr="open_goals",
            )
        )
        .order_by("person__chosen_name")
    )
    if search:
        qs = qs.filter(person__chosen_name__icontains=search)
    return qs


def person_record(person: Person) -> dict[str, Any]:
    """Everything the person page shows. Each part of the record adds its own reads."""
    from . import barriers, budgets, checkins, circle, conversations, goals, relationships, safety

    context = _base_record(person)
    for part in (relationships, conversations, goals, checkins, budgets, safety, circle, barriers):
        context.update(part.for_record(person))
    return context


def _base_record(person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "relationships": list(person.relationships.select_related("coach", "organisation")),
        "goals": list(person.goals.order_by("status", "-created_at")),
        "conversations": list(person.conversations.select_related("written_by")[:10]),
        "strengths": list(person.strengths.all()),
        "check_ins": list(person.check_ins.all()),
        "spend_requests": list(person.spend_requests.select_related("goal")),
        "barriers": list(person.barriers.all()),
    }

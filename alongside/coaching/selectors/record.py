"""Reads for coaching pages, shaped to a fixed number of queries."""

from __future__ import annotations

from typing import Any

from ..models import Person


def person_record(person: Person) -> dict[str, Any]:
    """Everything the person page shows. Each part of the record adds its own reads."""
    from . import (
        barriers,
        budgets,
        checkins,
        circle,
        conversations,
        corrections,
        goals,
        relationships,
        safety,
    )

    context = _base_record(person)
    for part in (
        relationships,
        conversations,
        goals,
        checkins,
        budgets,
        safety,
        circle,
        barriers,
        corrections,
    ):
        context.update(part.for_record(person))
    return context


def _base_record(person: Person) -> dict[str, Any]:
    """What no part of the record supplies itself; the parts add the rest."""
    return {
        "person": person,
        "strengths": list(person.strengths.all()),
        "spend_requests": list(person.spend_requests.select_related("goal")),
        "barriers": list(person.barriers.all()),
    }

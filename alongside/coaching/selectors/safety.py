"""Reads for the safety plan."""

from __future__ import annotations

from typing import Any

from ..models import Person
from ..services.safety import Readers, latest_plan


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record).
    The partial asks `user in safety_plan_readers` before it shows a word of the plan."""
    plan = latest_plan(person)
    return {"safety_plan": plan, "safety_plan_readers": Readers(plan)}


def history(person: Person) -> list[Any]:
    plans = list(person.safety_plans.select_related("written_by").order_by("-version"))
    for plan in plans:
        plan.person = person
    return plans

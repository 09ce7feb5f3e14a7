"""Reads for the safety plan. Who may read it is the person's choice
(SafetyPlan.visible_to), and the policy's rule SAFETY_PLAN_VIEW is the one place that
decides it: for the person page, the safety plan pages and the export alike."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alongside.accounts import policy
from alongside.accounts.policy import Action
from alongside.core.written import columns, instances, person_rows

from ..models import Person, SafetyPlan


def latest_plan(person: Person) -> SafetyPlan | None:
    plan = person.safety_plans.select_related("written_by").order_by("-version").first()
    if plan is not None:
        plan.person = person
    return plan


class Readers:
    """`{% if user in safety_plan_readers %}` in a template asks the policy
    (SAFETY_PLAN_VIEW) about the latest plan."""

    def __init__(self, plan: SafetyPlan | None) -> None:
        self.plan = plan

    def __contains__(self, user: Any) -> bool:
        return policy.can(user, Action.SAFETY_PLAN_VIEW, self.plan)


def _latest_query(person_id: int) -> QuerySet[SafetyPlan, tuple[Any, ...]]:
    return (
        SafetyPlan.objects.filter(person_id=person_id)
        .order_by("-version")
        .values_list(*columns(SafetyPlan))[:1]
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_latest_query,)


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record).
    The partial asks `user in safety_plan_readers` before it shows a word of the plan."""
    # The latest plan, without its writer (latest_plan's join): the page doesn't name them.
    plan = next(iter(instances(SafetyPlan, person_rows(_latest_query, person.pk))), None)
    if plan is not None:
        plan.person = person  # the policy asks whose plan it is
    return {"safety_plan": plan, "safety_plan_readers": Readers(plan)}


def history(person: Person) -> list[Any]:
    plans = list(person.safety_plans.select_related("written_by").order_by("-version"))
    for plan in plans:
        plan.person = person
    return plans

"""Goals in the person's own words, and the small steps towards them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Goal, GoalStep, Person


def is_the_person(actor: Any, person: Person) -> bool:
    return person.user_id is not None and person.user_id == getattr(actor, "pk", None)


def goal_create(
    actor: Any,
    person: Person,
    *,
    words: str,
    why_it_matters: str = "",
    status: str = Goal.Status.DREAMING,
    hoped_by: date | None = None,
) -> Goal:
    """A goal the person writes is theirs at once; one a coach writes is a suggestion
    until the person accepts it."""
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="goal add")
    mine = is_the_person(actor, person)
    with transaction.atomic():
        goal = Goal.objects.create(
            person=person,
            words=words,
            why_it_matters=why_it_matters,
            status=status,
            hoped_by=hoped_by,
            achieved_on=timezone.localdate() if status == Goal.Status.ACHIEVED else None,
            suggested_by=None if mine else actor,
            accepted_at=timezone.now() if mine else None,
        )
        audit.record(
            actor, AuditAction.CREATE, goal, detail="goal added" if mine else "goal suggested"
        )
    return goal


def goal_update(
    actor: Any, goal: Goal, *, words: str, why_it_matters: str = "", hoped_by: date | None = None
) -> Goal:
    policy.require(actor, policy.Action.PERSON_CHANGE, goal.person, detail="goal edit")
    with transaction.atomic():
        goal.words = words
        goal.why_it_matters = why_it_matters
        goal.hoped_by = hoped_by
        goal.save(update_fields=["words", "why_it_matters", "hoped_by"])
        audit.record(actor, AuditAction.CHANGE, goal, detail="goal changed")
    return goal


def goal_status_change(
    actor: Any, goal: Goal, *, status: str, achieved_on: date | None = None
) -> Goal:
    """Dreaming, working on it, achieved, or changed my mind: none of them is a failure."""
    policy.require(actor, policy.Action.PERSON_CHANGE, goal.person, detail="goal status")
    if status not in Goal.Status.values:
        raise ValueError("unknown goal status")
    with transaction.atomic():
        goal.status = status
        if status == Goal.Status.ACHIEVED:
            goal.achieved_on = achieved_on or goal.achieved_on or timezone.localdate()
        else:
            goal.achieved_on = None
        goal.save(update_fields=["status", "achieved_on"])
        audit.record(actor, AuditAction.CHANGE, goal, detail=f"goal status {status}")
    return goal


def goal_accept(actor: Any, goal: Goal) -> Goal:
    """Only the person themselves makes a suggested goal theirs."""
    person = goal.person
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="goal accept")
    if not is_the_person(actor, person):
        audit.record(actor, AuditAction.DENIED, goal, detail="goal accept: only the person")
        raise PermissionDenied
    with transaction.atomic():
        if goal.accepted_at is None:
            goal.accepted_at = timezone.now()
            goal.save(update_fields=["accepted_at"])
        audit.record(actor, AuditAction.CHANGE, goal, detail="goal accepted")
    return goal


def goal_step_add(actor: Any, goal: Goal, *, words: str) -> GoalStep:
    policy.require(actor, policy.Action.PERSON_CHANGE, goal.person, detail="goal step add")
    with transaction.atomic():
        step = GoalStep.objects.create(goal=goal, words=words)
        audit.record(actor, AuditAction.CREATE, step, detail=f"step added to goal {goal.pk}")
    return step


def goal_step_done(actor: Any, step: GoalStep, *, done: bool = True) -> GoalStep:
    """Tick a step done (or untick it)."""
    policy.require(actor, policy.Action.PERSON_CHANGE, step.goal.person, detail="goal step")
    with transaction.atomic():
        step.done_on = timezone.localdate() if done else None
        step.save(update_fields=["done_on"])
        audit.record(
            actor, AuditAction.CHANGE, step, detail="step done" if done else "step not done yet"
        )
    return step

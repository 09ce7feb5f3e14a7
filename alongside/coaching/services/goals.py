"""Goals in the person's own words, and the small steps towards them."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Goal, GoalStep, Person


def goal_create(
    *,
    actor: User,
    person: Person,
    words: str,
    why_it_matters: str = "",
    status: str = Goal.Status.DREAMING,
    hoped_by: date | None = None,
) -> Goal:
    """A goal the person writes is theirs at once; one a coach writes is a suggestion
    until the person accepts it."""
    mine = policy.is_the_person(actor, person)
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="goal add") as write:
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
        write.audit(AuditAction.CREATE, goal, detail="goal added" if mine else "goal suggested")
    return goal


def goal_update(
    *,
    actor: User,
    goal: Goal,
    words: str,
    why_it_matters: str = "",
    hoped_by: date | None = None,
) -> Goal:
    with policy.writing(actor, Action.PERSON_CHANGE, goal.person, detail="goal edit") as write:
        goal.words = words
        goal.why_it_matters = why_it_matters
        goal.hoped_by = hoped_by
        goal.save(update_fields=["words", "why_it_matters", "hoped_by"])
        write.audit(AuditAction.CHANGE, goal, detail="goal changed")
    return goal


def goal_status_change(
    *, actor: User, goal: Goal, status: str, achieved_on: date | None = None
) -> Goal:
    """Dreaming, working on it, achieved, or changed my mind: none of them is a failure."""
    if status not in Goal.Status.values:
        raise ValueError("unknown goal status")
    with policy.writing(actor, Action.PERSON_CHANGE, goal.person, detail="goal status") as write:
        goal.status = status
        if status == Goal.Status.ACHIEVED:
            goal.achieved_on = achieved_on or goal.achieved_on or timezone.localdate()
        else:
            goal.achieved_on = None
        goal.save(update_fields=["status", "achieved_on"])
        write.audit(AuditAction.CHANGE, goal, detail=f"goal status {status}")
    return goal


def goal_accept(*, actor: User, goal: Goal) -> Goal:
    """Only the person themselves makes a suggested goal theirs."""
    with policy.writing(actor, Action.PERSON_SELF, goal.person, detail="goal accept") as write:
        if goal.accepted_at is None:
            goal.accepted_at = timezone.now()
            goal.save(update_fields=["accepted_at"])
        write.audit(AuditAction.CHANGE, goal, detail="goal accepted")
    return goal


def goal_step_add(*, actor: User, goal: Goal, words: str) -> GoalStep:
    with policy.writing(actor, Action.PERSON_CHANGE, goal.person, detail="goal step add") as write:
        step = GoalStep.objects.create(goal=goal, words=words)
        write.audit(AuditAction.CREATE, step, detail=f"step added to goal {goal.pk}")
    return step


def goal_step_done(*, actor: User, step: GoalStep, done: bool = True) -> GoalStep:
    """Tick a step done (or untick it)."""
    person = step.goal.person
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="goal step") as write:
        step.done_on = timezone.localdate() if done else None
        step.save(update_fields=["done_on"])
        write.audit(AuditAction.CHANGE, step, detail="step done" if done else "step not done yet")
    return step


# --- the person's own ticks (their space, /me/) ----------------------------------------------


class GoalChangedError(Exception):
    """Someone else changed this goal or step while the person was looking at it, so nothing
    was written. `current` is the goal or step as it is now."""

    def __init__(self, current: Goal | GoalStep) -> None:
        super().__init__("changed by someone else meanwhile")
        self.current = current


def goal_step_tick(*, actor: User, step: GoalStep, done: bool) -> GoalStep:
    """The person ticks one of their own steps done (or says it is not done yet).

    Ticking starts from what their page showed: a step not done yet (or, to untick, one that
    is done). If someone else ticked or unticked it meanwhile, nothing is overwritten (the
    day it was done stays as it was) and GoalChangedError carries the step as it is now."""
    person = step.goal.person
    with policy.writing(actor, Action.PERSON_SELF, person, detail="my goal step") as write:
        changed = GoalStep.objects.filter(pk=step.pk, done_on__isnull=done).update(
            done_on=timezone.localdate() if done else None
        )
        if not changed:
            raise GoalChangedError(GoalStep.objects.select_related("goal").get(pk=step.pk))
        step.refresh_from_db(fields=["done_on"])
        write.audit(AuditAction.CHANGE, step, detail="step done" if done else "step not done yet")
    return step


def goal_achieve(*, actor: User, goal: Goal, seen_status: str) -> Goal:
    """The person says one of their own goals is achieved. `seen_status` is where the goal
    was on the page they pressed the button on: if it has moved since (their coach said it
    is paused, or it is already achieved), nothing is overwritten and GoalChangedError
    carries the goal as it is now, so they can choose again."""
    with policy.writing(actor, Action.PERSON_SELF, goal.person, detail="my goal achieved") as write:
        if goal.is_suggestion:
            raise ValueError("a suggestion becomes the person's goal before it is achieved")
        if seen_status not in Goal.Status.values or seen_status == Goal.Status.ACHIEVED:
            raise ValueError("the goal must have been somewhere other than achieved")
        changed = Goal.objects.filter(pk=goal.pk, status=seen_status).update(
            status=Goal.Status.ACHIEVED, achieved_on=timezone.localdate()
        )
        if not changed:
            raise GoalChangedError(Goal.objects.get(pk=goal.pk))
        goal.refresh_from_db(fields=["status", "achieved_on"])
        write.audit(AuditAction.CHANGE, goal, detail=f"goal status {Goal.Status.ACHIEVED}")
    return goal

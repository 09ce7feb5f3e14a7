"""A person ticks their own steps done and marks their own goals achieved, from their home
or the goal's page: only they may, every change is audited, and a change someone else made
meanwhile is never silently overwritten (issue 12, item 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from alongside.coaching.models import Goal, GoalStep
from alongside.coaching.services.goals import (
    GoalChangedError,
    goal_achieve,
    goal_status_change,
    goal_step_done,
    goal_step_tick,
)
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(world):
    goal = Goal.objects.create(
        person=world["sam"], words="get my licence back", status="working_on_it"
    )
    step = GoalStep.objects.create(goal=goal, words="book the theory test")
    return goal, step


def step_url(goal, step):
    return f"/me/goals/{goal.pk}/steps/{step.pk}/done/"


# --- ticking a step -----------------------------------------------------------------------


def test_the_person_ticks_a_step_done_from_their_home(world, login, licence):
    sam = world["sam"]
    goal, step = licence
    client = login(sam.user)
    response = client.post(step_url(goal, step), {"done": "1", "back": "home"})
    assert response.status_code == 302
    assert response["Location"] == f"/me/#goal-{goal.pk}"
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, person_id=sam.pk)
    assert (entry.actor_id, entry.detail) == (sam.user.pk, "step done")
    assert entry.object_id == str(step.pk)
    assert "Step done. Nice one." in text_of(client.get(response["Location"]))


def test_the_person_unticks_a_step_from_the_goal_page(world, login, licence):
    sam = world["sam"]
    goal, step = licence
    GoalStep.objects.filter(pk=step.pk).update(done_on=date(2026, 11, 2))
    client = login(sam.user)
    page = text_of(client.get(f"/me/goals/{goal.pk}/"))
    assert 'Not done yet<span class="visually-hidden">: book the theory test' in page
    response = client.post(step_url(goal, step), {"done": "0", "back": "goal"})
    assert response["Location"] == f"/me/goals/{goal.pk}/"
    step.refresh_from_db()
    assert step.done_on is None
    assert AuditEntry.objects.filter(
        actor=sam.user, action=AuditAction.CHANGE, detail="step not done yet"
    ).exists()


def test_a_step_the_coach_ticked_meanwhile_keeps_its_day(world, login, licence):
    """Sam's page showed the step not done; Priya ticked it on Monday; Sam's tick on
    Tuesday must not move the day it was done, and Sam is told."""
    sam = world["sam"]
    goal, step = licence
    client = login(sam.user)
    client.get("/me/")  # Sam's page: the step is not done
    monday = timezone.localdate() - timedelta(days=1)
    goal_step_done(actor=world["coach"], step=step)
    GoalStep.objects.filter(pk=step.pk).update(done_on=monday)
    response = client.post(step_url(goal, step), {"done": "1", "back": "home"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == monday
    assert not AuditEntry.objects.filter(actor=sam.user, action=AuditAction.CHANGE).exists()
    followed = text_of(client.get(response["Location"]))
    assert "This step was already ticked done on" in followed
    assert f"{monday:%A} {monday.day} {monday:%B}" in followed


def test_the_service_refuses_a_tick_over_a_change_made_meanwhile(world, licence):
    goal, step = licence
    stale = GoalStep.objects.get(pk=step.pk)
    goal_step_tick(actor=world["sam"].user, step=step, done=True)
    with pytest.raises(GoalChangedError) as changed:
        goal_step_tick(actor=world["sam"].user, step=stale, done=True)
    assert changed.value.current.done_on == timezone.localdate()
    assert AuditEntry.objects.filter(detail="step done").count() == 1


# --- marking a goal achieved ----------------------------------------------------------------


def test_the_person_marks_their_goal_achieved(world, login, licence):
    sam = world["sam"]
    goal, _ = licence
    client = login(sam.user)
    response = client.post(
        f"/me/goals/{goal.pk}/achieved/", {"seen": "working_on_it", "back": "goal"}
    )
    assert response["Location"] == f"/me/goals/{goal.pk}/"
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED
    assert goal.achieved_on == timezone.localdate()
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, person_id=sam.pk)
    assert (entry.actor_id, entry.detail) == (sam.user.pk, "goal status achieved")
    page = text_of(client.get(response["Location"]))
    assert "Achieved! Well done." in page
    assert f'action="/me/goals/{goal.pk}/achieved/"' not in page  # no button any more
    home = text_of(client.get("/me/"))
    assert "Goals you have achieved" in home


def test_a_goal_moved_meanwhile_asks_again_and_overwrites_nothing(world, login, licence):
    """Sam's page said "working on it"; Priya then recorded that Sam changed his mind. Sam's
    press of "I've achieved this" is not applied over that: he sees what it says now and
    chooses again."""
    sam = world["sam"]
    goal, _ = licence
    client = login(sam.user)
    goal_status_change(actor=world["coach"], goal=goal, status=Goal.Status.CHANGED_MY_MIND)
    response = client.post(
        f"/me/goals/{goal.pk}/achieved/", {"seen": "working_on_it", "back": "home"}
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "This goal changed while you were looking" in page
    assert "“working on it”" in page and "“changed my mind”" in page
    goal.refresh_from_db()
    assert goal.status == Goal.Status.CHANGED_MY_MIND and goal.achieved_on is None
    assert 'name="seen" value="changed_my_mind"' in page
    # Choosing again, from what it says now, is applied.
    again = client.post(f"/me/goals/{goal.pk}/achieved/", {"seen": "changed_my_mind"})
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED


def test_an_already_achieved_goal_keeps_its_day(world, login, licence):
    goal, _ = licence
    Goal.objects.filter(pk=goal.pk).update(status="achieved", achieved_on=date(2026, 8, 14))
    client = login(world["sam"].user)
    response = client.post(f"/me/goals/{goal.pk}/achieved/", {"seen": "working_on_it"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.achieved_on == date(2026, 8, 14)
    assert "This goal is already achieved." in text_of(client.get(response["Location"]))


def test_a_suggestion_is_accepted_before_it_can_be_achieved(world, login):
    idea = Goal.objects.create(
        person=world["sam"], words="try the choir", suggested_by=world["coach"]
    )
    response = login(world["sam"].user).post(f"/me/goals/{idea.pk}/achieved/", {"seen": "dreaming"})
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == Goal.Status.DREAMING
    with pytest.raises(ValueError):
        goal_achieve(actor=world["sam"].user, goal=idea, seen_status="dreaming")


def test_a_made_up_status_is_refused(world, login, licence):
    goal, _ = licence
    response = login(world["sam"].user).post(f"/me/goals/{goal.pk}/achieved/", {"seen": "x"})
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.status == Goal.Status.WORKING_ON_IT


# --- nobody else ------------------------------------------------------------------------------


def test_a_person_cannot_tick_or_achieve_anyone_elses(world, login):
    alex_goal = Goal.objects.create(person=world["alex"], words="alex's goal")
    alex_step = GoalStep.objects.create(goal=alex_goal, words="alex's step")
    sam_goal = Goal.objects.create(person=world["sam"], words="sam's goal")
    client = login(world["sam"].user)
    assert client.post(step_url(alex_goal, alex_step), {"done": "1"}).status_code == 404
    # Alex's step under Sam's own goal's address is not found either.
    assert client.post(step_url(sam_goal, alex_step), {"done": "1"}).status_code == 404
    response = client.post(f"/me/goals/{alex_goal.pk}/achieved/", {"seen": "dreaming"})
    assert response.status_code == 404
    alex_step.refresh_from_db()
    alex_goal.refresh_from_db()
    assert alex_step.done_on is None and alex_goal.status == Goal.Status.DREAMING
    assert not AuditEntry.objects.filter(action=AuditAction.CHANGE).exists()


@pytest.mark.parametrize("who", ["coach", "lead", "other_coach", "commissioner"])
def test_staff_use_their_own_pages_not_the_persons(world, login, licence, who):
    goal, step = licence
    client = login(world[who])
    assert client.post(step_url(goal, step), {"done": "1"}).status_code == 403
    response = client.post(f"/me/goals/{goal.pk}/achieved/", {"seen": "working_on_it"})
    assert response.status_code == 403
    step.refresh_from_db()
    goal.refresh_from_db()
    assert step.done_on is None and goal.status == Goal.Status.WORKING_ON_IT


@pytest.mark.parametrize("who", ["coach", "other_coach", "commissioner", "alex"])
def test_only_the_person_themselves_may_use_the_services(world, licence, who):
    goal, step = licence
    actor = world[who].user if who == "alex" else world[who]
    with pytest.raises(PermissionDenied):
        goal_step_tick(actor=actor, step=step, done=True)
    with pytest.raises(PermissionDenied):
        goal_achieve(actor=actor, goal=goal, seen_status="working_on_it")
    step.refresh_from_db()
    goal.refresh_from_db()
    assert step.done_on is None and goal.status == Goal.Status.WORKING_ON_IT
    refused = AuditEntry.objects.filter(actor=actor, action=AuditAction.DENIED)
    assert refused.count() == 2

"""A URL that names a part of someone else's record under this person's address is a refusal,
and the audit log says so: never a read of the person whose address it used."""

from __future__ import annotations

from datetime import date

import pytest

from alongside.coaching.models import Barrier, Conversation, Goal, GoalStep
from alongside.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _others_parts(world):
    alex = world["alex"]
    goal = Goal.objects.create(person=alex, words="Alex's own goal")
    step = GoalStep.objects.create(goal=goal, words="A step")
    talk = Conversation.objects.create(
        person=alex, happened_on=date(2026, 11, 2), notes="n", written_by=world["coach"]
    )
    barrier = Barrier.objects.create(person=alex, what_happened="Waited six weeks")
    return goal, step, talk, barrier


def test_another_persons_part_under_this_persons_address_is_audited_as_a_refusal(world, login):
    sam, alex = world["sam"], world["alex"]
    goal, step, talk, barrier = _others_parts(world)
    coach = login(world["coach"])
    urls = [
        f"/people/{sam.pk}/goals/{goal.pk}/",
        f"/people/{sam.pk}/goals/{goal.pk}/edit/",
        f"/people/{sam.pk}/conversations/{talk.pk}/edit/",
        f"/people/{sam.pk}/barriers/{barrier.pk}/edit/",
    ]
    for url in urls:
        assert coach.get(url).status_code == 404, url
    step_url = f"/people/{sam.pk}/goals/{goal.pk}/steps/{step.pk}/done/"
    assert coach.post(step_url).status_code == 404

    refusals = AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk)
    assert refusals.count() == len(urls) + 1
    assert all("not part of this record" in entry.detail for entry in refusals)
    # Neither Sam nor Alex reads "your coach looked at your record" for these.
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=alex.pk).exists()
    step.refresh_from_db()
    assert step.done_on is None


def test_a_part_of_the_right_record_is_still_a_read(world, login):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="See Ellie on Sundays")
    response = login(world["coach"]).get(f"/people/{sam.pk}/goals/{goal.pk}/")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.DENIED).exists()


def test_someone_not_allowed_the_record_is_refused_before_anything_is_looked_up(world, login):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="See Ellie on Sundays")
    response = login(world["other_coach"]).get(f"/people/{sam.pk}/goals/{goal.pk}/")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=AuditAction.DENIED, person_id=sam.pk)
    assert "not part of this record" not in entry.detail

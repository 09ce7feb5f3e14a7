"""A person's whole record, as JSON and as a readable page: complete, permitted, audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.coaching.models import (
    Barrier,
    CheckIn,
    CircleMember,
    Conversation,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def one_of_everything(sam, coach, shared=("my_coach",), version=1):
    goal = Goal.objects.create(person=sam, words="get my licence back", why_it_matters="kids")
    GoalStep.objects.create(goal=goal, words="book the theory test")
    talk = Conversation.objects.create(
        person=sam, notes="We walked by the river.", reflection="Felt good", written_by=coach
    )
    talk.goals.add(goal)
    Strength.objects.create(person=sam, kind="skill", words="fixing bikes")
    CheckIn.objects.create(person=sam, answers={"life_satisfaction": 6, "anxiety": 4})
    Milestone.objects.create(person=sam, kind="own home", words="keys on Friday")
    spend = SpendRequest.objects.create(
        person=sam, goal=goal, what_for="theory test fee", amount_pence=2300, status="paid"
    )
    Payment.objects.create(spend_request=spend, amount_pence=2300, paid_on=date(2026, 10, 1))
    SafetyPlan.objects.create(
        person=sam, version=version, keeps_me_safe="my sister's number", visible_to=list(shared)
    )
    CircleMember.objects.create(person=sam, name="Job centre", kind="service")
    Barrier.objects.create(person=sam, service="Housing register", what_happened="local rule")


def test_the_json_holds_every_kind_of_entry(world, login):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    response = login(coach).get(f"/people/{sam.pk}/record.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sam-record.json"'
    data = json.loads(response.content)
    assert data["person"]["chosen_name"] == "Sam"
    for key in [
        "relationships",
        "conversations",
        "strengths",
        "goals",
        "check_ins",
        "milestones",
        "spend_requests",
        "safety_plan_versions",
        "circle",
        "barriers",
    ]:
        assert len(data[key]) == 1, key
    assert data["goals"][0]["steps"][0]["words"] == "book the theory test"
    assert data["conversations"][0]["goal_ids"] == [data["goals"][0]["id"]]
    assert data["spend_requests"][0]["payments"][0]["amount_pence"] == 2300
    assert data["check_ins"][0]["answers"] == {"life_satisfaction": 6, "anxiety": 4}


def test_the_printable_page_shows_the_same_record(world, login):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    page = text_of(login(coach).get(f"/people/{sam.pk}/record/"))
    for words in [
        "get my licence back",
        "book the theory test",
        "We walked by the river.",
        "fixing bikes",
        "Life satisfaction: 6",
        "keys on Friday",
        "£23",
        "my sister's number",
        "Job centre",
        "Housing register",
    ]:
        assert words in page, words


def test_the_person_downloads_their_own_record(world, login):
    sam = world["sam"]
    one_of_everything(sam, world["coach"], shared=())
    data = json.loads(login(sam.user).get(f"/people/{sam.pk}/record.json").content)
    assert data["safety_plan_versions"][0]["what_keeps_me_safe"] == "my sister's number"


def test_a_safety_plan_not_shared_with_the_coach_stays_out_of_their_export(world, login):
    sam = world["sam"]
    one_of_everything(sam, world["coach"], shared=())
    data = json.loads(login(world["coach"]).get(f"/people/{sam.pk}/record.json").content)
    assert data["safety_plan_versions"] == []
    page = text_of(login(world["coach"]).get(f"/people/{sam.pk}/record/"))
    assert "my sister's number" not in page


def test_export_is_audited_as_an_export(world, login):
    sam = world["sam"]
    login(world["coach"]).get(f"/people/{sam.pk}/record.json")
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor_id == world["coach"].pk
    assert entry.person_id == sam.pk


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "listener"])
@pytest.mark.parametrize("path", ["record.json", "record/"])
def test_others_may_not_export(world, login, who, path):
    response = login(world[who]).get(f"/people/{world['sam'].pk}/{path}")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=world[who]).exists()


def test_another_person_may_not_export(world, login):
    response = login(world["alex"].user).get(f"/people/{world['sam'].pk}/record.json")
    assert response.status_code == 403


def test_export_query_count_does_not_grow_with_the_record(world, login):
    sam, coach = world["sam"], world["coach"]
    client = login(coach)
    one_of_everything(sam, coach)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{sam.pk}/record.json")
    for version in range(2, 7):
        one_of_everything(sam, coach, version=version)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/people/{sam.pk}/record.json")
    assert len(few) == len(many)

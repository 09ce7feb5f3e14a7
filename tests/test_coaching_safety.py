"""The safety plan: the person's own words, versioned, read only by those they choose."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.accounts.policy import Action
from alongside.coaching.models import Relationship, SafetyPlan
from alongside.coaching.services.safety import safety_plan_save
from alongside.core.models import AuditAction, AuditEntry

from .factories import staff, text_of

pytestmark = pytest.mark.django_db

WORDS = {
    "keeps_me_safe": "Walking the dog along the canal",
    "early_signs": "I stop answering my phone",
    "what_helps": "A brew with my sister",
    "who_to_contact": "My sister Ellie",
    "what_others_can_do": "Knock, don't phone",
}


def plan_for(world, visible_to, actor=None, **words):
    sam = world["sam"]
    return safety_plan_save(
        actor=actor or sam.user, person=sam, visible_to=visible_to, **(words or WORDS)
    )


def test_the_person_writes_their_plan_and_each_save_is_a_new_version(world, login):
    sam = world["sam"]
    client = login(sam.user)
    form = client.get(f"/people/{sam.pk}/safety-plan/edit/")
    assert "In your own words" in text_of(form)
    response = client.post(
        f"/people/{sam.pk}/safety-plan/edit/", {**WORDS, "visible_to": ["my_coach"]}
    )
    assert response.status_code == 302
    response = client.post(
        f"/people/{sam.pk}/safety-plan/edit/",
        {**WORDS, "what_helps": "Music, loud", "visible_to": ["my_coach"]},
    )
    assert response.status_code == 302
    versions = list(SafetyPlan.objects.filter(person=sam).order_by("version"))
    assert [p.version for p in versions] == [1, 2]
    assert versions[0].what_helps == "A brew with my sister"  # never edited in place
    assert versions[1].what_helps == "Music, loud"
    assert versions[1].written_by == sam.user
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, person_id=sam.pk, detail="safety plan version 2"
    ).exists()
    page = text_of(client.get(f"/people/{sam.pk}/safety-plan/"))
    assert "Your safety plan" in page and "Music, loud" in page
    assert "Version 1" in page and "A brew with my sister" in page  # the history


def test_the_coach_writes_it_with_the_person(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/safety-plan/edit/", {**WORDS, "visible_to": ["my_coach"]}
    )
    assert response.status_code == 302
    plan = SafetyPlan.objects.get()
    assert plan.written_by == world["coach"]
    assert plan.visible_to == ["my_coach"]


def test_an_empty_plan_reshows_the_form_and_writes_nothing(world, login):
    sam = world["sam"]
    response = login(sam.user).post(
        f"/people/{sam.pk}/safety-plan/edit/",
        {"keeps_me_safe": "  ", "visible_to": ["organisation"]},
    )
    assert response.status_code == 200
    assert "Write something in at least one part" in text_of(response)
    assert re.search(r'value="organisation"[^>]*checked', response.content.decode())
    assert not SafetyPlan.objects.exists()


def safety_plan_visible_to(user, plan):
    return policy.can(user, Action.SAFETY_PLAN_VIEW, plan)


def test_visibility_follows_the_persons_choice(world):
    sam = world["sam"]
    private = plan_for(world, [])
    assert safety_plan_visible_to(sam.user, private)
    assert not safety_plan_visible_to(world["coach"], private)
    assert not safety_plan_visible_to(world["lead"], private)

    coach_only = plan_for(world, ["my_coach"])
    assert safety_plan_visible_to(world["coach"], coach_only)
    assert not safety_plan_visible_to(world["lead"], coach_only)

    organisation = plan_for(world, ["organisation"])
    assert safety_plan_visible_to(world["lead"], organisation)
    assert safety_plan_visible_to(world["coach"], organisation)

    everyone = plan_for(world, ["my_coach", "organisation", "circle"])
    for who in ("other_coach", "second_coach", "commissioner", "other_lead", "convener"):
        assert not safety_plan_visible_to(world[who], everyone), who
    assert not safety_plan_visible_to(world["alex"].user, everyone)


def test_a_coach_who_may_not_read_it_sees_neither_the_words_nor_the_form(world, login):
    sam = world["sam"]
    plan_for(world, [])
    client = login(world["coach"])
    record = text_of(client.get(f"/people/{sam.pk}/"))
    assert "chosen not to share it with you" in record
    assert "Walking the dog" not in record
    page = client.get(f"/people/{sam.pk}/safety-plan/")
    assert page.status_code == 200
    assert "Walking the dog" not in text_of(page)
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, person_id=sam.pk, detail="safety plan not shared"
    ).exists()
    assert client.get(f"/people/{sam.pk}/safety-plan/edit/").status_code == 302
    response = client.post(
        f"/people/{sam.pk}/safety-plan/edit/", {**WORDS, "visible_to": ["my_coach"]}
    )
    assert response.status_code == 302
    assert SafetyPlan.objects.count() == 1
    with pytest.raises(PermissionDenied):
        safety_plan_save(actor=world["coach"], person=sam, visible_to=["my_coach"], **WORDS)


def test_a_coach_it_is_shared_with_reads_it_on_the_record(world, login):
    sam = world["sam"]
    plan_for(world, ["my_coach"])
    record = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "Walking the dog along the canal" in record
    lead_view = text_of(login(world["lead"]).get(f"/people/{sam.pk}/"))
    assert "Walking the dog" not in lead_view
    assert "chosen not to share it with you" in lead_view


def test_a_second_coach_working_with_sam_reads_it_as_their_coach(world):
    sam = world["sam"]
    another = staff(Role.COACH, world["home"])
    Relationship.objects.create(person=sam, coach=another, organisation=world["home"])
    plan = plan_for(world, ["my_coach"])
    assert safety_plan_visible_to(another, plan)


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex"])
def test_others_are_refused_and_audited(world, login, who):
    sam = world["sam"]
    plan_for(world, ["my_coach", "organisation"])
    user = world["alex"].user if who == "alex" else world[who]
    client = login(user)
    assert client.get(f"/people/{sam.pk}/safety-plan/").status_code == 403
    assert client.get(f"/people/{sam.pk}/safety-plan/edit/").status_code == 403
    response = client.post(f"/people/{sam.pk}/safety-plan/edit/", {**WORDS})
    assert response.status_code == 403
    assert SafetyPlan.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 3

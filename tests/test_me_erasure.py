"""Erasure: the person asks, a lead decides; names and text go, counts and audit stay."""

import pytest

from alongside.accounts.models import User
from alongside.coaching.models import (
    Barrier,
    CircleMember,
    Conversation,
    ErasureRequest,
    Goal,
    Person,
    Strength,
)
from alongside.core.models import AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def _fill(sam):
    Goal.objects.create(person=sam, words="Get my own flat", why_it_matters="Safe at last")
    Strength.objects.create(person=sam, kind=Strength.Kind.values[0], words="Kind to people")
    CircleMember.objects.create(person=sam, name="Aunt Bea", kind="family")
    Barrier.objects.create(person=sam, service="Housing office", what_happened="Lost form")


def test_approved_erasure_anonymises_but_keeps_counts_and_audit(world, login):
    sam = world["sam"]
    _fill(sam)
    user_id = sam.user_id
    sam_client = login(sam.user)
    assert sam_client.post("/me/my-data/erase/").status_code == 302
    erasure = ErasureRequest.objects.get(person=sam)
    audit_before = AuditEntry.objects.filter(person_id=sam.pk).count()
    goals, conversations = sam.goals.count(), Conversation.objects.filter(person=sam).count()
    relationships = sam.relationships.count()

    assert (
        login(world["other_lead"]).get(f"/me/erasure-requests/{erasure.pk}/decide/").status_code
        == 403
    )
    assert (
        login(world["coach"])
        .post(f"/me/erasure-requests/{erasure.pk}/decide/", {"decision": "approve"})
        .status_code
        == 403
    )
    lead = login(world["lead"])
    assert "Sam" in text_of(lead.get("/me/erasure-requests/"))
    response = lead.post(f"/me/erasure-requests/{erasure.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302

    sam = Person.objects.get(pk=sam.pk)
    assert sam.chosen_name == "Erased record" and sam.user_id is None
    assert sam.goals.count() == goals and sam.relationships.count() == relationships
    assert Conversation.objects.filter(person=sam).count() == conversations
    assert not sam.goals.exclude(words="").exists()
    assert not sam.strengths.exclude(words="").exists()
    assert not sam.circle.exclude(name="").exists()
    assert not sam.barriers.exclude(what_happened="").exists()
    user = User.objects.get(pk=user_id)
    assert user.username == f"erased-{user_id}" and not user.is_active
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(person_id=sam.pk).count() > audit_before
    erased = AuditEntry.objects.get(detail="record erased")
    assert "Sam" not in erased.detail and erased.person_id == sam.pk
    assert sam_client.get("/").status_code == 302  # signed out


def test_declined_with_a_reason_shows_the_reason(world, login):
    sam = world["sam"]
    client = login(sam.user)
    client.post("/me/my-data/erase/")
    erasure = ErasureRequest.objects.get(person=sam)
    lead = login(world["lead"])
    url = f"/me/erasure-requests/{erasure.pk}/decide/"
    response = lead.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 400
    lead.post(url, {"decision": "decline", "reason": "A legal hold until June"})
    page = text_of(client.get("/me/my-data/"))
    assert "A legal hold until June" in page
    assert Person.objects.get(pk=sam.pk).chosen_name == "Sam"


def test_only_the_person_asks(world, login):
    assert login(world["coach"]).post("/me/my-data/erase/").status_code == 403
    assert not ErasureRequest.objects.exists()


def test_an_erased_record_leaves_the_coach_s_list_and_has_no_live_buttons(world, login):
    sam = world["sam"]
    login(sam.user).post("/me/my-data/erase/")
    erasure = ErasureRequest.objects.get(person=sam)
    coach = login(world["coach"])
    assert f'href="/people/{sam.pk}/"' in coach.get("/people/").content.decode()
    login(world["lead"]).post(f"/me/erasure-requests/{erasure.pk}/decide/", {"decision": "approve"})

    assert f'href="/people/{sam.pk}/"' not in coach.get("/people/").content.decode()
    page = coach.get(f"/people/{sam.pk}/")
    assert page.status_code == 200
    body = text_of(page)
    assert "This record was erased" in body
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert f"/people/{sam.pk}/" not in page.content.decode().split("<main", 1)[1]
    # Nothing under the record answers: no page to add to or change.
    for path in ("conversations/add/", "goals/add/", "budget/", "record/", "record.json"):
        assert coach.get(f"/people/{sam.pk}/{path}").status_code == 404, path
    assert coach.post(f"/people/{sam.pk}/conversations/add/", {}).status_code == 404
    # Someone who never coached Sam is still refused, not told the record was erased.
    assert login(world["other_coach"]).get(f"/people/{sam.pk}/").status_code == 403

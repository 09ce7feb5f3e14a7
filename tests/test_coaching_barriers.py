"""Barriers: what in the system got in the way, what was done, and the person's consent to
share it without their name."""

from __future__ import annotations

import pytest

from alongside.coaching.models import Barrier
from alongside.coaching.services.barriers import barrier_create
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db

FORM = {
    "service": "Housing register: local connection rule",
    "happened_on": "2026-05-02",
    "what_happened": "Told I couldn't join because I'd lived in Leeds",
    "response": "challenge",
    "what_we_did": "Wrote to the housing team together",
    "outcome": "Accepted in June",
    "share_with_convening": "on",
}


def test_coach_adds_a_barrier_and_the_person_sees_it(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(f"/people/{sam.pk}/barriers/add/", FORM)
    assert response.status_code == 302
    barrier = Barrier.objects.get()
    assert barrier.person == sam
    assert barrier.response == Barrier.Response.CHALLENGE
    assert barrier.share_with_convening is True
    assert str(barrier.happened_on) == "2026-05-02"
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(barrier.pk))
    assert entry.person_id == sam.pk and entry.detail == "barrier added"
    own = text_of(login(sam.user).get(f"/people/{sam.pk}/"))
    assert "Housing register: local connection rule" in own
    assert "Challenged it" in own and "Accepted in June" in own
    assert "Shared, without a name" in own
    edit = login(world["coach"]).get(f"/people/{sam.pk}/barriers/{barrier.pk}/edit/")
    assert 'value="2026-05-02"' in edit.content.decode()  # the date survives editing


def test_the_person_adds_one_too_and_it_is_not_shared_unless_they_say(world, login):
    sam = world["sam"]
    data = {**FORM, "response": ""}
    del data["share_with_convening"]
    response = login(sam.user).post(f"/people/{sam.pk}/barriers/add/", data)
    assert response.status_code == 302
    barrier = Barrier.objects.get()
    assert barrier.share_with_convening is False
    assert barrier.response == ""


def test_changing_a_barrier_records_consent_and_outcome(world, login):
    sam = world["sam"]
    barrier = barrier_create(
        actor=world["coach"],
        person=sam,
        service="Benefits office",
        what_happened="Sanctioned for a late form",
    )
    client = login(sam.user)
    form = text_of(client.get(f"/people/{sam.pk}/barriers/{barrier.pk}/edit/"))
    assert "Sanctioned for a late form" in form
    response = client.post(
        f"/people/{sam.pk}/barriers/{barrier.pk}/edit/",
        {
            "service": "Benefits office",
            "what_happened": "Sanctioned for a late form",
            "response": "complaint",
            "outcome": "Sanction overturned",
            "share_with_convening": "on",
        },
    )
    assert response.status_code == 302
    barrier.refresh_from_db()
    assert barrier.outcome == "Sanction overturned"
    assert barrier.response == Barrier.Response.COMPLAINT
    assert barrier.share_with_convening is True
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE, object_id=str(barrier.pk), detail="barrier changed, shared"
    ).exists()


def test_bad_input_reshows_what_was_typed_and_writes_nothing(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/barriers/add/",
        {"service": "Job centre rule", "what_happened": "", "happened_on": "2999-01-01"},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Job centre rule" in body
    assert "can't be in the future" in body
    assert not Barrier.objects.exists()


def test_a_barrier_of_someone_else_cannot_be_reached_through_this_record(world, login):
    alex_barrier = barrier_create(
        actor=world["coach"], person=world["alex"], service="GP", what_happened="Needed an address"
    )
    sam = world["sam"]
    response = login(world["coach"]).get(f"/people/{sam.pk}/barriers/{alex_barrier.pk}/edit/")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex"])
def test_others_are_refused_and_audited(world, login, who):
    sam = world["sam"]
    barrier = barrier_create(
        actor=world["coach"], person=sam, service="GP", what_happened="No address"
    )
    user = world["alex"].user if who == "alex" else world[who]
    client = login(user)
    assert client.get(f"/people/{sam.pk}/barriers/add/").status_code == 403
    assert client.post(f"/people/{sam.pk}/barriers/add/", FORM).status_code == 403
    edit = f"/people/{sam.pk}/barriers/{barrier.pk}/edit/"
    assert client.post(edit, {**FORM, "outcome": "changed"}).status_code == 403
    assert Barrier.objects.count() == 1
    barrier.refresh_from_db()
    assert barrier.outcome == ""
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 3

"""The person's choices: append-only, and withdrawing works at once."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from alongside.coaching.models import Barrier, CircleMember, ConsentEvent
from alongside.coaching.selectors.me_rights import barriers_for_convening, current_consents
from alongside.coaching.services.consent import consent_record

pytestmark = pytest.mark.django_db


def _barrier(person, **kw):
    return Barrier.objects.create(
        person=person, service="Housing office", what_happened="Lost form", **kw
    )


def test_withdrawn_barrier_disappears_from_convening_at_once(world, login):
    sam = world["sam"]
    one, two = _barrier(sam), _barrier(sam)
    consent_record(
        actor=sam.user, person=sam, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
    )
    assert set(barriers_for_convening(world["home"])) == {one, two}
    assert set(barriers_for_convening(world["area"])) == {one, two}
    client = login(sam.user)
    response = client.post(
        "/me/choices/", {"what": "share_barriers", "scope": one.pk, "given": "no"}
    )
    assert response.status_code == 302
    assert set(barriers_for_convening(world["home"])) == {two}
    one.refresh_from_db()
    assert one.share_with_convening is False
    client.post("/me/choices/", {"what": "share_barriers", "given": "no"})
    assert list(barriers_for_convening(world["home"])) == []
    assert ConsentEvent.objects.filter(person=sam).count() == 3


def test_flag_alone_does_not_beat_a_later_withdrawal(world):
    sam = world["sam"]
    barrier = _barrier(sam)
    consent_record(
        actor=sam.user, person=sam, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=False
    )
    Barrier.objects.filter(pk=barrier.pk).update(share_with_convening=True)
    assert list(barriers_for_convening(world["home"])) == []


def test_quote_credit_and_circle_choices(world, login):
    sam = world["sam"]
    member = CircleMember.objects.create(person=sam, name="Aunt Bea", kind="family")
    client = login(sam.user)
    client.post("/me/choices/", {"what": "quote", "quote": "yes", "credit": "Sam, Leith"})
    client.post(
        "/me/choices/",
        {"what": "circle", "scope": member.pk, f"c{member.pk}-parts": ["goals", "strengths"]},
    )
    now = current_consents(sam)
    assert now[("quote_in_listening", "")].given is True
    assert now[("credit_as", "")].details == {"credit": "Sam, Leith"}
    assert now[("circle_access", str(member.pk))].details == {"parts": ["goals", "strengths"]}
    client.post("/me/choices/", {"what": "quote", "quote": "no", "credit": ""})
    assert current_consents(sam)[("quote_in_listening", "")].given is False
    assert client.get("/me/choices/").status_code == 200


def test_only_the_person_makes_their_choices(world, login):
    sam = world["sam"]
    for actor in (world["coach"], world["alex"].user, world["other_coach"]):
        with pytest.raises(PermissionDenied):
            consent_record(
                actor=actor, person=sam, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
            )
    other = _barrier(world["alex"])
    response = login(sam.user).post(
        "/me/choices/", {"what": "share_barriers", "scope": other.pk, "given": "no"}
    )
    assert response.status_code == 404
    assert login(world["commissioner"]).get("/me/choices/").status_code == 403
    assert not ConsentEvent.objects.exists()


def test_an_invalid_circle_choice_changes_nothing_and_shows_what_was_ticked(world, login):
    sam = world["sam"]
    member = CircleMember.objects.create(person=sam, name="Aunt Bea", kind="family")
    client = login(sam.user)
    field = f"c{member.pk}-parts"
    client.post("/me/choices/", {"what": "circle", "scope": member.pk, field: ["goals"]})
    before = ConsentEvent.objects.count()

    response = client.post(
        "/me/choices/",
        {"what": "circle", "scope": member.pk, field: ["goals", "strengths", "bank_details"]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Something needs changing" in body
    assert "Choose from the parts of your record listed here." in body
    # What was ticked is shown again, ticked.
    for part in ("goals", "strengths"):
        assert re.search(rf'<input[^>]*value="{part}"[^>]*checked', body), part
    assert not re.search(r'<input[^>]*value="check_ins"[^>]*checked', body)
    # Nothing was written: the choice made before still holds.
    assert ConsentEvent.objects.count() == before
    now = current_consents(sam)[("circle_access", str(member.pk))]
    assert now.given is True and now.details == {"parts": ["goals"]}
    assert "They may see: Your goals." in body

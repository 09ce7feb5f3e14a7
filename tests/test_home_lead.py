"""A lead's home is their queue: spend requests over a coach's limit waiting for their
decision (reachable and decidable from the link), erasure requests, correction requests
unanswered for more than a week, relationships with no contact for a long time, and the
organisation's numbers at a glance, each a link to the list behind it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.coaching.models import (
    CheckIn,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    Relationship,
    SpendRequest,
)

from .factories import person, staff, text_of

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return text_of(response)


def _over_limit(person_, what_for: str = "a laptop for college") -> SpendRequest:
    limit = person_.organisation.coach_approval_limit_pence
    return SpendRequest.objects.create(person=person_, what_for=what_for, amount_pence=limit + 500)


def _correction(person_, days_ago: int) -> CorrectionRequest:
    goal = Goal.objects.create(person=person_, words="a flat near the kids")
    return CorrectionRequest.objects.create(
        person=person_,
        about_type="goal",
        about_id=goal.pk,
        field_name="words",
        as_written="a flat near the kids",
        asked_for="a flat near the school",
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


# --- spending over a coach's limit ----------------------------------------------------------


def test_a_lead_reaches_and_decides_a_spend_over_the_coachs_limit(world, login):
    sam = world["sam"]
    asked = _over_limit(sam)
    client = login(world["lead"])
    body = _home(client)
    decide = f"/people/{sam.pk}/budget/{asked.pk}/decide/"
    assert "Spending over a coach's limit" in body and "a laptop for college" in body
    assert f'href="{decide}"' in body
    page = client.get(decide)
    assert page.status_code == 200 and "Approve £105" in text_of(page)
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.APPROVED and asked.decided_by == world["lead"]
    assert "a laptop for college" not in _home(client)


def test_the_coach_sees_that_a_lead_will_decide(world, login):
    sam = world["sam"]
    asked = _over_limit(sam)
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/budget/"))
    assert "more than a coach can approve, so a lead will decide" in body
    assert f"/budget/{asked.pk}/decide/" not in body
    ledger = text_of(login(world["lead"]).get("/people/budget/ledger/"))
    assert "waiting for your decision" in ledger


def test_spends_within_the_limit_or_elsewhere_are_not_in_the_queue(world, login):
    SpendRequest.objects.create(person=world["sam"], what_for="a bus pass", amount_pence=100)
    _over_limit(world["jo"], "another organisation's laptop")
    body = _home(login(world["lead"]))
    assert "a bus pass" not in body and "another organisation's laptop" not in body
    assert "Nothing is waiting for a lead's decision." in body


# --- erasure and correction requests --------------------------------------------------------


def test_erasure_requests_wait_with_a_link_to_answer(world, login):
    mine = ErasureRequest.objects.create(person=world["sam"], organisation=world["home"])
    theirs = ErasureRequest.objects.create(person=world["jo"], organisation=world["other"])
    client = login(world["lead"])
    body = _home(client)
    assert "Asked to have their record erased" in body
    assert f'href="/me/erasure-requests/{mine.pk}/decide/"' in body
    assert f"/me/erasure-requests/{theirs.pk}/" not in body
    assert client.get(f"/me/erasure-requests/{mine.pk}/decide/").status_code == 200


def test_only_correction_requests_older_than_a_week_are_in_the_queue(world, login):
    old = _correction(world["sam"], days_ago=8)
    new = _correction(world["alex"], days_ago=2)
    elsewhere = _correction(world["jo"], days_ago=30)
    client = login(world["lead"])
    body = _home(client)
    assert f'href="/me/corrections/{old.pk}/decide/"' in body
    assert f"/me/corrections/{new.pk}/" not in body
    assert f"/me/corrections/{elsewhere.pk}/" not in body
    assert client.get(f"/me/corrections/{old.pk}/decide/").status_code == 200


# --- no contact for a long time -------------------------------------------------------------


def test_relationships_quiet_for_twice_the_keep_in_touch_weeks(world, login):
    weeks = 2 * world["home"].keep_in_touch_weeks
    today = timezone.localdate()
    sam_rel = world["sam"].relationships.get()
    sam_rel.last_contact_on = today - datetime.timedelta(weeks=weeks + 1)
    sam_rel.save()
    alex_rel = world["alex"].relationships.get()
    alex_rel.last_contact_on = today - datetime.timedelta(weeks=weeks - 1)
    alex_rel.save()
    ended = person(world["home"], world["coach"], "Ended Eddie").relationships.get()
    ended.state = Relationship.State.ENDED
    ended.started_on = today - datetime.timedelta(weeks=100)
    ended.save()
    body = _home(login(world["lead"]))
    quiet = body.split("No contact for a long time", 1)[1].split("at a glance", 1)[0]
    assert "1 relationship has had no contact written down" in quiet
    assert "Sam" in quiet and f"/people/{world['sam'].pk}/" in quiet
    assert "Alex" not in quiet and "Ended Eddie" not in quiet


# --- the numbers at a glance ----------------------------------------------------------------


def test_numbers_at_a_glance_link_to_their_lists(world, login):
    for i in range(12):
        someone = person(world["home"], world["coach"], f"Person {i}")
        CheckIn.objects.create(person=someone, answers={"happy": 7})
        someone.relationships.update(state=Relationship.State.WORKING_TOGETHER)
    SpendRequest.objects.create(
        person=world["sam"], what_for="boots", amount_pence=4000, status="approved"
    )
    client = login(world["lead"])
    body = _home(client)
    glance = body.split("at a glance", 1)[1]
    # Exact: the lead may open every record counted (disclosure control is for figures that
    # leave the organisation).
    assert 'href="/everyone/">14<' in glance
    assert 'href="/everyone/?show=working_together">12<' in glance
    assert 'href="/everyone/?show=checked-in">12<' in glance
    assert 'href="/people/budget/ledger/">£40 of £7,000<' in glance  # 14 × £500
    assert "fewer than 10" not in glance
    assert 'href="/everyone/?show=getting_to_know">2<' in glance
    listed = text_of(client.get("/everyone/?show=working_together"))
    assert "Person 3" in listed and ">Sam<" not in listed
    checked = text_of(client.get("/everyone/?show=checked-in"))
    assert "Person 3" in checked and ">Alex<" not in checked


def test_the_everyone_list_is_for_leads_of_that_organisation_only(world, login):
    assert login(world["lead"]).get("/everyone/").status_code == 200
    for who in ["coach", "commissioner", "listener", "other_coach"]:
        assert login(world[who]).get("/everyone/").status_code == 403, who
    assert login(world["sam"].user).get("/everyone/").status_code == 403
    # Another organisation's lead cannot ask for this one.
    other = login(world["other_lead"])
    assert other.get(f"/everyone/?organisation={world['home'].pk}").status_code == 403
    mine = text_of(other.get("/everyone/"))
    assert ">Jo<" in mine and f"/people/{world['sam'].pk}/" not in mine


def test_others_get_no_queue(world, login):
    asked = _over_limit(world["sam"])
    ErasureRequest.objects.create(person=world["sam"], organisation=world["home"])
    for who in ["coach", "commissioner", "other_lead"]:
        body = _home(login(world[who]))
        assert "Spending over a coach's limit" not in body, who
        assert f"/budget/{asked.pk}/decide/" not in body, who
        assert "/me/erasure-requests/" not in body, who
    for who in ["commissioner", "other_lead"]:
        assert "a laptop for college" not in _home(login(world[who])), who


def test_a_lead_who_also_coaches_sees_both(world, login):
    Membership.objects.create(user=world["lead"], organisation=world["home"], role=Role.COACH)
    person(world["home"], world["lead"], "Lee")
    _over_limit(world["sam"])
    body = _home(login(world["lead"]))
    assert "Later this week" in body and "working alongside 1 person" in body
    assert "Waiting for you as a lead" in body and "a laptop for college" in body
    # As a lead they decide any amount: their own people's spends are theirs to decide.
    lee = world["lead"].coaching_relationships.get().person
    big = _over_limit(lee, "a big one of Lee's")
    body = _home(login(world["lead"]))
    assert f'href="/people/{lee.pk}/budget/{big.pk}/decide/"' in body


def test_a_lead_of_two_organisations_sees_both_at_a_glance(world, login):
    Membership.objects.create(user=world["lead"], organisation=world["other"], role=Role.LEAD)
    _over_limit(world["jo"], "the other organisation's laptop")
    body = _home(login(world["lead"]))
    assert f"{world['home'].name} at a glance" in body
    assert f"{world['other'].name} at a glance" in body
    assert "the other organisation's laptop" in body
    assert f"/everyone/?organisation={world['other'].pk}" in body


# --- a fixed number of queries ---------------------------------------------------------------


def _add(world, count: int, start: int) -> None:
    other_coach = staff(Role.COACH, world["home"])
    long_ago = timezone.localdate() - datetime.timedelta(weeks=30)
    for i in range(start, start + count):
        someone = person(world["home"], [world["coach"], other_coach][i % 2], f"P{i}")
        someone.relationships.update(last_contact_on=long_ago)
        _over_limit(someone, f"spend {i}")
        _correction(someone, days_ago=9)
        ErasureRequest.objects.create(person=someone, organisation=world["home"])
        CheckIn.objects.create(person=someone, answers={"happy": 7})


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/", "/everyone/", "/everyone/?show=quiet"])
def test_lead_pages_run_the_same_queries_for_3_or_60_people(world, login, path):
    client = login(world["lead"])
    _add(world, 3, 0)
    client.get(path)
    few = _queries(client, path)
    _add(world, 60, 3)
    assert _queries(client, path) == few, "a query per person crept in (N+1)"
    # Session, user, memberships, then: the organisations; spends, erasures, corrections;
    # the first few quiet relationships with their count (a window: one query, it was two);
    # people, stages, check-ins, committed, paid; the recommendations waiting.
    assert few <= 15, few

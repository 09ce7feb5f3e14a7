"""A coach's home is their week: who they meet today and this week, who to keep in touch
with, and what is waiting for them (correction requests, spend requests, goals people
answered since they last looked), each linking to where it is dealt with."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import Membership, Role, User
from alongside.coaching.models import CorrectionRequest, Goal, Relationship, SpendRequest
from alongside.coaching.services.corrections import goal_decline
from alongside.coaching.services.goals import goal_accept
from alongside.home import services as home_services

from .factories import person, text_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)  # a Tuesday


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Pin "today" so the week reads the same whatever day the tests run."""
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30))
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda value=None: TODAY)


def _rel(world, name: str = "sam") -> Relationship:
    return world[name].relationships.get()


def _dates(rel: Relationship, **dates) -> Relationship:
    for key, value in dates.items():
        setattr(rel, key, value)
    rel.save()
    return rel


def _home(world, login, who: str = "coach") -> str:
    response = login(world[who]).get("/")
    assert response.status_code == 200
    return text_of(response)


def _section(body: str, title: str, until: str) -> str:
    return body.split(title, 1)[1].split(until, 1)[0]


# --- the week ------------------------------------------------------------------------------


def test_today_and_later_this_week_in_words(world, login):
    _dates(_rel(world), next_meeting_on=TODAY, last_contact_on=TODAY)
    _dates(
        _rel(world, "alex"),
        next_meeting_on=TODAY + datetime.timedelta(days=2),
        last_contact_on=TODAY,
    )
    body = _home(world, login)
    today = _section(body, "Today, Tuesday 1 December", "Later this week")
    assert "Sam" in today and "meeting today" in today and "Alex" not in today
    assert f"/people/{world['sam'].pk}/conversations/add/" in today
    later = _section(body, "Later this week", "Waiting for you")
    assert "Thursday 3 December" in later and "Alex" in later and "Sam" not in later


def test_a_meeting_next_month_an_ended_one_and_another_coachs_are_not_this_week(world, login):
    _dates(_rel(world), next_meeting_on=TODAY + datetime.timedelta(days=20))
    _dates(_rel(world, "alex"), next_meeting_on=TODAY, state=Relationship.State.ENDED)
    _dates(_rel(world, "jo"), next_meeting_on=TODAY)  # another organisation's coach
    body = _home(world, login)
    assert "No meetings written down for today." in body
    assert "No other meetings in the next seven days." in body
    assert f"/people/{world['jo'].pk}/" not in body and ">Jo<" not in body


def test_a_meeting_that_passed_with_nothing_written_asks_did_you_meet(world, login):
    rel = _dates(
        _rel(world),
        next_meeting_on=TODAY - datetime.timedelta(days=3),
        last_contact_on=TODAY - datetime.timedelta(days=17),
    )
    body = _home(world, login)
    asked = _section(body, "Did you meet?", "Waiting for you")
    assert "Sam" in asked and "Saturday 28 November" in asked
    assert f"/people/{world['sam'].pk}/relationship/{rel.pk}/dates/" in asked
    _dates(rel, last_contact_on=TODAY - datetime.timedelta(days=3))
    assert "Did you meet?" not in _home(world, login)


# --- keep in touch -------------------------------------------------------------------------


def test_keep_in_touch_offers_one_click_to_write_up_or_send_a_note(world, login):
    sam = world["sam"]
    _dates(_rel(world), last_contact_on=TODAY - datetime.timedelta(weeks=9))
    _dates(_rel(world, "alex"), last_contact_on=TODAY)
    body = _home(world, login)
    aside = _section(body, "Keep in touch", "See everyone you work alongside")
    assert "Sam" in aside and "last in touch Tuesday 29 September" in aside
    assert "Alex" not in aside
    assert f'href="/people/{sam.pk}/conversations/add/"' in aside
    assert f'href="/people/{sam.pk}/conversations/add/?note=1"' in aside
    assert "1 person you might like to keep in touch with" in body


def test_paused_people_are_listed_with_how_they_would_like_to_keep_in_touch(world, login):
    _dates(
        _rel(world),
        state=Relationship.State.PAUSED,
        keep_in_touch="a postcard now and then",
        last_contact_on=TODAY - datetime.timedelta(weeks=20),
    )
    body = _home(world, login)
    paused = _section(body, "Paused for now", "See everyone you work alongside")
    assert "Sam" in paused and "“a postcard now and then”" in paused
    # Listed once, as paused, not again among the quiet ones.
    assert body.count(f'href="/people/{world["sam"].pk}/conversations/add/?note=1"') == 1


# --- waiting for you -----------------------------------------------------------------------


def _correction(person, days_ago: int = 1) -> CorrectionRequest:
    goal = Goal.objects.create(person=person, words="a flat near the kids")
    return CorrectionRequest.objects.create(
        person=person,
        about_type="goal",
        about_id=goal.pk,
        field_name="words",
        as_written="a flat near the kids",
        asked_for="a flat near my kids' school",
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_correction_requests_wait_with_a_link_to_answer(world, login):
    mine = _correction(world["sam"])
    elsewhere = _correction(world["jo"])
    body = _home(world, login)
    waiting = _section(body, "Waiting for you", "Since you last looked")
    assert "Sam" in waiting and "Monday 30 November" in waiting
    assert f'href="/me/corrections/{mine.pk}/decide/"' in waiting
    assert f"/me/corrections/{elsewhere.pk}/" not in body
    # The link leads somewhere the coach may answer it.
    assert login(world["coach"]).get(f"/me/corrections/{mine.pk}/decide/").status_code == 200


def test_spend_requests_within_the_limit_wait_for_the_coach_above_it_for_a_lead(world, login):
    limit = world["home"].coach_approval_limit_pence
    small = SpendRequest.objects.create(
        person=world["sam"], what_for="a bus pass", amount_pence=limit
    )
    large = SpendRequest.objects.create(
        person=world["alex"], what_for="a laptop", amount_pence=limit + 1
    )
    SpendRequest.objects.create(person=world["jo"], what_for="someone else's", amount_pence=500)
    body = _home(world, login)
    waiting = _section(body, "Waiting for you", "Since you last looked")
    assert "a bus pass" in waiting
    assert f'href="/people/{world["sam"].pk}/budget/{small.pk}/decide/"' in waiting
    assert "a laptop" in waiting and "a lead will decide" in waiting
    assert f"/budget/{large.pk}/decide/" not in body
    assert f'href="/people/{world["alex"].pk}/budget/"' in waiting
    assert "someone else's" not in body


def test_nothing_waiting_says_so(world, login):
    body = _home(world, login)
    assert "Nothing is waiting for you to answer." in body
    assert "No goals answered and no spending decided since then." in body


# --- since you last looked -----------------------------------------------------------------


def _suggest(world, words: str, who: str = "sam") -> Goal:
    return Goal.objects.create(person=world[who], words=words, suggested_by=world["coach"])


def test_goals_accepted_or_declined_and_spends_decided_since_the_last_look(world, login):
    sam = world["sam"]
    goal_accept(actor=sam.user, goal=_suggest(world, "cook a Sunday dinner"))
    goal_decline(actor=sam.user, goal=_suggest(world, "join the running club"))
    decided = SpendRequest.objects.create(
        person=world["alex"],
        what_for="interview clothes",
        amount_pence=8000,
        status=SpendRequest.Status.APPROVED,
        decided_by=world["lead"],
        decided_at=timezone.now(),
    )
    SpendRequest.objects.create(  # the coach's own decision is no news to them
        person=world["alex"],
        what_for="their own decision",
        amount_pence=100,
        status=SpendRequest.Status.APPROVED,
        decided_by=world["coach"],
        decided_at=timezone.now(),
    )
    body = _home(world, login)
    news = _section(body, "Since you last looked", "Keep in touch")
    assert "Made the goal you suggested their own: “cook a Sunday dinner”" in news
    assert "Decided the goal you suggested isn't for them: “join the running club”" in news
    assert "interview clothes: £80, approved, by" in news
    assert f'href="/people/{world["alex"].pk}/budget/"' in news
    assert "their own decision" not in body
    goal = Goal.objects.get(words="cook a Sunday dinner")
    assert f'href="/people/{sam.pk}/goals/{goal.pk}/"' in news
    assert "Goal object" not in body
    del decided


def test_news_stays_through_a_sitting_and_is_gone_at_the_next(world, login, monkeypatch):
    sam = world["sam"]
    goal_accept(actor=sam.user, goal=_suggest(world, "cook a Sunday dinner"))
    client = login(world["coach"])
    assert "cook a Sunday dinner" in text_of(client.get("/"))
    # Twenty minutes later, the same sitting: still there.
    later = timezone.now() + datetime.timedelta(minutes=20)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "cook a Sunday dinner" in text_of(client.get("/"))
    # The next morning (signed in again): they have seen it.
    tomorrow = timezone.now() + datetime.timedelta(hours=20)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    body = text_of(login(world["coach"]).get("/"))
    assert "cook a Sunday dinner" not in body
    assert "Since Tuesday 1 December, 09:50." in body  # the last look, in London time


def test_looking_remembers_the_sitting(world):
    coach = User.objects.get(pk=world["coach"].pk)
    now = timezone.now()
    first = home_services.home_looked(user=coach, now=now)
    assert first == now - home_services.FIRST_LOOK
    with CaptureQueriesContext(connection) as captured:
        again = home_services.home_looked(user=coach, now=now + datetime.timedelta(minutes=2))
    assert again == first and len(captured) == 0  # a reload writes nothing
    coach.refresh_from_db()
    assert coach.home_seen_at == now
    next_day = now + datetime.timedelta(hours=20)
    assert home_services.home_looked(user=coach, now=next_day) == now
    coach.refresh_from_db()
    assert coach.home_seen_at == next_day and coach.home_news_since == now


# --- who sees it ---------------------------------------------------------------------------


def test_only_coaches_get_a_week(world, login):
    goal_accept(actor=world["sam"].user, goal=_suggest(world, "cook a Sunday dinner"))
    _correction(world["sam"])
    for who in ["lead", "commissioner", "listener"]:
        body = _home(world, login, who)
        assert "Today, Tuesday 1 December" not in body, who
        assert "cook a Sunday dinner" not in body, who
    other = _home(world, login, "other_coach")
    assert f"/people/{world['sam'].pk}/" not in other and ">Sam<" not in other
    mine = text_of(login(world["sam"].user).get("/"))
    assert "Keep in touch" not in mine and "Waiting for you" not in mine


def test_a_coach_in_another_organisation_no_longer_sees_its_people(world, login):
    _correction(world["sam"])
    Membership.objects.filter(user=world["coach"], role=Role.COACH).update(
        organisation=world["other"]
    )
    body = _home(world, login)
    assert f"/people/{world['sam'].pk}/" not in body and "working alongside 0 people" in body


# --- cheap: the first page of every day ----------------------------------------------------


def _add_people(world, count: int, start: int) -> None:
    coach = world["coach"]
    for i in range(start, start + count):
        someone = person(world["home"], coach, f"Person {i}")
        _dates(
            someone.relationships.get(),
            next_meeting_on=TODAY + datetime.timedelta(days=i % 9 - 2),
            last_contact_on=TODAY - datetime.timedelta(weeks=i % 12),
            state=[Relationship.State.WORKING_TOGETHER, Relationship.State.PAUSED][i % 2],
        )
        _correction(someone)
        SpendRequest.objects.create(person=someone, what_for="bus fares", amount_pence=500 * i)
        SpendRequest.objects.create(
            person=someone,
            what_for="boots",
            amount_pence=900,
            status=SpendRequest.Status.DECLINED,
            decided_by=world["lead"],
            decided_at=timezone.now(),
        )
        accepted = Goal.objects.create(person=someone, words="a", suggested_by=coach)
        accepted.accepted_at = timezone.now()
        accepted.save()
        if someone.user is None:
            someone.user = User.objects.create_user(username=f"p{i}-{someone.pk}")
            someone.save()
        goal_decline(
            actor=someone.user,
            goal=Goal.objects.create(person=someone, words="b", suggested_by=coach),
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


def test_the_coach_home_runs_the_same_few_queries_for_3_or_30_people(world, login):
    client = login(world["coach"])
    _add_people(world, 3, 0)
    client.get("/")  # the first look of the sitting notes when they looked (one write)
    few = _queries(client)
    body = text_of(client.get("/"))
    assert "Person 1" in body and "bus fares" in body and "“b”" in body
    _add_people(world, 30, 3)
    many = _queries(client)
    assert few == many, "a query per person crept in (N+1)"
    # Session, user, memberships; relationships, correction requests, spend requests, and
    # the goals people answered (with when they declined, from the audit log).
    assert many <= 7, many

"""A person's home (/me/, and / for a person) shows every goal that is theirs, their next
meeting in words, and their latest check-in beside the UK average (issue 12, item 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alongside.coaching.models import CheckIn, Goal, GoalStep, Relationship
from alongside.coaching.selectors.me import day_in_words

from .factories import text_of

pytestmark = pytest.mark.django_db

HOMES = ["/me/", "/"]


def in_words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def test_every_goal_that_is_the_persons_shows_not_only_the_ones_they_typed(world, login):
    sam, coach = world["sam"], world["coach"]
    # Written by Sam himself (accepted at once), written before suggestions were tracked (no
    # suggester, never accepted: the demo's Sam has three of these), and a coach's idea Sam
    # said yes to. The issue: /me/ said "No goals yet" while Sam had three.
    Goal.objects.create(person=sam, words="learn to swim", accepted_at=timezone.now())
    Goal.objects.create(person=sam, words="get my licence back", status="working_on_it")
    Goal.objects.create(
        person=sam, words="try the choir", suggested_by=coach, accepted_at=timezone.now()
    )
    Goal.objects.create(
        person=sam, words="find a flat", status="achieved", achieved_on=date(2026, 8, 14)
    )
    Goal.objects.create(person=sam, words="move to Leeds", status="changed_my_mind")
    # Not his: a suggestion he declined, one still waiting, and Alex's goal.
    Goal.objects.create(
        person=sam, words="go to the gym", suggested_by=coach, status="changed_my_mind"
    )
    Goal.objects.create(person=sam, words="walk more", suggested_by=coach)
    Goal.objects.create(person=world["alex"], words="alex's own goal")
    client = login(sam.user)
    for url in HOMES:
        page = text_of(client.get(url))
        assert "No goals yet" not in page, url
        mine = page.split('id="goals-heading"')[1]
        for words in ["learn to swim", "get my licence back", "try the choir", "find a flat"]:
            assert words in mine, (url, words)
        assert "Achieved</span> on Friday 14 August" in mine
        assert "Goals you changed your mind about (1)" in mine and "move to Leeds" in mine
        assert "go to the gym" not in page
        assert "alex&#x27;s own goal" not in page and "alex's own goal" not in page
        # The waiting suggestion is offered as a suggestion, not listed as his.
        assert "walk more" not in mine
        assert "walk more" in page.split('id="suggested-heading"')[1].split("goals-heading")[0]


def test_no_goals_yet_only_when_there_are_none(world, login):
    page = text_of(login(world["sam"].user).get("/me/"))
    assert "No goals yet" in page


def test_steps_show_with_a_button_to_tick_them_and_done_ones_say_when(world, login):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="get my licence back")
    todo = GoalStep.objects.create(goal=goal, words="book the theory test")
    done = GoalStep.objects.create(goal=goal, words="apply for a provisional", done_on=date.today())
    page = text_of(login(sam.user).get("/me/"))
    assert f'action="/me/goals/{goal.pk}/steps/{todo.pk}/done/"' in page
    assert f'action="/me/goals/{goal.pk}/steps/{done.pk}/done/"' not in page
    assert 'I\'ve done this<span class="visually-hidden">: book the theory test' in page
    assert f'apply for a provisional <span class="muted">({in_words(date.today())}' in page
    assert f'action="/me/goals/{goal.pk}/achieved/"' in page


def test_the_next_meeting_is_in_words(world, login):
    sam, coach = world["sam"], world["coach"]
    coach.first_name = "Priya"
    coach.save()
    today = timezone.localdate()
    soon = today + timedelta(days=3)
    Relationship.objects.filter(person=sam).update(next_meeting_on=soon)
    client = login(sam.user)
    for url in HOMES:
        page = text_of(client.get(url))
        assert f"<strong>{in_words(soon)}</strong>, with Priya." in page, url
        assert soon.isoformat() not in page

    Relationship.objects.filter(person=sam).update(next_meeting_on=today + timedelta(days=1))
    assert "Tomorrow, " in text_of(client.get("/me/"))

    # A day that has gone is not a next meeting.
    Relationship.objects.filter(person=sam).update(next_meeting_on=today - timedelta(days=5))
    page = text_of(client.get("/me/"))
    assert "No meeting is planned yet. You can ask Priya for one" in page
    assert in_words(today - timedelta(days=5)) not in page


def test_the_soonest_meeting_wins_and_an_ended_relationship_has_none(world, login):
    sam, today = world["sam"], timezone.localdate()
    Relationship.objects.filter(person=sam).update(
        next_meeting_on=today + timedelta(days=2), state=Relationship.State.ENDED
    )
    Relationship.objects.create(
        person=sam,
        coach=world["second_coach"],
        organisation=world["home"],
        next_meeting_on=today + timedelta(days=9),
    )
    page = text_of(login(sam.user).get("/me/"))
    assert in_words(today + timedelta(days=9)) in page
    assert in_words(today + timedelta(days=2)) not in page


def test_days_in_words():
    today = date(2026, 12, 1)
    assert day_in_words(date(2026, 12, 3), today) == "Thursday 3 December"
    assert day_in_words(date(2026, 12, 1), today) == "Today, Tuesday 1 December"
    assert day_in_words(date(2026, 12, 2), today) == "Tomorrow, Wednesday 2 December"
    assert day_in_words(date(2026, 11, 30), today) == "Yesterday, Monday 30 November"
    assert day_in_words(date(2027, 1, 5), today) == "Tuesday 5 January 2027"


def test_the_latest_check_in_is_beside_the_uk_average(world, login):
    sam = world["sam"]
    CheckIn.objects.create(
        person=sam, taken_on=date(2026, 3, 9), answers={"life_satisfaction": 2, "anxiety": 9}
    )
    CheckIn.objects.create(
        person=sam,
        taken_on=date(2026, 10, 27),
        answers={"life_satisfaction": 5, "worthwhile": 7, "anxiety": 3},
    )
    CheckIn.objects.create(person=world["alex"], answers={"life_satisfaction": 1})
    client = login(sam.user)
    for url in HOMES:
        page = text_of(client.get(url))
        section = page.split('id="checkin-heading"')[1].split('id="do-heading"')[0]
        assert "Tuesday 27 October" in section, url
        assert "2026-10-27" not in section
        # Each answer, the UK mean from the ONS4 file, and how they sit, in words.
        said = " ".join(section.split())
        assert "you said <strong>5</strong>. The UK average is 7.45. That is below it." in said
        assert "<strong>7</strong>. The UK average is 7.73. That is a little below it." in said
        assert "<strong>3</strong>. The UK average is 3.23. That is about the same." in said
        assert "You skipped this one" in section  # happiness
        assert "For this one, a lower number is better." in section  # anxiety
        assert section.count("<svg") == 3  # a picture for each answer given, none for a skip
        assert 'aria-hidden="true"' in section  # the words carry it; the picture is extra
        # The earlier check-in and Alex's never show here.
        assert "you said <strong>2</strong>" not in section
        assert "you said <strong>1</strong>" not in section


def test_no_check_in_yet(world, login):
    page = text_of(login(world["sam"].user).get("/me/"))
    assert "You have not done a check-in yet" in page
    assert 'href="/me/check-in/"' in page


def test_a_home_names_nothing_of_anyone_else(world, login):
    alex = world["alex"]
    Goal.objects.create(person=alex, words="alex's secret goal")
    CheckIn.objects.create(person=alex, answers={"happiness": 3})
    Relationship.objects.filter(person=alex).update(
        next_meeting_on=timezone.localdate() + timedelta(days=4)
    )
    page = text_of(login(world["sam"].user).get("/me/"))
    assert "secret goal" not in page
    assert "You have not done a check-in yet" in page
    assert "No meeting is planned yet" in page


@pytest.mark.parametrize("who", ["coach", "lead", "commissioner", "other_coach"])
def test_staff_have_no_person_home(world, login, who):
    Goal.objects.create(person=world["sam"], words="get my licence back")
    response = login(world[who]).get("/me/")
    assert response.status_code == 403
    assert "get my licence back" not in text_of(response)

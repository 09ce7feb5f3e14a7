"""Live evidence for a portfolio (issue 15, item 3): each figure worked out right from a small
known set of records, only the organisation's own, with counts disclosure-controlled (under 10
hidden, the rest rounded to 5), shares shown only when the counts behind them are, and no
person named."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.coaching.models import (
    Barrier,
    CheckIn,
    Goal,
    LanguagePromptEvent,
    Payment,
    Person,
    Relationship,
    RelationshipChange,
    SpendRequest,
)
from alongside.convening.models import Answer, Recommendation
from alongside.listening.models import Exercise
from alongside.network import evidence

from .factories import organisation, staff

pytestmark = pytest.mark.django_db


def window():
    return evidence.last_twelve_months(timezone.localdate())


def figure(key, org):
    since, until = window()
    return evidence.FIGURES[key].compute(org, since=since, until=until)


def rows(result):
    return dict(result.rows)


def people(org, count, name="Person"):
    return Person.objects.bulk_create(
        Person(organisation=org, chosen_name=f"{name} {i}") for i in range(count)
    )


def test_goals_in_the_persons_own_words_or_accepted(world):
    home, coach = world["home"], world["coach"]
    someone = world["sam"]
    now = timezone.now()
    Goal.objects.bulk_create(
        [Goal(person=someone, words=f"own {i}") for i in range(12)]
        + [
            Goal(person=someone, words=f"accepted {i}", suggested_by=coach, accepted_at=now)
            for i in range(3)
        ]
        + [Goal(person=someone, words=f"waiting {i}", suggested_by=coach) for i in range(10)]
    )
    # Another organisation's goals are not this one's evidence.
    Goal.objects.bulk_create(Goal(person=world["jo"], words=f"theirs {i}") for i in range(20))
    result = figure("goals_own_words", home)
    # 15 of 25 are the person's own (written or accepted): 60%, from the true counts.
    assert result.headline == "60% of goals were in the person's own words or accepted by them."
    shown = rows(result)
    assert shown["Goals written"] == "25"
    assert shown["In the person's own words"] == "10"  # 12 rounded to 5
    assert shown["Suggested, then accepted by the person"] == "fewer than 10"
    # With one part hidden and the total shown, the next smallest goes too (10 < 12).
    assert shown["Suggestions not (yet) accepted"] == "fewer than 10"


def test_a_share_that_would_give_away_a_small_rest_is_not_shown(world):
    coach = world["coach"]
    Goal.objects.bulk_create(
        [Goal(person=world["sam"], words=f"own {i}") for i in range(15)]
        + [Goal(person=world["sam"], words="s", suggested_by=coach) for _ in range(3)]
    )
    result = figure("goals_own_words", world["home"])
    assert "%" not in result.headline
    # All of them their own: a rest of none gives nobody away.
    Goal.objects.filter(suggested_by=coach).delete()
    assert figure("goals_own_words", world["home"]).headline.startswith("100% of goals")


def test_too_few_goals_show_no_share(world):
    Goal.objects.bulk_create(Goal(person=world["sam"], words=f"own {i}") for i in range(6))
    result = figure("goals_own_words", world["home"])
    assert result.headline.startswith("Too few goals")
    assert "%" not in result.headline
    assert set(rows(result).values()) == {"fewer than 10"}


def test_relationships_started_with_a_name_only(world):
    home, coach = world["home"], world["coach"]
    today = timezone.localdate()
    fresh = people(home, 11)
    Relationship.objects.bulk_create(
        Relationship(person=p, coach=coach, organisation=home, started_on=today) for p in fresh
    )
    # Ten people had a goal written down before working together began: not name only.
    known = people(home, 10, "Known")
    Goal.objects.bulk_create(
        Goal(person=p, words="before", created_at=timezone.now() - timedelta(days=30))
        for p in known
    )
    Relationship.objects.bulk_create(
        Relationship(person=p, coach=coach, organisation=home, started_on=today) for p in known
    )
    result = figure("started_name_only", home)
    # Sam and Alex (the world's) and 11 fresh people: 13 of 23 started with a name only.
    assert result.headline == "57% of relationships started with a name only."
    assert rows(result)["Relationships started"] == "25"
    assert rows(result)["Started with only the name the person chose"] == "15"


def test_pauses_and_restarts_against_endings(world):
    rel = world["sam"].relationships.get()
    paused, working, ended = (
        Relationship.State.PAUSED,
        Relationship.State.WORKING_TOGETHER,
        Relationship.State.ENDED,
    )
    RelationshipChange.objects.bulk_create(
        [
            RelationshipChange(relationship=rel, from_state=working, to_state=paused)
            for _ in range(10)
        ]
        + [
            RelationshipChange(relationship=rel, from_state=paused, to_state=working)
            for _ in range(5)
        ]
        + [
            RelationshipChange(relationship=rel, from_state=working, to_state=ended)
            for _ in range(10)
        ]
    )
    result = figure("pauses_restarts", world["home"])
    assert result.headline == "For every ending there were 1.5 pauses or restarts."
    assert rows(result) == {
        "Pauses": "10",
        "Restarts after a pause or an ending": "fewer than 10",
        "Endings, by the person's choice": "10",
    }


def test_personal_budget_spent_on_peoples_own_goals(world):
    sam = world["sam"]
    own = Goal.objects.create(person=sam, words="a bike to get to work")
    suggested = Goal.objects.create(person=sam, words="a course", suggested_by=world["coach"])
    on_own = SpendRequest.objects.create(person=sam, goal=own, what_for="bike", amount_pence=1)
    on_none = SpendRequest.objects.create(person=sam, what_for="phone", amount_pence=1)
    not_accepted = SpendRequest.objects.create(
        person=sam, goal=suggested, what_for="course", amount_pence=1
    )
    Payment.objects.bulk_create(
        [Payment(spend_request=on_own, amount_pence=1_000) for _ in range(10)]
        + [Payment(spend_request=on_none, amount_pence=2_500) for _ in range(9)]
        + [Payment(spend_request=not_accepted, amount_pence=5_000)]
    )
    result = figure("budget_own_goals", world["home"])
    # £100 of £375 went to goals that are the person's own (a suggestion not accepted is not).
    assert result.headline == "27% of the money paid went towards people's own goals."
    assert rows(result) == {
        "Payments from personal budgets": "20",
        "Paid in all": "£375",
        "Payments towards a goal that is the person's own": "10",
    }


def test_too_few_payments_show_no_money(world):
    request = SpendRequest.objects.create(person=world["sam"], what_for="bus pass", amount_pence=1)
    Payment.objects.create(spend_request=request, amount_pence=4_321)
    result = figure("budget_own_goals", world["home"])
    assert "£" not in " ".join(v for _, v in result.rows)
    assert result.headline.startswith("Too few payments")


def test_wellbeing_change_first_to_latest_check_in(world):
    home = world["home"]
    today = timezone.localdate()
    crowd = people(home, 10)
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                person=p,
                taken_on=today - timedelta(days=60),
                answers={"life_satisfaction": 5, "anxiety": 6},
            )
            for p in crowd
        ]
        + [
            CheckIn(person=p, taken_on=today - timedelta(days=30), answers={"life_satisfaction": 9})
            for p in crowd
        ]
        + [
            CheckIn(person=p, taken_on=today, answers={"life_satisfaction": 7, "anxiety": 4})
            for p in crowd
        ]
    )
    # One person with a single check-in has no change yet; another organisation's are not ours.
    CheckIn.objects.create(person=world["alex"], answers={"life_satisfaction": 0})
    CheckIn.objects.create(person=world["jo"], answers={"life_satisfaction": 0})
    CheckIn.objects.create(person=world["jo"], answers={"life_satisfaction": 10})
    result = figure("wellbeing_change", home)
    assert result.headline == "Life satisfaction changed by +2.0 points on average."
    shown = rows(result)
    assert shown["People with a first and a latest check-in"] == "10"
    assert shown["Life satisfaction"].startswith("+2.0 points on average")
    assert shown["Anxiety yesterday"].startswith("-2.0 points on average")
    assert shown["Anxiety yesterday"].endswith("better")  # lower anxiety is better
    assert shown["Happiness yesterday"] == evidence.TOO_FEW


def test_the_language_prompt_trend(world):
    home = world["home"]
    since, until = window()
    LanguagePromptEvent.objects.bulk_create(
        [
            LanguagePromptEvent(
                organisation=home,
                on=since + timedelta(days=10),
                phrase="service user",
                kept_words=i % 2 == 0,
            )
            for i in range(20)
        ]
        + [
            LanguagePromptEvent(
                organisation=home, on=until, phrase="chaotic", kept_words=i % 2 == 0
            )
            for i in range(10)
        ]
        + [
            LanguagePromptEvent(organisation=world["other"], on=until, phrase="case")
            for _ in range(50)
        ]
    )
    result = figure("language_prompts", home)
    assert result.headline == "The prompt was needed less often in the second half of the period."
    values = [v for _, v in result.rows]
    assert values[:3] == ["20", "10", "15"]
    assert rows(result)["Share of prompts that led to different words"] == "50%"


def test_barriers_shared_and_recommendations_answered(world):
    home, other = world["home"], world["other"]
    Barrier.objects.bulk_create(
        [
            Barrier(
                person=world["sam"], service="Housing", what_happened="x", share_with_convening=True
            )
            for _ in range(10)
        ]
        + [Barrier(person=world["sam"], service="Benefits", what_happened="y") for _ in range(10)]
    )
    now = timezone.now()
    made = [
        Recommendation.objects.create(
            organisation=home,
            title=f"Rec {i}",
            what="w",
            to="leadership",
            addressed_to=other,
            lands_in="system_design",
            sent_at=now,
        )
        for i in range(2)
    ]
    Answer.objects.create(recommendation=made[0], status="accepted", words="yes")
    Recommendation.objects.create(
        organisation=other,
        title="To us",
        what="w",
        to="leadership",
        addressed_to=home,
        lands_in="system_design",
        sent_at=now,
    )
    result = figure("barriers_recommendations", home)
    assert result.headline == (
        "50% of barriers were shared to help change things. "
        "1 of 2 recommendations we made were answered."
    )
    shown = rows(result)
    assert shown["Barriers recorded"] == "20"
    assert shown["Shared, with the person's agreement, to help change things"] == "10"
    assert shown["Recommendations we made"] == "2"
    assert shown["of them answered"] == "1"
    assert shown["Recommendations made to us"] == "1"
    assert shown["of them answered by us"] == "0"


def test_a_withdrawn_barrier_is_no_longer_counted_as_shared(world):
    from alongside.coaching.models import ConsentEvent

    Barrier.objects.bulk_create(
        Barrier(
            person=world["sam"], service="Housing", what_happened="x", share_with_convening=True
        )
        for _ in range(12)
    )
    assert (
        rows(figure("barriers_recommendations", world["home"]))[
            "Shared, with the person's agreement, to help change things"
        ]
        == "10"
    )
    ConsentEvent.objects.create(
        person=world["sam"], choice=ConsentEvent.Choice.SHARE_BARRIERS, given=False
    )
    assert (
        rows(figure("barriers_recommendations", world["home"]))[
            "Shared, with the person's agreement, to help change things"
        ]
        == "fewer than 10"
    )


def test_listening_exercises_held(world):
    home = world["home"]
    since, until = window()
    for i in range(3):
        Exercise.objects.create(organisation=home, title=f"E{i}", question="q", starts_on=until)
    Exercise.objects.create(organisation=home, title="Draft", question="q")  # not started
    Exercise.objects.create(
        organisation=home,
        title="Long ago",
        question="q",
        starts_on=since - timedelta(days=400),
        ends_on=since - timedelta(days=300),
    )
    Exercise.objects.create(
        organisation=world["other"], title="Theirs", question="q", starts_on=until
    )
    result = figure("listening_exercises", home)
    assert result.headline == "3 listening exercises held in this period."
    assert rows(result) == {"Listening exercises held": "3", "Contributions heard": "fewer than 10"}


def test_no_figure_names_a_person_and_each_has_its_definition(world):
    home = world["home"]
    named = people(home, 12, "Priyanka Okafor")
    Goal.objects.bulk_create(Goal(person=p, words="Priyanka's goal") for p in named)
    for key, each in evidence.FIGURES.items():
        result = figure(key, home)
        frozen = result.as_frozen()
        assert "Priyanka" not in repr(frozen), key
        assert "Sam" not in repr(frozen), key
        assert len(each.definition) > 40 and frozen["definition"] == each.definition
        assert frozen["period"].startswith("From ")


def test_an_empty_organisation_shows_only_too_few(db):
    empty = organisation()
    staff("lead", empty)
    for key in evidence.FIGURES:
        result = figure(key, empty)
        assert "%" not in result.headline, key
        for label, value in result.rows:
            assert value in {"fewer than 10", "0", evidence.TOO_FEW}, (key, label, value)


def test_a_few_of_everything_is_shown_only_as_fewer_than_10(world):
    """Three of each kind of record: no figure shows a count of people or records below 10,
    nor a share or an average built on them."""
    home, sam = world["home"], world["sam"]
    rel = sam.relationships.get()
    today = timezone.localdate()
    goal = Goal.objects.create(person=sam, words="own")
    spend = SpendRequest.objects.create(person=sam, goal=goal, what_for="x", amount_pence=1)
    for i in range(3):
        Goal.objects.create(person=sam, words=f"own {i}")
        RelationshipChange.objects.create(
            relationship=rel, from_state="working_together", to_state="paused"
        )
        RelationshipChange.objects.create(relationship=rel, from_state="paused", to_state="ended")
        Payment.objects.create(spend_request=spend, amount_pence=777)
        Barrier.objects.create(
            person=sam, service="s", what_happened="w", share_with_convening=True
        )
        LanguagePromptEvent.objects.create(organisation=home, on=today, phrase="case")
        CheckIn.objects.create(person=sam, taken_on=today, answers={"life_satisfaction": i})
    exact = {"Recommendations we made", "of them answered", "Recommendations made to us"}
    exact |= {"of them answered by us", "Listening exercises held"}
    for key in evidence.FIGURES:
        result = figure(key, home)
        assert "%" not in result.headline and "points" not in result.headline, key
        for label, value in result.rows:
            if label in exact:
                continue
            assert value in {"fewer than 10", evidence.TOO_FEW}, (key, label, value)

"""What an experiment watches, before and during: barriers of a theme (consent holding, other
organisations' counts disclosure-controlled), change in check-ins (aggregate only, nothing
under 10 people), relationships restarted (disclosure-controlled) and stories."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alongside.coaching.models import (
    Barrier,
    CheckIn,
    ConsentEvent,
    Relationship,
    RelationshipChange,
)
from alongside.convening.models import BarrierPlacement, Experiment, Measure, Story, SystemTheme
from alongside.convening.selectors import measures

from . import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
STARTS = date(2026, 4, 1)  # during: 1 April to 30 June (91 days); before: the 91 days before


def _experiment(org, **extra):
    return Experiment.objects.create(
        organisation=org, title="Keep your coach", if_we="a", then="b", starts_on=STARTS, **extra
    )


def _barrier(org, theme, day, *, shared=True, coach=None):
    person = factories.person(org, coach)
    barrier = Barrier.objects.create(
        person=person,
        service="Council housing",
        what_happened="Turned away",
        happened_on=day,
        share_with_convening=shared,
    )
    BarrierPlacement.objects.create(theme=theme, barrier=barrier, organisation=theme.organisation)
    return barrier


def test_the_windows_are_the_same_length_before_and_during():
    experiment = Experiment(starts_on=STARTS, ends_on=date(2026, 9, 30))
    before, during = measures.windows(experiment, TODAY)
    assert during == measures.Window(STARTS, TODAY)  # ends today, not in September
    assert before.days == during.days == 91
    assert before.end == STARTS - timedelta(days=1)
    not_yet = Experiment(starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31))
    before, during = measures.windows(not_yet, TODAY)
    assert during is None and before.days == 31 and before.end == date(2026, 7, 31)


def test_barriers_of_a_theme_before_and_during_in_words(world):
    home = world["home"]
    theme = SystemTheme.objects.create(organisation=home, title="Local connection")
    for n in range(9):  # 9 in the three months before: 3 a month
        _barrier(home, theme, date(2026, 1, 5) + timedelta(days=n * 9))
    for n in range(3):  # 3 in the three months during: 1 a month
        _barrier(home, theme, date(2026, 4, 10) + timedelta(days=n * 20))
    _barrier(home, theme, date(2026, 5, 1), shared=False)  # not shared: never counted
    withdrawn = _barrier(home, theme, date(2026, 5, 2))
    ConsentEvent.objects.create(
        person=withdrawn.person, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=False
    )
    experiment = _experiment(home)
    measure = Measure.objects.create(
        experiment=experiment, kind=Measure.Kind.THEME_BARRIERS, theme=theme
    )
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert result.headline == "3 a month before, 1 a month during."
    assert result.rows[0][2] == "9" and result.rows[1][2] == "3"
    assert ("April 2026", "2", "During") in result.months
    assert ("March 2026", "2", "Before") in result.months
    assert "<rect" in str(result.chart.svg)
    assert "3 a month before, 1 a month during" in result.chart.description
    assert result.monthly is not None and "<polyline" in str(result.monthly.svg)
    assert "The experiment started in April 2026." in result.monthly.description


def test_other_organisations_barriers_are_counted_apart_and_protected(world):
    home, other = world["home"], world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = SystemTheme.objects.create(organisation=home, title="Rule", area=world["area"])
    for n in range(4):
        _barrier(other, theme, date(2026, 5, 1) + timedelta(days=n))
    _barrier(home, theme, date(2026, 5, 1))
    experiment = _experiment(home)
    measure = Measure.objects.create(
        experiment=experiment, kind=Measure.Kind.THEME_BARRIERS, theme=theme
    )
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert result.rows[1][2] == "1"  # here: exact
    assert result.rows[1][3] == "fewer than 10"  # four from elsewhere: not shown
    assert "4" not in result.rows[1][3]


def _check_in(person, day, score):
    CheckIn.objects.create(
        person=person,
        taken_on=day,
        answers={"life_satisfaction": score, "worthwhile": score, "anxiety": 10 - score},
    )


def test_check_in_change_is_an_aggregate_of_ten_or_more(world):
    home = world["home"]
    experiment = _experiment(home)
    measure = Measure.objects.create(experiment=experiment, kind=Measure.Kind.CHECK_IN_CHANGE)
    people = [factories.person(home, name=f"P{n}") for n in range(12)]
    for person in people:
        _check_in(person, date(2026, 2, 1), 4)
        _check_in(person, date(2026, 3, 1), 5)  # the latest before counts
        _check_in(person, date(2026, 5, 1), 7)
    only_during = factories.person(home, name="Late")
    _check_in(only_during, date(2026, 5, 1), 0)  # no check-in before: left out
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert "Life satisfaction 5 before, 7 during" in result.headline
    row = next(r for r in result.rows if r[0] == "Life satisfaction")
    assert row[1:4] == ["5", "7", "up 2 (better)"]
    assert row[4] == "about 10"  # 12 people, rounded to 5
    anxiety = next(r for r in result.rows if r[0] == "Anxiety")
    assert anxiety[3] == "down 2 (better)"
    happiness = next(r for r in result.rows if r[0] == "Happiness")
    assert happiness[1] == "not shown"  # nobody answered it


def test_check_in_change_shows_nothing_for_fewer_than_ten_people(world):
    home = world["home"]
    experiment = _experiment(home)
    measure = Measure.objects.create(experiment=experiment, kind=Measure.Kind.CHECK_IN_CHANGE)
    for n in range(9):
        person = factories.person(home, name=f"P{n}")
        _check_in(person, date(2026, 3, 1), 2)
        _check_in(person, date(2026, 5, 1), 9)
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert result.headline.startswith("Fewer than 10 people")
    assert all(row[1] == "not shown" for row in result.rows)
    assert result.chart.empty


def test_check_ins_of_another_organisation_are_not_counted(world):
    experiment = _experiment(world["home"])
    measure = Measure.objects.create(experiment=experiment, kind=Measure.Kind.CHECK_IN_CHANGE)
    for n in range(12):
        person = factories.person(world["other"], name=f"P{n}")
        _check_in(person, date(2026, 3, 1), 2)
        _check_in(person, date(2026, 5, 1), 9)
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert result.headline.startswith("Fewer than 10 people")


def _restart(relationship, day, from_state=Relationship.State.PAUSED):
    RelationshipChange.objects.create(
        relationship=relationship,
        at=datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London")),
        from_state=from_state,
        to_state=Relationship.State.WORKING_TOGETHER,
    )


def test_relationships_restarted_are_counted_and_protected(world):
    home = world["home"]
    coach = world["coach"]
    experiment = _experiment(home)
    measure = Measure.objects.create(
        experiment=experiment, kind=Measure.Kind.RELATIONSHIPS_RESTARTED
    )
    for n in range(12):
        person = factories.person(home, coach, name=f"P{n}")
        relationship = person.relationships.get()
        _restart(relationship, date(2026, 5, 1) + timedelta(days=n), Relationship.State.ENDED)
    for n in range(3):
        person = factories.person(home, coach, name=f"B{n}")
        _restart(person.relationships.get(), date(2026, 2, 1) + timedelta(days=n))
    other = factories.person(world["other"], world["other_coach"], name="O")
    _restart(other.relationships.get(), date(2026, 5, 1))  # another organisation's
    paused = factories.person(home, coach, name="Paused")
    RelationshipChange.objects.create(  # paused is not restarted
        relationship=paused.relationships.get(),
        at=datetime(2026, 5, 3, 12, tzinfo=ZoneInfo("UTC")),
        from_state=Relationship.State.WORKING_TOGETHER,
        to_state=Relationship.State.PAUSED,
    )
    (result,) = measures.results(experiment, [measure], [], TODAY)
    assert result.rows[0][2] == "fewer than 10"
    assert result.rows[1][2] == "10"  # 12, rounded to 5
    assert "fewer than 10 before and 10 during" in result.headline


def test_stories_are_counted_before_and_during(world):
    experiment = _experiment(world["home"])
    measure = Measure.objects.create(experiment=experiment, kind=Measure.Kind.STORIES)
    told = [
        Story.objects.create(experiment=experiment, words="x", told_on=date(2026, 3, 1)),
        Story.objects.create(experiment=experiment, words="y", told_on=date(2026, 5, 1)),
        Story.objects.create(experiment=experiment, words="z", told_on=date(2026, 6, 1)),
    ]
    (result,) = measures.results(experiment, [measure], told, TODAY)
    assert result.headline == "1 told before, 2 during."


def test_words_for_lengths_and_rates():
    assert measures.period_words(10) == "10 days"
    assert measures.period_words(42) == "6 weeks"
    assert measures.period_words(91) == "3 months"
    assert measures.rate_words(3.0) == "3 a month"
    assert measures.rate_words(0.52) == "0.5 a month"
    assert measures.rate_words(12.4) == "12 a month"

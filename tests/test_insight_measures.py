"""Measures from Alongside's own data for what good looks like (issue 14, item 5): only the
organisations that share their coaching figures count, a month with fewer than 10 behind it
shows no value, and each measure is one query however many months."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.coaching.models import (
    Barrier,
    CheckIn,
    ErasureRequest,
    Goal,
    Person,
    Relationship,
    RelationshipChange,
)
from alongside.insight import measures
from alongside.insight.measures import MEASURES, last_months

from . import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MONTHS = last_months(date(2026, 6, 15))  # July 2025 to June 2026
JUNE = datetime(2026, 6, 10, 12, tzinfo=LONDON)
MAY = datetime(2026, 5, 10, 12, tzinfo=LONDON)


@pytest.fixture
def w():
    w = factories.world()
    w["home"].shares_coaching_figures_in_area = True
    w["home"].save()
    return w


def _people(org, count):
    return Person.objects.bulk_create(
        [Person(organisation=org, chosen_name=f"P{i}") for i in range(count)]
    )


def _month(points, month):
    return next(p for p in points if p.month == month)


def test_last_months_are_twelve_first_days_oldest_first():
    assert MONTHS[0] == date(2025, 7, 1)
    assert MONTHS[-1] == date(2026, 6, 1)
    assert len(MONTHS) == 12


def test_goals_in_own_words_counts_only_sharing_organisations(w):
    home_people = _people(w["home"], 12)
    other_people = _people(w["other"], 20)
    Goal.objects.bulk_create(
        [
            Goal(
                person=p,
                words="x",
                created_at=JUNE,
                suggested_by=w["coach"] if i >= 9 else None,
            )
            for i, p in enumerate(home_people)
        ]
        # The other organisation does not share: all its goals are coaches' suggestions, and
        # would pull the share down if they counted.
        + [
            Goal(person=p, words="x", created_at=JUNE, suggested_by=w["other_coach"])
            for p in other_people
        ]
        # May: only 5 goals, fewer than 10.
        + [Goal(person=p, words="x", created_at=MAY) for p in home_people[:5]]
    )
    points = measures.goals_own_words(w["area"], MONTHS)
    june = _month(points, date(2026, 6, 1))
    assert june.value == 75.0  # 9 of 12
    assert str(june.n) == "10"  # 12, rounded to 5
    may = _month(points, date(2026, 5, 1))
    assert may.value is None
    assert str(may.n) == "fewer than 10"
    assert len(points) == 12


def test_no_sharing_organisation_gives_no_figure(w):
    w["home"].shares_coaching_figures_in_area = False
    w["home"].save()
    Goal.objects.bulk_create(
        [Goal(person=p, words="x", created_at=JUNE) for p in _people(w["home"], 15)]
    )
    points = measures.goals_own_words(w["area"], MONTHS)
    assert all(p.value is None for p in points)
    measure = MEASURES["goals_own_words"]
    assert "No month yet" in measures.latest_sentence(measure, points)


def test_relationships_restarted_and_erased_records_left_out(w):
    people = _people(w["home"], 12)
    relationships = Relationship.objects.bulk_create(
        [Relationship(person=p, coach=w["coach"], organisation=w["home"]) for p in people]
    )
    RelationshipChange.objects.bulk_create(
        [
            RelationshipChange(
                relationship=r,
                at=JUNE,
                from_state=Relationship.State.PAUSED if i % 2 else Relationship.State.ENDED,
                to_state=Relationship.State.WORKING_TOGETHER,
            )
            for i, r in enumerate(relationships)
        ]
        # Not a restart: getting to know each other, then working together.
        + [
            RelationshipChange(
                relationship=r,
                at=JUNE,
                from_state=Relationship.State.GETTING_TO_KNOW,
                to_state=Relationship.State.WORKING_TOGETHER,
            )
            for r in relationships
        ]
    )
    june = _month(measures.relationships_restarted(w["area"], MONTHS), date(2026, 6, 1))
    assert june.value == 10  # 12 restarts, shown rounded
    # Three people asked for their records to be erased: 9 left, fewer than 10.
    ErasureRequest.objects.bulk_create(
        [
            ErasureRequest(person=p, organisation=w["home"], status=ErasureRequest.Status.DONE)
            for p in people[:3]
        ]
    )
    june = _month(measures.relationships_restarted(w["area"], MONTHS), date(2026, 6, 1))
    assert june.value is None


def test_wellbeing_change_first_to_latest_life_satisfaction(w):
    people = _people(w["home"], 11)
    rows = []
    for p in people:
        rows.append(CheckIn(person=p, taken_on=date(2025, 12, 1), answers={"life_satisfaction": 4}))
        rows.append(CheckIn(person=p, taken_on=date(2026, 3, 1), answers={"worthwhile": 9}))
        rows.append(CheckIn(person=p, taken_on=date(2026, 6, 3), answers={"life_satisfaction": 6}))
    # Only one check-in: no change yet, so not counted.
    for p in _people(w["home"], 5):
        rows.append(CheckIn(person=p, taken_on=date(2026, 6, 3), answers={"life_satisfaction": 0}))
    # The other organisation does not share.
    for p in _people(w["other"], 12):
        rows.append(CheckIn(person=p, taken_on=date(2025, 12, 1), answers={"life_satisfaction": 9}))
        rows.append(CheckIn(person=p, taken_on=date(2026, 6, 3), answers={"life_satisfaction": 1}))
    CheckIn.objects.bulk_create(rows)
    with CaptureQueriesContext(connection) as queries:
        points = measures.wellbeing_change(w["area"], MONTHS)
    assert len(queries) == 1
    june = _month(points, date(2026, 6, 1))
    assert june.value == 2.0
    assert str(june.n) == "10"  # 11 people, rounded
    assert measures.month_sentence(MEASURES["wellbeing_change"], june) == (
        "June 2026: +2.0 points (of about 10 people)."
    )
    # December was nobody's latest check-in.
    assert _month(points, date(2025, 12, 1)).value is None


def test_barriers_answered_share(w):
    people = _people(w["home"], 10)
    responses = ["challenge", "complaint", "advocacy", "another_way", "", "nothing_yet"]
    Barrier.objects.bulk_create(
        [
            Barrier(
                person=p,
                service="Housing",
                what_happened="x",
                response=responses[i % len(responses)],
                created_at=JUNE,
            )
            for i, p in enumerate(people)
        ]
    )
    june = _month(measures.barriers_answered(w["area"], MONTHS), date(2026, 6, 1))
    # i = 0..9: responses 4 and 5 ("" and "nothing yet") at i = 4, 5; the rest answered.
    assert june.value == 80.0


def test_each_measure_is_one_query(w):
    for key, measure in MEASURES.items():
        with CaptureQueriesContext(connection) as queries:
            points = measure.function(w["area"], MONTHS)
        assert len(queries) == 1, key
        assert [p.month for p in points] == MONTHS

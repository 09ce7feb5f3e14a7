"""`core.written.together` reads several person-keyed queries in one round trip to PostgreSQL;
inside its block `person_rows` takes those rows instead of asking again (issue 11). Elsewhere it
does nothing. Either way the rows are the ones each query gives on its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.coaching.models import Goal, GoalStep, Strength
from alongside.coaching.selectors import export
from alongside.core.written import person_rows, together

from .round_trips import round_trips

pytestmark = pytest.mark.django_db

BUILDS = [export._GOALS.build, export._STEPS.build, export._STRENGTHS.build]


@pytest.fixture
def sam(world):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="a place of my own")
    GoalStep.objects.create(goal=goal, words="ring the council")
    Strength.objects.create(person=sam, kind="skill", words="cooking for friends")
    Goal.objects.create(person=world["jo"], words="not Sam's")
    return sam


def _alone(person_id: int) -> list[list[tuple]]:
    return [person_rows(build, person_id) for build in BUILDS]


def test_the_rows_read_together_are_each_querys_own(sam, world):
    alone = _alone(sam.pk)
    assert all(alone), "each query has rows, so the comparison means something"
    with round_trips() as trips:
        with together(BUILDS, sam.pk):
            inside = _alone(sam.pk)
    assert inside == alone
    # One wait for the database on PostgreSQL (one message, or prepared statements in one
    # pipeline); on SQLite nothing to save, each as before.
    assert len(trips) == (1 if connection.vendor == "postgresql" else len(BUILDS))
    # Another person's rows are their own, read together or not.
    with together(BUILDS, world["jo"].pk):
        assert _alone(world["jo"].pk) == [person_rows(b, world["jo"].pk) for b in BUILDS]


def test_rows_read_ahead_are_taken_once_and_forgotten_after(sam):
    with together(BUILDS, sam.pk):
        first = person_rows(export._GOALS.build, sam.pk)
        Goal.objects.create(person=sam, words="written after the rows were read")
        # A second read asks again, so it sees what was written since.
        again = person_rows(export._GOALS.build, sam.pk)
    assert len(again) == len(first) + 1
    with CaptureQueriesContext(connection) as sent:
        person_rows(export._STRENGTHS.build, sam.pk)  # read ahead but never taken: gone
    assert len(sent) == 1


def test_someone_elses_read_ahead_rows_are_never_taken_for_this_person(sam, world):
    with together(BUILDS, world["jo"].pk):
        assert _alone(sam.pk) == [person_rows(b, sam.pk) for b in BUILDS]
        assert person_rows(export._GOALS.build, sam.pk)[0][1] != "not Sam's"

"""The exercise overview and the contributions list run a fixed number of queries, however
many contributions an exercise holds."""

from __future__ import annotations

import pytest

from alongside.listening.building import ContributionFields, build, save_built
from alongside.listening.models import Channel, Contribution
from alongside.listening.services.exercises import exercise_create

pytestmark = pytest.mark.django_db

CHANNELS = [value for value, _ in Channel.choices]
PLACES = ["Oxford Street", "Canal Street", "Market Square", "", "the bus station"]
# Session, user, their person row, memberships, the two-factor check, the exercise, then
# the page's own reads. The overview asks the policy three times (open, work, change: one
# team lookup, remembered for the request), then counts by state and channel (one query) and
# by place, and reads the team. The list asks once, counts, reads one page and writes its
# audit entry. Raise only with a reason.
BUDGETS = {"overview": 10, "list": 10}


def _fill(exercise, listener, count: int) -> None:
    built = [
        build(
            exercise,
            listener,
            ContributionFields(
                channel=CHANNELS[i % len(CHANNELS)],
                place=PLACES[i % len(PLACES)] + (f" {i % 30}" if i % 7 == 0 else ""),
                text=f"Number {i}: ring me on 07700 900{i % 1000:03d}, the hostel was kind.",
            ),
        )
        for i in range(count)
    ]
    save_built(built)


@pytest.fixture
def exercise(world):
    return exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )


def test_the_overview_reads_a_fixed_number_of_queries(
    world, login, exercise, django_assert_max_num_queries
):
    client = login(world["listener"])
    _fill(exercise, world["listener"], 200)
    assert Contribution.objects.count() == 200
    with django_assert_max_num_queries(BUDGETS["overview"]):
        response = client.get(f"/listening/{exercise.pk}/")
    assert response.status_code == 200
    assert "200 contributions" in response.content.decode()


@pytest.mark.parametrize("show", ["waiting", "all"])
def test_the_contributions_list_reads_a_fixed_number_of_queries(
    world, login, exercise, show, django_assert_max_num_queries
):
    client = login(world["listener"])
    _fill(exercise, world["listener"], 200)
    with django_assert_max_num_queries(BUDGETS["list"]):
        response = client.get(f"/listening/{exercise.pk}/contributions/?show={show}")
    assert response.status_code == 200
    assert "200 contributions, page 1 of 4" in response.content.decode()


def test_the_list_of_exercises_does_not_grow_with_contributions(
    world, login, exercise, django_assert_max_num_queries
):
    client = login(world["listener"])
    for n in range(5):
        extra = exercise_create(
            actor=world["listener"], organisation=world["home"], title=f"E{n}", question="Why?"
        )
        _fill(extra, world["listener"], 40)
    with django_assert_max_num_queries(8):
        response = client.get("/listening/")
    assert response.status_code == 200

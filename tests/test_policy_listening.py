"""The policy for listening: who may start an exercise, open it, work in it, read a
contribution, and read the words as they were heard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from alongside.accounts.models import Membership, Role
from alongside.accounts.policy import Action, authorize, can
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Channel
from alongside.listening.services.contributions import ContributionFields, contribution_create
from alongside.listening.services.exercises import exercise_create

from .factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(world):
    home, other = world["home"], world["other"]
    teammate = staff(Role.LISTENER, home)
    exercise = exercise_create(
        actor=world["listener"], organisation=home, title="Voices", question="What's it like?"
    )
    exercise.team.add(teammate)
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text="Words."),
    )
    return {
        **world,
        "exercise": exercise,
        "contribution": contribution,
        "teammate": teammate,
        "listener_not_in_team": staff(Role.LISTENER, home),
        "other_listener": staff(Role.LISTENER, other),
        "person": world["sam"].user,
    }


# (user, action, object, expected)
CASES = [
    # Starting an exercise: a listener or a lead, in their own organisation only.
    ("listener", Action.EXERCISE_CREATE, "home", True),
    ("lead", Action.EXERCISE_CREATE, "home", True),
    ("listener", Action.EXERCISE_CREATE, "other", False),
    ("other_listener", Action.EXERCISE_CREATE, "home", False),
    ("coach", Action.EXERCISE_CREATE, "home", False),
    ("convener", Action.EXERCISE_CREATE, "home", False),
    ("commissioner", Action.EXERCISE_CREATE, "home", False),
    ("person", Action.EXERCISE_CREATE, "home", False),
    # The team works in the exercise; a lead of its organisation sees the overview.
    ("listener", Action.EXERCISE_VIEW, "exercise", True),
    ("teammate", Action.EXERCISE_VIEW, "exercise", True),
    ("lead", Action.EXERCISE_VIEW, "exercise", True),
    ("listener", Action.EXERCISE_WORK, "exercise", True),
    ("teammate", Action.EXERCISE_WORK, "exercise", True),
    ("lead", Action.EXERCISE_WORK, "exercise", False),
    ("teammate", Action.EXERCISE_EDIT, "exercise", True),
    ("lead", Action.EXERCISE_EDIT, "exercise", True),
    ("other_lead", Action.EXERCISE_VIEW, "exercise", False),
    ("other_lead", Action.EXERCISE_EDIT, "exercise", False),
    ("listener_not_in_team", Action.EXERCISE_VIEW, "exercise", False),
    ("listener_not_in_team", Action.EXERCISE_WORK, "exercise", False),
    ("listener_not_in_team", Action.EXERCISE_EDIT, "exercise", False),
    ("other_listener", Action.EXERCISE_VIEW, "exercise", False),
    ("other_listener", Action.EXERCISE_WORK, "exercise", False),
    ("coach", Action.EXERCISE_VIEW, "exercise", False),
    ("convener", Action.EXERCISE_VIEW, "exercise", False),
    ("commissioner", Action.EXERCISE_VIEW, "exercise", False),
    ("assessor", Action.EXERCISE_VIEW, "exercise", False),
    ("person", Action.EXERCISE_VIEW, "exercise", False),
    ("person", Action.EXERCISE_WORK, "exercise", False),
    # The team reads the redacted words; only the listener who heard it reads the original.
    ("listener", Action.CONTRIBUTION_VIEW, "contribution", True),
    ("teammate", Action.CONTRIBUTION_VIEW, "contribution", True),
    ("listener", Action.CONTRIBUTION_ORIGINAL, "contribution", True),
    ("teammate", Action.CONTRIBUTION_ORIGINAL, "contribution", False),
    ("lead", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("lead", Action.CONTRIBUTION_ORIGINAL, "contribution", False),
    ("listener_not_in_team", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("other_listener", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("other_listener", Action.CONTRIBUTION_ORIGINAL, "contribution", False),
    ("coach", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("commissioner", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("person", Action.CONTRIBUTION_VIEW, "contribution", False),
    ("person", Action.CONTRIBUTION_ORIGINAL, "contribution", False),
]


@pytest.mark.parametrize(("user_key", "action", "obj_key", "expected"), CASES)
def test_listening_policy_table(listening, user_key, action, obj_key, expected):
    assert can(listening[user_key], action, listening[obj_key]) is expected


def test_a_coach_added_to_the_team_by_mistake_still_reads_nothing(listening):
    coach = listening["coach"]
    listening["exercise"].team.add(coach)
    assert not can(coach, Action.EXERCISE_WORK, listening["exercise"])
    assert not can(coach, Action.CONTRIBUTION_VIEW, listening["contribution"])


def test_leaving_the_organisation_ends_even_the_original(listening):
    listener = listening["listener"]
    Membership.objects.filter(user=listener).delete()
    listener.__dict__.pop("_alongside_held", None)
    assert not can(listener, Action.CONTRIBUTION_ORIGINAL, listening["contribution"])
    assert not can(listener, Action.EXERCISE_VIEW, listening["exercise"])


def test_taken_off_the_team_means_no_more_original(listening):
    listening["exercise"].team.remove(listening["listener"])
    assert not can(listening["listener"], Action.CONTRIBUTION_ORIGINAL, listening["contribution"])


def test_reading_a_contribution_is_audited_and_a_refusal_too(listening):
    contribution = listening["contribution"]
    request = RequestFactory().get("/")
    request.user = listening["listener"]
    authorize(request, Action.CONTRIBUTION_ORIGINAL, contribution, detail="read: original")
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.object_type, entry.object_id) == ("listening.contribution", str(contribution.pk))
    assert entry.organisation_id == listening["home"].pk

    request.user = listening["other_listener"]
    with pytest.raises(PermissionDenied):
        authorize(request, Action.CONTRIBUTION_VIEW, contribution)
    denied = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert denied.actor_id == listening["other_listener"].pk
    assert denied.detail.startswith("contribution.view")


def test_the_team_is_looked_up_once_a_request_and_afresh_in_the_next(listening):
    """A page asks the policy about one exercise several times (open, work, change): the team
    is read once for the request; a later request sees a change to the team at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.core import request_id

    exercise, listener = listening["exercise"], listening["teammate"]
    _, tokens = request_id.begin()
    try:
        with CaptureQueriesContext(connection) as first:
            assert can(listener, Action.EXERCISE_WORK, exercise)
        with CaptureQueriesContext(connection) as again:
            assert can(listener, Action.EXERCISE_VIEW, exercise)
            assert can(listener, Action.EXERCISE_EDIT, exercise)
        assert len(first.captured_queries) >= 1
        assert len(again.captured_queries) == 0
    finally:
        request_id.end(tokens)
    exercise.team.remove(listener)
    _, tokens = request_id.begin()
    try:
        assert not can(listener, Action.EXERCISE_WORK, exercise)
    finally:
        request_id.end(tokens)

"""The signed-in user is read with their person record in one query written once per
connection (accounts/backends.py, issue 11): the same user, the same person, nothing more asked
when a page looks at `user.person`, and no one for an id nobody has or an account switched off."""

from __future__ import annotations

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.backends import UsernameBackend

pytestmark = pytest.mark.django_db


def _read(user_id):
    backend = UsernameBackend()
    backend.get_user(user_id)  # written once, outside the count
    with CaptureQueriesContext(connection) as asked:
        user = backend.get_user(user_id)
        if user is not None:
            try:
                person = user.person
            except ObjectDoesNotExist:
                person = None
    return user, (person if user is not None else None), len(asked)


def test_a_person_comes_with_their_record_in_one_query(world):
    sam = world["sam"]
    user, person, asked = _read(sam.user.pk)
    assert asked == 1
    assert user == sam.user and user.username == sam.user.username
    assert user.password == sam.user.password  # the session's hash is worked out from it
    assert person == sam and person.chosen_name == sam.chosen_name
    assert person.organisation_id == sam.organisation_id
    assert person.user is user


def test_staff_have_no_person_record_and_asking_costs_nothing(world):
    user, person, asked = _read(world["coach"].pk)
    assert asked == 1 and user == world["coach"] and person is None


def test_nobody_for_an_unknown_id_or_an_account_switched_off(world):
    assert UsernameBackend().get_user(10**9) is None
    coach = world["coach"]
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    assert UsernameBackend().get_user(coach.pk) is None


def test_an_id_of_another_type_is_read_as_django_reads_it(world):
    assert UsernameBackend().get_user(str(world["coach"].pk)) == world["coach"]

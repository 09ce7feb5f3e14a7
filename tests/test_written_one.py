"""`core.written.one`: a row by its primary key with forward foreign keys read in the same
query, written by the ORM once per connection (issue 11). It gives what
`Model.objects.select_related(...).get(pk=...)` gave: the same fields, the related rows cached
(None for a key that names nothing), and None for no row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.core import written
from alongside.listening.models import Exercise

from .factories import area, organisation

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_one_is_what_select_related_gives(world):
    home = world["home"]
    with_area = Exercise.objects.create(
        organisation=home,
        title="Listening <b>&\"'</b>",
        question="What would help?",
        area=area(),
        channels=["street", "online"],
    )
    without = Exercise.objects.create(organisation=organisation(), title="No area", question="?")
    for exercise in (with_area, without):
        expected = Exercise.objects.select_related("area").get(pk=exercise.pk)
        for _ in range(2):  # the second time from the query written the first
            found = written.one(Exercise, exercise.pk, related=("area",))
            assert _fields(found) == _fields(expected)
            assert found._state.adding is False
            with CaptureQueriesContext(connection) as asked:
                found_area = found.area  # cached: no query
            assert len(asked) == 0
            if expected.area is None:
                assert found_area is None
            else:
                assert _fields(found_area) == _fields(expected.area)
    assert written.one(Exercise, without.pk + 1000, related=("area",)) is None
    assert written.one(Exercise, with_area.pk).title == with_area.title  # nothing related

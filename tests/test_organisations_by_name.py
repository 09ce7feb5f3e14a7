"""The organisations a lead manages, read by a query written once (accounts.selectors,
issue 11): the same organisations in the same order as the ORM's query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Area, Organisation
from alongside.accounts.selectors import organisations_by_name

pytestmark = pytest.mark.django_db


def _orm(ids: list[int]) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def test_the_same_organisations_by_name_with_every_field() -> None:
    area = Area.objects.create(name="Testford", slug="testford-o")
    made = [
        Organisation.objects.create(name=name, slug=f"o-{n}", area=area)
        for n, name in enumerate(["Zeta Trust", "Ártha", "alpha", "Zeta Trust", "Beta <b>"])
    ]
    ids = [o.pk for o in made]
    fields = [f.attname for f in Organisation._meta.concrete_fields]
    for chosen in (ids, ids[:1], ids[2:], [ids[3], ids[0], ids[3]]):
        ours, theirs = organisations_by_name(chosen), _orm(chosen)
        assert ours == theirs
        assert [[getattr(o, f) for f in fields] for o in ours] == [
            [getattr(o, f) for f in fields] for o in theirs
        ]
    assert organisations_by_name([]) == []
    assert organisations_by_name([10**9]) == []


def test_written_once_for_each_number_of_ids() -> None:
    area = Area.objects.create(name="Testford", slug="testford-p")
    first = Organisation.objects.create(name="One", slug="one-p", area=area)
    second = Organisation.objects.create(name="Two", slug="two-p", area=area)
    organisations_by_name([first.pk])
    with CaptureQueriesContext(connection) as queries:
        assert organisations_by_name([second.pk]) == [second]
    assert len(queries) == 1

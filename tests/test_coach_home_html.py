"""The homes made cheaper without changing what they count (issue 11): the lead's check-ins
this month are counted by a query the ORM writes once for each month (core.written), not
once for each request. Compared with the query as it was, for two organisations, a check-in
on each side of the month's first day, and two months (two written queries)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count

from alongside.accounts.models import Membership, Role
from alongside.coaching.models import CheckIn
from alongside.home import selectors

from .factories import organisation, person, staff

pytestmark = pytest.mark.django_db


def _as_before(ids: list[int], month_start: datetime.date) -> dict[int, dict[str, int]]:
    rows = (
        CheckIn.objects.filter(person__organisation_id__in=ids, taken_on__gte=month_start)
        .values("person__organisation_id")
        .annotate(n=Count("id"))
    )
    return {row["person__organisation_id"]: {"n": row["n"]} for row in rows}


def _two_organisations(world) -> list[int]:
    second = organisation(area_obj=world["area"])
    Membership.objects.create(user=world["lead"], organisation=second, role=Role.LEAD)
    world["lead"].__dict__.pop("_alongside_held", None)
    coach = staff(Role.COACH, second)
    days = [
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 17),
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 1),
    ]
    for n, org in enumerate([world["home"], second]):
        for i in range(3 + n):
            someone = person(org, coach if n else world["coach"], name=f"Person {n}-{i}")
            for day in days[i % 2 + n :]:
                CheckIn.objects.create(person=someone, taken_on=day)
    return sorted([world["home"].pk, second.pk])


def test_check_ins_this_month_are_what_the_orm_counted(world):
    ids = _two_organisations(world)
    for month_start in (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
        datetime.date(2026, 11, 1),  # written already: the same query again
    ):
        found = selectors._check_ins_since(month_start, ids)
        assert found == _as_before(ids, month_start)
        assert selectors._check_ins_since(month_start, ids[:1]) == _as_before(ids[:1], month_start)
    assert selectors._check_ins_since(datetime.date(2026, 11, 1), ids)[ids[0]]["n"] > 0


def test_the_lead_queue_counts_this_months_check_ins(world):
    ids = _two_organisations(world)
    today = datetime.date(2026, 11, 20)
    queue = selectors.lead_queue(world["lead"], today=today)
    assert queue is not None
    counted = {o["organisation"].pk: o["numbers"]["check_ins"] for o in queue["organisations"]}
    before = _as_before(ids, datetime.date(2026, 11, 1))
    assert {pk: cell.value for pk, cell in counted.items()} == {
        pk: before.get(pk, {}).get("n", 0) for pk in ids
    }

"""`core.queries.AmongFew`: `column IN (subquery)`, written for PostgreSQL as
`= ANY(ARRAY(subquery))` so a few ids are looked up through the index instead of the whole
larger table being hashed (issue 11, ninth pass: a system theme's rows). The rows must be
exactly the ones `__in` gives, on either database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Subquery

from alongside.accounts.models import Area, Organisation
from alongside.coaching.models import Barrier
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.convening.selectors.themes import _rows_queryset, _theme_rows
from alongside.core.queries import AmongFew

from .test_convening_theme_page_html import place, shared

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


def areas_named(names: list[str]) -> Subquery:
    return Subquery(Area.objects.filter(name__in=names).values("pk"))


@pytest.mark.parametrize(
    "names",
    [[], ["North"], ["North", "South"], ["Nowhere"], ["North", "Nowhere", "East"]],
)
def test_the_same_rows_as_in(names: list[str]) -> None:
    for name in ("North", "South", "East", "West"):
        Area.objects.create(name=name, slug=name.lower())
    expected = list(Area.objects.filter(pk__in=areas_named(names)).order_by("pk"))
    found = list(Area.objects.filter(AmongFew(F("pk"), areas_named(names))).order_by("pk"))
    assert found == expected
    assert {area.name for area in found} == set(names) - {"Nowhere"}


def test_it_combines_with_other_conditions_and_negation() -> None:
    for name in ("North", "South", "East"):
        Area.objects.create(name=name, slug=name.lower())
    among = AmongFew(F("pk"), areas_named(["North", "South"]))
    assert list(Area.objects.filter(among, slug="south").values_list("name", flat=True)) == [
        "South"
    ]
    assert list(Area.objects.exclude(among).values_list("name", flat=True)) == ["East"]


def test_written_for_each_database() -> None:
    compiled, _ = (
        Area.objects.filter(AmongFew(F("pk"), areas_named(["North"])))
        .query.get_compiler(using="default")
        .as_sql()
    )
    if ON_POSTGRESQL:
        assert '"accounts_area"."id" = ANY(ARRAY(SELECT' in compiled
    else:
        assert '"accounts_area"."id" IN (SELECT' in compiled


def test_a_system_themes_rows_name_its_barriers_through_it(world: dict[str, Any]) -> None:
    theme = SystemTheme.objects.create(organisation=world["home"], title="Job centre")
    for who in (world["sam"], world["alex"]):
        place(theme, shared(who, "Job centre", f"Said {who.chosen_name}."))
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    compiled, _ = _rows_queryset(theme).query.get_compiler(using="default").as_sql()
    among = (
        '"coaching_barrier"."id" = ANY(ARRAY(SELECT'
        if ON_POSTGRESQL
        else ('"coaching_barrier"."id" IN (SELECT')
    )
    assert among in compiled
    assert len(_theme_rows(theme)) == 2


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's plan")
def test_postgresql_finds_a_themes_few_barriers_by_their_index(world: dict[str, Any]) -> None:
    """Among many shared barriers, the theme's few are found through the primary key's index:
    the barriers table is not read whole (before: a sequential scan of every shared one)."""
    home: Organisation = world["home"]
    Barrier.objects.bulk_create(
        Barrier(
            person=world["sam"],
            organisation=home,
            service="Job centre",
            what_happened=f"Barrier {n}",
            share_with_convening=True,
        )
        for n in range(1500)
    )
    # As the bench's area: four themes of a hundred barriers each among 1,500 shared ones.
    barriers = list(Barrier.objects.order_by("?")[:400])
    themes = [SystemTheme.objects.create(organisation=home, title=f"Theme {n}") for n in range(4)]
    BarrierPlacement.objects.bulk_create(
        BarrierPlacement(theme=themes[n % 4], barrier=barrier, organisation=home)
        for n, barrier in enumerate(barriers)
    )
    theme = SystemTheme.objects.select_related("organisation").get(pk=themes[0].pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coaching_barrier")
        cursor.execute("ANALYZE convening_barrierplacement")
    compiled, params = _rows_queryset(theme).query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {compiled}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "coaching_barrier_pkey" in plan, plan
    assert "Seq Scan on coaching_barrier" not in plan, plan
    assert len(_theme_rows(theme)) == 100

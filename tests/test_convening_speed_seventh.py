"""A system theme's rows, read with less work for PostgreSQL (issue 11): from the usable
barriers joined to their placements in the theme (the barrier, its person and organisation
joined once), with the theme named through a subquery so the prepared statement is planned
once per connection, not on every request. The rows must be the ones the placement-side
query read before, in the same order, consent and sharing applied."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from alongside.accounts.models import Area
from alongside.coaching.models import Barrier
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.convening.selectors.evidence import theme_barriers
from alongside.convening.selectors.themes import _rows_queryset, _theme_rows
from alongside.core.words import LONDON

from .test_convening_theme_page_html import busy_theme, place, shared

pytestmark = pytest.mark.django_db


def placement_side(theme: SystemTheme) -> QuerySet[Any]:
    """The query the theme's page ran before: placements whose barrier is among the usable."""
    return (
        BarrierPlacement.objects.filter(
            theme_id=theme.pk, barrier__in=Subquery(theme_barriers(theme=theme).values("pk"))
        )
        .order_by(F("barrier__happened_on").desc(nulls_last=True), "-barrier__created_at", "-pk")
        .values_list(
            "pk",
            "by_convener",
            "closeness",
            "barrier_id",
            "barrier__service",
            "barrier__what_happened",
            "barrier__response",
            "barrier__outcome",
            "barrier__happened_on",
            # The barrier's day (`barrier_day`), as the page reads it since issue 11's eighth pass.
            Coalesce("barrier__happened_on", TruncDate("barrier__created_at", tzinfo=LONDON)),
            "barrier__person__chosen_name",
            "barrier__person__organisation_id",
            "barrier__person__organisation__name",
        )
    )


def themes(world: dict[str, Any]) -> list[SystemTheme]:
    """A theme across the area, one of our own, one whose organisation has since moved area,
    and an empty one; some consent withdrawn, some barriers of a sharing organisation."""
    across = busy_theme(world)
    ours = SystemTheme.objects.create(organisation=world["home"], title="Ours")
    moved = SystemTheme.objects.create(
        organisation=world["home"],
        title="Moved",
        area=Area.objects.create(name="Elsewhere", slug="elsewhere"),
    )
    empty = SystemTheme.objects.create(organisation=world["home"], title="Empty")
    for theme in (ours, moved):
        for who in (world["sam"], world["alex"], world["jo"]):
            place(theme, shared(who, "Job centre", f"{theme.title}, said {who.chosen_name}."))
    withdrawn = across.placements.filter(barrier__person__organisation=world["home"]).first()
    assert withdrawn is not None
    Barrier.objects.filter(pk=withdrawn.barrier_id).update(share_with_convening=False)
    return [
        SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
        for theme in (across, ours, moved, empty)
    ]


def test_the_rows_are_the_placement_side_querys_in_its_order(world):
    for theme in themes(world):
        expected = list(placement_side(theme))
        assert list(_rows_queryset(theme)) == expected, theme.title
        # Written once per connection, then run again with the real ids.
        assert _theme_rows(theme) == expected, theme.title
        assert _theme_rows(theme) == expected, theme.title


def test_one_row_a_placement_and_only_the_themes_own(world):
    across, ours, *_ = themes(world)
    rows = _theme_rows(across)
    placements = [row[0] for row in rows]
    assert len(placements) == len(set(placements))
    assert set(placements) <= set(across.placements.values_list("pk", flat=True))
    assert not set(placements) & set(ours.placements.values_list("pk", flat=True))


def test_the_barrier_and_its_people_are_joined_once_and_the_theme_named_by_a_subquery():
    from alongside.accounts.models import Organisation

    for area_id in (None, 3):
        theme = SystemTheme(pk=1, area_id=area_id, organisation=Organisation(pk=2, area_id=area_id))
        sql = str(_rows_queryset(theme).query)
        # Before, the consent check joined its own copy of the barrier (V0) and its person.
        # The person is joined once, for the name redaction takes out; the organisation is
        # the barrier's own (issue 11, eighth pass).
        assert 'FROM "coaching_barrier" INNER JOIN "accounts_organisation"' in sql
        assert 'INNER JOIN "coaching_barrier"' not in sql
        assert sql.count('JOIN "coaching_person"') == 1
        assert '("coaching_barrier"."organisation_id" = "accounts_organisation"."id")' in sql
        assert '"theme_id" = (SELECT' in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan cache")
def test_postgresql_plans_the_rows_query_once_per_connection(world):
    """Prepared (settings: PG_PREPARE_THRESHOLD), the statement settles on one plan for the
    connection instead of being planned again on every request."""
    theme = themes(world)[0]
    for _ in range(8):
        _theme_rows(theme)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%FROM "coaching_barrier"%"theme_id" = (SELECT%'],
        )
        found = cursor.fetchall()
    assert found, "the rows query was not prepared"
    assert any(generic > 0 for generic, _custom in found)

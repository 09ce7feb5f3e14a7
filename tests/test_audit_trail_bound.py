"""The audit trail's branches after the first read only rows as new as the page's oldest so
far (home/audit/selectors.py `_bound`, issue 11): the page is still exactly the organisation's
newest rows, worked out here the long way on a log where the three ways a row can be the
organisation's are interleaved in time, with another organisation's rows between them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alongside.accounts.models import Membership
from alongside.coaching.models import Person
from alongside.core.models import AuditAction, AuditEntry
from alongside.home.audit import selectors

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _log(world: dict[str, Any]) -> None:
    home, other = world["home"], world["other"]
    ours, theirs = world["sam"], world["jo"]
    staff = [world["coach"], world["lead"]]
    outsiders = [world["other_coach"], world["other_lead"]]
    rng = random.Random(11)
    kinds = ["org", "person only", "person, another org", "staff", "theirs", "their staff"]
    rows = []
    for n in range(240):
        kind = rng.choice(kinds)
        # Some rows share a moment, so ties between branches are tested too.
        at = START + timedelta(minutes=n // 3 if n % 5 else n // 3 - 1)
        action = rng.choice([AuditAction.VIEW, AuditAction.DENIED, AuditAction.CHANGE])
        values: dict[str, Any] = {"at": at, "action": action, "detail": kind}
        if kind == "org":
            values |= {"actor": rng.choice(staff), "organisation_id": home.pk}
        elif kind == "person only":  # part of a record: names the person, not the org
            values |= {"actor": rng.choice(staff), "person_id": ours.pk}
        elif kind == "person, another org":
            values |= {"actor": rng.choice(outsiders), "person_id": ours.pk,
                       "organisation_id": other.pk}  # fmt: skip
        elif kind == "staff":  # names no record at all
            values |= {"actor": rng.choice(staff), "action": rng.choice(
                [AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED, AuditAction.DENIED])}  # fmt: skip
        elif kind == "theirs":
            values |= {"actor": rng.choice(outsiders), "person_id": theirs.pk,
                       "organisation_id": other.pk}  # fmt: skip
        else:
            values |= {"actor": rng.choice(outsiders), "action": AuditAction.SIGN_IN}
        rows.append(AuditEntry(**values))
    AuditEntry.objects.bulk_create(rows)


def _the_long_way(world: dict[str, Any], filters: selectors.Filters) -> list[int]:
    """Every row of the organisation's (the module docstring's rule) passing the filters,
    newest first, by id."""
    home = world["home"]
    people = set(Person.objects.filter(organisation=home).values_list("pk", flat=True))
    staff = set(Membership.objects.filter(organisation=home).values_list("user_id", flat=True))
    found = []
    for e in AuditEntry.objects.all():
        ours = (
            e.organisation_id == home.pk
            or e.person_id in people
            or (e.organisation_id is None and e.person_id is None and e.actor_id in staff)
        )
        if not ours:
            continue
        if filters.actor_id is not None and e.actor_id != filters.actor_id:
            continue
        if filters.actions and e.action not in filters.actions:
            continue
        found.append(e)
    found.sort(key=lambda e: (e.at, e.id), reverse=True)
    return [e.id for e in found]


@pytest.mark.parametrize("kind", ["", "stopped", "sign-in", "read"])
def test_each_page_is_the_organisations_newest_rows(world: dict[str, Any], kind: str) -> None:
    _log(world)
    home = world["home"]
    actions = {key: acts for key, _label, acts in selectors.phrasing.KINDS}
    for actor_id in (None, world["coach"].pk):
        filters = selectors.Filters(actor_id=actor_id, actions=actions.get(kind, ()))
        truth = _the_long_way(world, filters)
        for limit in (1, 2, 7, 51, 500):
            orm = selectors._newest(selectors.trail(home, filters), limit)
            assert [e[0] for e in orm] == truth[:limit]
            assert selectors._newest_written(home, filters, limit) == orm
        # And a page further on, after the seventh row.
        if len(truth) > 7:
            place = selectors._place(next(e for e in orm if e[0] == truth[6]))
            older = selectors._newest(selectors.trail(home, filters), 7, older_than=place)
            assert [e[0] for e in older] == truth[7:14]


def test_the_bound_is_the_limit_th_newest_found() -> None:
    at = START
    found = {i: (i, at + timedelta(minutes=i % 4), None, "", "", None, "", "") for i in range(9)}
    assert selectors._bound(found, 10) is None
    # (at, id) newest first: minute 3 holds 3 and 7, minute 2 holds 2, 6, so the 4th is 2.
    assert selectors._bound(found, 4) == 2


def test_staff_rows_of_a_kind_are_read_from_their_own_index(world: dict[str, Any]) -> None:
    """What staff did that names no record, of one kind (failed sign-ins), is read from the
    partial index of such rows: before it, SQLite walked every row naming no person, the
    organisation's own page views included (and PostgreSQL did too, given its statistics)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's choice depends on its statistics of the table")
    _log(world)
    filters = selectors.Filters(actions=(AuditAction.SIGN_IN_FAILED,))
    (branch,) = selectors.trail(world["home"], filters)
    query = selectors._entries(branch.order_by("-at", "-id"))[:51].query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "core_audit_no_record_kind_idx" in plan

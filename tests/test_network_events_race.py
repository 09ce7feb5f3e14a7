"""Two people signing up for the last place at once never both get it.

The sign-up locks the event's row (`select_for_update`) inside its transaction, so the second
waits for the first and then counts its place. On every database the first test proves the
lock is asked for inside the transaction that gives the place; on PostgreSQL the second runs
two sign-ups in two threads, each with its own connection, released at the same moment."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.network.models import Event, EventPlace
from alongside.network.services import events as services

from . import factories


def _last_place_event(network) -> Event:
    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        network=network,
        title="Small circle",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        online=True,
        capacity=1,
    )


@pytest.mark.django_db
def test_sign_up_locks_the_event_row_inside_its_transaction(world, monkeypatch):
    event = _last_place_event(world["network"])
    member = factories.staff(Role.COACH, world["home"])
    seen: list[tuple[bool, int]] = []
    real = Event.objects.select_for_update

    def watching(*args, **kwargs):
        # Atomic depth as the lock is asked for: the test's own transaction plus the service's.
        seen.append((connection.in_atomic_block, len(connection.savepoint_ids)))
        return real(*args, **kwargs)

    monkeypatch.setattr(Event.objects, "select_for_update", watching)
    outer = len(connection.savepoint_ids)
    services.sign_up(actor=member, event=event)
    assert seen, "sign-up must lock the event row"
    in_block, depth = seen[0]
    assert in_block and depth > outer  # inside the service's own (nested) transaction
    assert EventPlace.objects.get().status == EventPlace.Status.BOOKED


@pytest.mark.django_db
def test_the_lock_query_is_for_update_where_the_database_has_one(world):
    from django.test.utils import CaptureQueriesContext

    event = _last_place_event(world["network"])
    member = factories.staff(Role.COACH, world["home"])
    with CaptureQueriesContext(connection) as queries:
        services.sign_up(actor=member, event=event)
    if connection.features.has_select_for_update:
        assert any(
            "FOR UPDATE" in q["sql"] and "network_event" in q["sql"]
            for q in queries.captured_queries
        )
    else:
        # SQLite: its IMMEDIATE transactions (settings) let one writer in at a time instead.
        assert transaction.get_connection().vendor == "sqlite"


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_for_the_last_place_at_once_never_both_get_it(audit_log_flushable):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: concurrent connections and row locks "
            f"(this run uses {connection.vendor}; CI runs the suite on both)"
        )
    from alongside.accounts.models import Organisation

    network = factories.organisation(Organisation.Kind.NETWORK)
    member_org = factories.organisation()
    member_org.networks.add(network)
    event = _last_place_event(network)
    people = [factories.staff(Role.COACH, member_org) for _ in range(2)]

    start = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def sign_up(user_id: int) -> None:
        try:
            from alongside.accounts.models import User

            user = User.objects.get(pk=user_id)
            mine = Event.objects.select_related("network").get(pk=event.pk)
            start.wait(timeout=10)
            place = services.sign_up(actor=user, event=mine)
            with lock:
                results.append(place.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p.pk,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["booked", "waiting"], results
    assert EventPlace.objects.filter(status=EventPlace.Status.BOOKED).count() == 1

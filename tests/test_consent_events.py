"""Consent is a history of choices: each one appended, none changed or removed."""

import pytest
from django.db import DatabaseError, connection, transaction

from alongside.coaching.models import ConsentEvent
from alongside.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_a_choice_cannot_be_edited_or_deleted(world):
    event = ConsentEvent.objects.create(
        person=world["sam"], choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
    )
    event.given = False
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(given=False)
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).delete()
    assert ConsentEvent.objects.get(pk=event.pk).given is True


def test_withdrawing_is_a_new_event(world):
    sam = world["sam"]
    ConsentEvent.objects.create(person=sam, choice="share_barriers", given=True)
    ConsentEvent.objects.create(person=sam, choice="share_barriers", given=False)
    latest = ConsentEvent.objects.filter(person=sam, choice="share_barriers").last()
    assert latest.given is False
    assert ConsentEvent.objects.filter(person=sam).count() == 2


def test_raw_sql_update_and_delete_are_refused_by_the_database(world):
    """Coaching migration 0004: the same triggers as the audit log (core 0002)."""
    event = ConsentEvent.objects.create(
        person=world["sam"], choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
    )
    table = ConsentEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET given = NOT given",  # noqa: S608
        f"UPDATE {table} SET details = '{{}}', scope = 'x'",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
        f"DELETE FROM {table} WHERE id = {event.pk}",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"TRUNCATE {table}")
    kept = ConsentEvent.objects.get(pk=event.pk)
    assert (kept.given, kept.scope, kept.details) == (True, "", {})

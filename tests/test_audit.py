"""The audit log is append-only: no code path and no SQL can change or remove a row."""

import pytest
from django.db import DatabaseError, connection, transaction

from alongside.core.audit import record
from alongside.core.models import AppendOnlyError, AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    return record(world["coach"], AuditAction.VIEW, world["sam"], detail="record")


def test_entry_records_who_when_what_and_whose(entry, world):
    assert entry.actor_id == world["coach"].pk
    assert entry.object_type == "coaching.person"
    assert entry.object_id == str(world["sam"].pk)
    assert entry.person_id == world["sam"].pk
    assert entry.organisation_id == world["home"].pk
    assert entry.at.utcoffset().total_seconds() == 0  # stored and returned in UTC


def test_model_save_of_an_existing_row_is_refused(entry):
    entry.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_model_delete_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_raw_sql_update_and_delete_are_refused_by_the_database(entry):
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'x'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).detail == "record"


def test_deleting_the_person_keeps_the_trail(entry, world):
    world["sam"].delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_no_admin_or_url_offers_to_change_audit_rows():
    from django.urls import get_resolver

    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("admin" in p for p in patterns)

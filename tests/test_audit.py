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


def test_the_row_written_is_the_entry_returned(world):
    """`record` writes its INSERT itself (issue 11): the row in the database is the entry it
    hands back, field for field, as the ORM's create() would have written and returned it."""
    from django.utils import timezone

    before = timezone.now()
    written = record(
        world["coach"], AuditAction.CHANGE, world["sam"], detail="x" * 250, organisation_id=7
    )
    stored = AuditEntry.objects.get(pk=written.pk)
    fields = [f.attname for f in AuditEntry._meta.concrete_fields]
    assert {f: getattr(written, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert stored.action == AuditAction.CHANGE and stored.organisation_id == 7
    assert len(stored.detail) == 200  # cut, as before
    assert before <= stored.at <= timezone.now()
    assert not written._state.adding  # a saved row: changing it is refused, as for any other
    anonymous = record(None, AuditAction.DENIED, None, detail="sign-in failed")
    assert AuditEntry.objects.filter(pk=anonymous.pk, actor_id=None, object_type="").exists()

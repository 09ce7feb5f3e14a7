"""A restore must not bring back a record erased since the backup was made.

`manage.py restore` reads the approved erasures of the database it replaces before changing
anything (`core.backup.keep_through_restore`, registered by coaching), and once the restored
copy has been checked, erases again each record it holds as it was before its erasure. The
person is matched by record number and the moment the record was made, never the number alone.
Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from alongside.accounts.models import User
from alongside.coaching.models import ErasureRequest, Goal, Person
from alongside.coaching.services.erasure import ERASED_NAME, erasure_approve, erasure_ask
from alongside.core import backup
from alongside.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

AGAIN = "record erased again after a restore"


@pytest.fixture
def site(world: dict[str, Any], tmp_path: Path, settings: Any, audit_log_flushable: None) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    Goal.objects.create(person=world["sam"], words="Get my own flat", why_it_matters="Safe")
    Goal.objects.create(person=world["alex"], words="Back to college", why_it_matters="Me")
    return world


def back_up(tmp_path: Path) -> Path:
    call_command("backup", output_dir=tmp_path / "backups", verbosity=0)
    (archive,) = (tmp_path / "backups").iterdir()
    return archive


def restore(archive: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out, verbosity=0, **options)
    return out.getvalue()


def erase(world: dict[str, Any], person: Person) -> ErasureRequest:
    request = erasure_ask(actor=person.user, person=person)
    return erasure_approve(actor=world["lead"], request=request)


def is_erased(person: Person) -> bool:
    person = Person.objects.get(pk=person.pk)
    return (
        person.chosen_name == ERASED_NAME
        and person.user_id is None
        and not person.goals.exclude(words="").exists()
    )


def test_a_record_erased_after_the_backup_stays_erased(site, tmp_path):
    sam, alex = site["sam"], site["alex"]
    sam_user = sam.user_id
    archive = back_up(tmp_path)
    decided = erase(site, sam)

    said = restore(archive)

    assert "Erased again 1 record whose erasure was approved after this backup" in said
    assert "Sam" not in said
    assert is_erased(sam)
    assert not is_erased(alex) and Person.objects.get(pk=alex.pk).chosen_name == alex.chosen_name
    user = User.objects.get(pk=sam_user)
    assert not user.is_active and not user.has_usable_password()
    (request,) = ErasureRequest.objects.filter(person=sam)
    assert request.status == ErasureRequest.Status.DONE
    assert request.decided_at == decided.decided_at and request.asked_at == decided.asked_at
    entry = AuditEntry.objects.get(detail=AGAIN)
    assert entry.person_id == sam.pk and entry.actor_id is None


def test_restoring_again_keeps_it_erased_and_says_so(site, tmp_path):
    archive = back_up(tmp_path)
    erase(site, site["sam"])
    restore(archive)
    assert "Erased again 1 record" in restore(archive)
    assert is_erased(site["sam"])
    assert ErasureRequest.objects.filter(person=site["sam"]).count() == 1


def test_an_erasure_asked_before_the_backup_and_approved_after_is_done_once(site, tmp_path):
    sam = site["sam"]
    asked = erasure_ask(actor=sam.user, person=sam)
    archive = back_up(tmp_path)
    erasure_approve(actor=site["lead"], request=asked)

    restore(archive)

    (request,) = ErasureRequest.objects.filter(person=sam)
    assert request.pk == asked.pk and request.status == ErasureRequest.Status.DONE
    assert is_erased(sam)


def test_an_erasure_in_the_backup_needs_nothing_done_again(site, tmp_path):
    erase(site, site["sam"])
    archive = back_up(tmp_path)
    said = restore(archive)
    assert "Erased again" not in said
    assert is_erased(site["sam"])
    assert not AuditEntry.objects.filter(detail=AGAIN).exists()


def test_a_record_made_after_the_backup_is_simply_gone(site, tmp_path):
    archive = back_up(tmp_path)
    newcomer = Person.objects.create(organisation=site["home"], chosen_name="Newcomer")
    ErasureRequest.objects.create(
        person=newcomer, organisation=site["home"], status=ErasureRequest.Status.DONE
    )
    said = restore(archive)
    assert "Erased again" not in said
    assert not Person.objects.filter(pk=newcomer.pk).exists()


def test_a_stranger_with_the_same_number_is_never_erased(site, tmp_path):
    """The replaced database's person numbered like Sam is not Sam (made at another moment),
    as when a backup of another site is restored over this one."""
    sam = site["sam"]
    archive = back_up(tmp_path)
    erase(site, sam)
    stranger = Person.objects.get(pk=sam.pk)
    Person.objects.filter(pk=sam.pk).update(created_at=stranger.created_at.replace(year=2001))

    said = restore(archive)

    assert "Erased again" not in said
    assert Person.objects.get(pk=sam.pk).chosen_name == sam.chosen_name


def test_an_older_backup_is_migrated_first_when_an_erasure_waits(site, tmp_path, monkeypatch):
    """The restored database needs this code's tables before a record can be erased in it."""
    archive = back_up(tmp_path)
    erase(site, site["sam"])
    monkeypatch.setattr(backup, "_check_migrations", lambda manifest: 3)
    migrated: list[tuple[Any, ...]] = []
    monkeypatch.setattr(backup, "call_command", lambda *args, **kw: migrated.append(args))

    summary = backup.restore_backup(archive, replace=True)

    assert migrated == [("migrate",)]
    assert summary.migrations_to_apply == 0
    assert is_erased(site["sam"])


def test_with_nothing_to_erase_again_an_older_backup_is_left_to_the_operator(
    site, tmp_path, monkeypatch
):
    archive = back_up(tmp_path)
    monkeypatch.setattr(backup, "_check_migrations", lambda manifest: 3)
    migrated: list[tuple[Any, ...]] = []
    monkeypatch.setattr(backup, "call_command", lambda *args, **kw: migrated.append(args))
    summary = backup.restore_backup(archive, replace=True)
    assert migrated == []
    assert summary.migrations_to_apply == 3 and summary.kept == []


def test_a_failure_to_erase_again_is_loud(site, tmp_path, monkeypatch):
    archive = back_up(tmp_path)
    erase(site, site["sam"])

    def broken(done: list[Any]) -> str:
        raise RuntimeError("the disk is full.")

    monkeypatch.setitem(
        backup._KEPT,
        "erasures",
        backup.KeptThroughRestore("erasures", backup._KEPT["erasures"].read, broken),
    )
    with pytest.raises(backup.BackupError, match="keeping the replaced database's erasures failed"):
        backup.restore_backup(archive, replace=True)

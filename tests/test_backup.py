"""`manage.py backup` and `manage.py restore` (alongside.core.backup).

The round trip is the contract: back up a seeded site, change and delete rows and files,
restore, and every table (every row, the sequences and the append-only triggers) and every
uploaded file must be exactly as it was. Runs on SQLite and, with DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import stat
import tarfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from alongside.accounts.models import Area, Membership, Organisation, User
from alongside.core import audit, backup
from alongside.core.models import AuditAction, AuditEntry
from alongside.demo.seed import seed_demo

from . import factories

ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
# Names that must never reach the terminal: a demo person's, and an uploaded file's.
PRIVATE_FILE = "receipts/2026/03/résumé of Sam Okafor.png"

transactional = pytest.mark.django_db(transaction=True)


# --- helpers ---------------------------------------------------------------------------------


def every_table() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, plus the sequences and triggers, in a comparable form."""
    quote = connection.ops.quote_name
    found: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            tables.append("sqlite_sequence")  # the next id of every table
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            found[table] = sorted(cursor.fetchall(), key=repr)
        if connection.vendor == "sqlite":  # the schema, triggers included
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            found["<schema>"] = sorted(cursor.fetchall(), key=repr)
        else:
            cursor.execute(
                "SELECT event_object_table, trigger_name, event_manipulation "
                "FROM information_schema.triggers"
            )
            found["<triggers>"] = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            )
            found["<sequences>"] = sorted(cursor.fetchall(), key=repr)
    return found


def every_file(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_uploads(root: Path) -> None:
    files = {
        "receipts/2026/01/receipt-1.pdf": b"%PDF-1.4 a receipt\n" * 50,
        "receipts/2026/02/receipt-2.jpg": bytes(range(256)) * 40,
        "receipts/2026/02/empty.png": b"",
        PRIVATE_FILE: b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 1000,
        "checkins/instrument.json": json.dumps({"key": "calm"}).encode(),
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def change_everything(root: Path) -> None:
    """What happens to a site after its backup: edits, deletions, new rows and files."""
    User.objects.update(first_name="changed")
    Membership.objects.filter(pk=Membership.objects.order_by("pk").values("pk")[:1]).delete()
    factories.world()
    audit.record(None, AuditAction.CHANGE, detail="after the backup")  # append-only, yet undone
    (root / "receipts/2026/01/receipt-1.pdf").write_bytes(b"overwritten")
    (root / "receipts/2026/02/receipt-2.jpg").unlink()
    (root / "receipts/new.pdf").write_bytes(b"uploaded after the backup")


def run(name: str, *args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


def rewrite(archive: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Rewrite an archive member by member; `change` returns new bytes, or None to drop one."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            new = change(member.name, data)
            if new is not None:
                member.size = len(new)
                tar.addfile(member, io.BytesIO(new))


@pytest.fixture
def site(tmp_path: Path, settings: Any, audit_log_flushable: None) -> Path:
    """A small seeded site with uploads in a MEDIA_ROOT of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo(people=12)
    write_uploads(settings.MEDIA_ROOT)
    return settings.MEDIA_ROOT


def backed_up(tmp_path: Path) -> Path:
    run("backup", output_dir=tmp_path / "backups", verbosity=0)
    (archive,) = (tmp_path / "backups").iterdir()
    return archive


# --- the round trip --------------------------------------------------------------------------


@transactional
def test_round_trip_brings_back_every_table_and_file(site: Path, tmp_path: Path) -> None:
    tables, files = every_table(), every_file(site)
    assert sum(len(rows) for rows in tables.values()) > 500
    assert len(files) == 5

    said = run("backup", output_dir=tmp_path / "backups")

    (archive,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"alongside-backup-\d{4}-\d\d-\d\dT\d{4}Z\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = set(tar.getnames())
    engine = "postgresql" if ON_POSTGRESQL else "sqlite"
    assert manifest["engine"] == engine
    assert {backup.DATABASE_FILES[engine], "manifest.json"} <= names
    assert {f"media/{name}" for name in files} <= names
    assert {item["path"]: item["sha256"] for item in manifest["media"]} == {
        name: hashlib.sha256(data).hexdigest() for name, data in files.items()
    }
    assert manifest["tables"] == {table: len(tables[table]) for table in manifest["tables"]}
    assert ["core", "0001_initial"] in manifest["migrations"]

    change_everything(site)
    assert every_table() != tables
    assert every_file(site) != files

    said += run("restore", str(archive), yes=True)

    assert every_table() == tables
    assert every_file(site) == files
    rows = sum(manifest["tables"].values())
    assert f"Restored {rows:,} rows in {len(manifest['tables'])} tables and 5 files" in said
    assert "migrate" not in said  # the backup is of this version: nothing left to apply
    # Plain progress, and nothing personal: no file names, no people.
    assert "résumé" not in said and "Sam" not in said and "Okafor" not in said
    # The site works on the restored data: new rows get new ids, the audit stays append-only.
    audit.record(None, AuditAction.CHANGE, detail="after the restore")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}")  # noqa: S608


@transactional
def test_restore_into_an_empty_site_needs_no_yes(
    tmp_path: Path, settings: Any, audit_log_flushable: None
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    empty_tables = every_table()
    run("backup", output=tmp_path / "empty.tar", verbosity=0)  # .tar: uncompressed
    seed_demo(people=12)
    write_uploads(settings.MEDIA_ROOT)
    seeded_tables, seeded_files = every_table(), every_file(settings.MEDIA_ROOT)
    run("backup", output=tmp_path / "seeded.tar.gz", verbosity=0)

    # Restoring the empty backup (with --yes: there is data) leaves a site with nothing in it...
    run("restore", str(tmp_path / "empty.tar"), yes=True, verbosity=0)
    assert every_table() == empty_tables
    assert every_file(settings.MEDIA_ROOT) == {}
    # ...and a site like that, a new server, takes a backup without being asked.
    run("restore", str(tmp_path / "seeded.tar.gz"), verbosity=0)
    assert every_table() == seeded_tables
    assert every_file(settings.MEDIA_ROOT) == seeded_files


# --- refusals: each one changes nothing ------------------------------------------------------


@transactional
def test_restore_refuses_without_yes_when_the_site_holds_data(site: Path, tmp_path: Path) -> None:
    archive = backed_up(tmp_path)
    change_everything(site)
    tables, files = every_table(), every_file(site)

    with pytest.raises(CommandError) as refused:
        run("restore", str(archive))

    message = str(refused.value)
    assert "already holds" in message and "--yes" in message and "Nothing was changed" in message
    assert "files" in message and "rows" in message
    assert every_table() == tables
    assert every_file(site) == files


def _wrong_engine(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["engine"] = "sqlite" if ON_POSTGRESQL else "postgresql"
    return json.dumps(manifest).encode()


def _flip_a_byte(wanted: Callable[[str], bool]) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if not wanted(name) or not data:
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    return change


def _newer_format(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    return json.dumps({**json.loads(data), "format_version": 99}).encode()


def _newer_migration(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["migrations"].append(["core", "9999_from_the_future"])
    return json.dumps(manifest).encode()


def _truncate(archive: Path) -> None:
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])


BROKEN = {
    "truncated": (_truncate, "damaged or incomplete"),
    "not a backup": (lambda archive: archive.write_bytes(b"hello"), "damaged or incomplete"),
    "no manifest": (
        lambda archive: rewrite(archive, lambda n, d: None if n == "manifest.json" else d),
        "no manifest",
    ),
    "wrong engine": (
        lambda archive: rewrite(archive, _wrong_engine),
        "PostgreSQL database, but this site is configured for SQLite"
        if not ON_POSTGRESQL
        else "SQLite database, but this site is configured for PostgreSQL",
    ),
    "newer format": (lambda archive: rewrite(archive, _newer_format), "format version 99"),
    "newer migrations": (lambda archive: rewrite(archive, _newer_migration), "newer version"),
    "a file changed": (
        lambda archive: rewrite(archive, _flip_a_byte(lambda n: n.startswith("media/"))),
        "an uploaded file does not match its checksum",
    ),
    "database changed": (
        lambda archive: rewrite(archive, _flip_a_byte(lambda n: n.startswith("database."))),
        "does not match its checksum",
    ),
    "a file missing": (
        lambda archive: rewrite(archive, lambda n, d: None if n.startswith("media/") else d),
        "an uploaded file is missing",
    ),
}


@transactional
@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_bad_archive_is_refused_and_changes_nothing(
    broken: str, site: Path, tmp_path: Path
) -> None:
    archive = backed_up(tmp_path)
    change_everything(site)
    tables, files = every_table(), every_file(site)
    damage, expected = BROKEN[broken]
    damage(archive)

    with pytest.raises(CommandError) as refused:
        run("restore", str(archive), yes=True)

    assert expected in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert "résumé" not in str(refused.value)
    assert every_table() == tables
    assert every_file(site) == files


def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(backup.BackupError, match="There is no backup file"):
        backup._unpack(tmp_path / "nothing.tar.gz", tmp_path, "sqlite", backup._quiet)


def test_a_manifest_cannot_write_outside_the_uploads_folder() -> None:
    for name in ("../settings.py", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(backup.BackupError, match="outside the uploads folder"):
            backup._safe_relative(name)


# --- consistency while the site writes -------------------------------------------------------


def test_sqlite_copy_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    """Each write adds one row to each of two tables in one transaction: a consistent copy
    always has as many rows in one as in the other, however the copy and the writes interleave."""
    live = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, words TEXT)")
    setup.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, words TEXT)")
    setup.executemany("INSERT INTO a (words) VALUES (?)", [("x" * 500,)] * 5000)
    setup.executemany("INSERT INTO b (words) VALUES (?)", [("x" * 500,)] * 5000)
    setup.commit()
    setup.close()
    stop = threading.Event()
    writes = []

    def write() -> None:
        writer = sqlite3.connect(live, timeout=20)
        while not stop.is_set():
            with writer:
                writer.execute("INSERT INTO a (words) VALUES ('y')")
                writer.execute("INSERT INTO b (words) VALUES ('y')")
            writes.append(1)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = []
        for n in range(5):
            while len(writes) < 20 * (n + 1):
                time.sleep(0.001)
            source = sqlite3.connect(live, timeout=20)
            copy = tmp_path / f"copy-{n}.sqlite3"
            backup.copy_sqlite(source, copy)
            source.close()
            check = sqlite3.connect(copy)
            a, b = (check.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in "ab")  # noqa: S608
            assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            check.close()
            counts.append(a)
            assert a == b
    finally:
        stop.set()
        thread.join()
    assert counts == sorted(counts) and counts[-1] > counts[0]  # the writes went on meanwhile


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL: pg_dump in an exported snapshot")
@transactional
def test_postgresql_backup_is_consistent_while_the_site_writes(site: Path, tmp_path: Path) -> None:
    """Pairs of rows (an area and its audit entry) written in one transaction while the backup
    runs: the manifest's counts and the dump are of one moment, so restore's check passes."""
    areas, entries = Area.objects.count(), AuditEntry.objects.count()
    stop = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with transaction.atomic():
                    Area.objects.create(name=f"Pair {n}", slug=f"pair-{n}")
                    audit.record(None, AuditAction.CREATE, detail="pair")
        except BaseException as error:  # noqa: BLE001 (reported by the test thread)
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        archive = backed_up(tmp_path)
    finally:
        stop.set()
        thread.join()
    assert not failures
    with tarfile.open(archive) as tar:
        tables = json.loads(tar.extractfile("manifest.json").read())["tables"]  # type: ignore[union-attr]
    added = tables[Area._meta.db_table] - areas
    assert tables[AuditEntry._meta.db_table] - entries == added
    run("restore", str(archive), yes=True, verbosity=0)
    assert Area.objects.count() == areas + added


# --- the command's options -------------------------------------------------------------------


@transactional
def test_keep_deletes_only_older_backups(
    tmp_path: Path, settings: Any, audit_log_flushable: None
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("01T0000Z", "02T0000Z", "03T0000Z", "03T0000Z-2"):  # -2: later that minute
        (folder / f"alongside-backup-2020-01-{stamp}.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    (folder / "alongside-backup-2020-01-01T0000Z.tar.gz.age").write_bytes(b"encrypted copy")

    said = run("backup", output_dir=folder, keep=2)

    kept = sorted(p.name for p in folder.glob("alongside-backup-*.tar.gz"))
    assert len(kept) == 2
    assert kept[0] == "alongside-backup-2020-01-03T0000Z-2.tar.gz"  # and the new one
    assert (folder / "notes.txt").exists()
    assert (folder / "alongside-backup-2020-01-01T0000Z.tar.gz.age").exists()
    assert "Deleted 3 older backups" in said
    with pytest.raises(CommandError, match="--keep must be 1 or more"):
        run("backup", output_dir=folder, keep=0)


@transactional
def test_two_backups_in_one_minute_never_overwrite(
    tmp_path: Path, settings: Any, audit_log_flushable: None
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    Organisation.objects.create(name="One", slug="one")
    run("backup", output_dir=tmp_path, verbosity=0)
    run("backup", output_dir=tmp_path, verbosity=0)
    archives = sorted(tmp_path.glob("alongside-backup-*"))
    # Normally one name each; if the minute turned between them, two plain names.
    assert len(archives) == 2
    assert not list(tmp_path.glob(".*partial")) and not list(tmp_path.glob(".alongside-*"))

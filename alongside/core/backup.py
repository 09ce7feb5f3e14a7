"""Backups that restore: one archive holding a consistent copy of the database, every uploaded
file and a manifest that says what should come back.

`manage.py backup` and `manage.py restore` are thin wrappers around `create_backup` and
`restore_backup`. An archive (`alongside-backup-<UTC time>.tar.gz`) holds:

- `database.sqlite3` (SQLite's online backup API) or `database.pgdump` (`pg_dump`, custom format);
- `media/...`: every file under MEDIA_ROOT (receipts and other uploads);
- `manifest.json`, written last, so a truncated archive has none and is refused at once.

Restore checks the whole archive (every checksum, the database copy itself) before it changes
anything, and afterwards checks the row count of every table and every file against the manifest.
Nothing here prints a row or a file name: an archive is full of personal data, its summary is not.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

FORMAT = "alongside-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_PREFIX = "alongside-backup-"
# Only these are pruned by --keep: an encrypted copy (.tar.gz.age, .gpg) is the owner's to manage.
ARCHIVE_GLOBS = (f"{ARCHIVE_PREFIX}*.tar", f"{ARCHIVE_PREFIX}*.tar.gz")
# `migrate` fills these itself, so a database holding rows only here is still an empty one: a new
# server can be restored into without --yes.
MIGRATE_ONLY_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
CHUNK = 1024 * 1024

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


class BackupError(Exception):
    """Something the person running the command can act on; the message says what."""


@dataclass(frozen=True)
class MediaFile:
    path: str  # relative to MEDIA_ROOT, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    django_version: str
    alongside_version: str
    database_file: str
    database_size: int
    database_sha256: str
    migrations: list[list[str]]
    tables: dict[str, int]
    media: list[MediaFile] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT:
                raise BackupError("This file is not an Alongside backup (its manifest says so).")
            if raw.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"This backup is in format version {raw.get('format_version')}; this "
                    f"version of Alongside reads version {FORMAT_VERSION}. Restore it with the "
                    f"version of Alongside that made it ({raw.get('alongside_version')})."
                )
            raw["media"] = [MediaFile(**item) for item in raw["media"]]
            return cls(**raw)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise BackupError(f"The backup's manifest cannot be read ({error}).") from error


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    tables: int
    files: int
    migrations_to_apply: int  # this code's migrations the backup predates: run `migrate`
    kept: list[str] = field(default_factory=list)  # a sentence for each thing kept (no names)


# --- what a restore must not undo ------------------------------------------------------------


@dataclass(frozen=True)
class KeptThroughRestore:
    """Something the database a restore replaces knows that an older copy must not undo: a
    record its person had erased stays erased. `read` runs on that database before anything
    changes and returns what to keep (empty: nothing); `apply` runs on the restored database,
    once it has been checked, and returns a sentence for the person restoring (counts, never
    names). An app registers one in its `AppConfig.ready`; core knows none by name."""

    name: str
    read: Callable[[], list[Any]]
    apply: Callable[[list[Any]], str]


_KEPT: dict[str, KeptThroughRestore] = {}


def keep_through_restore(
    name: str, *, read: Callable[[], list[Any]], apply: Callable[[list[Any]], str]
) -> None:
    _KEPT[name] = KeptThroughRestore(name, read, apply)


def _read_kept() -> list[tuple[KeptThroughRestore, list[Any]]]:
    return [(item, item.read()) for item in sorted(_KEPT.values(), key=lambda i: i.name)]


def _apply_kept(
    kept: list[tuple[KeptThroughRestore, list[Any]]], to_apply: int, say: Say
) -> tuple[list[str], int]:
    """Apply what was kept; (what was said, the migrations still to apply). The restored
    database must have this code's tables first, so a backup older than the code is migrated
    here when something waits to be kept."""
    waiting = [(item, state) for item, state in kept if state]
    if not waiting:
        return [], to_apply
    if to_apply:
        say(
            f"Applying the {plural(to_apply, 'database migration')} the backup predates, so "
            "what the replaced database knew can be kept..."
        )
        call_command("migrate", interactive=False, verbosity=0)
        to_apply = 0
    said = []
    for item, state in waiting:
        try:
            sentence = item.apply(state)
        except Exception as error:  # whatever it was, the person restoring must hear it
            raise BackupError(
                f"The backup was restored and checked, but keeping the replaced database's "
                f"{item.name} failed: {error} Do not open the site until this is put right."
            ) from error
        if sentence:
            said.append(sentence)
    return said, to_apply


# --- what is where ---------------------------------------------------------------------------


def engine() -> str:
    """Which database this site uses: "sqlite" or "postgresql", the only two Alongside runs on."""
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups work with SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def contents(rows: int, tables: int, files: int) -> str:
    """For example "1,234 rows in 57 tables and 12 files": what is in a backup, with nothing
    personal in it."""
    return f"{plural(rows, 'row')} in {plural(tables, 'table')} and {plural(files, 'file')}"


def made_at(manifest: Manifest) -> str:
    try:
        return f"{datetime.fromisoformat(manifest.created_at).astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    except ValueError:
        return manifest.created_at


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def default_backup_dir() -> Path:
    configured = os.environ.get("BACKUP_DIR", "").strip()
    if configured:
        return Path(configured)
    local = getattr(settings, "LOCAL_DIR", Path(settings.BASE_DIR) / ".local")
    return Path(local) / "backups"


def archive_name(now: datetime) -> str:
    return f"{ARCHIVE_PREFIX}{now.astimezone(UTC):%Y-%m-%dT%H%MZ}.tar.gz"


def alongside_version() -> str:
    try:
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of every regular file under root, in a stable order. Links are left
    out: Django's storage never makes them, and following one could copy files from elsewhere."""
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _table_rows(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the database)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _sqlite_tables(cursor: Any) -> list[str]:
    # sqlite_sequence and friends are SQLite's own; the backup API copies them with the pages.
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _applied_migrations(cursor: Any, tables: dict[str, int]) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def live_tables() -> dict[str, int]:
    """Rows per table in the configured database, as it is now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = _sqlite_tables(cursor)
        else:
            tables = connection.introspection.table_names(cursor)
        return _table_rows(cursor, tables, connection.ops.quote_name)


def _outside_a_transaction(doing: str) -> None:
    # An open transaction would put its uncommitted rows in a SQLite copy, hide them from
    # pg_dump, and stop SQLite's backup API writing into the live database at all.
    if connection.in_atomic_block:
        raise BackupError(f"Cannot {doing} inside a database transaction.")


# --- making a backup -------------------------------------------------------------------------


def copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of a live SQLite database, taken while the site keeps writing.

    The backup API in one step (pages=-1) reads the whole database inside one read transaction;
    in WAL mode writers carry on meanwhile and the copy is the database as of that moment."""
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file, whatever the live database's journal mode.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    _outside_a_transaction("back up")
    connection.ensure_connection()
    # Django's own connection works for a database file and for the tests' in-memory one alike.
    copy_sqlite(connection.connection, target)
    copy = sqlite3.connect(target)
    try:
        cursor = copy.cursor()
        tables = _table_rows(cursor, _sqlite_tables(cursor), connection.ops.quote_name)
        return tables, _applied_migrations(cursor, tables)
    finally:
        copy.close()


def _pg_environment() -> dict[str, str]:
    """The connection settings for pg_dump and pg_restore, as libpq environment variables, so
    the password never appears on a command line (where `ps` shows it to everyone)."""
    database = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS") or {}
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("options", "PGOPTIONS"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's command-line tools (the same major "
            "version as the server, or newer) so that it is on the PATH."
        )
    return found


def _run_pg(program: str, *arguments: str) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed program, arguments we build)
        [_pg_program(program), *arguments],
        env=_pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        # PostgreSQL's DETAIL and CONTEXT lines can quote a row (a duplicate key, a COPY line):
        # personal data has no place in a terminal or a cron mail.
        lines = [
            line
            for line in result.stderr.splitlines()
            if "DETAIL:" not in line and "CONTEXT:" not in line
        ]
        raise BackupError(f"{program} failed: " + " ".join(lines[-5:]).strip())


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """pg_dump inside a snapshot this connection exports: the row counts in the manifest and
    the dump then describe exactly the same moment, however busy the site is."""
    _outside_a_transaction("back up")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _table_rows(
            cursor, connection.introspection.table_names(cursor), connection.ops.quote_name
        )
        migrations = _applied_migrations(cursor, tables)
        _run_pg(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={target}",
        )
    return tables, migrations


class _HashingReader:
    """Hands a file to tarfile while hashing it, so each upload is read once and the checksum
    is of exactly the bytes in the archive."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    return info


def _add_media(tar: tarfile.TarFile, root: Path) -> list[MediaFile]:
    found = []
    for relative, path in _media_files(root):
        try:
            file = open(path, "rb")  # closed below, once the tar has read it
        except OSError as error:
            # The error's own text names the file, and a file name can be a person's name.
            raise BackupError(
                f"An uploaded file in {root} could not be read ({error.strerror}); check that "
                "this user can read every file there."
            ) from error
        with file:
            size = os.fstat(file.fileno()).st_size
            reader = _HashingReader(file)
            try:
                tar.addfile(_tar_info(MEDIA_PREFIX + relative, size), reader)
            except OSError as error:
                if reader.count >= size:
                    raise  # writing the archive failed: the command says so
                raise BackupError(
                    "An uploaded file changed size while it was being copied; run the backup again."
                ) from error
        found.append(MediaFile(relative, size, reader.digest.hexdigest()))
    return found


def _private_file(path: Path) -> IO[bytes]:
    # 0600 from the moment it exists: the archive holds everyone's records.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def _publish(partial: Path, target: Path) -> None:
    """Rename into place only once complete, so a half-written backup never looks like one."""
    os.replace(partial, target)
    try:
        directory = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass  # some filesystems cannot sync a directory; the rename has still happened
    finally:
        os.close(directory)


def create_backup(target: Path, *, say: Say = _quiet) -> Manifest:
    """Write a complete backup to `target` (.tar.gz, or .tar for no compression)."""
    kind = engine()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(f".{target.name}.partial")
    database_name = DATABASE_FILES[kind]
    # The database copy waits beside the archive, not in /tmp: it is as private and may be as big.
    with tempfile.TemporaryDirectory(prefix=".alongside-backup-", dir=target.parent) as work:
        copy = Path(work) / database_name
        say(f"Copying the {ENGINE_NAMES[kind]} database while the site keeps running...")
        if kind == "sqlite":
            tables, migrations = _snapshot_sqlite(copy)
        else:
            tables, migrations = _snapshot_postgresql(copy)
        say(f"  {plural(sum(tables.values()), 'row')} in {plural(len(tables), 'table')}.")
        mode = "w" if target.name.endswith(".tar") else "w:gz"
        try:
            with _private_file(partial) as file:
                with tarfile.open(fileobj=file, mode=mode) as tar:  # type: ignore[call-overload]
                    tar.add(copy, arcname=database_name, filter=_private_member)
                    say(f"Copying the uploaded files from {media_root()}...")
                    media = _add_media(tar, media_root())
                    size = sum(f.size for f in media)
                    say(f"  {plural(len(media), 'file')}, {plural(size, 'byte')}.")
                    manifest = Manifest(
                        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        engine=kind,
                        django_version=django.get_version(),
                        alongside_version=alongside_version(),
                        database_file=database_name,
                        database_size=copy.stat().st_size,
                        database_sha256=_sha256(copy),
                        migrations=migrations,
                        tables=tables,
                        media=media,
                    )
                    data = manifest.to_json()
                    tar.addfile(_tar_info(MANIFEST_NAME, len(data)), io.BytesIO(data))
                file.flush()
                os.fsync(file.fileno())
            _publish(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _private_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _made_when(path: Path) -> tuple[str, int]:
    # alongside-backup-<time>[-N].tar.gz: the time sorts as text; N counts within one minute.
    found = re.fullmatch(rf"{ARCHIVE_PREFIX}(.+?)(?:-(\d+))?\.tar(?:\.gz)?", path.name)
    return (found[1], int(found[2] or 1)) if found else ("", 0)


def prune_backups(just_made: Path, keep: int, *, say: Say = _quiet) -> list[Path]:
    """Delete all but the newest `keep` backups beside `just_made`, which always stays."""
    older = sorted(
        (
            path
            for pattern in ARCHIVE_GLOBS
            for path in just_made.parent.glob(pattern)
            if path.is_file() and path != just_made
        ),
        key=_made_when,
    )
    removed = older[: max(0, len(older) - (keep - 1))]
    for path in removed:
        path.unlink()
    if removed:
        say(f"Deleted {plural(len(removed), 'older backup')}, keeping the newest {keep}.")
    return removed


# --- restoring -------------------------------------------------------------------------------


def _safe_relative(name: str) -> PurePosixPath:
    # A manifest names files to write under MEDIA_ROOT: never anywhere else.
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError("The backup names a file outside the uploads folder; refusing it.")
    return path


def _extract_checked(
    tar: tarfile.TarFile, member: str, target: Path, size: int, sha256: str
) -> None:
    try:
        source = tar.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise BackupError(f"The backup is incomplete: {_describe(member)} is missing.")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source, open(target, "wb") as file:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            file.write(chunk)
    if target.stat().st_size != size or digest.hexdigest() != sha256:
        raise BackupError(
            f"The backup is damaged: {_describe(member)} does not match its checksum."
        )


def _describe(member: str) -> str:
    # Upload file names can carry a person's name, so they are never printed.
    return "an uploaded file" if member.startswith(MEDIA_PREFIX) else member


def _unpack(archive: Path, work: Path, kind: str, say: Say) -> Manifest:
    """Read and check everything in the archive into `work`. Touches nothing live."""
    if not archive.is_file():
        raise BackupError(f"There is no backup file at {archive}.")
    say(f"Checking {archive}...")
    try:
        with tarfile.open(archive, "r:*") as tar:
            try:
                manifest_file = tar.extractfile(MANIFEST_NAME)
            except KeyError:
                manifest_file = None
            if manifest_file is None:
                raise BackupError(
                    "The backup has no manifest: it is incomplete (perhaps cut short while it "
                    "was written or copied), or not an Alongside backup."
                )
            manifest = Manifest.from_json(manifest_file.read())
            if manifest.engine != kind:
                raise BackupError(
                    f"This backup is of a {ENGINE_NAMES.get(manifest.engine, manifest.engine)} "
                    f"database, but this site is configured for {ENGINE_NAMES[kind]}. Restore "
                    f"it into a site configured like the one that made it (DATABASE_URL)."
                )
            _extract_checked(
                tar,
                manifest.database_file,
                work / DATABASE_FILES[kind],
                manifest.database_size,
                manifest.database_sha256,
            )
            for item in manifest.media:
                relative = _safe_relative(item.path)
                _extract_checked(
                    tar, MEDIA_PREFIX + item.path, work / "media" / relative, item.size, item.sha256
                )
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"The backup file is damaged or incomplete and cannot be read ({error})."
        ) from error
    _check_database_copy(work / DATABASE_FILES[kind], manifest)
    say(
        f"  Made {made_at(manifest)}: "
        f"{contents(manifest.rows, len(manifest.tables), len(manifest.media))}. "
        "Every checksum matches."
    )
    return manifest


def _check_database_copy(copy: Path, manifest: Manifest) -> None:
    if manifest.engine == "postgresql":
        # Also catches a dump from a newer pg_dump than this pg_restore can read.
        _run_pg("pg_restore", "--list", str(copy))
        return
    try:
        database = sqlite3.connect(copy)
        try:
            (result,) = database.execute("PRAGMA integrity_check").fetchone()
            cursor = database.cursor()
            tables = _table_rows(cursor, _sqlite_tables(cursor), connection.ops.quote_name)
        finally:
            database.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database in the backup cannot be read ({error}).") from error
    if result != "ok" or tables != manifest.tables:
        raise BackupError("The database in the backup does not match its manifest.")


def _check_migrations(manifest: Manifest) -> int:
    """Refuse a backup from a newer Alongside; return how many migrations it still needs."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, name in manifest.migrations}
    newer = sorted(applied - known)
    if newer:
        app, name = newer[0]
        raise BackupError(
            f"This backup was made by a newer version of Alongside "
            f"({manifest.alongside_version}): {len(newer)} of its database migrations are not "
            f"in this code (for example {app}.{name}). Restore it with that version or later."
        )
    return len(known - applied)


def _data_in_place() -> tuple[int, int, int]:
    """(rows, tables, files) a restore would replace, leaving out what `migrate` writes."""
    rows = {t: n for t, n in live_tables().items() if n and t not in MIGRATE_ONLY_TABLES}
    files = sum(1 for _ in _media_files(media_root()))
    return sum(rows.values()), len(rows), files


def _restore_sqlite(copy: Path) -> None:
    """Copy the snapshot into the live database through the backup API, the other way round.

    Writing through a connection (not over the file) keeps the live WAL consistent, takes the
    proper locks against the running site, and works for the tests' in-memory database too."""
    _outside_a_transaction("restore")
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path, manifest: Manifest, say: Say) -> None:
    _outside_a_transaction("restore")
    # pg_restore --clean drops only what the dump holds. A table a newer migration added would
    # survive, and could hold foreign keys that stop the drop, so it goes first.
    extra = sorted(set(live_tables()) - set(manifest.tables))
    if extra:
        say(f"Removing {plural(len(extra), 'table')} the backup does not have...")
        with transaction.atomic(), connection.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    # pg_restore drops and recreates tables: our own connections must hold no lock it waits for.
    connections.close_all()
    _run_pg(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    )


def _replace_media(staged: Path, manifest: Manifest) -> None:
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    wanted = {item.path for item in manifest.media}
    for relative, path in list(_media_files(root)):
        if relative not in wanted:
            path.unlink()
    for item in manifest.media:
        target = root / _safe_relative(item.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged / item.path, target)  # a rename when both are on one filesystem


def _verify(manifest: Manifest) -> None:
    tables = live_tables()
    wrong = sorted(
        table
        for table in set(tables) | set(manifest.tables)
        if tables.get(table) != manifest.tables.get(table)
    )
    if wrong:
        raise BackupError(
            f"After restoring, {plural(len(wrong), 'table')} do not hold the rows the backup "
            f"recorded "
            f"(for example {wrong[0]}: {tables.get(wrong[0])} rows, expected "
            f"{manifest.tables.get(wrong[0])}). Do not use the site; restore again."
        )
    on_disk = {relative: path for relative, path in _media_files(media_root())}
    expected = {item.path: item.sha256 for item in manifest.media}
    if set(on_disk) != set(expected) or any(
        _sha256(on_disk[relative]) != sha256 for relative, sha256 in expected.items()
    ):
        raise BackupError(
            f"After restoring, the uploaded files in {media_root()} do not match the backup. "
            "Check the folder can be written to, then restore again."
        )


def _forget_cached_rows() -> None:
    # Content type ids are cached per process and may differ in the restored database.
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


def restore_backup(archive: Path, *, replace: bool, say: Say = _quiet) -> RestoreSummary:
    """Bring back the database and the uploaded files from `archive`.

    `replace` must be True when the site already holds data: all of it is replaced."""
    kind = engine()
    staging_parent = media_root().parent if os.access(media_root().parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix=".alongside-restore-", dir=staging_parent) as work:
        try:
            manifest = _unpack(archive, Path(work), kind, say)
            to_apply = _check_migrations(manifest)
            rows, tables, files = _data_in_place()
            if (rows or files) and not replace:
                raise BackupError(
                    f"This site already holds {contents(rows, tables, files)}. Restoring replaces "
                    f"all of them with the backup's "
                    f"({contents(manifest.rows, len(manifest.tables), len(manifest.media))}, "
                    f"made {made_at(manifest)}). To go ahead, run the command again with --yes."
                )
            kept = _read_kept() if rows else []
        except BackupError as error:
            raise BackupError(f"{error} Nothing was changed.") from error
        say(f"Restoring the {ENGINE_NAMES[kind]} database...")
        try:
            if kind == "sqlite":
                _restore_sqlite(Path(work) / DATABASE_FILES[kind])
            else:
                _restore_postgresql(Path(work) / DATABASE_FILES[kind], manifest, say)
        except (BackupError, sqlite3.Error) as error:
            raise BackupError(
                f"Restoring the database failed ({error}). The database restore runs as one "
                "transaction, so the database should be as it was; the uploaded files were "
                "not touched."
            ) from error
        _forget_cached_rows()
        say(f"Restoring the uploaded files into {media_root()}...")
        _replace_media(Path(work) / "media", manifest)
    say("Checking every table's rows and every file against the manifest...")
    _verify(manifest)
    said, to_apply = _apply_kept(kept, to_apply, say)
    return RestoreSummary(
        rows=manifest.rows,
        tables=len(manifest.tables),
        files=len(manifest.media),
        migrations_to_apply=to_apply,
        kept=said,
    )

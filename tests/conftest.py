from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from django.apps import apps as django_apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from . import factories

# Hypothesis explores new examples on every developer's run; CI (.ci/run sets
# HYPOTHESIS_PROFILE=ci) runs the same examples every time, so a red CI run is a change's
# doing, never the luck of the draw. A failure found locally is kept in .hypothesis/ and
# becomes a pinned test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --- which tests run -------------------------------------------------------------------------

# With DB_TESTS_ONLY=1 only the tests that use the database run: .ci/run's second pass, on
# PostgreSQL, after the first (SQLite) pass has run everything else once. The browser tests
# are left to the first pass too: they drive the same views the client tests already run on
# PostgreSQL, through a browser, and on a 2-core machine they were a third of the second pass
# (which took CI to 13.7 minutes of its 15). The PostgreSQL-only tests of servers, workers and
# faults (test_faults, test_two_app_servers, test_load_without_loss) still run there.
DB_TESTS_ONLY = os.environ.get("DB_TESTS_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}
# A test uses the database when it asks for one of these, directly or through its fixtures
# (a test that asks for none of them cannot: pytest-django blocks the connection).
DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
    }
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Two changes for PostgreSQL's test databases (SQLite's are in memory):

    - TEST_DB_SUFFIX=name gives this run's test databases names of their own (after xdist's
      _gw0), so two runs against one server (CI beside a developer) never drop each other's;
    - commits do not wait for the disk (synchronous_commit=off): a test database need not
      survive a crash, and every live-server request, flush and demo copy commits."""
    from django.conf import settings

    suffix = os.environ.get("TEST_DB_SUFFIX", "").strip()
    if suffix and not suffix.replace("_", "").isalnum():
        raise pytest.UsageError(f"TEST_DB_SUFFIX may hold only letters, digits and _: {suffix!r}")
    for database in settings.DATABASES.values():
        if database["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
        if suffix:
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{suffix}"


def uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & DB_FIXTURES) or item.get_closest_marker("django_db") is not None


def _weight(item: pytest.Item) -> int:
    """Heaviest first: the browser tests, then the real sentence model, then the rest."""
    if item.get_closest_marker("browser") or "browser" in Path(str(item.path)).parts:
        return 0
    return 1 if item.get_closest_marker("real_model") else 2


def _in_browser(item: pytest.Item) -> bool:
    return "browser" in item.path.parts


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if DB_TESTS_ONLY:
        kept = [item for item in items if uses_database(item) and not _in_browser(item)]
        if len(kept) < len(items):
            kept_ids = set(map(id, kept))
            config.hook.pytest_deselected(
                items=[item for item in items if id(item) not in kept_ids]
            )
            items[:] = kept
    # Under xdist the files are handed out in this order as workers come free (with
    # --no-loadscope-reorder, see the Makefile): the long browser files first, so that no
    # worker is left with one of them at the end while the other has nothing to do. The sort
    # is stable, so otherwise pytest-django's order holds. In one process order changes nothing.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=_weight)


# --- the sentence model ----------------------------------------------------------------------

# The real all-MiniLM-L6-v2 takes seconds to load and about 13 ms a contribution, and every
# captured, imported or reviewed contribution is embedded (the demo alone has 40). Tests get a
# cheap stand-in with the same contract instead: one L2-normalised float32 row of minilm.DIMS
# per text, the same row for the same words, a zero row when a text has no word at all, and
# texts sharing words closer than texts that share none (a hashed bag of words). Only tests
# marked `real_model` run the real model: the ones about the model itself.
# (The themes package is imported only when a fixture needs it: it brings in scikit-learn, two
# seconds that xdist's controller process would spend before starting any worker.)
DIMS = 384  # minilm.DIMS, checked by _sentence_model_stand_in
_real_embed: list[Any] = []


@lru_cache(maxsize=20_000)
def _word_vector(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
    return np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)


def stand_in_embed(texts: Sequence[str]) -> np.ndarray:
    from alongside.listening.themes.text import words

    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    for row, text in enumerate(texts):
        found = words(text)
        if found:
            total = np.sum([_word_vector(word) for word in found], axis=0)
            out[row] = total / max(float(np.linalg.norm(total)), 1e-12)
    return out


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread_per_worker() -> Iterator[None]:
    """Under xdist there is already one worker per core: numpy's BLAS threads on top of that
    only fight each other (the real model's matrix products get several times slower). The
    same goes for the Python subprocesses tests start (the bench harness)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1), pytest.MonkeyPatch.context() as patch:
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            if variable not in os.environ:
                patch.setenv(variable, "1")
        yield


@pytest.fixture(scope="session", autouse=True)
def _sentence_model_stand_in() -> Iterator[None]:
    """Session-wide, so session fixtures (the browser tests' demo) get the stand-in too; the
    live server's thread looks `minilm.embed` up in the same module, so it does as well."""
    from alongside.listening.themes import minilm

    assert minilm.DIMS == DIMS
    _real_embed[:] = [minilm.embed]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minilm, "embed", stand_in_embed)
        yield


@pytest.fixture(autouse=True)
def _real_model_when_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("real_model") is None:
        yield
        return
    from alongside.listening.themes import minilm

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minilm, "embed", _real_embed[0])
        yield


@pytest.fixture
def world(db) -> dict[str, Any]:
    return factories.world()


def signed_in(user: Any) -> Client:
    """A test client signed in as `user`, past two-factor where the user needs it."""
    client = Client()
    client.force_login(user, backend="alongside.accounts.backends.UsernameBackend")
    from alongside.accounts.selectors import requires_two_factor

    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def run_jobs() -> Any:
    """Run the background jobs that are due, here and now, as `manage.py worker` would.
    Returns how many queue entries ran."""
    from alongside.core import jobs

    return jobs.run_pending


@pytest.fixture
def login():
    return signed_in


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete_on_postgresql() -> Iterator[None]:
    """Every transactional test (the browser tests, the concurrency tests) ends with a flush.
    On PostgreSQL that is one TRUNCATE of every table, which costs about 2.5 s however little
    they hold; DELETE FROM each, as Django does on SQLite, empties the same tables in about
    0.1 s (foreign keys are checked at commit, so the order does not matter)."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver installed: nothing to speed up
        yield
        return

    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        self: Any,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete, from_ = style.SQL_KEYWORD("DELETE"), style.SQL_KEYWORD("FROM")
        return [f"{delete} {from_} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _spend_totals_emptied_last() -> Iterator[None]:
    """A flush empties tables one DELETE at a time, in no set order. The spend totals and the
    organisations' numbers are kept by triggers on other tables (coaching migrations 0007 and
    0009): deleting those rows after the totals would write the totals again. So the tables
    the database keeps go last."""
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLite

    classes: list[type] = [SQLite.ops_class]
    try:
        from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQL
    except ImportError:  # no PostgreSQL driver installed
        pass
    else:
        classes.append(PostgreSQL.ops_class)
    with pytest.MonkeyPatch.context() as patch:
        for cls in classes:
            patch.setattr(cls, "sql_flush", _totals_last(cls.sql_flush))
        yield


def _totals_last(flush: Any) -> Any:
    def sql_flush(self: Any, style: Any, tables: Sequence[str], **options: Any) -> list[str]:
        statements = flush(self, style, tables, **options)
        from alongside.coaching.models import KEPT_BY_DATABASE

        last = [sql for sql in statements if any(table in sql for table in KEPT_BY_DATABASE)]
        return [sql for sql in statements if sql not in last] + last

    return sql_flush


def _append_only_migrations() -> list[tuple[str, ModuleType]]:
    """(app label, migration) for each migration that makes a table append-only with database
    triggers: by convention the ones named `*_append_only` (core 0002, the audit log; coaching
    0004, the person's consent events)."""
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("alongside."):
            continue
        for path in sorted((Path(config.path) / "migrations").glob("*_append_only.py")):
            module = importlib.import_module(f"{config.name}.migrations.{path.stem}")
            found.append((config.label, module))
    return found


APPEND_ONLY = _append_only_migrations()


class _Executor:
    """Just enough of a schema editor to run a trigger migration's SQL on one connection."""

    def __init__(self, alias: str) -> None:
        self.connection = connections[alias]

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


def append_only_triggers(alias: str, *, on: bool) -> None:
    """Put back (on=True) or take away the append-only triggers on one database."""
    for _label, migration in APPEND_ONLY:
        (migration.forwards if on else migration.backwards)(None, _Executor(alias))


@pytest.fixture
def audit_log_flushable(transactional_db: None) -> Iterator[None]:
    """For transactional tests (live server, concurrent connections).

    The audit table and the consent events are append-only in the database (see
    `APPEND_ONLY`): their triggers refuse DELETE and TRUNCATE, so the flush that ends every
    transactional test would fail. Just before that flush, drop the triggers; the flush then
    sends post_migrate, and one-shot receivers put them back straight away, so no other test
    sees a database without them."""
    yield
    for alias in connections:
        if connections[alias].vendor not in {"sqlite", "postgresql"}:
            continue
        append_only_triggers(alias, on=False)
        for label, migration in APPEND_ONLY:
            uid = f"tests-append-only-{alias}-{migration.__name__}"

            def restore(
                sender: Any,
                using: str,
                alias: str = alias,
                uid: str = uid,
                label: str = label,
                migration: ModuleType = migration,
                **kw: Any,
            ) -> None:
                if sender.label != label or using != alias:
                    return
                post_migrate.disconnect(dispatch_uid=uid)
                migration.forwards(None, _Executor(alias))

            post_migrate.connect(restore, weak=False, dispatch_uid=uid)


@pytest.fixture(autouse=True)
def _empty_insight_root() -> Iterator[None]:
    """The areas' DuckDB files are outside the database, so a test's imports would outlive
    its rolled-back rows (and a reused id would find an old table): empty the folder after
    every test that wrote there."""
    yield
    import shutil

    from django.conf import settings

    root = getattr(settings, "INSIGHT_ROOT", None)
    if root and os.path.isdir(root) and os.listdir(root):
        shutil.rmtree(root)
        os.makedirs(root)

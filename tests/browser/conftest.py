"""Fixtures for the browser tests: one headless Chromium per session, a context per test.

The tests drive Debian's /usr/bin/chromium through Playwright (never `playwright install`).
Without Chromium or Playwright they skip, unless REQUIRE_BROWSER=1 (as in CI), when they fail.

The demo is seeded once per session (per xdist worker) and copied aside; every test that asks
for `demo` starts from that copy, put back in one transaction, so what one test writes (a
sign-out everywhere, a wrong TOTP code, an erasure request) never reaches another.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction

from alongside.coaching.models import KEPT_BY_DATABASE

from ..conftest import append_only_triggers

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PEOPLE = 20
DEMO_SEED = 1
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def unavailable(reason: str) -> None:
    """Skip, or fail when the browser tests were asked for (REQUIRE_BROWSER=1)."""
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set REQUIRE_BROWSER=1 to make this fail)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test in this folder is a browser test, whether or not its module says so.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"Playwright for Python is not installed ({error})")
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
    except ImportError as error:
        unavailable(f"axe-playwright-python is not installed ({error})")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        unavailable(f"no Chromium at {CHROMIUM}" + (f" (found {found})" if found else ""))

    manager = sync_playwright().start()
    try:
        try:
            launched = manager.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            unavailable(f"Chromium at {CHROMIUM} would not start: {error.message}")
        yield launched
        launched.close()
    finally:
        manager.stop()


@pytest.fixture(autouse=True)
def _browser_first(browser: Browser) -> None:
    """Skip (or fail) before any database set-up when there is no browser."""


@pytest.fixture(autouse=True)
def _audit_log_flushable(_browser_first: None, audit_log_flushable: None) -> None:
    """Every browser test uses a transactional database (the live server's thread must see
    committed data); see `audit_log_flushable` in tests/conftest.py for the audit triggers."""


# Tables the database keeps itself, from others' rows (see DemoSnapshot.restore).
KEPT_BY_TRIGGERS = set(KEPT_BY_DATABASE)


class DemoSnapshot:
    """Every table of the freshly seeded demo, copied inside the test database: into a schema
    of its own on PostgreSQL, an attached in-memory database on SQLite. Neither is one of
    Django's tables, so the flush that ends each transactional test leaves the copy alone."""

    SIDE = "demo_snapshot"

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.tables: list[str] = []
        # Each table's columns a row may be written to: a generated column (the directory's
        # search_text) is the database's own, and refuses a value.
        self.columns: dict[str, str] = {}
        # Straight after `take` the database holds the demo already: nothing to put back.
        self.fresh = False

    @property
    def connection(self) -> Any:
        return connections[self.alias]

    def _quote(self, table: str) -> str:
        return self.connection.ops.quote_name(table)

    def _attached(self, cursor: Any) -> bool:
        cursor.execute("PRAGMA database_list")
        return any(row[1] == self.SIDE for row in cursor.fetchall())

    def present(self) -> bool:
        """False when there is no copy, or (SQLite) the connection holding it was replaced."""
        if not self.tables:
            return False
        if self.connection.vendor != "sqlite":
            return True
        with self.connection.cursor() as cursor:
            return self._attached(cursor)

    def take(self) -> None:
        connection = self.connection
        if connection.vendor not in {"sqlite", "postgresql"}:
            raise NotImplementedError(f"no demo snapshot for {connection.vendor}")
        self.tables = sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.SIDE} CASCADE")
                cursor.execute(f"CREATE SCHEMA {self.SIDE}")
                source = ""
            else:
                if self._attached(cursor):
                    cursor.execute(f"DETACH DATABASE {self.SIDE}")
                cursor.execute(f"ATTACH DATABASE ':memory:' AS {self.SIDE}")
                source = "main."
            for table in self.tables:
                name = self._quote(table)
                self.columns[table] = ", ".join(
                    self._quote(column) for column in self._writable_columns(cursor, table)
                )
                # Django's own table names, quoted: nothing here comes from outside.
                columns = self.columns[table]
                copy = f"CREATE TABLE {self.SIDE}.{name} AS SELECT {columns} FROM {source}{name}"  # noqa: S608
                cursor.execute(copy)
        self.fresh = True

    def _writable_columns(self, cursor: Any, table: str) -> list[str]:
        if self.connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA main.table_xinfo({self._quote(table)})")
            # The sixth field, "hidden", is 2 or 3 for a generated column.
            return [row[1] for row in cursor.fetchall() if row[6] in (0, 1)]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]

    def restore(self) -> None:
        """Empty Django's tables and copy the demo back in, in one transaction (foreign keys
        are checked at commit, so the order of the tables does not matter)."""
        if self.fresh:
            self.fresh = False
            return
        connection = self.connection
        source = "main." if connection.vendor == "sqlite" else ""
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            # The audit log and the consent events refuse DELETE: lift that while emptying.
            append_only_triggers(self.alias, on=False)
            for table in self.tables:
                cursor.execute(f"DELETE FROM {source}{self._quote(table)}")  # noqa: S608
            append_only_triggers(self.alias, on=True)
            # The spend totals and organisations' numbers are kept by triggers on the rows put
            # back before them (coaching migrations 0007, 0009): empty them again, copy them last.
            kept = [table for table in self.tables if table in KEPT_BY_TRIGGERS]
            for table in [t for t in self.tables if t not in KEPT_BY_TRIGGERS] + kept:
                name = self._quote(table)
                if table in KEPT_BY_TRIGGERS:
                    cursor.execute(f"DELETE FROM {source}{name}")  # noqa: S608
                columns = self.columns[table]
                into = f"{source}{name} ({columns})"
                back = f"INSERT INTO {into} SELECT {columns} FROM {self.SIDE}.{name}"  # noqa: S608
                cursor.execute(back)
        # The flush's post_migrate made content types with other ids; forget those.
        ContentType.objects.clear_cache()


def _seed_demo() -> None:
    call_command("seed_demo", people=DEMO_PEOPLE, seed=DEMO_SEED, stdout=io.StringIO())


@pytest.fixture(scope="session")
def demo_snapshot(
    browser: Browser,
    django_db_setup: None,
    django_db_blocker: Any,
    _sentence_model_stand_in: None,
) -> DemoSnapshot:
    """The demo, seeded once for the session (once per xdist worker) and copied aside.
    Asks for `browser` first, so without one the tests skip (or fail) before seeding."""
    snapshot = DemoSnapshot()
    with django_db_blocker.unblock():
        _seed_demo()
        snapshot.take()
    return snapshot


@pytest.fixture
def demo(demo_snapshot: DemoSnapshot, transactional_db: None) -> None:
    """The synthetic demo organisation, small, committed so the live server can see it, and
    exactly as seeded whatever earlier tests did to theirs."""
    if not demo_snapshot.present():
        _seed_demo()
        demo_snapshot.take()
    demo_snapshot.restore()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts pointed at the live server; all are closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()

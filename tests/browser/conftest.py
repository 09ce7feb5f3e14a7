"""Fixtures for the browser tests: one headless Chromium per session, a context per test.

The tests drive Debian's /usr/bin/chromium through Playwright (never `playwright install`).
Without Chromium or Playwright they skip, unless REQUIRE_BROWSER=1 (as in CI), when they fail.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

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


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The synthetic demo organisation, small, committed so the live server can see it."""
    call_command("seed_demo", people=DEMO_PEOPLE, seed=DEMO_SEED, stdout=io.StringIO())


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

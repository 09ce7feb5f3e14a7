"""Faults: the server and the worker killed (SIGKILL) mid-import and mid-write, and the database
going away and coming back, with the production server (`python -m alongside.serve`: gunicorn,
DEBUG off) and `manage.py worker` as processes of their own on PostgreSQL.

- Killed mid-import: nothing of the import is in the database, the job is taken up again by a
  new worker once its heartbeat is stale, and it finishes with every row exactly once.
- Killed mid-write: every write the site acknowledged (a redirect after the POST) is there after
  the restart, exactly once with its audit entry, and the same sessions carry on writing.
- The database gone away (a TCP proxy in front of PostgreSQL, stopped): `/healthz` answers 503
  and pages a calm 503 "Back in a moment"; both recover by themselves when it is back.

The worker is loadtest.worker: the real one with a quick stand-in for the sentence model (see
there). These tests run their own processes on a database of their own (cloned from loadtest's
seeded template), so they use none of pytest-django's database fixtures and run once, in the
first (SQLite) pass of CI. Skipped without PostgreSQL unless REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from loadtest import harness, writes
from loadtest.harness import Browser, Process, Site

IMPORT_ROWS = 3000
# Per batch of 64 rows, on top of the real work: the batches take about two seconds.
EMBED_DELAY = 0.03


@dataclass
class World:
    url: str
    plan: dict
    env: dict[str, str]
    logs: Path
    processes: list[Process]

    def site(
        self,
        name: str,
        *,
        env: dict[str, str] | None = None,
        port: int | None = None,
        web_workers: int = 2,
        job_workers: int = 0,
    ) -> Site:
        site = Site(
            env or self.env,
            self.logs,
            name=name,
            port=port,
            web_workers=web_workers,
            job_workers=job_workers,
        )
        self.processes.append(site)
        return site.start()

    def worker(self, name: str, **extra: str) -> Process:
        process = harness.worker(self.env, self.logs, name=name, embed_delay=EMBED_DELAY, **extra)
        self.processes.append(process)
        return process.start()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict, Path]]:
    harness.postgres_or_skip()
    logs = tmp_path_factory.mktemp("faults")
    with harness.cloned_database("faults") as (url, plan):
        yield url, plan, logs


@pytest.fixture
def world(database: tuple[str, dict, Path]) -> Iterator[World]:
    url, plan, logs = database
    env = harness.server_env(
        url, secret_key=harness.new_secret_key(), MEDIA_ROOT=str(logs / "media")
    )
    harness.ensure_static_files(env)
    processes: list[Process] = []
    try:
        yield World(url, plan, env, logs, processes)
    finally:
        for process in processes:  # whatever happened: nothing outlives the test
            process.kill()


def test_killed_mid_import_runs_again_to_completion_and_nothing_is_half_imported(
    world: World,
) -> None:
    exercise = world.plan["exercise"]
    listener = next(u for u in exercise["team"] if u in world.plan["users"])
    worker = world.worker("import-worker-1")  # boots while the site does
    site = world.site("import-site-1")
    kofi = harness.signed_in(site.port, world.plan, listener)
    tag = secrets.token_hex(3)
    job_id = harness.start_import(
        kofi, exercise, harness.import_csv(IMPORT_ROWS, tag, exercise["channel"])
    )

    harness.wait_for(
        lambda: harness.job(world.url, job_id)["done"] > 0, 60, 0.02, "the import to start"
    )
    site.kill()
    worker.kill()
    at_kill = harness.job(world.url, job_id)
    assert at_kill["status"] == "running", at_kill
    assert 0 < at_kill["done"] < IMPORT_ROWS, at_kill
    assert harness.imported(world.url, tag) == {}, "part of the import was saved"

    # A new worker, which takes the job up again once its run is stale, and a new server.
    world.worker("import-worker-2", JOB_STALE_SECONDS="3", JOB_REAP_SECONDS="1")
    site = world.site("import-site-2", port=site.port)
    finished = harness.wait_for(
        lambda: (j := harness.job(world.url, job_id))["status"] in {"done", "failed"} and j,
        90,
        0.2,
        "the import to finish",
    )
    assert finished["status"] == "done", finished
    assert finished["attempts"] == 2, finished
    assert finished["done"] == finished["total"] == IMPORT_ROWS
    counts = harness.imported(world.url, tag)
    assert sorted(counts) == list(range(IMPORT_ROWS)), "rows are missing"
    assert set(counts.values()) == {1}, "rows were brought in twice"
    (audited,) = harness.query(
        world.url,
        "SELECT COUNT(DISTINCT a.object_id) FROM core_auditentry a JOIN listening_contribution c"
        " ON a.object_id = CAST(c.id AS TEXT) WHERE a.object_type = 'listening.contribution'"
        " AND a.action = 'create' AND c.text LIKE %s",
        (f"imp-{tag}-%",),
    )
    assert audited[0] == IMPORT_ROWS
    # The listener's session outlived the server: the page says it is done.
    page = kofi.get(f"/listening/{exercise['id']}/imports/{job_id}/")
    assert page.status == 200
    assert f"Brought in {IMPORT_ROWS:,} contributions" in page.text


def test_killed_mid_write_keeps_every_acknowledged_write(world: World) -> None:
    site = world.site("write-site-1")
    load = writes.Load(
        site.port,
        world.url,
        world.plan,
        writes.Options(
            clients=6,
            seconds=60,
            max_requests=20_000,
            approvers=2,
            contended_per_coach=2,
            headroom_pence=8_000,
        ),
    ).start()
    try:
        harness.wait_for(lambda: load.acked() >= 25, 30, 0.05, "writes before the kill")
        site.kill()  # gunicorn's master and workers, mid-request
        before_restart = load.acked()
        time.sleep(0.5)
        site = world.site("write-site-2", port=site.port)
        # The same browsers, with the same cookies, carry on.
        harness.wait_for(
            lambda: load.acked() >= before_restart + 25, 30, 0.05, "writes after the restart"
        )
    finally:
        load.stop()
        load.join()
    result = writes.summary(load, writes.verify(world.url, load), errors_expected=True)
    problems = [p for p in result["problems"] if "not contended" not in p]
    assert problems == [], (problems, result["examples"])
    assert result["lost"] == result["approvals_lost"] == 0, result
    assert result["duplicated"] == result["unaudited"] == result["overspent_budgets"] == 0
    assert result["failures"]["5xx"] == result["failures"]["unexpected"] == 0, result
    assert result["writes"]["total"] >= 50


def _calm_and_back(site: Site, browser: Browser, page: str, proxy: harness.Proxy) -> None:
    """With the database away: /healthz 503, the page a calm 503. Then back, by itself."""
    assert browser.get(page).status == 200
    proxy.stop()
    health = harness.Browser(site.port).get("/healthz")
    assert health.status == 503
    assert '"database": "unreachable"' in health.text
    away = browser.get(page)
    assert away.status == 503
    assert "Back in a moment" in away.text
    assert away.headers.get("retry-after")
    assert "Traceback" not in away.text


def test_database_gone_away_gives_calm_503s_and_recovers_by_itself(world: World) -> None:
    proxy = harness.Proxy(harness.postgres_address()).start()
    try:
        env = dict(world.env, DATABASE_URL=proxy.url_for(world.url))
        site = world.site("away-site", env=env, web_workers=2)
        gunicorn = site.gunicorn_pids()
        priya = harness.signed_in(site.port, world.plan, "priya")
        page = f"/people/{world.plan['coaches']['priya']['people'][0]}/"
        _calm_and_back(site, priya, page, proxy)
        time.sleep(1)
        assert harness.Browser(site.port).get("/healthz").status == 503
        proxy.start()
        harness.wait_for(
            lambda: harness.Browser(site.port).get("/healthz").status == 200, 10, 0.2, "healthz"
        )
        harness.wait_for(lambda: priya.get(page).status == 200, 10, 0.2, "the page")
        assert site.alive() and site.gunicorn_pids() == gunicorn, "the server was restarted"
    finally:
        proxy.stop()


def test_database_gone_away_for_a_while_does_not_stop_the_site(world: World) -> None:
    proxy = harness.Proxy(harness.postgres_address()).start()
    try:
        env = dict(world.env, DATABASE_URL=proxy.url_for(world.url))
        # As `make serve` runs it: the web server and its job worker.
        site = world.site("away-serve", env=env, web_workers=1, job_workers=1)
        priya = harness.signed_in(site.port, world.plan, "priya")
        page = f"/people/{world.plan['coaches']['priya']['people'][0]}/"
        _calm_and_back(site, priya, page, proxy)
        away_until = time.monotonic() + 12
        while time.monotonic() < away_until:
            assert site.alive(), "the site stopped while the database was away"
            time.sleep(0.5)
        proxy.start()
        harness.wait_for(
            lambda: harness.Browser(site.port).get("/healthz").status == 200, 10, 0.2, "healthz"
        )
        assert priya.get(page).status == 200
    finally:
        proxy.stop()

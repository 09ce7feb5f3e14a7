"""Load without loss, the short version of `python -m loadtest.writes`: clients write
conversations, check-ins and spend requests through the real forms of the production server
(gunicorn, DEBUG off) on PostgreSQL while others approve spend requests against the same small
budgets; afterwards every acknowledged write is in the database exactly once with its audit
entry, no budget is overspent, and nothing failed but the refusals meant to happen.

It runs its own server on a database of its own (cloned from loadtest's seeded template), so it
uses none of pytest-django's database fixtures and runs once, in the first (SQLite) pass of CI.
Skipped without PostgreSQL unless REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtest import harness, writes

CLIENTS = 8
SECONDS = 5


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[harness.Site, str, dict]]:
    harness.postgres_or_skip()
    logs = tmp_path_factory.mktemp("load")
    with harness.cloned_database("load") as (url, plan):
        env = harness.server_env(
            url, secret_key=harness.new_secret_key(), MEDIA_ROOT=str(logs / "media")
        )
        harness.ensure_static_files(env)
        server = harness.Site(env, logs, web_workers=3, job_workers=1)
        try:
            server.start()
            yield server, url, plan
        finally:
            server.kill()  # a throwaway database: nothing to finish gracefully


def test_every_acknowledged_write_is_kept_and_no_budget_is_overspent(
    site: tuple[harness.Site, str, dict], tmp_path: Path
) -> None:
    server, url, plan = site
    options = writes.Options(
        clients=CLIENTS,
        seconds=SECONDS,
        max_requests=5_000,
        approvers=3,
        contended_per_coach=2,
        # Room for two or three approvals each: the rest must be refused.
        headroom_pence=12_000,
    )
    load, result = writes.run_against(server.port, url, plan, options)
    (tmp_path / "writes.json").write_text(json.dumps(result, indent=2))
    detail = json.dumps({k: v for k, v in result.items() if k != "statuses"}, indent=1)

    assert result["problems"] == [], detail
    assert result["status"] == "ok"
    writes_done = result["writes"]
    assert min(writes_done[kind] for kind in writes.KINDS) > 0, detail
    assert writes_done["approvals"] > 0, detail
    assert result["refusals"]["over_budget"] > 0, "no approval was refused: " + detail
    assert result["lost"] == result["duplicated"] == result["overspent_budgets"] == 0
    assert result["failures"]["5xx"] == result["failures"]["unexpected"] == 0
    assert result["failures"]["no_answer"] == 0
    assert server.alive(), server.log_tail()

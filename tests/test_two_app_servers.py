"""Past one machine: two app servers (`python -m alongside.serve`, gunicorn, DEBUG off) and two
job workers against one PostgreSQL, sharing MEDIA_ROOT, as ARCHITECTURE.md "Growing" says an
organisation grows. Sessions, budget approvals, uploaded receipts and jobs stay correct across
them:

- signed in on A, the same cookies work on B, and signing out on B signs out on A;
- approvals of one person's spend requests, sent at the same moment half to A and half to B,
  approve exactly what the budget holds and refuse the rest;
- a receipt uploaded through A is downloaded through B, byte for byte;
- an import started on A (and one on B) is run once, by one of the two workers, and its progress
  shows on the other server while it runs.

The workers are loadtest.worker (the real worker with a quick stand-in for the sentence model).
These tests run their own processes on a database of their own, so they use none of
pytest-django's database fixtures and run once, in the first (SQLite) pass of CI. Skipped
without PostgreSQL unless REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from loadtest import harness
from loadtest.harness import Browser, Process, Site

IMPORT_ROWS = 1500
EMBED_DELAY = 0.1  # per batch of 64: each import takes about two and a half seconds
WORKERS = ("worker-a", "worker-b")


@dataclass
class Cluster:
    url: str
    plan: dict
    a: Site
    b: Site

    def person(self, index: int) -> int:
        """One of priya's people, a different one for each test."""
        return self.plan["coaches"]["priya"]["people"][-1 - index]

    def budget_with_room(self, person: int, pence: int) -> int:
        """Set the person's allocation to what is committed plus `pence`; the allocation."""
        harness.query(
            self.url,
            "UPDATE coaching_person SET budget_allocation_pence = %s + COALESCE(("
            "SELECT SUM(amount_pence) FROM coaching_spendrequest WHERE person_id = %s "
            "AND status IN ('approved', 'paid')), 0) WHERE id = %s",
            (pence, person, person),
        )
        return int(self.committed(person)[1])

    def committed(self, person: int) -> tuple[int, int]:
        """(approved or paid pence, allocation) for a person."""
        ((committed, allocation),) = harness.query(
            self.url,
            "SELECT (SELECT COALESCE(SUM(amount_pence), 0) FROM coaching_spendrequest "
            "WHERE person_id = p.id AND status IN ('approved', 'paid')), "
            "p.budget_allocation_pence FROM coaching_person p WHERE p.id = %s",
            (person,),
        )
        return int(committed), int(allocation)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    harness.postgres_or_skip()
    logs = tmp_path_factory.mktemp("two-servers")
    with harness.cloned_database("two") as (url, plan):
        # One secret key and one MEDIA_ROOT (shared storage), as two machines would have.
        env = harness.server_env(
            url, secret_key=harness.new_secret_key(), MEDIA_ROOT=str(logs / "media")
        )
        harness.ensure_static_files(env)
        a = Site(env, logs, name="site-a", web_workers=2)
        b = Site(env, logs, name="site-b", web_workers=2)
        processes: list[Process] = [a, b]
        processes += [
            harness.worker(env, logs, name=name, embed_delay=EMBED_DELAY) for name in WORKERS
        ]
        try:
            for process in processes:  # all four boot at once
                process.start(wait=False) if isinstance(process, Site) else process.start()
            a.wait_healthy()
            b.wait_healthy()
            yield Cluster(url, plan, a, b)
        finally:
            for process in processes:
                process.kill()


def test_a_session_from_one_server_works_on_the_other(cluster: Cluster) -> None:
    on_a = harness.signed_in(cluster.a.port, cluster.plan, "priya")
    on_b = on_a.copy(port=cluster.b.port)
    page = f"/people/{cluster.person(0)}/"
    seen_on_b = on_b.get(page)
    assert seen_on_b.status == 200
    assert on_a.get(page).status == 200

    # The sign-out button is a form on every page.
    signed_out = on_b.post("/accounts/sign-out/", {}, token=harness.csrf_token(seen_on_b.text))
    assert signed_out.status == 302
    # The session is gone from the database, so A no longer knows it either.
    again = on_a.get(page)
    assert again.status == 302
    assert again.location.startswith("/accounts/sign-in/")


def test_approvals_split_across_servers_never_overspend(cluster: Cluster) -> None:
    person = cluster.person(1)
    allocation = cluster.budget_with_room(person, 25_000)  # room for five of £50
    on_a = harness.signed_in(cluster.a.port, cluster.plan, "priya")
    on_b = harness.signed_in(cluster.b.port, cluster.plan, "priya")  # a second device
    tag = secrets.token_hex(3)
    for n in range(10):
        asked = (on_a, on_b)[n % 2].post(
            f"/people/{person}/budget/ask/",
            {"what_for": f"Course fees [{tag}-{n}]", "amount": "50", "category": "", "goal": ""},
        )
        assert asked.status == 302, asked.text[:500]
    spends = [
        int(row[0])
        for row in harness.query(
            cluster.url,
            "SELECT id FROM coaching_spendrequest WHERE what_for LIKE %s ORDER BY id",
            (f"%[{tag}-%",),
        )
    ]
    assert len(spends) == 10

    # Every request approved twice at the same moment: once through A, once through B.
    ledger = f"/people/{person}/budget/"
    tokens = {id(browser): harness.csrf_token(browser.get(ledger).text) for browser in (on_a, on_b)}
    start = threading.Barrier(2 * len(spends))
    answers: list[tuple[int, str, int, str]] = []
    lock = threading.Lock()

    def approve(browser: Browser, spend: int, server: str) -> None:
        mine = browser.copy()
        start.wait(timeout=30)
        answer = mine.post(
            f"/people/{person}/budget/{spend}/decide/",
            {"decision": "approve"},
            token=tokens[id(browser)],
        )
        with lock:
            answers.append((spend, server, answer.status, answer.text))

    threads = [
        threading.Thread(target=approve, args=(browser, spend, server))
        for spend in spends
        for browser, server in ((on_a, "A"), (on_b, "B"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    approved = [(spend, server) for spend, server, status, _ in answers if status == 302]
    refused = Counter(
        "over budget" if "would go" in text else "already decided"
        for _, _, status, text in answers
        if status == 200 and ("would go" in text or "already decided" in text)
    )
    assert len(answers) == 20
    assert len(approved) == 5, answers
    assert len({spend for spend, _ in approved}) == 5, "a request was approved twice"
    assert sum(refused.values()) == 15, [a[:3] for a in answers]
    assert refused["over budget"] > 0
    committed, allocation_now = cluster.committed(person)
    assert allocation_now == allocation
    assert committed <= allocation
    (row,) = harness.query(
        cluster.url,
        "SELECT COUNT(*) FROM coaching_spendrequest WHERE what_for LIKE %s AND status = 'approved'",
        (f"%[{tag}-%",),
    )
    assert row[0] == 5


PNG = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(2048)


def test_a_receipt_uploaded_through_one_server_is_served_by_the_other(cluster: Cluster) -> None:
    person = cluster.person(2)
    cluster.budget_with_room(person, 10_000)
    on_a = harness.signed_in(cluster.a.port, cluster.plan, "priya")
    on_b = on_a.copy(port=cluster.b.port)
    tag = secrets.token_hex(3)
    asked = on_a.post(
        f"/people/{person}/budget/ask/",
        {"what_for": f"Work boots [{tag}]", "amount": "30", "category": "", "goal": ""},
    )
    assert asked.status == 302
    ((spend,),) = harness.query(
        cluster.url, "SELECT id FROM coaching_spendrequest WHERE what_for LIKE %s", (f"%{tag}%",)
    )
    approved = on_b.post(f"/people/{person}/budget/{spend}/decide/", {"decision": "approve"})
    assert approved.status == 302, approved.text[:500]
    pay = f"/people/{person}/budget/{spend}/pay/"
    paid = on_a.post(
        pay,
        {"amount": "30", "paid_on": date.today().isoformat()},
        files={"receipt": ("receipt.png", PNG, "image/png")},
    )
    assert paid.status == 302, paid.text[:1000]
    ((payment,),) = harness.query(
        cluster.url, "SELECT id FROM coaching_payment WHERE spend_request_id = %s", (spend,)
    )
    receipt = on_b.get(f"/people/{person}/budget/receipts/{payment}/")
    assert receipt.status == 200
    assert receipt.body == PNG
    assert "attachment" in receipt.headers.get("content-disposition", "")


PROGRESS = re.compile(r"Taking out names and numbers: (\d+) of (\d+) checked")


def test_an_import_runs_once_on_one_worker_with_progress_on_the_other_server(
    cluster: Cluster,
) -> None:
    exercise = cluster.plan["exercise"]
    listener = next(u for u in exercise["team"] if u in cluster.plan["users"])
    on_a = harness.signed_in(cluster.a.port, cluster.plan, listener)
    on_b = on_a.copy(port=cluster.b.port)
    tags = [secrets.token_hex(3), secrets.token_hex(3)]
    # One import started through A, one through B, each watched through the other server.
    started = [
        (
            harness.start_import(
                starter, exercise, harness.import_csv(IMPORT_ROWS, tag, exercise["channel"])
            ),
            tag,
            watcher,
        )
        for tag, starter, watcher in ((tags[0], on_a, on_b), (tags[1], on_b, on_a))
    ]
    seen_midway: dict[int, int] = {}

    def finished() -> bool:
        over = 0
        for job_id, _, watcher in started:
            page = watcher.get(f"/listening/{exercise['id']}/imports/{job_id}/")
            assert page.status == 200
            found = PROGRESS.search(page.text)
            if found and 0 < int(found.group(1)) < int(found.group(2)):
                seen_midway[job_id] = int(found.group(1))
            if f"Brought in {IMPORT_ROWS:,} contributions" in page.text:
                over += 1
        return over == len(started)

    harness.wait_for(finished, 60, 0.05, "both imports to finish")
    assert set(seen_midway) == {job_id for job_id, _, _ in started}, (
        "progress did not show on the other server while the import ran"
    )
    for job_id, tag, _ in started:
        job = harness.job(cluster.url, job_id)
        assert job["status"] == "done" and job["attempts"] == 1, job
        runs = harness.query(
            cluster.url,
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE args_kwargs -> 'args' ->> 0 = %s",
            (str(job_id),),
        )
        assert len(runs) == 1, runs
        status, worker_ids = runs[0]
        assert status == "SUCCESSFUL"
        assert len(worker_ids) == 1 and worker_ids[0] in WORKERS, worker_ids
        counts = harness.imported(cluster.url, tag)
        assert sorted(counts) == list(range(IMPORT_ROWS))
        assert set(counts.values()) == {1}

"""Load without loss: many clients writing at once against the production server, then every
acknowledged write looked for in the database.

    python -m loadtest.writes --clients 32 --seconds 60 \\
        --database-url postgres://postgres@127.0.0.1:5432/alongside_load

It drops and makes the database again (only one with "load" in its name), migrates and seeds
the demo (loadtest.prepare), starts `python -m alongside.serve` (gunicorn, DEBUG off, and the
job worker) on a free port of 127.0.0.1, and signs the demo's coaches and the lead in through
the real forms (the lead with her six-digit code). Then, until the time is up or the request
budget is spent:

- *writers* (most clients) each take one coach's people and loop: open the form, then post a
  conversation, a check-in or a spend request, each with a marker of its own (in the notes, in
  what it is for; a check-in's marker is its date, one day per check-in, long ago). A redirect
  to the record is the site saying "saved": the marker is written down as acknowledged.
- *approvers* open the budget page of a few *contended* people (their allocation set to what is
  already committed plus a little headroom, so most spend requests cannot all be approved) and
  approve a request there, several approvers (coaches and the lead, on different gunicorn
  workers) on the same people at once. "This would go £… over …'s budget" and "Someone has
  already decided this request" are the refusals meant to happen; they are counted apart.

Afterwards, with a connection of its own: every acknowledged marker is in the database exactly
once, with its audit entry; every acknowledged approval is approved; no person's approved
spending is over their allocation; and no request failed (no 5xx, no unexpected status, no
broken connection). The figures go to loadtest/results/writes-<database>.json. Exit 1 if
anything was lost or failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import harness
from .harness import Browser, Response

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/alongside_load"
# Hard limits, whatever is asked for.
MAX_CLIENTS = 64
MAX_SECONDS = 600
MAX_REQUESTS = 200_000
# A check-in's marker is its date: one day per check-in, counted from here (far in the past,
# where no seeded check-in is, and tens of thousands of days before today).
FIRST_MARKER_DAY = date(1930, 1, 1)
LAST_MARKER_DAY = date(1999, 12, 31)
KINDS = ("conversation", "check_in", "spend_request")
DECIDE = re.compile(r'href="/people/(\d+)/budget/(\d+)/decide/"')
ITEM = re.compile(r'name="(item_[a-z0-9_]+)"[^>]*value="(\d+)"')
INSTRUMENT = re.compile(r'href="[^"]*check-ins/add/\?instrument=([a-z0-9_-]+)"')


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# --- what happened -------------------------------------------------------------------------


@dataclass
class Recorder:
    """Every request and every acknowledged write, from all the clients (thread-safe)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str, int, float]] = field(default_factory=list)
    acked: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in KINDS})
    approved: list[int] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)
    nothing_to_decide: int = 0

    def seen(self, what: str, method: str, response: Response) -> None:
        with self.lock:
            self.requests.append((what, method, response.status, response.seconds))
            if response.status >= 500:
                self._fail("5xx", what, method, response.status, response.text[:300])

    def error(self, what: str, method: str, error: BaseException) -> None:
        """No answer at all (refused, reset, timed out): the write's fate is unknown, so it is
        never counted as acknowledged; it is a failure unless the server was killed on purpose."""
        with self.lock:
            self._fail("errors", what, method, 0, f"{type(error).__name__}: {error}"[:300])

    def broken(self, what: str, error: BaseException) -> None:
        with self.lock:
            self._fail("unexpected", what, "?", 0, f"{type(error).__name__}: {error}"[:300])

    def unexpected(self, what: str, method: str, response: Response, why: str) -> None:
        if response.status >= 500:
            return  # counted already
        with self.lock:
            self._fail("unexpected", what, method, response.status, why[:300])

    def _fail(self, kind: str, what: str, method: str, status: int, detail: str) -> None:
        self.failures[kind] += 1
        if len(self.examples) < 20:
            self.examples.append(
                {"kind": kind, "what": what, "method": method, "status": status, "detail": detail}
            )

    def ack(self, kind: str, marker: Any) -> None:
        with self.lock:
            self.acked[kind].append(marker)

    def approve(self, spend_id: int) -> None:
        with self.lock:
            self.approved.append(spend_id)

    def refuse(self, why: str) -> None:
        with self.lock:
            self.refused[why] += 1


class Budget:
    """The time and request limits every client draws from."""

    def __init__(self, seconds: float, requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = requests
        self.stopped = threading.Event()
        self.lock = threading.Lock()

    def take(self, n: int) -> bool:
        if self.stopped.is_set() or time.monotonic() >= self.deadline:
            return False
        with self.lock:
            if self.left < n:
                return False
            self.left -= n
            return True

    def stop(self) -> None:
        self.stopped.set()


class Days:
    """A unique marker date for each check-in (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next = FIRST_MARKER_DAY

    def take(self) -> date:
        with self.lock:
            day = self.next
            if day > LAST_MARKER_DAY:
                raise RuntimeError("out of marker days: too many check-ins for one run")
            self.next += timedelta(days=1)
            return day


# --- the clients ---------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(
        self,
        number: int,
        browser: Browser,
        *,
        role: str,
        people: list[int],
        contended: list[int],
        run_id: str,
        recorder: Recorder,
        budget: Budget,
        days: Days,
        max_amount_pounds: int,
    ) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.number = number
        self.browser = browser
        self.role = role
        self.people = people
        self.contended = contended
        self.run_id = run_id
        self.recorder = recorder
        self.budget = budget
        self.days = days
        self.max_amount = max_amount_pounds
        self.random = random.Random(f"{run_id}-{number}")
        self.count = 0
        self.instrument = ""  # "?instrument=key" once the page has asked which

    def run(self) -> None:
        while self.budget.take(2):
            try:
                if self.role == "approver":
                    self.approve_one()
                else:
                    kind = KINDS[(self.count + self.number) % len(KINDS)]
                    getattr(self, kind)()
            except OSError as error:  # no answer
                self.recorder.error(self.role, "?", error)
                time.sleep(0.1)
            except Exception as error:  # a page this client could not read: a failure
                self.recorder.broken(self.role, error)
            self.count += 1

    # each step: one request, recorded
    def _get(self, what: str, path: str) -> Response | None:
        try:
            response = self.browser.get(path)
        except OSError as error:
            self.recorder.error(what, "GET", error)
            time.sleep(0.1)  # a server that is down answers at once: do not spin
            return None
        self.recorder.seen(what, "GET", response)
        if response.status != 200:
            self.recorder.unexpected(what, "GET", response, f"GET {path}: {response.status}")
            return None
        return response

    def _post(self, what: str, path: str, form: dict[str, str], page: Response) -> Response | None:
        try:
            response = self.browser.post(path, form, token=harness.csrf_token(page.text))
        except OSError as error:
            self.recorder.error(what, "POST", error)
            time.sleep(0.1)
            return None
        self.recorder.seen(what, "POST", response)
        return response

    def _saved(self, what: str, response: Response | None, expected: str) -> bool:
        if response is None:
            return False
        if response.status == 302 and response.location == expected:
            return True
        where = f" to {response.location}" if response.location else ""
        self.recorder.unexpected(what, "POST", response, f"{response.status}{where}")
        return False

    def marker(self) -> str:
        return f"lt-{self.run_id}-{self.number}-{self.count}"

    def conversation(self) -> None:
        person = self.random.choice(self.people)
        path = f"/people/{person}/conversations/add/"
        page = self._get("conversation", path)
        if page is None:
            return
        marker = self.marker()
        form = {
            "happened_on": date.today().isoformat(),
            "place": "The café by the library",
            "notes": f"We talked about the week ahead and what to try next. [{marker}]",
            "reflection": "",
            "version": "",
        }
        answer = self._post("conversation", path, form, page)
        if self._saved("conversation", answer, f"/people/{person}/"):
            self.recorder.ack("conversation", marker)

    def check_in(self) -> None:
        person = self.random.choice(self.people)
        path = f"/people/{person}/check-ins/add/{self.instrument}"
        page = self._get("check_in", path)
        if page is None:
            return
        if not ITEM.search(page.text):  # more than one instrument: the page asks which
            found = INSTRUMENT.search(page.text)
            if found is None:
                self.recorder.unexpected("check_in", "GET", page, "no check-in form")
                return
            self.instrument = f"?instrument={found.group(1)}"
            path = f"/people/{person}/check-ins/add/{self.instrument}"
            page = self._get("check_in", path)
            if page is None:
                return
        choices: dict[str, list[str]] = {}
        for name, value in ITEM.findall(page.text):
            choices.setdefault(name, []).append(value)
        day = self.days.take()
        form = {name: self.random.choice(values) for name, values in choices.items()}
        form["taken_on"] = day.isoformat()
        answer = self._post("check_in", path, form, page)
        if self._saved("check_in", answer, f"/people/{person}/check-ins/"):
            self.recorder.ack("check_in", (person, day.isoformat()))

    def spend_request(self) -> None:
        person = self.random.choice(self.contended or self.people)
        path = f"/people/{person}/budget/ask/"
        page = self._get("spend_request", path)
        if page is None:
            return
        marker = self.marker()
        form = {
            "what_for": f"Bus pass for the course [{marker}]",
            "amount": str(self.random.randint(20, self.max_amount)),
            "category": "travel",
            "goal": "",
        }
        answer = self._post("spend_request", path, form, page)
        if self._saved("spend_request", answer, f"/people/{person}/budget/"):
            self.recorder.ack("spend_request", marker)

    def approve_one(self) -> None:
        person = self.random.choice(self.contended)
        ledger = f"/people/{person}/budget/"
        page = self._get("approval", ledger)
        if page is None:
            return
        waiting = [int(spend) for p, spend in DECIDE.findall(page.text) if int(p) == person]
        if not waiting:
            with self.recorder.lock:
                self.recorder.nothing_to_decide += 1
            time.sleep(0.02)
            return
        spend = self.random.choice(waiting)
        path = f"/people/{person}/budget/{spend}/decide/"
        answer = self._post("approval", path, {"decision": "approve"}, page)
        if answer is None:
            return
        if answer.status == 302 and answer.location == ledger:
            self.recorder.approve(spend)
        elif answer.status == 200 and "would go" in answer.text:
            self.recorder.refuse("over_budget")
        elif answer.status == 200 and "already decided" in answer.text:
            self.recorder.refuse("already_decided")
        else:
            self.recorder.unexpected("approval", "POST", answer, f"{answer.status} {path}")


# --- setting up and running ----------------------------------------------------------------


@dataclass
class Options:
    clients: int = 32
    seconds: float = 60.0
    max_requests: int = MAX_REQUESTS
    approvers: int | None = None  # default: a quarter of the clients, at least one
    contended_per_coach: int = 4
    headroom_pence: int = 40_000
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))

    def checked(self) -> Options:
        if not 1 <= self.clients <= MAX_CLIENTS:
            raise SystemExit(f"--clients must be 1 to {MAX_CLIENTS}")
        if not 0 < self.seconds <= MAX_SECONDS:
            raise SystemExit(f"--seconds must be more than 0 and at most {MAX_SECONDS}")
        self.max_requests = max(1, min(self.max_requests, MAX_REQUESTS))
        return self


def contend(database_url: str, plan: dict, options: Options) -> dict[str, list[int]]:
    """Pick each coach's first few people and set their allocation to what is committed
    already plus the headroom: the spend requests the writers add will not all fit."""
    contended = {
        coach: info["people"][: options.contended_per_coach]
        for coach, info in plan["coaches"].items()
    }
    for person in [p for people in contended.values() for p in people]:
        harness.query(
            database_url,
            "UPDATE coaching_person SET budget_allocation_pence = %s + COALESCE(("
            "SELECT SUM(amount_pence) FROM coaching_spendrequest WHERE person_id = %s "
            "AND status IN ('approved', 'paid')), 0) WHERE id = %s",
            (options.headroom_pence, person, person),
        )
    return contended


def clients_for(
    port: int, plan: dict, options: Options, contended: dict[str, list[int]]
) -> tuple[list[Client], Recorder, Budget]:
    """Sign each coach (and the lead) in once; every client is a browser of its own with a
    copy of that session's cookies (a coach with several tabs), writing or approving."""
    sessions = {coach: harness.signed_in(port, plan, coach) for coach in sorted(contended)}
    lead_people: list[int] = []
    leads = [name for name in plan.get("leads", {}) if name in plan["users"]]
    if leads:
        lead = leads[0]
        organisations = set(plan["leads"][lead]["organisation_ids"])
        lead_people = [
            p
            for coach, people in contended.items()
            if plan["coaches"][coach]["organisation_id"] in organisations
            for p in people
        ]
        if lead_people:
            sessions[lead] = harness.signed_in(port, plan, lead)
    approvers = options.approvers
    if approvers is None:
        approvers = max(1, options.clients // 4)
    approvers = min(approvers, max(0, options.clients - 1))
    recorder = Recorder()
    budget = Budget(options.seconds, options.max_requests)
    days = Days()
    coaches = sorted(contended)
    max_amount = max(20, min(100, plan["coach_approval_limit_pence"] // 100))
    made: list[Client] = []
    for number in range(options.clients):
        approving = number < approvers
        if approving and number == 0 and lead_people:
            name, people, mine = leads[0], lead_people, lead_people
        else:
            name = coaches[number % len(coaches)]
            people, mine = plan["coaches"][name]["people"], contended[name]
        made.append(
            Client(
                number,
                sessions[name].copy(),
                role="approver" if approving else "writer",
                people=people,
                contended=mine,
                run_id=options.run_id,
                recorder=recorder,
                budget=budget,
                days=days,
                max_amount_pounds=max_amount,
            )
        )
    return made, recorder, budget


class Load:
    """The clients, running in the background until the time or the requests run out."""

    def __init__(self, port: int, database_url: str, plan: dict, options: Options) -> None:
        self.options = options.checked()
        self.database_url = database_url
        self.contended = contend(database_url, plan, options)
        self.clients, self.recorder, self.budget = clients_for(port, plan, options, self.contended)
        self.started = 0.0
        self.seconds = 0.0

    def start(self) -> Load:
        self.budget.deadline = time.monotonic() + self.options.seconds
        self.started = time.monotonic()
        for client in self.clients:
            client.start()
        return self

    def stop(self) -> None:
        self.budget.stop()

    def join(self) -> Load:
        for client in self.clients:
            client.join(timeout=self.options.seconds + 120)
        self.seconds = time.monotonic() - self.started
        return self

    def run(self) -> Load:
        return self.start().join()

    def acked(self) -> int:
        with self.recorder.lock:
            return sum(len(v) for v in self.recorder.acked.values())


# --- looking for every write ---------------------------------------------------------------

MARKER = re.compile(r"\[(lt-[0-9a-f]+-\d+-\d+)\]")


def verify(database_url: str, load: Load) -> dict[str, Any]:
    """What the database holds, against what the site acknowledged."""
    recorder, run_id = load.recorder, load.options.run_id
    like = f"%[lt-{run_id}-%"

    def markers(sql: str) -> Counter:
        found: Counter = Counter()
        for (text,) in harness.query(database_url, sql, (like,)):
            found.update(MARKER.findall(text))
        return found

    counts = {
        "conversation": markers("SELECT notes FROM coaching_conversation WHERE notes LIKE %s"),
        "spend_request": markers(
            "SELECT what_for FROM coaching_spendrequest WHERE what_for LIKE %s"
        ),
        "check_in": Counter(
            (int(person), str(day))
            for person, day in harness.query(
                database_url,
                "SELECT person_id, taken_on FROM coaching_checkin WHERE taken_on <= %s",
                (LAST_MARKER_DAY.isoformat(),),
            )
        ),
    }
    lost = {kind: [m for m in recorder.acked[kind] if counts[kind][m] == 0] for kind in KINDS}
    duplicated = {kind: [m for m, n in counts[kind].items() if n > 1] for kind in KINDS}

    approved_now: set[int] = set()
    for start in range(0, len(recorder.approved), 500):
        chunk = recorder.approved[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        approved_now |= {
            int(spend)
            for (spend,) in harness.query(
                database_url,
                f"SELECT id FROM coaching_spendrequest WHERE id IN ({marks}) "  # noqa: S608
                "AND status IN ('approved', 'paid')",
                tuple(chunk),
            )
        }
    approvals_lost = sorted(set(recorder.approved) - approved_now)
    approved_twice = [s for s, n in Counter(recorder.approved).items() if n > 1]

    overspent = harness.query(
        database_url,
        "SELECT id, allocation, committed FROM ("
        " SELECT p.id AS id,"
        "  CASE WHEN p.budget_allocation_pence > 0 THEN p.budget_allocation_pence"
        "   ELSE o.budget_allocation_pence END AS allocation,"
        "  (SELECT COALESCE(SUM(s.amount_pence), 0) FROM coaching_spendrequest s"
        "   WHERE s.person_id = p.id AND s.status IN ('approved', 'paid')) AS committed"
        " FROM coaching_person p JOIN accounts_organisation o ON o.id = p.organisation_id"
        ") budgets WHERE committed > allocation",
    )

    def unaudited(table: str, label: str, where: str, params: tuple[Any, ...]) -> int:
        (row,) = harness.query(
            database_url,
            f"SELECT COUNT(*) FROM {table} t WHERE {where} AND NOT EXISTS ("  # noqa: S608
            " SELECT 1 FROM core_auditentry a WHERE a.object_type = %s"
            " AND a.object_id = CAST(t.id AS TEXT) AND a.action = 'create')",
            (*params, label),
        )
        return int(row[0])

    missing_audit = {
        "conversation": unaudited(
            "coaching_conversation", "coaching.conversation", "t.notes LIKE %s", (like,)
        ),
        "spend_request": unaudited(
            "coaching_spendrequest", "coaching.spendrequest", "t.what_for LIKE %s", (like,)
        ),
        "check_in": unaudited(
            "coaching_checkin",
            "coaching.checkin",
            "t.taken_on <= %s",
            (LAST_MARKER_DAY.isoformat(),),
        ),
    }
    return {
        "lost": sum(len(v) for v in lost.values()),
        "lost_examples": {k: v[:5] for k, v in lost.items() if v},
        "duplicated": sum(len(v) for v in duplicated.values()),
        "duplicated_examples": {k: v[:5] for k, v in duplicated.items() if v},
        "approvals_lost": len(approvals_lost),
        "approved_twice": len(approved_twice),
        "overspent_budgets": len(overspent),
        "overspent_examples": [list(map(int, row)) for row in overspent[:5]],
        "unaudited": sum(missing_audit.values()),
        "found_in_database": {k: sum(v.values()) for k, v in counts.items()},
    }


def summary(load: Load, found: dict[str, Any], *, errors_expected: bool = False) -> dict[str, Any]:
    """The figures, and whether the run passed."""
    recorder = load.recorder
    with recorder.lock:
        requests = list(recorder.requests)
        acked = {k: len(v) for k, v in recorder.acked.items()}
        failures = dict(recorder.failures)
        refused = dict(recorder.refused)
        examples = list(recorder.examples)
        approvals = len(recorder.approved)
    seconds = load.seconds or 1e-9
    latencies = [s * 1000 for _, _, _, s in requests]
    writes = [s * 1000 for _, method, _, s in requests if method == "POST"]
    acked_total = sum(acked.values()) + approvals
    statuses = Counter(str(status) for _, _, status, _ in requests)
    problems = []
    if found["lost"] or found["approvals_lost"]:
        problems.append("acknowledged writes are missing")
    if found["duplicated"] or found["approved_twice"]:
        problems.append("writes are in the database more than once")
    if found["overspent_budgets"]:
        problems.append("a budget is overspent")
    if found["unaudited"]:
        problems.append("writes without their audit entry")
    if failures.get("5xx") or failures.get("unexpected"):
        problems.append("requests failed")
    if failures.get("errors") and not errors_expected:
        problems.append("requests got no answer")
    if not refused.get("over_budget") and approvals + sum(refused.values()) > 0:
        problems.append("no approval was refused: the budgets were not contended")
    return {
        "requests": len(requests),
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(requests) / seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "writes": {**acked, "approvals": approvals, "total": acked_total},
        "writes_per_second": round(acked_total / seconds, 1),
        "latency_ms": {
            "p50": _ms(percentile(latencies, 0.5)),
            "p95": _ms(percentile(latencies, 0.95)),
            "max": _ms(max(latencies, default=None)),
        },
        "write_latency_ms": {
            "p50": _ms(percentile(writes, 0.5)),
            "p95": _ms(percentile(writes, 0.95)),
        },
        "by_request": by_request(requests),
        "refusals": {
            "over_budget": refused.get("over_budget", 0),
            "already_decided": refused.get("already_decided", 0),
            "nothing_to_decide": recorder.nothing_to_decide,
        },
        "failures": {
            "5xx": failures.get("5xx", 0),
            "unexpected": failures.get("unexpected", 0),
            "no_answer": failures.get("errors", 0),
            "examples": examples,
        },
        **found,
        "problems": problems,
        "status": "failed" if problems else "ok",
    }


def by_request(requests: list[tuple[str, str, int, float]]) -> dict[str, Any]:
    """Count, p50 and p95 (ms) of each kind of request ("conversation POST", ...)."""
    groups: dict[str, list[float]] = {}
    for what, method, _, seconds in requests:
        groups.setdefault(f"{what} {method}", []).append(seconds * 1000)
    return {
        key: {
            "count": len(values),
            "p50": _ms(percentile(values, 0.5)),
            "p95": _ms(percentile(values, 0.95)),
        }
        for key, values in sorted(groups.items())
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- the command -----------------------------------------------------------------------------


def run_against(
    site_port: int, database_url: str, plan: dict, options: Options
) -> tuple[Load, dict[str, Any]]:
    """Run the clients against a site that is already up, then look for every write."""
    load = Load(site_port, database_url, plan, options)
    cpu = time.process_time()
    load.run()
    result = summary(load, verify(database_url, load))
    # The clients share the machine with the server: how much of it they took.
    result["client_cpu_seconds"] = round(time.process_time() - cpu, 1)
    return load, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.writes", description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and made again")
    parser.add_argument("--people", type=int, default=harness.TEMPLATE_PEOPLE)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--approvers", type=int, default=None)
    parser.add_argument("--contended-per-coach", type=int, default=4)
    parser.add_argument("--headroom-pounds", type=int, default=400)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)

    url = args.database_url
    if url.startswith("sqlite") and "////" not in url and ":///" in url:
        url = f"sqlite:///{Path(url.split(':///', 1)[1]).resolve()}"
    harness.require_loopback(url)
    name = harness.database_name(url)
    if "load" not in Path(name).name:
        raise SystemExit(f"Refusing to drop {name!r}: give a database with 'load' in its name.")
    options = Options(
        clients=args.clients,
        seconds=args.seconds,
        max_requests=args.max_requests,
        approvers=args.approvers,
        contended_per_coach=args.contended_per_coach,
        headroom_pence=args.headroom_pounds * 100,
    ).checked()
    database = harness.vendor(url)
    log = print
    log(f"== {database}: a fresh database, {args.people} people", flush=True)
    harness.reset_database(url)
    plan = harness.prepare_database(url, args.people)
    log(f"seeded in {plan['seconds']}s", flush=True)
    logs = Path(tempfile.mkdtemp(prefix="loadtest-"))
    media = logs / "media"
    env = harness.server_env(url, secret_key=harness.new_secret_key(), MEDIA_ROOT=str(media))
    harness.ensure_static_files(env)
    load_before = round(os.getloadavg()[0], 2)
    site = harness.Site(env, logs, web_workers=args.web_workers, job_workers=1)
    try:
        site.start()
        log(
            f"serving on 127.0.0.1:{site.port} ({args.web_workers} web workers, 1 job worker); "
            f"{options.clients} clients for {options.seconds:g}s",
            flush=True,
        )
        load, result = run_against(site.port, url, plan, options)
    finally:
        site.stop()
    result = {
        "database": database,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {
            "clients": options.clients,
            "approvers": sum(c.role == "approver" for c in load.clients),
            "seconds": options.seconds,
            "max_requests": options.max_requests,
            "people": plan["people"],
            "coaches_signed_in": len(load.contended),
            "contended_people": sum(len(v) for v in load.contended.values()),
            "headroom_pence": options.headroom_pence,
            "server": f"python -m alongside.serve (gunicorn, {args.web_workers} sync workers, "
            "DEBUG off) and its job worker",
        },
        **result,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"writes-{database}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))
    print(f"Written to {path}")
    if result["status"] != "ok":
        print(f"FAILED: {'; '.join(result['problems'])}. Server log: {site.log_path}")
        return 1
    shutil.rmtree(logs, ignore_errors=True)
    return 0


def report(result: dict[str, Any]) -> str:
    w, lat, wl = result["writes"], result["latency_ms"], result["write_latency_ms"]
    f, r = result["failures"], result["refusals"]
    return "\n".join(
        [
            f"requests        {result['requests']:,} in {result['seconds']}s "
            f"({result['requests_per_second']}/s) {result['statuses']}",
            f"writes          {w['total']:,} acknowledged ({result['writes_per_second']}/s): "
            f"{w['conversation']} conversations, {w['check_in']} check-ins, "
            f"{w['spend_request']} spend requests, {w['approvals']} approvals",
            f"latency         p50 {lat['p50']} ms, p95 {lat['p95']} ms, max {lat['max']} ms "
            f"(posts: p50 {wl['p50']} ms, p95 {wl['p95']} ms)",
            f"refused         {r['over_budget']} over budget, {r['already_decided']} already "
            "decided (meant to be refused)",
            f"failed          {f['5xx']} 5xx, {f['unexpected']} unexpected, "
            f"{f['no_answer']} without an answer",
            f"in the database lost {result['lost']}, twice {result['duplicated']}, "
            f"approvals lost {result['approvals_lost']}, overspent budgets "
            f"{result['overspent_budgets']}, without audit {result['unaudited']}",
            f"status          {result['status']}",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())

"""The load client: N threads, each with its own HTTP connection, asking for one page over and
over for a fixed time, recording every request's latency.

    python -m bench.load < plan.json      (bench.measure does this; one JSON line per level)

It runs in its own process, apart from the server and from the Django process that drives the
run, and imports nothing but the standard library, so it costs the server as little CPU as a
client on the same machine can: each request is a few hundred microseconds of Python (the
client's own CPU time is reported with each level, so you can see what it took). Connections
are kept alive when the server allows it; gunicorn's sync workers close each one, so a new
connection per request is part of what is measured, as it would be behind most proxies.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import resource
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct% of values at or below."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Level:
    """What one concurrency level recorded."""

    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    server_cpu_seconds: float | None = None

    def summary(self) -> dict[str, Any]:
        return summarise(
            self.latencies_ms,
            self.seconds,
            concurrency=self.concurrency,
            statuses=self.statuses,
            errors=self.errors,
            client_cpu_seconds=self.client_cpu_seconds,
            server_cpu_seconds=self.server_cpu_seconds,
        )


def summarise(
    latencies_ms: list[float],
    seconds: float,
    *,
    concurrency: int,
    statuses: Counter[int] | dict[int, int] | None = None,
    errors: Counter[str] | dict[str, int] | None = None,
    client_cpu_seconds: float = 0.0,
    server_cpu_seconds: float | None = None,
) -> dict[str, Any]:
    """Median, p95 and requests per second of one level; ok only if every request got a 200.
    `server_cpu_seconds` (the web workers' CPU time during the level) gives the CPU each
    request cost the server, which other work on a shared machine disturbs far less than
    the latencies."""
    statuses = dict(statuses or {})
    errors = dict(errors or {})
    requests = len(latencies_ms)
    ok = requests > 0 and set(statuses) == {200} and not errors
    return {
        "concurrency": concurrency,
        "requests": requests,
        "seconds": round(seconds, 3),
        "median_ms": round(statistics.median(latencies_ms), 2) if requests else None,
        "p95_ms": round(percentile(latencies_ms, 95), 2) if requests else None,
        "max_ms": round(max(latencies_ms), 2) if requests else None,
        "rps": round(requests / seconds, 1) if seconds > 0 else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors,
        "client_cpu_seconds": round(client_cpu_seconds, 3),
        "server_cpu_ms_per_request": (
            round(1000 * server_cpu_seconds / requests, 2)
            if server_cpu_seconds is not None and requests
            else None
        ),
        "status": "ok" if ok else "failed",
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (from /proc; 0 for one gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def drive(
    port: int,
    path: str,
    *,
    concurrency: int,
    seconds: float,
    cookie: str = "",
    host: str = HOST,
    timeout: float = 60.0,
    server_pids: list[int] | None = None,
) -> Level:
    """`concurrency` clients asking for `path` until `seconds` have passed. A request still
    running at the end is waited for and counted; none is started after it."""
    headers = {"Host": f"{host}:{port}", "User-Agent": "alongside-bench"}
    if cookie:
        headers["Cookie"] = cookie
    level = Level(concurrency=concurrency)
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        errors: Counter[str] = Counter()
        ready.wait()
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                errors[type(error).__name__] += 1
                connection.close()  # the next request opens a new connection
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] += 1
        connection.close()
        with lock:
            level.latencies_ms += latencies
            level.statuses.update(statuses)
            level.errors.update(errors)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu = _cpu_seconds()
    server_cpu = process_cpu_seconds(server_pids or [])
    started = time.perf_counter()
    deadline[0] = started + seconds
    ready.wait()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    level.client_cpu_seconds = _cpu_seconds() - cpu
    if server_pids:
        level.server_cpu_seconds = process_cpu_seconds(server_pids) - server_cpu
    return level


def warm(port: int, path: str, *, cookie: str = "", count: int = 4) -> list[int]:
    """A few untimed requests (each worker compiles its templates and opens its database
    connection on its first). Returns their statuses."""
    statuses = []
    for _ in range(count):
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {"Host": f"{HOST}:{port}"} | ({"Cookie": cookie} if cookie else {})
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        finally:
            connection.close()
    return statuses


def run_plan(plan: dict[str, Any], out: Any = sys.stdout) -> None:
    """For each page in the plan, warm up, then drive each concurrency level; one JSON line
    per level, written as soon as it is done."""
    port = plan["port"]
    for page in plan["pages"]:
        warm_statuses = warm(port, page["path"], cookie=page.get("cookie", ""), count=plan["warm"])
        for concurrency in plan["concurrency"]:
            level = drive(
                port,
                page["path"],
                concurrency=concurrency,
                seconds=plan["seconds"],
                cookie=page.get("cookie", ""),
                server_pids=plan.get("server_pids"),
            )
            line = {"key": page["key"], "path": page["path"], "warm_statuses": warm_statuses}
            out.write(json.dumps(line | level.summary()) + "\n")
            out.flush()


def main() -> int:
    run_plan(json.load(sys.stdin))
    return 0


if __name__ == "__main__":
    sys.exit(main())

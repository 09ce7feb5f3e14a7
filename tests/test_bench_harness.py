"""The bench's pieces: its statistics, the load client against a tiny local server, the
two-factor codes it signs in with, the results file, and one small run end to end (seeded,
served by gunicorn, every page asked for over HTTP). No assertion depends on how fast
anything is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import load, report
from bench.pages import FLOOR, PAGES
from bench.server import totp

ROOT = Path(__file__).resolve().parent.parent


# --- statistics -------------------------------------------------------------------------------


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile(values, 100) == 100
    assert load.percentile([7.0], 95) == 7
    assert load.percentile([3.0, 1.0, 2.0], 0) == 1  # at least the smallest
    assert load.percentile([1.0, 2.0, 3.0, 4.0], 95) == 4
    with pytest.raises(ValueError):
        load.percentile([], 50)


def test_summary_counts_only_an_all_200_level_as_ok():
    good = load.summarise([10.0, 20.0, 30.0, 40.0], 2.0, concurrency=2, statuses={200: 4})
    assert good["status"] == "ok"
    assert (good["median_ms"], good["p95_ms"], good["rps"], good["requests"]) == (25, 40, 2, 4)
    redirected = load.summarise([5.0], 1.0, concurrency=1, statuses={200: 3, 302: 1})
    assert redirected["status"] == "failed"
    broken = load.summarise([5.0], 1.0, concurrency=1, statuses={200: 1}, errors={"Reset": 1})
    assert broken["status"] == "failed"
    nothing = load.summarise([], 1.0, concurrency=1)
    assert nothing["status"] == "failed" and nothing["median_ms"] is None
    with_cpu = load.summarise(
        [1.0, 1.0], 1.0, concurrency=1, statuses={200: 2}, server_cpu_seconds=0.5
    )
    assert with_cpu["server_cpu_ms_per_request"] == 250


# --- the load client ---------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client expects when a server allows it
    cookies: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.cookies.append(self.headers.get("Cookie", ""))
        status = 200 if self.path == "/ok" else 302
        body = b"ok" if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if status == 302:
            self.send_header("Location", "/accounts/sign-in/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tiny_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_load_client_drives_concurrent_clients_and_records_each_request(tiny_server):
    _Handler.cookies = []
    level = load.drive(
        tiny_server,
        "/ok",
        concurrency=3,
        seconds=0.3,
        cookie="sessionid=abc",
        server_pids=[os.getpid()],
    )
    summary = level.summary()
    assert summary["status"] == "ok"
    assert summary["requests"] == len(level.latencies_ms) == level.statuses[200] > 0
    assert summary["concurrency"] == 3
    assert 0 < summary["median_ms"] <= summary["p95_ms"] <= summary["max_ms"]
    assert summary["server_cpu_ms_per_request"] is not None
    assert set(_Handler.cookies) == {"sessionid=abc"}


def test_a_page_that_does_not_answer_200_fails_its_level(tiny_server):
    summary = load.drive(tiny_server, "/elsewhere", concurrency=2, seconds=0.1).summary()
    assert summary["status"] == "failed"
    assert summary["statuses"].get("302", 0) > 0


def test_a_plan_gives_one_line_per_page_and_level(tiny_server):
    import io

    out = io.StringIO()
    plan = {
        "port": tiny_server,
        "warm": 1,
        "seconds": 0.05,
        "concurrency": [1, 2],
        "pages": [{"key": "a", "path": "/ok"}, {"key": "b", "path": "/ok", "cookie": "x=1"}],
    }
    load.run_plan(plan, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["key"], line["concurrency"]) for line in lines] == [
        ("a", 1),
        ("a", 2),
        ("b", 1),
        ("b", 2),
    ]
    assert all(line["warm_statuses"] == [200] for line in lines)


# --- signing in --------------------------------------------------------------------------------


def test_the_two_factor_code_is_the_one_django_otp_accepts():
    from django_otp.oath import totp as otp_totp

    from alongside.demo.sign_ins import DEMO_LEAD_TOTP_KEY_HEX

    before = totp(DEMO_LEAD_TOTP_KEY_HEX)
    theirs = f"{otp_totp(bytes.fromhex(DEMO_LEAD_TOTP_KEY_HEX), step=30, digits=6):06d}"
    after = totp(DEMO_LEAD_TOTP_KEY_HEX)
    assert theirs in {before, after}  # the 30-second step may turn between the calls
    # RFC 6238's test vectors (SHA-1, 8 digits) for the same key.
    assert totp(DEMO_LEAD_TOTP_KEY_HEX, at=59, digits=8) == "94287082"
    assert totp(DEMO_LEAD_TOTP_KEY_HEX, at=1111111109, digits=8) == "07081804"


# --- the results file --------------------------------------------------------------------------


def _level(concurrency: int, median: float, p95: float, ratio: float | None = None) -> dict:
    row = load.summarise([median, p95], 1.0, concurrency=concurrency, statuses={200: 2})
    row["median_ms"], row["p95_ms"] = median, p95
    if ratio is not None:
        row["ratio_to_floor"] = ratio
    return row


def _run(database: str) -> dict:
    def page(key: str, ratio: float, p95: float) -> dict:
        return {
            "key": key,
            "page": key,
            "path": key,
            "user": "priya",
            "module": "coaching",
            "queries": 7,
            "status": "ok",
            "levels": {"1": _level(1, 2 * ratio, 2 * ratio, ratio), "32": _level(32, 50, p95, 9)},
        }

    return {
        "database": database,
        "workers": 3,
        "floor": {"1": _level(1, 2, 3), "32": _level(32, 30, 60)},
        "floor_end": {"1": _level(1, 2, 3), "32": _level(32, 30, 60)},
        "floor_queries": 1,
        "worker_peak_rss_mb": [80.0, 81.0, 82.0],
        "client_cpu_share": 0.05,
        "seed": {
            "seconds": 60,
            "migrate_seconds": 3,
            "peak_rss_mb": 400,
            "counts": dict.fromkeys(
                [
                    "people",
                    "coaches",
                    "conversations",
                    "check_ins",
                    "goals",
                    "spend_requests",
                    "barriers",
                    "contributions",
                ],
                10,
            ),
        },
        "pages": [page("fast", 3, 100), page("slow", 12, 100), page("late", 4, 300)],
    }


def test_misses_name_the_pages_over_either_goal():
    missed = report.misses(_run("postgresql"))
    assert missed == {"ratio_above_10_at_1": ["slow"], "p95_from_250ms_at_32": ["late"]}


def test_the_markdown_has_a_row_per_page_and_marks_the_misses():
    result = {
        "name": "t",
        "date": "2026-01-01T00:00:00+00:00",
        "machine": {
            "cpu_count": 2,
            "python": "3.11",
            "platform": "Linux",
            "load_average_before": 0.1,
        },
        "settings": {"workers": 3, "seconds": 5},
        "runs": [_run("postgresql"), _run("sqlite")],
    }
    text = report.markdown(result)
    assert "## PostgreSQL" in text and "## SQLite" in text
    postgres, sqlite = text.split("## SQLite")
    assert "over 10× floor" in postgres and "p95 ≥ 250 ms at 32" in postgres
    # The p95 goal is PostgreSQL's: SQLite's table does not mark it.
    assert "p95 ≥ 250 ms" not in sqlite and "over 10× floor" in sqlite
    assert postgres.count("| `") == 5  # the floor, three pages, the floor again


# --- end to end ----------------------------------------------------------------------------------


def test_a_small_run_serves_every_page_under_gunicorn_and_writes_the_results(tmp_path):
    out = tmp_path / "results"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            *("--people", "40", "--contributions", "30", "--name", "smoke"),
            *("--out", str(out), "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}"),
            *("--seconds", "0.1", "--concurrency", "1,2", "--workers", "2", "--warm", "1"),
            *("--quiet-wait", "0", "--theme-methods", "tfidf"),
            *("--themes-sizes", "60", "--redaction-sizes", "60"),
        ],
        cwd=ROOT,
        env=os.environ | {"BENCH_STATIC_ROOT": str(tmp_path / "static")},
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    result = json.loads((out / "smoke.json").read_text())
    assert (out / "smoke.md").read_text().startswith("# Bench `smoke`")
    assert result["status"] == "ok"
    assert {"python", "platform", "cpu_count"} <= set(result["machine"])
    (run,) = result["runs"]
    assert run["database"] == "sqlite"
    assert run["workers"] == 2
    assert run["seed"]["counts"]["people"] == 40
    assert run["seed"]["seconds"] > 0 and run["seed"]["peak_rss_mb"] > 0
    assert set(run["floor"]) == {"1", "2"}
    assert [(p["page"], p["user"] or None) for p in run["pages"]] == [
        (page.path, page.user) for page in PAGES
    ]
    for page in run["pages"]:
        assert page["status"] == "ok", page
        assert isinstance(page["queries"], int)
        assert "{" not in page["path"]
        for concurrency, level in page["levels"].items():
            assert level["concurrency"] == int(concurrency)
            assert level["statuses"] == {"200": level["requests"]}
            assert 0 < level["median_ms"] <= level["p95_ms"]
            assert level["ratio_to_floor"] >= 0
            # Requests per second as counted (a slow level on a busy machine can round to 0).
            assert level["requests"] > 0
            assert level["rps"] == pytest.approx(level["requests"] / level["seconds"], rel=0.05)
    assert FLOOR.path not in {p["page"] for p in run["pages"]}
    assert result["jobs"]["themes"][0]["size"] == 60
    assert result["jobs"]["redaction"][0]["contributions_per_second"] > 0

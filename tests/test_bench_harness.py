"""The bench harness runs end to end on a small demo and writes a complete result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent


def test_harness_times_every_page_and_writes_json(tmp_path):
    out = tmp_path / "results"
    database_url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--people",
            "60",
            "--repeat",
            "2",
            "--themes-size",
            "200",
            "--name",
            "smoke",
            "--out",
            str(out),
            "--database-url",
            database_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads((out / "smoke.json").read_text())
    assert result["name"] == "smoke"
    assert result["status"] == "ok"
    assert result["people"] == 60
    assert result["database"] == "sqlite"
    assert result["seed_seconds"] > 0
    assert {"python", "platform", "cpu_count"} <= set(result["machine"])
    assert [(p["page"], p["user"] or None) for p in result["pages"]] == [
        (page.path, page.user) for page in PAGES
    ]
    for page in result["pages"]:
        assert page["status"] == "ok", page
        assert page["status_code"] == 200
        assert isinstance(page["queries"], int)
        assert 0 < page["median_ms"] <= page["p95_ms"]
        assert "{" not in page["path"]
    assert "median ms" in completed.stdout
    assert result["themes"], "the theme suggestion is timed too"

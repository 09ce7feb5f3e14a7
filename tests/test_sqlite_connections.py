"""SQLite connections are kept between requests (`CONN_MAX_AGE`, as on PostgreSQL: opening the
file for every request was most of a SQLite request's time under gunicorn; issue 11), except
under Django's development server, which starts a thread for every request and left the kept
connections open behind them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import sys; sys.argv = sys.argv[1:]; "
    "import alongside.settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])"
)


def conn_max_age(*argv: str, **env: str) -> int:
    base = {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}
    base.update({"DEBUG": "1", **env})  # no DATABASE_URL: the embedded SQLite default
    result = subprocess.run(
        [sys.executable, "-c", SHOW, *argv],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


@pytest.mark.parametrize("argv", [("gunicorn",), ("manage.py", "worker")])
def test_sqlite_connections_are_kept(argv):
    assert conn_max_age(*argv) == 60
    assert conn_max_age(*argv, CONN_MAX_AGE="5") == 5


def test_the_development_server_opens_one_a_request():
    assert conn_max_age("manage.py", "runserver", "127.0.0.1:8000") == 0

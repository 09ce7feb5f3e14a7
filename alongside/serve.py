"""Run the site and its background worker together, in the foreground, until stopped.

    python -m alongside.serve              production: gunicorn, DEBUG off (what `make serve` runs)
    python -m alongside.serve --dev        development: Django's runserver (what `make run` runs)

It starts the web server and `manage.py worker` as two child processes. If the worker dies it
is started again, after a pause that grows while it keeps dying (a job it held is taken up
again, see alongside.core.jobs); the web server is never stopped because of it. If the web
server dies, everything stops with its exit code, so whatever supervises this (systemd, a container
runtime) restarts the lot. Ctrl+C or SIGTERM stops both gracefully: the web server finishes the
requests in hand and the worker the job in hand.

Configured by the environment, like the site: HOST, PORT, WEB_WORKERS (gunicorn processes),
WEB_THREADS, JOB_WORKERS (worker processes), FORWARDED_ALLOW_IPS (the TLS proxy's address,
whose X-Forwarded-Proto is believed), plus everything alongside.settings reads.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
# A worker that keeps stopping is started again after a growing pause (a second, doubling to a
# minute), never given up on: the site must not stop because jobs cannot run for a while.
FIRST_RESTART_WAIT = 1.0
LONGEST_RESTART_WAIT = 60.0


def recommended_web_workers() -> int:
    """One process per core, at least 2. Requests are CPU work, in Python and in the database
    on the same machine: on 2 cores, 2 workers served the person page at 32 clients as fast as
    3 and faster than 4 (bench/results/default.md). With the database on another machine, or
    long requests common, try one or two more."""
    return max(2, os.cpu_count() or 1)


def web_command(args: argparse.Namespace) -> list[str]:
    if args.dev:
        return [sys.executable, "manage.py", "runserver", f"{args.host}:{args.port}"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "alongside.wsgi:application",
        f"--bind={args.host}:{args.port}",
        f"--workers={args.web_workers}",
        f"--threads={args.web_threads}",
        # A worker that hangs for 30 s is replaced; one that has served this many requests is
        # replaced too, so a slow leak can never grow without bound.
        "--timeout=30",
        "--graceful-timeout=30",
        "--max-requests=2000",
        "--max-requests-jitter=200",
        f"--forwarded-allow-ips={os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1')}",
        # gunicorn's control socket sits at one path per user: two servers on one machine
        # (two sites, or a second app server) would fight over it, and nothing here uses it.
        "--no-control-socket",
        "--access-logfile=-",
        # Request line and status only: no query strings (they can hold search words) and no
        # referrer; the request id ties a line to the application's own log.
        '--access-logformat=%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
    ]


def worker_command(args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "manage.py", "worker", "--interval=1"]
    if not args.dev:
        command.append("--no-reload")
    return command


class Supervisor:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.stopping = False
        self.web: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.restart_wait = FIRST_RESTART_WAIT
        self.restart_at: dict[int, float] = {}
        self.started_at: dict[int, float] = {}

    def start(self) -> None:
        # Our own command lines, from this file and integer or address options: no shell.
        self.web = subprocess.Popen(web_command(self.args), cwd=ROOT)  # noqa: S603
        self.workers = [self._start_worker(index) for index in range(self.args.job_workers)]
        where = f"http://{self.args.host}:{self.args.port}/"
        kind = "development server" if self.args.dev else f"{self.args.web_workers} web workers"
        print(f"Alongside is running on {where} ({kind}, {self.args.job_workers} job worker).")

    def _start_worker(self, index: int) -> subprocess.Popen[bytes]:
        self.started_at[index] = time.monotonic()
        return subprocess.Popen(worker_command(self.args), cwd=ROOT)  # noqa: S603

    def stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            return
        self.stopping = True
        print("Stopping: finishing the requests and the job in hand...", flush=True)
        for process in [self.web, *self.workers]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)

    def watch(self) -> int:
        assert self.web is not None
        while True:
            if self.stopping:
                return self._wait_all()
            if self.web.poll() is not None:
                print(f"The web server stopped (exit {self.web.returncode}); stopping.")
                self.stop(signal.SIGTERM, None)
                self._wait_all()
                return self.web.returncode or 1
            for index, worker in enumerate(self.workers):
                if worker.poll() is not None and not self.stopping:
                    self._restart_later(index, worker)
            time.sleep(0.5)

    def _restart_later(self, index: int, worker: subprocess.Popen[bytes]) -> None:
        """Start a stopped worker again after a pause: a second if it had run for a minute,
        else twice the last pause, up to a minute."""
        now = time.monotonic()
        due = self.restart_at.get(index)
        if due is None:
            if now - self.started_at.get(index, now) > 60:
                self.restart_wait = FIRST_RESTART_WAIT
            self.restart_at[index] = now + self.restart_wait
            print(
                f"The job worker stopped (exit {worker.returncode}); starting it again in "
                f"{self.restart_wait:.0f} s. The site goes on meanwhile.",
                flush=True,
            )
            self.restart_wait = min(self.restart_wait * 2, LONGEST_RESTART_WAIT)
        elif now >= due:
            del self.restart_at[index]
            self.workers[index] = self._start_worker(index)

    def _wait_all(self, timeout: float = 40) -> int:
        deadline = time.monotonic() + timeout
        for process in [self.web, *self.workers]:
            if process is None:
                continue
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        return 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="store_true", help="Django's development server")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument(
        "--web-workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", recommended_web_workers())),
    )
    parser.add_argument("--web-threads", type=int, default=int(os.environ.get("WEB_THREADS", 1)))
    parser.add_argument("--job-workers", type=int, default=int(os.environ.get("JOB_WORKERS", 1)))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    supervisor = Supervisor(args)
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    supervisor.start()
    return supervisor.watch()


if __name__ == "__main__":
    sys.exit(main())

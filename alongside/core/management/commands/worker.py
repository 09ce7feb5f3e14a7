"""`manage.py worker`: run background jobs (alongside.core.jobs) until stopped.

django-tasks' database worker, plus two things it lacks:

- a watch for jobs whose worker died: every JOB_REAP_SECONDS it puts back any running job that
  has stopped answering, so a job killed with its worker runs again to completion, and runs
  the scheduled work whose time has come (`core.schedule`: feeds, renewal reminders);
- patience with the database: when it cannot be reached the worker waits and tries again
  (5 s, doubling to a minute) instead of exiting, so a database restart never stops the jobs.

Run as many as you like, on as many machines: they share the queue in the database."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from alongside.core import jobs, schedule

logger = logging.getLogger("alongside.core.jobs")
FIRST_WAIT = 5.0
LONGEST_WAIT = 60.0


def _requeue_stale_quietly() -> None:
    try:
        close_old_connections()
        jobs.requeue_stale()
        schedule.run_due()
    except DatabaseError:  # away for now: the next round tries again
        logger.warning("could not check for stale jobs: the database cannot be reached")
    finally:
        connection.close()


def _watch_for_stale_jobs(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        _requeue_stale_quietly()


class Command(DatabaseWorkerCommand):
    help = "Run Alongside's background jobs until stopped (Ctrl+C or SIGTERM finishes the job)."

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(getattr(settings, "JOB_REAP_SECONDS", 30))
        stop = threading.Event()
        # Once straight away: a worker starting after a crash picks up what the crash left.
        _requeue_stale_quietly()
        watch = threading.Thread(
            target=_watch_for_stale_jobs, args=(stop, every), name="stale-jobs", daemon=True
        )
        watch.start()
        wait = FIRST_WAIT
        try:
            while True:
                try:
                    super().handle(*args, **options)
                    return
                except DatabaseError:
                    logger.warning(
                        "the database cannot be reached; the worker tries again in %.0f s", wait
                    )
                    connection.close()
                    time.sleep(wait)
                    wait = min(wait * 2, LONGEST_WAIT)
        finally:
            stop.set()

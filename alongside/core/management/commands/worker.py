"""`manage.py worker`: run background jobs (alongside.core.jobs) until stopped.

django-tasks' database worker, plus a watch for jobs whose worker died: every
JOB_REAP_SECONDS it puts back any running job that has stopped answering, so a job killed with
its worker runs again to completion. Run as many as you like, on as many machines: they share
the queue in the database."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from alongside.core import jobs

logger = logging.getLogger("alongside.core.jobs")


def _watch_for_stale_jobs(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            close_old_connections()
            jobs.requeue_stale()
        except Exception:  # the watch must outlive a database that is briefly away
            logger.exception("checking for stale jobs failed; trying again later")
        finally:
            connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run Alongside's background jobs until stopped (Ctrl+C or SIGTERM finishes the job)."

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(getattr(settings, "JOB_REAP_SECONDS", 30))
        stop = threading.Event()
        # Once straight away: a worker starting after a crash picks up what the crash left.
        jobs.requeue_stale()
        watch = threading.Thread(
            target=_watch_for_stale_jobs, args=(stop, every), name="stale-jobs", daemon=True
        )
        watch.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

"""Background jobs: work too long for a request (a big import, the sentence model's vectors),
run by `manage.py worker` while the page stays usable.

A feature app registers a handler for a kind of job, and starts jobs with `start`:

    @jobs.handler("listening.import")
    def bring_in(job: Job, run: jobs.Run) -> None:
        for batch in ...:
            ...                                   # slow work, nothing written yet
            run.progress(done, total)             # shown to the team; proves the run is alive
        with run.finishing("Brought in 300 contributions."):
            ...                                   # the writes, in one transaction

Guarantees, and how:
- **Survives a restart.** The job and its queue entry (django-tasks' database backend) are rows
  in the same database, written in the transaction that starts the job: a job is either started
  and queued, or neither.
- **Runs once.** A run takes the job by changing its status from waiting to running with a
  fresh `lease` token in one conditional UPDATE; only one run can win it, on any number of
  workers (django-tasks also locks queue rows with SKIP LOCKED on PostgreSQL).
  `Run.finishing` checks the lease again, under a row lock, in the transaction that writes the
  result and marks the job done, so a run that lost its job (its worker was thought dead and the
  job was taken over) writes nothing.
- **Retries with backoff.** An exception puts the job back to waiting, queued again after
  `JOB_RETRY_SECONDS * 2 ** (attempt - 1)` seconds, until `max_attempts`; then it is failed,
  with a message for the people who started it. `JobProblemError` fails at once with its own words
  (a problem no retry will mend).
- **What it was given goes when it ends.** A job's payload (an import's rows, words people
  said) is emptied when the job finishes or fails: the records it made hold what is kept.
- **A dead worker is noticed.** A running job whose heartbeat (`Run.progress`) is older than
  `JOB_STALE_SECONDS` is put back to waiting and queued again (`requeue_stale`, which every
  worker calls every `JOB_REAP_SECONDS`).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django_tasks import task

from .models import Job

logger = logging.getLogger(__name__)

Status = Job.Status
Handler = Callable[[Job, "Run"], None]
HANDLERS: dict[str, Handler] = {}

FAILED_MESSAGE = (
    "It stopped with a problem and nothing was changed. Try again; if it stops again, tell "
    "whoever looks after Alongside for you and give them the reference job {id}."
)


class JobProblemError(Exception):
    """A problem no retry will mend. Its words are shown to the people who started the job,
    so they must be plain and hold no personal data."""


class JobLostError(Exception):
    """This run no longer holds its job: it was taken over after it stopped answering."""


def setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does a kind of job."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def start(
    *,
    kind: str,
    title: str,
    started_by: Any = None,
    subject: Model | None = None,
    organisation_id: int | None = None,
    payload: dict[str, Any] | None = None,
    total: int = 0,
    max_attempts: int | None = None,
) -> Job:
    """Record a job and queue it, both or neither. Call it inside the transaction of the
    change that asks for the job, so a rolled-back change starts nothing."""
    if kind not in HANDLERS:
        raise ValueError(f"No handler is registered for jobs of kind {kind!r}.")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            started_by=started_by if getattr(started_by, "pk", None) else None,
            organisation_id=organisation_id,
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=subject.pk if subject is not None else None,
            payload=payload or {},
            total=total,
            max_attempts=max_attempts or int(setting("JOB_MAX_ATTEMPTS", 4)),
        )
        _queue(job)
    return job


def _queue(job: Job, *, after: timedelta | None = None) -> None:
    when = timezone.now() + after if after else None
    runner = run_job.using(run_after=when) if when else run_job
    runner.enqueue(job.pk)


@task()
def run_job(job_id: int) -> str:
    """What the worker runs: take the job, do it, record how it ended."""
    return run(job_id)


def run(job_id: int) -> str:
    lease = secrets.token_hex(16)
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Status.WAITING).update(
        status=Status.RUNNING,
        lease=lease,
        heartbeat=now,
        started_at=now,
        message="",
        attempts=F("attempts") + 1,
    )
    if not taken:
        # Done already, failed, or held by a live run: a second queue entry for the same job
        # (from a requeue) finds nothing to do.
        return "not waiting"
    job = Job.objects.get(pk=job_id)
    work = HANDLERS.get(job.kind)
    try:
        if work is None:
            raise JobProblemError("This kind of job is not known to this version of Alongside.")
        this_run = Run(job, lease)
        work(job, this_run)
        if not this_run.finished:
            this_run.finish("Finished.")
    except JobLostError:
        logger.warning("job %s: taken over by another run; this run stops", job_id)
        return "lost"
    except JobProblemError as problem:
        _fail(job, lease, str(problem))
        return "failed"
    except Exception:
        logger.exception("job %s (%s) attempt %s failed", job_id, job.kind, job.attempts)
        if job.attempts >= job.max_attempts:
            _fail(job, lease, FAILED_MESSAGE.format(id=job.pk))
            return "failed"
        _retry_later(job, lease)
        return "will retry"
    return "done"


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=setting("JOB_RETRY_SECONDS", 30) * 2 ** max(0, attempt - 1))


def _retry_later(job: Job, lease: str) -> None:
    delay = backoff(job.attempts)
    with transaction.atomic():
        back = Job.objects.filter(pk=job.pk, lease=lease, status=Status.RUNNING).update(
            status=Status.WAITING,
            lease="",
            run_after=timezone.now() + delay,
            message="It ran into a problem and will try again shortly.",
        )
        if back:
            _queue(job, after=delay)


def _fail(job: Job, lease: str, message: str) -> None:
    Job.objects.filter(pk=job.pk, lease=lease).update(
        status=Status.FAILED,
        lease="",
        finished_at=timezone.now(),
        message=message[:300],
        payload={},
    )


class Run:
    """One attempt at a job, handed to its handler."""

    def __init__(self, job: Job, lease: str) -> None:
        self.job = job
        self.lease = lease
        self.finished = False

    def progress(self, done: int, total: int | None = None) -> None:
        """Say how far it has got (shown to the team), which also proves the run is alive.
        Raises JobLostError if the job was taken over, so the handler stops."""
        fields: dict[str, Any] = {"done": done, "heartbeat": timezone.now()}
        if total is not None:
            fields["total"] = total
        if not Job.objects.filter(pk=self.job.pk, lease=self.lease).update(**fields):
            raise JobLostError
        self.job.done = done
        if total is not None:
            self.job.total = total

    @contextmanager
    def finishing(self, message: str) -> Iterator[Run]:
        """One transaction for the job's writes and for marking it done: both or neither,
        and neither unless this run still holds the job. The handler may change
        `run.message` inside the block (once it knows what it did)."""
        self.message = message
        with transaction.atomic():
            held = (
                Job.objects.select_for_update()
                .filter(pk=self.job.pk, lease=self.lease, status=Status.RUNNING)
                .exists()
            )
            if not held:
                raise JobLostError
            yield self
            self._mark_done(self.message)
        self.finished = True

    @contextmanager
    def alive(self, every: float | None = None) -> Iterator[Run]:
        """Keep the heartbeat going while one long step runs that cannot say how far it has
        got (the theme engine is a single call), so the job is not taken for dead."""
        every = every or setting("JOB_STALE_SECONDS", 300) / 4
        stop = threading.Event()

        def beat() -> None:
            try:
                while not stop.wait(every):
                    try:
                        Job.objects.filter(pk=self.job.pk, lease=self.lease).update(
                            heartbeat=timezone.now()
                        )
                    except DatabaseError:  # busy or away for a moment: beat at the next tick
                        logger.warning("job %s: heartbeat missed", self.job.pk, exc_info=True)
            finally:
                connection.close()  # this thread's own connection

        thread = threading.Thread(target=beat, name=f"job-{self.job.pk}-heartbeat", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()

    def finish(self, message: str) -> None:
        with transaction.atomic():
            if not self._mark_done(message):
                raise JobLostError
        self.finished = True

    def _mark_done(self, message: str) -> int:
        return Job.objects.filter(pk=self.job.pk, lease=self.lease).update(
            status=Status.DONE,
            lease="",
            done=max(self.job.done, self.job.total),
            finished_at=timezone.now(),
            heartbeat=timezone.now(),
            message=message[:300],
            payload={},
        )


def requeue_stale(*, now: Any = None) -> int:
    """Put back every running job whose run has stopped answering (its worker was killed, or
    its machine went away), and queue it again. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=setting("JOB_STALE_SECONDS", 300))
    requeued = 0
    for job in Job.objects.filter(status=Status.RUNNING, heartbeat__lt=cutoff):
        with transaction.atomic():
            # Conditional on the heartbeat it had: a run that spoke since keeps its job, and of
            # two workers reaping at once only one requeues it.
            back = Job.objects.filter(
                pk=job.pk, status=Status.RUNNING, heartbeat=job.heartbeat
            ).update(status=Status.WAITING, lease="", message="Starting again.")
            if back:
                _queue(job)
                requeued += 1
                logger.warning("job %s: its run stopped answering; queued again", job.pk)
    return requeued


def run_pending(*, limit: int | None = None) -> int:
    """Run every queued task that is due, in this process, and return how many ran: what
    `manage.py worker` does, without its loop, its signals or its connection recycling (so it
    can run inside a test's transaction)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"inline-{secrets.token_hex(4)}",
        excluded_queue_names=[],
    )
    ran = 0
    while limit is None or ran < limit:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            entry = ready.get_locked()
            if entry is not None:
                entry.claim(worker.worker_id)
        if entry is None:
            return ran
        worker.run_task(entry)
        ran += 1
    return ran


def about(subject: Model, *, kind: str) -> QuerySet[Job]:
    """The jobs of one kind about one thing (an exercise, say), newest first: how a start
    recorded its subject, read back."""
    return Job.objects.filter(
        kind=kind, subject_type=subject._meta.label_lower, subject_id=subject.pk
    )

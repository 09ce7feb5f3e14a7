"""Background jobs (alongside.core.jobs): queued with the change that asks for them, run
once, retried with backoff, failures shown in words, and a job whose worker died taken up
again."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alongside.core import jobs
from alongside.core.models import Job

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@jobs.handler("test.count")
def _count(job: Job, run: jobs.Run) -> None:
    CALLS.append(job.payload.get("name", ""))
    run.progress(1, 1)


@jobs.handler("test.breaks")
def _breaks(job: Job, run: jobs.Run) -> None:
    CALLS.append("broke")
    raise RuntimeError("the disk is full at /srv/secret-path")


@jobs.handler("test.refuses")
def _refuses(job: Job, run: jobs.Run) -> None:
    raise jobs.JobProblemError("The file was changed after it was checked. Bring it in again.")


@jobs.handler("test.slow")
def _slow(job: Job, run: jobs.Run) -> None:
    CALLS.append("slow")
    time.sleep(0.3)
    with run.finishing("Slow but done."):
        Job.objects.filter(pk=job.pk).update(title="Slow, and written")


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.all())


def test_a_job_and_its_queue_entry_are_written_with_the_change_or_not_at_all():
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.start(kind="test.count", title="Counting")
        raise RuntimeError("the change that asked for the job fails")
    assert not Job.objects.exists() and not queued()

    job = jobs.start(kind="test.count", title="Counting", payload={"name": "a"})
    assert job.status == Job.Status.WAITING
    [entry] = queued()
    assert entry.args_kwargs["args"] == [job.pk]


def test_an_unknown_kind_is_refused_when_started():
    with pytest.raises(ValueError, match="No handler"):
        jobs.start(kind="no.such.kind", title="Nothing")


def test_the_worker_runs_a_job_once_and_records_how_it_ended(run_jobs):
    job = jobs.start(kind="test.count", title="Counting", payload={"name": "a"})
    assert run_jobs() == 1
    job.refresh_from_db()
    assert CALLS == ["a"]
    assert job.status == Job.Status.DONE and job.is_over
    assert job.attempts == 1 and job.message == "Finished." and job.lease == ""
    assert job.finished_at is not None and job.percent == 100


def test_a_second_queue_entry_for_the_same_job_finds_nothing_to_do(run_jobs):
    job = jobs.start(kind="test.count", title="Counting", payload={"name": "a"})
    jobs.run_job.enqueue(job.pk)  # as a requeue racing the first entry would
    assert run_jobs() == 2
    assert CALLS == ["a"], "the handler ran once"


@override_settings(JOB_RETRY_SECONDS=10, JOB_MAX_ATTEMPTS=3)
def test_a_failing_job_is_tried_again_later_then_shown_as_failed(caplog):
    job = jobs.start(kind="test.breaks", title="Breaking")
    before = timezone.now()
    with caplog.at_level(logging.ERROR, logger="alongside.core.jobs"):
        assert jobs.run(job.pk) == "will retry"
    job.refresh_from_db()
    assert job.status == Job.Status.WAITING and job.attempts == 1
    assert "will try again" in job.message
    # Queued again, not before the backoff: 10 s after the first attempt, 20 s after the second.
    assert job.run_after >= before + timedelta(seconds=10)
    later = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert later.run_after is not None and later.run_after >= before + timedelta(seconds=10)
    assert jobs.backoff(1) == timedelta(seconds=10) and jobs.backoff(2) == timedelta(seconds=20)
    assert "job %s" in caplog.records[0].msg and caplog.records[0].exc_info, "logged in full"

    assert jobs.run(job.pk) == "will retry"
    assert jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert CALLS == ["broke"] * 3
    assert job.status == Job.Status.FAILED and job.attempts == 3
    assert f"reference job {job.pk}" in job.message
    assert "secret-path" not in job.message, "the people who started it see no internals"


def test_a_problem_no_retry_will_mend_fails_at_once_with_its_own_words():
    job = jobs.start(kind="test.refuses", title="Refusing")
    assert jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
    assert job.message == "The file was changed after it was checked. Bring it in again."


@override_settings(JOB_STALE_SECONDS=60)
def test_a_job_whose_worker_stopped_answering_is_run_again_and_the_old_run_writes_nothing():
    job = jobs.start(kind="test.slow", title="Slow", payload={"words": "said in confidence"})
    # A worker took it and then died: running, with a heartbeat long past.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        lease="dead-worker",
        heartbeat=timezone.now() - timedelta(minutes=5),
    )
    fresh = jobs.start(kind="test.count", title="Alive")
    Job.objects.filter(pk=fresh.pk).update(
        status=Job.Status.RUNNING, lease="alive", heartbeat=timezone.now()
    )
    assert jobs.requeue_stale() == 1, "only the silent one"
    assert jobs.requeue_stale() == 0, "and only once"
    job.refresh_from_db()
    assert job.status == Job.Status.WAITING and job.lease == ""

    # The dead run wakes up (say, the machine was only frozen): it may not finish the job.
    ghost = jobs.Run(job, "dead-worker")
    with pytest.raises(jobs.JobLostError):
        ghost.progress(5, 10)
    with pytest.raises(jobs.JobLostError), ghost.finishing("ghost"):
        pass

    assert jobs.run(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "Slow but done."
    assert job.title == "Slow, and written"
    assert job.payload == {}, "what a job was given is not kept once it has ended"


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_job():
    job = jobs.start(kind="test.slow", title="Contended")
    results: list[str] = []

    def worker() -> None:
        try:
            results.append(jobs.run(job.pk))
        except OperationalError as refused:
            # SQLite's in-memory test database (shared cache) refuses a second writer at once
            # rather than waiting: that worker did not take the job, which is the point.
            assert "locked" in str(refused)
            results.append("not waiting")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["done"] + ["not waiting"] * 3
    assert CALLS == ["slow"]


@jobs.handler("test.one-long-step")
def _one_long_step(job: Job, run: jobs.Run) -> None:
    with run.alive(every=0.05):
        time.sleep(0.8)  # a single call that cannot say how far it has got
    run.finish("Done in one step.")


@pytest.mark.django_db(transaction=True)
def test_a_long_single_step_keeps_its_heartbeat_so_it_is_not_taken_for_dead():
    job = jobs.start(kind="test.one-long-step", title="One long step")
    seen: list[object] = []

    def watch() -> None:
        try:
            for _ in range(12):
                time.sleep(0.06)
                seen.append(Job.objects.get(pk=job.pk).heartbeat)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    assert jobs.run(job.pk) == "done"
    watcher.join()
    beats = {beat for beat in seen if beat is not None}
    assert len(beats) >= 2, "the heartbeat moved while the step ran"

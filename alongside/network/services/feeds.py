"""Writes for bringing other directories in (issue 15, item 2): a network's feeds (another
Open Referral UK API, read on a schedule), their runs, and a whole HSDS document brought in
from a file (`manage.py directory_import`).

A run is a background job (`network.jobs`): it reads the whole feed, checks every record, and
changes the directory only if all are good, in the transaction that records the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core import jobs
from alongside.core.models import AuditAction

from .. import hsds_import
from ..models import Feed, FeedRun

Action = policy.Action
FEED_JOB = "network.feed"
# A run still "running" after this long was lost (its worker died for good): another may start.
RUN_GIVES_UP_AFTER = timedelta(hours=2)
SYSTEM_WHY = "a feed run brings in another directory's published records for the network"


class FeedError(Exception):
    """A feed change that cannot be made, in words for the page."""


class FeedConflictError(FeedError):
    def __init__(self, current: Feed) -> None:
        super().__init__("Someone else changed this feed while you were editing it.")
        self.current = current


def bring_in_document(
    *, network: Organisation, data: Any, actor: User | None = None
) -> hsds_import.Result:
    """Check a whole HSDS document and, if every record is good, bring it all in at once
    (`manage.py directory_import`). Raises hsds_import.DocumentProblemError when it holds no
    records at all."""
    return _bring_in(
        data,
        network,
        lambda: policy.writing_without_check(
            actor, why="an operator brings a file into the directory from the command line"
        ),
    )


def directory_file_bring_in(*, actor: User, network: Organisation, data: Any) -> hsds_import.Result:
    """The same, for the network's staff bringing a file in through its page."""
    policy.require(actor, Action.NETWORK_STAFF, network, detail="directory file")
    return _bring_in(
        data,
        network,
        lambda: policy.writing(actor, Action.NETWORK_STAFF, network, detail="directory file"),
    )


def _bring_in(data: Any, network: Organisation, writing: Callable[[], Any]) -> hsds_import.Result:
    records = hsds_import.records_of(data)
    problems = hsds_import.check(records, network=network)
    if problems:
        return hsds_import.Result(records=len(records), problems=problems)
    with writing() as write:
        result = hsds_import.apply(records, network=network)
        write.audit(
            AuditAction.CREATE,
            network,
            detail=f"directory import: {result.added} added, {result.updated} updated",
        )
    return result


def feed_add(*, actor: User, network: Organisation, name: str, url: str, every_hours: int) -> Feed:
    with policy.writing(actor, Action.NETWORK_STAFF, network, detail="feed add") as write:
        feed = Feed.objects.create(
            network=network,
            name=name.strip(),
            url=url.strip().rstrip("/"),
            every_hours=every_hours,
            created_by=actor,
        )
        write.audit(AuditAction.CREATE, feed, detail="feed added")
    return feed


def feed_update(
    *,
    actor: User,
    feed: Feed,
    version: int,
    name: str,
    url: str,
    every_hours: int,
    active: bool,
) -> Feed:
    """Change a feed, unless someone changed it since the page was drawn (`version`)."""
    with policy.writing(actor, Action.NETWORK_STAFF, feed.network, detail="feed change") as write:
        current = Feed.objects.select_for_update().get(pk=feed.pk)
        if current.version != version:
            raise FeedConflictError(current)
        current.name = name.strip()
        current.url = url.strip().rstrip("/")
        current.every_hours = every_hours
        current.active = active
        current.version += 1
        current.save()
        write.audit(AuditAction.CHANGE, current, detail="feed changed")
    return current


def running_run(feed: Feed) -> FeedRun | None:
    return (
        feed.runs.filter(
            status=FeedRun.Status.RUNNING, started_at__gt=timezone.now() - RUN_GIVES_UP_AFTER
        )
        .order_by("-started_at")
        .first()
    )


def _start(feed: Feed, started_by: User | None) -> FeedRun:
    run = FeedRun.objects.create(feed=feed)
    Feed.objects.filter(pk=feed.pk).update(last_run_at=run.started_at)
    jobs.start(
        kind=FEED_JOB,
        title=f"Bring in {feed.name}"[:200],
        started_by=started_by,
        subject=run,
        organisation_id=feed.network_id,
    )
    return run


def feed_run_now(*, actor: User, feed: Feed) -> FeedRun:
    """Start a run at once (a staff member's "Run it now"), unless one is under way."""
    with policy.writing(actor, Action.NETWORK_STAFF, feed.network, detail="feed run") as write:
        Feed.objects.select_for_update().filter(pk=feed.pk).first()
        if running_run(feed) is not None:
            raise FeedError("This feed is being read now: its result will be here shortly.")
        run = _start(feed, actor)
        write.audit(AuditAction.CREATE, feed, detail="feed run started")
    return run


def run_due_feeds() -> int:
    """Start a run for every active feed not read for its `every_hours`: what the worker's
    schedule calls. Returns how many it started."""
    now = timezone.now()
    started = 0
    for feed in Feed.objects.filter(active=True).order_by("pk"):
        due = feed.last_run_at is None or feed.last_run_at <= now - timedelta(
            hours=feed.every_hours
        )
        if not due:
            continue
        with transaction.atomic():
            locked = (
                Feed.objects.select_for_update()
                .filter(pk=feed.pk, active=True)
                .filter(
                    Q(last_run_at=None)
                    | Q(last_run_at__lte=now - timedelta(hours=feed.every_hours))
                )
                .first()
            )
            if locked is None or running_run(locked) is not None:
                continue
            with policy.writing_without_check(None, why=SYSTEM_WHY) as write:
                _start(locked, None)
                write.audit(AuditAction.CREATE, locked, detail="feed run started on schedule")
            started += 1
    return started


def feed_run_applied(
    *, run: FeedRun, records: list[hsds_import.Record], problems: list[hsds_import.Problem]
) -> hsds_import.Result:
    """Record a run's end: with problems, nothing changes and they are kept on the run;
    without, every record is brought in and what is gone from the feed is taken out. Called
    inside the job's finishing transaction."""
    feed = run.feed
    with policy.writing_without_check(None, why=SYSTEM_WHY) as write:
        if problems:
            result = hsds_import.Result(records=len(records), problems=problems)
            run.status = FeedRun.Status.REFUSED
        else:
            result = hsds_import.apply(
                records, network=feed.network, feed=feed, remove_missing=True
            )
            run.status = FeedRun.Status.DONE
        run.added, run.updated, run.removed = result.added, result.updated, result.removed
        run.problems = [
            problem.as_dict() for problem in result.problems[: hsds_import.MAX_PROBLEMS]
        ]
        run.finished_at = timezone.now()
        run.save()
        write.audit(
            AuditAction.CHANGE,
            feed,
            detail=f"feed run {run.get_status_display().lower()}"[:200],
        )
    return result


def feed_run_failed(*, run: FeedRun, problem: str) -> None:
    """The feed could not be read at all: nothing changed, and the run says why."""
    with transaction.atomic(), policy.writing_without_check(None, why=SYSTEM_WHY) as write:
        FeedRun.objects.filter(pk=run.pk).update(
            status=FeedRun.Status.FAILED,
            finished_at=timezone.now(),
            problems=[{"record": 0, "id": "", "problem": problem}],
        )
        write.audit(AuditAction.CHANGE, run.feed, detail="feed run could not read the feed")

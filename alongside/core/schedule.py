"""Work that comes round on a schedule (issue 15: another directory's feed every few hours,
accreditation renewal reminders every day), run by `manage.py worker`.

An app registers a function in its `AppConfig.ready`:

    schedule.register("network.feeds", every=timedelta(hours=1), run=feeds.run_due_feeds)

The worker's watch thread calls `run_due()` every JOB_REAP_SECONDS. Each name's last run is
kept in the database (`ScheduledRun`), so a restart neither repeats nor forgets a run, and the
claim is one conditional UPDATE, so with several workers on several machines each run happens
once. A scheduled function should be quick: anything long starts a job (`core.jobs.start`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from alongside.core.models import ScheduledRun

logger = logging.getLogger("alongside.core.schedule")


@dataclass(frozen=True)
class Scheduled:
    name: str
    every: timedelta
    run: Callable[[], object]


_REGISTERED: dict[str, Scheduled] = {}


def register(name: str, *, every: timedelta, run: Callable[[], object]) -> None:
    _REGISTERED[name] = Scheduled(name, every, run)


def registered() -> list[Scheduled]:
    return sorted(_REGISTERED.values(), key=lambda s: s.name)


def _claim(item: Scheduled, now: datetime) -> bool:
    """Take this round of `item` for this worker: True for exactly one caller per round."""
    ScheduledRun.objects.get_or_create(name=item.name)
    return bool(
        ScheduledRun.objects.filter(name=item.name)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - item.every))
        .update(last_run_at=now)
    )


def run_due(*, now: datetime | None = None) -> list[str]:
    """Run every registered function whose time has come; the names that ran. One that
    fails is logged and waits for its next round: it never stops the others."""
    now = now or timezone.now()
    ran = []
    for item in registered():
        if not _claim(item, now):
            continue
        try:
            item.run()
        except Exception:
            logger.exception("scheduled %s failed; it runs again next round", item.name)
            continue
        ran.append(item.name)
    return ran

"""Scheduled work (core.schedule): each round runs once, survives a restart, and one failure
never stops the rest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.core import schedule
from alongside.core.models import ScheduledRun


@pytest.fixture
def only_these() -> Iterator[dict[str, list[int]]]:
    """Replace the registry with test functions for the test's length."""
    kept = dict(schedule._REGISTERED)
    schedule._REGISTERED.clear()
    calls: dict[str, list[int]] = {"hourly": [], "daily": []}
    schedule.register("t.hourly", every=timedelta(hours=1), run=lambda: calls["hourly"].append(1))
    schedule.register("t.daily", every=timedelta(days=1), run=lambda: calls["daily"].append(1))
    yield calls
    schedule._REGISTERED.clear()
    schedule._REGISTERED.update(kept)


@pytest.mark.django_db
def test_each_runs_when_due_and_not_before(only_these: dict[str, list[int]]) -> None:
    start = timezone.now()
    assert schedule.run_due(now=start) == ["t.daily", "t.hourly"]
    assert schedule.run_due(now=start + timedelta(minutes=30)) == []
    assert schedule.run_due(now=start + timedelta(hours=1)) == ["t.hourly"]
    assert schedule.run_due(now=start + timedelta(days=1)) == ["t.daily", "t.hourly"]
    assert only_these == {"hourly": [1, 1, 1], "daily": [1, 1]}
    # Kept in the database: a restarted worker knows what already ran.
    assert ScheduledRun.objects.get(name="t.daily").last_run_at == start + timedelta(days=1)


@pytest.mark.django_db
def test_a_round_is_claimed_once(only_these: dict[str, list[int]]) -> None:
    now = timezone.now()
    item = schedule.registered()[0]
    assert schedule._claim(item, now) is True
    # A second worker asking at the same moment gets nothing.
    assert schedule._claim(item, now) is False


@pytest.mark.django_db
def test_a_failure_is_logged_and_the_rest_still_run(
    only_these: dict[str, list[int]], caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("feed away")

    schedule.register("t.broken", every=timedelta(hours=1), run=broken)
    assert schedule.run_due() == ["t.daily", "t.hourly"]
    assert "scheduled t.broken failed" in caplog.text

"""Reads for the circle: who and what is in the person's life, and services over time."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ..models import CircleMember

MONTHS = 6


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first day of this month and the months before it, oldest first."""
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def _in_circle_on(member: CircleMember, day: datetime.date) -> bool:
    since = member.since or timezone.localtime(member.created_at).date()
    return since <= day and (member.until is None or member.until > day)


def services_over_time(
    members: list[CircleMember], today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """How many services were in the circle at the start of each of the last 6 months."""
    today = today or timezone.localdate()
    services = [m for m in members if m.kind == CircleMember.Kind.SERVICE]
    return [
        {"month": start, "services": sum(1 for m in services if _in_circle_on(m, start))}
        for start in month_starts(today)
    ]


def for_record(person: Any) -> dict[str, Any]:
    """The circle in one query; the services table is worked out from the same rows."""
    members = list(person.circle.all())
    today = timezone.localdate()
    current = [m for m in members if m.until is None or m.until > today]
    past = [m for m in members if m.until is not None and m.until <= today]
    return {
        "circle": current,
        "circle_past": past,
        "services_over_time": services_over_time(members, today),
    }

"""Reads for the circle: who and what is in the person's life, and services over time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from alongside.core.words import day_short_month_year, month_year, short_month_year
from alongside.core.written import person_rows

from ..models import CircleMember
from .shaping import part_paths

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


def _in_circle_on(member: Any, day: datetime.date) -> bool:
    since = member.since or timezone.localtime(member.created_at).date()
    return since <= day and (member.until is None or member.until > day)


def services_over_time(
    members: list[Any], today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """How many services were in the circle at the start of each of the last 6 months.
    `members` are CircleMembers or MemberRows (what is read: kind, since, until, created_at)."""
    today = today or timezone.localdate()
    services = [m for m in members if m.kind == CircleMember.Kind.SERVICE]
    return [
        {
            "month": start,
            "month_words": month_year(start),
            "services": sum(1 for m in services if _in_circle_on(m, start)),
        }
        for start in month_starts(today)
    ]


KIND_LABELS = dict(CircleMember.Kind.choices)


@dataclass
class MemberRow:
    """Someone or something in the circle, as the person page shows them."""

    name: str
    kind: str
    about: str
    consent_to_contact: bool
    since: datetime.date | None
    until: datetime.date | None
    created_at: datetime.datetime
    kind_label: str  # "A service or organisation"
    status: str  # "A service or organisation · since Mar 2026 · until 1 Oct 2026"
    until_words: str  # "1 Oct 2026"
    edit_url: str


def _circle_query(person_id: int) -> QuerySet[CircleMember, tuple[Any, ...]]:
    return CircleMember.objects.filter(person_id=person_id).values_list(
        "pk", "name", "kind", "about", "consent_to_contact", "since", "until", "created_at"
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_circle_query,)


def for_record(person: Any) -> dict[str, Any]:
    """The circle in one query; the services table is worked out from the same rows."""
    edit_path = part_paths("coaching:circle_edit", person.pk)
    rows = person_rows(_circle_query, person.pk)
    members = []
    for pk, name, kind, about, consent, since, until, created_at in rows:
        label = KIND_LABELS.get(kind, kind)
        until_words = day_short_month_year(until)
        status = label
        if since:
            status += f" · since {short_month_year(since)}"
        if until:
            status += f" · until {until_words}"
        members.append(
            MemberRow(
                name=name,
                kind=kind,
                about=about,
                consent_to_contact=consent,
                since=since,
                until=until,
                created_at=created_at,
                kind_label=label,
                status=status,
                until_words=until_words,
                edit_url=edit_path(pk),
            )
        )
    today = timezone.localdate()
    current = [m for m in members if m.until is None or m.until > today]
    past = [m for m in members if m.until is not None and m.until <= today]
    return {
        "circle": current,
        "circle_past": past,
        "services_over_time": services_over_time(members, today),
    }

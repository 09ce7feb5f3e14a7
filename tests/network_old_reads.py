"""The network's events and networks as the app read them through the ORM before issue 11
wrote them once (network/selectors/events.py): kept here, as the old templates are kept in the
tests, so tests/test_network_events_html.py and test_network_pages_html.py compare the new
reads with these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core.words import in_london, when_words
from alongside.network.models import Event, EventPlace


def _event_when(event: Event) -> str:
    start, end = in_london(event.starts_at), in_london(event.ends_at)
    if start.date() == end.date():
        return f"{when_words(event.starts_at)} to {end:%H:%M}"
    return f"{when_words(event.starts_at)} to {when_words(event.ends_at)}"


def networks_of(user: Any) -> list[Organisation]:
    ids = policy.network_ids_of_member(user)
    return list(
        Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.NETWORK).order_by("name")
    )


@dataclass
class EventRow:
    event: Event
    when: str
    booked: int
    waiting: int
    # The reader's own: "booked", "waiting" or "" (see `mark_mine`).
    mine: str = ""

    @property
    def full(self) -> bool:
        capacity = self.event.capacity
        return capacity is not None and self.booked >= capacity


def _with_counts(events: QuerySet[Event]) -> list[EventRow]:
    counted = events.select_related("network").annotate(
        booked_count=Count("places", filter=Q(places__status=EventPlace.Status.BOOKED)),
        waiting_count=Count("places", filter=Q(places__status=EventPlace.Status.WAITING)),
    )
    return [EventRow(e, _event_when(e), e.booked_count, e.waiting_count) for e in counted]


def upcoming_events(
    network_ids: set[int], *, now: datetime | None = None, limit: int | None = None
) -> list[EventRow]:
    now = now or timezone.now()
    events = Event.objects.filter(network_id__in=network_ids, ends_at__gte=now).order_by(
        "starts_at", "id"
    )
    return _with_counts(events[:limit] if limit else events)


def past_events(
    network_ids: set[int], *, now: datetime | None = None, limit: int = 20
) -> list[EventRow]:
    now = now or timezone.now()
    events = Event.objects.filter(network_id__in=network_ids, ends_at__lt=now).order_by(
        "-starts_at", "-id"
    )
    return _with_counts(events[:limit])


def mark_mine(user: Any, rows: list[EventRow]) -> list[EventRow]:
    """Say on each row whether this user has a place there, or is waiting for one."""
    places = dict(
        EventPlace.objects.filter(
            user=user,
            event_id__in=[row.event.pk for row in rows],
            status__in=(EventPlace.Status.BOOKED, EventPlace.Status.WAITING),
        ).values_list("event_id", "status")
    )
    for row in rows:
        row.mine = places.get(row.event.pk, "")
    return rows

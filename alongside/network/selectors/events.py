"""The networks a user belongs to and the events of theirs (issue 11): plain rows from queries
the ORM writes once (core/written.py); network/templatetags/event_pages.py and network_pages.py
write them. tests/test_network_events_html.py keeps the ORM reads these replaced
(tests/network_old_reads.py) and compares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core import written
from alongside.core.words import in_london, when_words

from ..models import Event, EventPlace

BOOKED, WAITING = EventPlace.Status.BOOKED, EventPlace.Status.WAITING
PAST_SHOWN = 20


def _networks_query(ids: list[int]) -> QuerySet[Any]:
    found = Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.NETWORK)
    return found.order_by("name").values_list(*written.columns(Organisation))


def networks_of(user: Any) -> list[Organisation]:
    """The networks this user belongs to, by name."""
    ids = policy.network_ids_of_member(user)
    if not ids:
        return []
    return written.instances(Organisation, written.rows_for_ids(_networks_query, sorted(ids)))


@dataclass
class EventCard:
    """An event as the list's card shows it."""

    pk: int
    title: str
    when: str
    cancelled: bool
    online: bool
    place_name: str
    capacity: int | None
    booked: int
    waiting: int
    # The reader's own place: "booked", "waiting" or "".
    mine: str
    starts_at: datetime
    ends_at: datetime

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.booked >= self.capacity


_COLUMNS = ("pk", "title", "starts_at", "ends_at", "cancelled_at", "online", "place_name")


def _counted(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        booked_count=Count("places", filter=Q(places__status=BOOKED)),
        waiting_count=Count("places", filter=Q(places__status=WAITING)),
    )


def _since_query(ids: list[int], since: datetime) -> QuerySet[Any]:
    """The events of networks `ids[1:]` ending from `since` on, with user `ids[0]`'s place
    (a user has one place at an event at most, so its largest status is that place's)."""
    user_id, network_ids = ids[0], ids[1:]
    events = Event.objects.filter(network_id__in=network_ids, ends_at__gte=since)
    mine = Max(
        "places__status", filter=Q(places__user_id=user_id, places__status__in=(BOOKED, WAITING))
    )
    counted = _counted(events).annotate(mine=mine).order_by("starts_at", "id")
    return counted.values_list(*_COLUMNS, "capacity", "booked_count", "waiting_count", "mine")


def _before_query(ids: list[int], before: datetime) -> QuerySet[Any]:
    """The newest PAST_SHOWN events of networks `ids` that ended before `before`."""
    events = Event.objects.filter(network_id__in=ids, ends_at__lt=before)
    counted = _counted(events).order_by("-starts_at", "-id")
    return counted.values_list(*_COLUMNS, "capacity", "booked_count", "waiting_count")[:PAST_SHOWN]


def event_when_words(starts_at: datetime, ends_at: datetime) -> str:
    """ "Tuesday 8 December 2026, 10:00 to 11:30" (or to another day's time), from the two
    moments alone: a card needs no model instance."""
    start, end = in_london(starts_at), in_london(ends_at)
    if start.date() == end.date():
        return f"{when_words(starts_at)} to {end:%H:%M}"
    return f"{when_words(starts_at)} to {when_words(ends_at)}"


def _card(row: tuple[Any, ...], mine: str) -> EventCard:
    pk, title, starts_at, ends_at, cancelled_at, online, place_name = row[:7]
    capacity, booked, waiting = row[7:10]
    when = event_when_words(starts_at, ends_at)
    return EventCard(
        pk,
        title,
        when,
        bool(cancelled_at),
        online,
        place_name,
        capacity,
        booked,
        waiting,
        mine,
        starts_at,
        ends_at,
    )


def events(
    user: Any, network_ids: set[int], *, now: datetime | None = None
) -> tuple[list[EventCard], list[EventCard]]:
    """The events coming up (with the user's own places) and the newest PAST_SHOWN past ones.

    A moment cannot stand in for an id, so both queries split at the start of today (UTC),
    written once a day: the events ending from then on, and the newest that ended before. Of
    the first, those ending before `now` are past too, and go in among the second; the newest
    PAST_SHOWN of those together are the newest that ended before `now`."""
    if not network_ids:
        return [], []
    now = now or timezone.now()
    day, since = _since_midnight(user, network_ids, now)
    ids = sorted(network_ids)
    before = written.rows(
        ("network events before", day), lambda stand_ins: _before_query(stand_ins, day), ids
    )
    upcoming = _coming_up(since, now)
    past = [_card(row, "") for row in since if row[3] < now]
    past.extend(_card(row, "") for row in before)
    past.sort(key=lambda card: (card.starts_at, card.pk), reverse=True)
    return upcoming, past[:PAST_SHOWN]


def _since_midnight(
    user: Any, network_ids: set[int], now: datetime
) -> tuple[datetime, list[tuple[Any, ...]]]:
    """The start of today (UTC), and the events of these networks ending from then on, with
    the user's own places: a query written once a day."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = written.rows(
        ("network events since", day),
        lambda stand_ins: _since_query(stand_ins, day),
        [user.pk, *sorted(network_ids)],
    )
    return day, rows


def upcoming(
    user: Any, network_ids: set[int], *, limit: int, now: datetime | None = None
) -> list[EventCard]:
    """The first `limit` events coming up, with the user's own places (the network's home)."""
    if not network_ids:
        return []
    now = now or timezone.now()
    _, since = _since_midnight(user, network_ids, now)
    return _coming_up(since, now)[:limit]


def _coming_up(since: list[tuple[Any, ...]], now: datetime) -> list[EventCard]:
    """Of the events ending from midnight on, those not yet over, with the reader's place."""
    return [_card(row, row[10] or "") for row in since if row[3] >= now]

"""Reads for events, resources and news (issue 15, item 4), and the network's home.

Everything here belongs to a network; a member sees what their networks keep
(`policy.network_ids_of_member`). Days and times are handed to pages already in words
(`core.words`), so every page says them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Membership, Organisation
from alongside.core.words import day_words
from alongside.core.written import rows_for_ids

from ..models import DirectoryChange, Event, EventPlace, NewsItem, Portfolio, Resource
from . import events as events_selectors

Action = policy.Action
# The feed carries events that ended up to this long ago, so a calendar keeps recent ones.
RECENT = timedelta(days=90)


def staff_networks(user: Any, networks: list[Organisation]) -> list[Organisation]:
    return [n for n in networks if policy.can(user, Action.NETWORK_STAFF, n)]


def organisation_for_place(user: Any, network: Organisation) -> Organisation | None:
    """Which organisation someone comes from to a network's event: their member organisation,
    or the network itself for its own staff."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    member = (
        memberships.filter(organisation__networks=network)
        .order_by("organisation__name", "pk")
        .first()
    )
    if member is not None:
        return member.organisation
    if memberships.filter(organisation=network).exists():
        return network
    return None


# --- events ------------------------------------------------------------------------------


def event_when(event: Event) -> str:
    """ "Tuesday 8 December 2026, 10:00 to 11:30" (or to another day's time)."""
    return events_selectors.event_when_words(event.starts_at, event.ends_at)


def event_of(pk: int) -> Event | None:
    return Event.objects.select_related("network").filter(pk=pk).first()


def place_of(event: Event, user: Any) -> EventPlace | None:
    return EventPlace.objects.filter(event=event, user=user).first()


def waiting_position(place: EventPlace) -> int:
    """1 for the first on the waiting list."""
    ahead = EventPlace.objects.filter(
        event_id=place.event_id, status=EventPlace.Status.WAITING
    ).filter(Q(created_at__lt=place.created_at) | Q(created_at=place.created_at, id__lt=place.pk))
    return ahead.count() + 1


def booked_count(event: Event) -> int:
    return EventPlace.objects.filter(event=event, status=EventPlace.Status.BOOKED).count()


@dataclass
class Comer:
    name: str
    organisation: str
    since: str


def _comers(event: Event, status: str) -> list[Comer]:
    places = (
        EventPlace.objects.filter(event=event, status=status)
        .select_related("user", "organisation")
        .order_by("created_at", "id")
    )
    return [
        Comer(
            p.user.get_full_name() or p.user.username,
            p.organisation.name if p.organisation else "",
            day_words(p.created_at),
        )
        for p in places
    ]


def who_is_coming(event: Event) -> dict[str, list[Comer]]:
    """For the network's staff: who has a place, and the waiting list in order."""
    return {
        "booked": _comers(event, EventPlace.Status.BOOKED),
        "waiting": _comers(event, EventPlace.Status.WAITING),
    }


def feed_events(*, network: Organisation | None, now: datetime | None = None) -> list[Event]:
    """For the public calendar feed: upcoming events, and those that ended in the last 90
    days, of one network or of every network on this site."""
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__gte=now - RECENT).select_related("network")
    if network is not None:
        events = events.filter(network=network)
    return list(events.order_by("starts_at", "id"))


def network_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug, kind=Organisation.Kind.NETWORK).first()


# --- resources ---------------------------------------------------------------------------


def resources(
    network_ids: set[int], *, kind: str = "", words: str = "", limit: int | None = None
) -> list[Resource]:
    found = Resource.objects.filter(network_id__in=network_ids, removed_at__isnull=True)
    if kind in Resource.Kind.values:
        found = found.filter(kind=kind)
    for word in words.split()[:10]:
        found = found.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    found = found.select_related("organisation", "created_by").order_by("-created_at", "-id")
    return list(found[:limit] if limit else found[:200])


def resource_of(pk: int) -> Resource | None:
    return (
        Resource.objects.select_related("network", "organisation", "created_by")
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )


# --- news --------------------------------------------------------------------------------


def news(network_ids: set[int], *, limit: int | None = None) -> list[NewsItem]:
    items = NewsItem.objects.filter(network_id__in=network_ids).select_related("network")
    items = items.order_by("-published_at", "-id")
    return list(items[:limit] if limit else items[:100])


def news_of(pk: int) -> NewsItem | None:
    return NewsItem.objects.select_related("network").filter(pk=pk).first()


def paragraphs(text: str) -> list[str]:
    """A body as paragraphs: split on blank lines."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]


# --- the home ----------------------------------------------------------------------------


def home(user: Any, networks: list[Organisation]) -> dict[str, Any]:
    ids = {n.pk for n in networks}
    staff_of = staff_networks(user, networks)
    assessor_of = [n for n in networks if policy.can(user, Action.NETWORK_ASSESS, n)]
    return {
        "networks": networks,
        "is_staff": bool(staff_of),
        "is_assessor": bool(assessor_of),
        # What waits for the network's own people: changes to approve, portfolios to assess.
        "changes_waiting": (
            DirectoryChange.objects.filter(
                network__in=staff_of, status=DirectoryChange.Status.WAITING
            ).count()
            if staff_of
            else 0
        ),
        "portfolios_waiting": (
            Portfolio.objects.filter(
                network__in=assessor_of,
                status__in=(Portfolio.Status.SUBMITTED, Portfolio.Status.IN_REVIEW),
            ).count()
            if assessor_of
            else 0
        ),
        # Plain rows from a query written once a day, with the user's own places (issue 11).
        "events": events_selectors.upcoming(user, ids, limit=5),
        "news": _home_news(ids),
        "resources": _home_resources(ids),
    }


# The home's news and library: plain rows, each query written once per number of networks
# (issue 11); `network_pages` writes them as the old template loops did.


def _home_news_query(network_ids: list[int]) -> QuerySet[Any]:
    items = NewsItem.objects.filter(network_id__in=network_ids).order_by("-published_at", "-id")
    return items.values_list("pk", "title", "published_at")[:3]


def _home_news(ids: set[int]) -> list[tuple[int, str, str]]:
    """(pk, title, day published) of the three newest news items."""
    if not ids:
        return []
    rows = rows_for_ids(_home_news_query, sorted(ids))
    return [(pk, title, day_words(published)) for pk, title, published in rows]


def _home_resources_query(network_ids: list[int]) -> QuerySet[Any]:
    found = Resource.objects.filter(network_id__in=network_ids, removed_at__isnull=True)
    found = found.order_by("-created_at", "-id")
    return found.values_list("pk", "title", "kind", "organisation_id", "organisation__name")[:5]


def _home_resources(ids: set[int]) -> list[tuple[int, str, str, int | None, str | None]]:
    """(pk, title, kind, organisation id, organisation name) of the five newest resources."""
    return rows_for_ids(_home_resources_query, sorted(ids)) if ids else []

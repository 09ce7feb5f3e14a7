"""The events list's cards and calendar links, written in Python rather than by template loops
(issue 11): the same HTML as network/events/_card.html included once a row and list.html's loop
of calendars, escaped the same way, for a fraction of the Python calls.
tests/test_network_events_html.py keeps the old template and compares the two."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.accounts.models import Organisation
from alongside.core.html import text as _text
from alongside.core.paths import path_to

from ..selectors.events import EventCard

register = template.Library()

_MINE = {
    "booked": '<p><span class="tag tag--green">You have a place</span></p>',
    "waiting": '<p><span class="tag tag--yellow">You are on the waiting list</span></p>',
}


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


def _card(card: EventCard) -> str:
    if card.cancelled:
        small = '<span class="tag tag--red">Cancelled</span>'
    else:
        small = "Online" if card.online else _text(card.place_name)
        if card.capacity:
            if card.full:
                small += f" · Full: {card.waiting} on the waiting list"
            else:
                small += f" · {card.booked} of {card.capacity} places taken"
        else:
            small += f" · {card.booked} coming"
    return (
        '<li class="card">\n'
        f'  <h3 class="card-title"><a href="{path_to("network:event", (card.pk,))}">'
        f"{_text(card.title)}</a></h3>\n"
        f"      {_MINE.get(card.mine, '')}\n"
        f"  <p>{_text(card.when)}</p>\n"
        f'  <p class="small">{small}</p>\n'
        "</li>\n"
    )


@register.filter
def event_cards(cards: Iterable[EventCard]) -> SafeString:
    """The inside of a `<ul class="cards">`: each event a card."""
    return _safe("".join(_card(card) for card in cards))


@register.filter
def event_calendars(networks: Iterable[Organisation]) -> SafeString:
    """A link to each network's calendar feed: the inside of the calendars' list."""
    feed = path_to("network:events_ics", ())
    return _safe(
        "".join(
            f'<li><a href="{feed}?network={_text(quote(network.slug, safe="/"))}">'
            f"Calendar of {_text(network.name)}'s events</a></li>"
            for network in networks
        )
    )

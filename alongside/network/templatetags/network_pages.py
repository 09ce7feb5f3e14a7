"""The lists the network's home repeats (events coming up, news, the library's newest) and
the assessing queue's portfolios,
written in Python rather than by template loops: the same HTML, escaped the same way, for a
fraction of the Python calls (issue 11). Each replaces a loop of network/home.html or
network/assessing/queue.html;
tests/test_network_pages_html.py keeps the loops as they were and compares the two."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core import words
from alongside.core.html import text as _text
from alongside.core.paths import path_to

from ..models import Portfolio, Resource
from ..selectors.accreditation import QueueRow
from ..selectors.events import EventCard

register = template.Library()

_KINDS: dict[str, str] = dict(Resource.Kind.choices)
_STATUSES: dict[str, str] = dict(Portfolio.Status.choices)
_OUTCOMES: dict[str, str] = dict(Portfolio.Outcome.choices)


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


def _event(card: EventCard) -> str:
    href = path_to("network:event", (card.pk,))
    if card.mine == "booked":
        mine = '<p><span class="tag tag--green">You have a place</span></p>'
    elif card.mine == "waiting":
        mine = '<p><span class="tag tag--yellow">You are on the waiting list</span></p>'
    else:
        mine = ""
    if card.cancelled:
        where = '<span class="tag tag--red">Cancelled</span>'
    elif card.online:
        where = "Online"
    else:
        where = _text(card.place_name)
    full = " · Full: waiting list open" if card.full and not card.cancelled else ""
    return (
        '\n    <li class="card">\n'
        f'      <h3 class="card-title"><a href="{href}">{_text(card.title)}</a></h3>\n'
        f"      {mine}\n"
        f"      <p>{_text(card.when)}</p>\n"
        f'      <p class="small muted">{where}{full}</p>\n'
        "    </li>\n    "
    )


@register.filter
def network_events(rows: Iterable[EventCard]) -> SafeString:
    """The events coming up, each a card: the inside of the home's `<ul class="cards">`."""
    return _safe("".join(_event(row) for row in rows))


@register.filter
def network_news(items: Iterable[tuple[int, str, str]]) -> SafeString:
    """(pk, title, day published) rows: the inside of the home's news list."""
    return _safe(
        "".join(
            f'<li><a href="{path_to("network:news_item", (pk,))}">{_text(title)}</a>'
            f' <span class="small muted">{_text(published)}</span></li>'
            for pk, title, published in items
        )
    )


def _resource(pk: int, title: str, kind: str, organisation_id: Any, organisation: Any) -> str:
    href = path_to("network:resource", (pk,))
    kind_words = _text(str(_KINDS.get(kind, kind)).lower())
    source = f", from {_text(organisation)}" if organisation_id is not None else ""
    return (
        f'<li><a href="{href}">{_text(title)}</a>'
        f' <span class="small muted">({kind_words}{source})</span></li>'
    )


@register.filter
def network_resources(rows: Iterable[tuple[int, str, str, Any, Any]]) -> SafeString:
    """(pk, title, kind, organisation id, organisation name) rows: the inside of the home's
    library list."""
    return _safe("".join(_resource(*row) for row in rows))


def _day(value: Any) -> str:
    """As `{{ value|day }}` (home_words) writes it."""
    return _text(words.day_words(value, leave_out_year=words.this_year()))


def _choice(labels: dict[str, str], value: str) -> str:
    """As `get_FOO_display`: the label, or the value itself when it is not a choice."""
    return _text(str(labels.get(value, value)))


@register.filter
def assessing_waiting(rows: Iterable[QueueRow]) -> SafeString:
    """The portfolios waiting for the assessors: the inside of the queue's first list."""
    items = []
    for pk, name, status, sent, assessor_id, first, last, username, *_ in rows:
        href = path_to("network:assess_portfolio", (pk,))
        assessor = ""
        if assessor_id is not None:
            assessor = f", with {_text(f'{first} {last}'.strip() or username)}"
        items.append(
            f'\n  <li><a href="{href}">{_text(name)}</a>'
            f' <span class="tag tag--blue">{_choice(_STATUSES, status)}</span>'
            f' <span class="hint">sent {_day(sent)}{assessor}</span></li>\n  '
        )
    return _safe("".join(items))


@register.filter
def assessing_others(rows: Iterable[QueueRow]) -> SafeString:
    """The portfolios handed back or decided: the inside of the queue's second list."""
    items = []
    for (
        pk,
        name,
        status,
        _sent,
        _by,
        _first,
        _last,
        _user,
        outcome,
        level_id,
        level,
        decided,
    ) in rows:
        href = path_to("network:assess_portfolio", (pk,))
        if status == "decided":
            tag = _choice(_OUTCOMES, outcome) + (
                f": {_text(level)}" if level_id is not None else ""
            )
        else:
            tag = _choice(_STATUSES, status)
        when = f' <span class="hint">decided {_day(decided)}</span>' if decided else ""
        items.append(
            f'\n  <li><a href="{href}">{_text(name)}</a>'
            f' <span class="tag tag--grey">{tag}</span>{when}</li>\n  '
        )
    return _safe("".join(items))

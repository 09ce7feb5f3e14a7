"""The lists the coach's people page repeats (the prompts to keep in touch, the cards, the
ended), written in Python rather than by template loops: the same HTML, escaped the same way,
for a fraction of the Python calls (issue 11). Each replaces a loop of coaching/people.html;
tests/test_people_list_html.py keeps the loops as they were and compares the two."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import text as _text

from ..selectors.relationships import PersonRow

register = template.Library()


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


@register.simple_tag
def people_prompts(keep_in_touch: Iterable[PersonRow], paused: Iterable[PersonRow]) -> SafeString:
    """The keep-in-touch list's items: who is due a word, then who has paused."""
    due = "".join(
        f'\n    <li><a href="{_text(r.url)}">Keep in touch with {_text(r.name)}?</a>'
        f" {_text(r.in_touch)}</li>\n    "
        for r in keep_in_touch
    )
    resting = []
    for r in paused:
        how = (
            f", and would like to keep in touch like this: “{_text(r.keep_in_touch)}”"
            if r.keep_in_touch
            else ""
        )
        resting.append(
            f'\n    <li><a href="{_text(r.url)}">{_text(r.name)} has paused for now</a>{how}.</li>'
            "\n    "
        )
    return _safe(f"{due}\n    {''.join(resting)}")


@register.filter
def people_cards(relationships: Iterable[PersonRow]) -> SafeString:
    """A card for each person: their name, where things stand and what they are working on."""
    cards = []
    for r in relationships:
        name = _text(r.name)
        goals = ""
        if r.open_goals:
            said = "".join(f"<li>“{_text(words)}”</li>" for words in r.open_goals)
            goals = (
                f'\n    <p class="visually-hidden">Working on, in {name}\'s words:</p>'
                f'\n    <ul class="goals">{said}</ul>\n    '
            )
        cards.append(
            f'\n  <li class="card">\n    <h3 class="card-title"><a href="{_text(r.url)}">'
            f'{name}</a></h3>\n    <p class="status">{_text(r.status)}</p>\n    {goals}'
            "\n  </li>\n  "
        )
    return _safe("".join(cards))


@register.filter
def people_ended(ended: Iterable[PersonRow]) -> SafeString:
    """The list of those who ended, each a link to their page."""
    return _safe("".join(f'<li><a href="{_text(r.url)}">{_text(r.name)}</a></li>' for r in ended))

"""What the directory's search page repeats (the services found, the choices of its form, the
pages of results), written in Python rather than by template loops: the same HTML, escaped the
same way, for a fraction of the Python calls (issue 11). Each replaces a loop of
network/directory/search.html; tests/test_directory_page_html.py keeps the loops as they were
and compares the two."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import text as _text
from alongside.core.paths import path_to

from ..selectors.directory import Result

register = template.Library()

# A service's address differs from any other's only in its id: worked out once for a list.
_NO_SERVICE = "00000000-0000-0000-0000-000000000000"


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


def _where_and_when(result: Result) -> str:
    if not (result.towns or result.days):
        return ""
    where = f"Where: {_text(result.towns)}" if result.towns else ""
    between = ". " if result.towns and result.days else ""
    when = f"When: {_text(result.days)}" if result.days else ""
    return f'<p class="small">{where}{between}{when}</p>'


@register.filter
def result_cards(results: Iterable[Result]) -> SafeString:
    """The services found: a card for each, as `<li>` of the results' list."""
    address = path_to("directory:service", [_NO_SERVICE])
    cards = []
    for result in results:
        href = _text(address.replace(_NO_SERVICE, str(result.pk)))
        line = f"<p>{_text(result.line)}</p>" if result.line else ""
        cards.append(
            f'\n  <li class="card">\n'
            f'    <h3 class="card-title"><a href="{href}">{_text(result.name)}</a></h3>\n'
            f'    <p class="muted">{_text(result.organisation)}</p>\n'
            f"    {line}\n    {_where_and_when(result)}\n  </li>\n  "
        )
    return _safe("".join(cards))


def _option(value: Any, label: Any, chosen: Any) -> str:
    selected = " selected" if value == chosen else ""
    return f'<option value="{_text(value)}"{selected}>{_text(label)}</option>'


@register.filter
def choice_options(choices: Iterable[tuple[Any, Any]], chosen: Any) -> SafeString:
    """An `<option>` for each (value, label), the chosen one selected."""
    return _safe("".join(_option(value, label, chosen) for value, label in choices))


@register.filter
def term_options(
    groups: Iterable[tuple[Any, Iterable[tuple[Any, Any]]]], chosen: Any
) -> SafeString:
    """The kinds of help: an `<optgroup>` for each taxonomy, its terms as options in it."""
    return _safe(
        "".join(
            f'<optgroup label="{_text(group)}">{choice_options(choices, chosen)}</optgroup>'
            for group, choices in groups
        )
    )


@register.filter
def page_numbers(page: Page[Any], query_without_page: str) -> SafeString:
    """A link to the first page, the last, and the two either side of this one."""
    last = page.paginator.num_pages
    this = page.number
    shown = sorted({1, last} | set(range(max(this - 2, 1), min(this + 2, last) + 1)))
    asked = f"{_text(query_without_page)}&amp;" if query_without_page else ""
    links = []
    for number in shown:
        current = ' aria-current="page"' if number == this else ""
        links.append(f'<li><a href="?{asked}page={number}"{current}>{number}</a></li>')
    return _safe("".join(links))

"""The fragments the whole-record page repeats hundreds of times (a fact, a list item), built
in Python rather than by a template loop: the same HTML, escaped the same way, without the
template engine's cost for each of a busy record's several hundred facts (issue 11)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text

register = template.Library()


@register.filter
def summary_list(facts: list[tuple[str, str]]) -> SafeString | str:
    """`<dl class="summary-list">`, a `<div><dt>label</dt><dd>value</dd></div>` for each fact,
    the value's line breaks kept; nothing when there are no facts."""
    if not facts:
        return ""
    rows = "".join(
        f"<div><dt>{_text(label)}</dt><dd>{_lines(value)}</dd></div>" for label, value in facts
    )
    return mark_safe(f'<dl class="summary-list">{rows}</dl>')  # noqa: S308 - each part escaped


@register.filter
def bullets(items: Iterable[str]) -> SafeString | str:
    """`<ul>` with an `<li>` for each item; nothing when there are none."""
    if not items:
        return ""
    rows = "".join(f"<li>{_text(item)}</li>" for item in items)
    return mark_safe(f"<ul>{rows}</ul>")  # noqa: S308 - each item escaped


@register.filter
def table_cells(row: list[str]) -> SafeString | str:
    """A table row's cells: the first a heading for the row (`<th scope="row">`), then a
    `<td>` for each of the rest."""
    if not row:
        return ""
    first, *rest = row
    cells = "".join(f"<td>{_text(cell)}</td>" for cell in rest)
    return mark_safe(f'<th scope="row">{_text(first)}</th>{cells}')  # noqa: S308 - escaped


@register.filter
def table_body(rows: list[list[str]]) -> SafeString:
    """A `<tr>` of `table_cells` for each row (a busy record's check-ins are a hundred)."""
    return mark_safe("".join(f"<tr>{table_cells(row)}</tr>" for row in rows))  # noqa: S308


@register.filter
def entry_cards(entries: Iterable[Any]) -> SafeString:
    """A card for each entry (a talk, a goal): its heading, its facts, and its items under
    their label if it has any; the line breaks and indents the template's loop wrote."""
    return mark_safe("".join(_card(entry) for entry in entries))  # noqa: S308 - escaped


def _card(entry: Any) -> str:
    items = f"<h4>{_text(entry.items_label)}</h4>{bullets(entry.items)}" if entry.items else ""
    return (
        f'\n  <article class="card">\n    <h3>{_text(entry.heading)}</h3>\n    '
        f"{summary_list(entry.facts)}\n    {items}\n  </article>\n  "
    )

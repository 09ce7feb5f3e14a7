"""The fragments the whole-record page repeats hundreds of times (a fact, a list item), built
in Python rather than by a template loop: the same HTML, escaped the same way, without the
template engine's cost for each of a busy record's several hundred facts (issue 11)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import escaped
from alongside.core.html import lines as _lines
from alongside.core.html import text as _text

register = template.Library()

NEWLINE = "\n"
RETURN = "\r"

# Each filter below is a thin wrapper marking its fragment safe once; the fragments are
# written by the plain functions after them, which call one another without a `mark_safe` at
# every level. A plain `str` (nearly every label and value) is escaped in line rather than
# through `_text`/`_lines`, and lists are built by comprehensions rather than generators (a
# generator is resumed once per item): a busy record has several hundred facts, and these were
# a quarter of the page's Python calls (issue 11).


@register.filter
def summary_list(facts: list[tuple[str, str]]) -> SafeString | str:
    """`<dl class="summary-list">`, a `<div><dt>label</dt><dd>value</dd></div>` for each fact,
    the value's line breaks kept; nothing when there are no facts."""
    return mark_safe(_summary_list(facts)) if facts else ""  # noqa: S308 - each part escaped


@register.filter
def bullets(items: Iterable[str]) -> SafeString | str:
    """`<ul>` with an `<li>` for each item; nothing when there are none."""
    return mark_safe(_bullets(items)) if items else ""  # noqa: S308 - each item escaped


@register.filter
def table_cells(row: list[str]) -> SafeString | str:
    """A table row's cells: the first a heading for the row (`<th scope="row">`), then a
    `<td>` for each of the rest."""
    return mark_safe(_table_cells(row)) if row else ""  # noqa: S308 - each cell escaped


@register.filter
def table_body(rows: list[list[str]]) -> SafeString:
    """A `<tr>` of `table_cells` for each row (a busy record's check-ins are a hundred)."""
    return mark_safe(_table_body(rows))  # noqa: S308 - each cell escaped


@register.filter
def entry_cards(entries: Iterable[Any]) -> SafeString:
    """A card for each entry (a talk, a goal): its heading, its facts, and its items under
    their label if it has any; the line breaks and indents the template's loop wrote."""
    return mark_safe(_entry_cards(entries))  # noqa: S308 - each part escaped


@register.filter
def record_contents(sections: Iterable[Any]) -> SafeString:
    """The contents list's items: a link to each part of the record."""
    return mark_safe(  # noqa: S308 - each part escaped
        "".join(
            [
                f'<li><a href="#{_text(section.key)}">{_text(section.title)}</a></li>'
                for section in sections
            ]
        )
    )


@register.filter
def record_parts(sections: Iterable[Any]) -> SafeString:
    """Each part of the record as a `<section>`: its heading, what to say when it is empty,
    its facts and items, then its tables or else its cards; the line breaks and indents the
    template's loops wrote."""
    return mark_safe("".join([_part(section) for section in sections]))  # noqa: S308 - escaped


def _summary_list(facts: list[tuple[str, str]]) -> str:
    if not facts:
        return ""
    rows = [
        "<div><dt>"
        + (escaped(label) if type(label) is str else _text(label))
        + "</dt><dd>"
        + (
            escaped(value).replace(NEWLINE, "<br>")
            if type(value) is str and RETURN not in value
            else _lines(value)
        )
        + "</dd></div>"
        for label, value in facts
    ]
    return f'<dl class="summary-list">{"".join(rows)}</dl>'


def _bullets(items: Iterable[str]) -> str:
    if not items:
        return ""
    rows = [f"<li>{escaped(item) if type(item) is str else _text(item)}</li>" for item in items]
    return f"<ul>{''.join(rows)}</ul>"


def _table_cells(row: list[str]) -> str:
    if not row:
        return ""
    first, *rest = row
    cells = [f"<td>{escaped(cell) if type(cell) is str else _text(cell)}</td>" for cell in rest]
    return f'<th scope="row">{_text(first)}</th>{"".join(cells)}'


def _table_body(rows: list[list[str]]) -> str:
    return "".join([f"<tr>{_table_cells(row)}</tr>" for row in rows])


def _entry_cards(entries: Iterable[Any]) -> str:
    return "".join([_card(entry) for entry in entries])


def _card(entry: Any) -> str:
    items = f"<h4>{_text(entry.items_label)}</h4>{_bullets(entry.items)}" if entry.items else ""
    return (
        f'\n  <article class="card">\n    <h3>{_text(entry.heading)}</h3>\n    '
        f"{_summary_list(entry.facts)}\n    {items}\n  </article>\n  "
    )


def _part(section: Any) -> str:
    key = _text(section.key)
    empty = f"<p>{_text(section.empty)}</p>" if section.is_empty else ""
    if section.tables:
        shown = "".join([_table(key, n, table) for n, table in enumerate(section.tables, 1)])
    else:
        shown = f"\n  {_entry_cards(section.entries)}\n  "
    return (
        f'\n<section class="record-part" id="{key}" aria-labelledby="{key}-title">\n'
        f'  <h2 id="{key}-title">{_text(section.title)}</h2>\n'
        f"  {empty}\n  {_summary_list(section.facts)}\n  {_bullets(section.items)}\n  {shown}\n"
        "</section>\n"
    )


def _table(key: str, n: int, table: Any) -> str:
    columns = "".join([f'<th scope="col">{_text(column)}</th>' for column in table.columns])
    return (
        f'\n  <div class="table-wrap" tabindex="0" role="region" '
        f'aria-labelledby="{key}-table-{n}"><table>\n'
        f'    <caption id="{key}-table-{n}">{_text(table.caption)}</caption>\n'
        f"    <thead><tr>{columns}</tr></thead>\n"
        f"    <tbody>{_table_body(table.rows)}</tbody>\n"
        "  </table></div>\n  "
    )

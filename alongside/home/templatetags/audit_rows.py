"""The audit trail's table rows and its filters' fields, written in Python rather than by a
template loop and five includes of field.html: the same HTML, escaped the same way, for a
fraction of the Python calls (issue 11). tests/test_audit_page_html.py keeps home/audit.html
as it was and compares the two."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from alongside.core.form_renderer import field_html
from alongside.core.html import text as _text

register = template.Library()

_STOPPED_TAG = '<span class="tag tag--red">Stopped</span> '
_NOBODY = '<span class="muted">No one’s record</span>'
_STOPPED_ROW = ' class="audit-table__stopped"'
_NOBODY_CELL = ' class="audit-table__nobody"'
_ONLY_THIS = '<span class="visually-hidden">: show only entries about this record</span>'


def _whose(line: Mapping[str, Any]) -> str:
    """The "Whose record" cell's words: a link to that record's entries where there is one."""
    person, href = line["person"], line["person_href"]
    if href:
        return f'<a href="{_text(href)}">{_text(person)}{_ONLY_THIS}</a>'
    return _text(person) if person else _NOBODY


@register.filter
def audit_rows(lines: Iterable[Mapping[str, Any]]) -> SafeString:
    """Each line of the table (views._table) as a `<tr>`, with the whitespace the loop wrote."""
    rows = []
    for line in lines:
        stopped, span = line["stopped"], line["span"]
        what = _text(line["what"])
        if stopped:
            what = _STOPPED_TAG + what
        if span:
            what = f'{what} <span class="muted">({_text(span)})</span>'
        rows.append(
            f'\n      <tr data-entry="{_text(line["entries"])}"'
            f"{_STOPPED_ROW if stopped else ''}>\n"
            f'        <td data-label="When">{_text(line["when"])}</td>\n'
            f'        <td data-label="What happened">{what}</td>\n'
            f'        <td data-label="Whose record"'
            f"{'' if line['person'] else _NOBODY_CELL}>{_whose(line)}</td>\n"
            "      </tr>\n      "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped by _text


# field.html draws these as a fieldset or with the box before its label: left to it.
@register.filter
def audit_field(field: BoundField) -> SafeString:
    """As `{% include "field.html" with field=field %}` writes a text box, a select or a
    date: its label, hint, errors and control (`core.form_renderer.field_html`)."""
    return mark_safe(field_html(field))  # noqa: S308 - every part escaped

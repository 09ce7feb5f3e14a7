"""The rows the lead's budget ledger repeats (by kind of spend, by month), written in Python
rather than by template loops: the same HTML, escaped the same way, for a fraction of the
Python calls (issue 11). Each replaces a loop of coaching/budgets/organisation.html;
tests/test_ledger_html.py keeps the loops as they were and compares the two."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import text as _text

register = template.Library()


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


@register.filter
def ledger_categories(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """A table row for each kind of spend: committed and paid in all."""
    return _safe(
        "".join(
            f'<tr><th scope="row">{_text(r["category"])}</th>'
            f'<td class="num">{_text(r["committed"])}</td>'
            f'<td class="num">{_text(r["paid"])}</td></tr>'
            for r in rows
        )
    )


@register.filter
def ledger_months(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """A table row for each month and kind of spend: committed and paid."""
    return _safe(
        "".join(
            f"<tr><td>{_text(r['month'])}</td><td>{_text(r['category'])}</td>"
            f'<td class="num">{_text(r["committed"])}</td>'
            f'<td class="num">{_text(r["paid"])}</td></tr>'
            for r in rows
        )
    )

"""The fragments the listening pages repeat for every row (a card on the list of fifty
contributions, a block of the report, a quote on the themes page), built in Python rather than
by a template loop: the same HTML, escaped the same way, without the template engine's cost for
each of a row's lookups and words (issue 11).

Each keeps the spacing the template loop it replaced wrote, so the pages stay the same to the
byte; that is why some strings below start or end with a newline and a few spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.forms import BoundField
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from alongside.core.form_renderer import field_html
from alongside.core.html import lines as _lines
from alongside.core.html import text as _text
from alongside.core.paths import path_to

from ..selectors.exercises import ContributionRow
from ..selectors.reports import VersionRow, WebBlock
from ..selectors.themes import ContributionCard, QuoteLine, ThemeCard

register = template.Library()


# --- the contributions list --------------------------------------------------------------------


def _contribution_row(row: ContributionRow) -> str:
    review = ""
    if row.review_path:
        review = (
            f'<p><a href="{_text(row.review_path)}">Check what was taken out'
            '<span class="visually-hidden"> of this contribution</span></a></p>'
        )
    heading = f'<a href="{_text(row.path)}">{_text(row.heading)}</a>'
    return (
        '\n  <li class="card">\n'
        f'    <h2 class="card-title">{heading}</h2>\n'
        f"    <p>{_text(row.snippet)}</p>\n"
        f'    <p class="status">{_text(row.status)}</p>\n'
        f"    {review}\n"
        "  </li>\n  "
    )


@register.filter
def contribution_cards(rows: Iterable[ContributionRow]) -> SafeString:
    """Each row as the `<li class="card">` the contributions list shows."""
    return mark_safe("".join(_contribution_row(row) for row in rows))  # noqa: S308 - escaped


# --- the report (the team's working copy, a version, the public page) ---------------------------


def _block(block: WebBlock) -> str:
    """One block of the report, as reports/_body.html wrote it."""
    if block.kind == "heading":
        tag = f"h{block.level}" if block.level in (2, 3) else "h4"
        inner = f"\n      <{tag}>{_text(block.text)}</{tag}>\n    "
    elif block.kind == "paragraph":
        inner = f"\n      <p>{_lines(block.text)}</p>\n    "
    elif block.kind == "quote":
        warning = credit = ""
        if block.warning:
            warning = f"<p><strong>Content warning: {_text(block.warning)}</strong></p>"
        if block.credit:
            credit = f"<figcaption>\u2014 {_text(block.credit)}</figcaption>"
        inner = (
            f"\n      {warning}\n"
            '      <figure class="report-quote">\n'
            f"        <blockquote><p>\u201c{_lines(block.text)}\u201d</p></blockquote>\n"
            f"        {credit}\n"
            "      </figure>\n    "
        )
    elif block.kind == "list":
        items = "".join(f"<li>{_text(item)}</li>" for item in block.items)
        inner = f"\n      <ul>{items}</ul>\n    "
    elif block.kind == "facts":
        pairs = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in block.items)
        inner = f'\n      <dl class="facts">{pairs}</dl>\n    '
    else:
        inner = ""
    return f"\n    {inner}\n    "


@register.filter
def report_sections(sections: Iterable[Iterable[WebBlock]]) -> SafeString:
    """The report's parts (selectors.reports.web_sections), each a `<section>` of its
    headings, paragraphs, quotes, lists and facts: the web page of the same document as the
    Word and PDF files. A report of a dozen parts has hundreds of blocks."""
    parts = (
        '\n  <section class="report-part">\n    '
        + "".join(_block(block) for block in section)
        + "\n  </section>\n  "
        for section in sections
    )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped in _block


def _published_on(version: VersionRow) -> str:
    """As `{{ version.published_at|date:"l j F Y, H:i" }}`, in the current time zone."""
    return _text(date_filter(template_localtime(version.published_at), "l j F Y, H:i"))


def _version_item(exercise_id: int, version: VersionRow, first: bool, published: bool) -> str:
    path = path_to("listening:report_version", [exercise_id, version.number])
    by = "" if version.published_by is None else f" by {_text(version.published_by)}"
    now = " (what readers see now)" if first and published else ""
    return (
        f'\n    <li><a href="{_text(path)}">Version {version.number}</a>, '
        f"published on {_published_on(version)}{by}{now}</li>\n    "
    )


@register.simple_tag
def version_items(exercise_id: int, versions: list[VersionRow], published: bool) -> SafeString:
    """The report's published versions, newest first, each an `<li>` linking to it."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            _version_item(exercise_id, version, n == 0, published)
            for n, version in enumerate(versions)
        )
    )


_DOWNLOADS = (
    ("listening:report_docx", "This working copy as a Word document (.docx)"),
    (
        "listening:codebook_qdc",
        "The codebook for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdc)",
    ),
    ("listening:project_qdpx", "The coded contributions as a REFI-QDA project (.qdpx)"),
    ("listening:codebook_csv", "The codebook as a spreadsheet (CSV)"),
    ("listening:excerpts_csv", "The coded excerpts as a spreadsheet (CSV)"),
)


@register.simple_tag
def report_downloads(exercise_id: int, pdf: bool) -> SafeString:
    """The working copy's downloads, each an `<li>`: Word, PDF (or how to print one), and the
    codebook and coded excerpts."""
    links = [
        f'<li><a href="{_text(path_to(name, [exercise_id]))}">{words}</a></li>'
        for name, words in _DOWNLOADS
    ]
    if pdf:
        path = _text(path_to("listening:report_pdf", [exercise_id]))
        printed = f'<a href="{path}">This working copy as a PDF</a>'
    else:
        printed = "For a PDF, print this page and choose \u201cSave as PDF\u201d as the printer."
    links.insert(1, f"<li>{printed}</li>")
    return mark_safe("\n    ".join(links))  # noqa: S308 - the addresses are escaped


# --- the themes page ---------------------------------------------------------------------------


@register.filter
def quote_items(quotes: Iterable[QuoteLine]) -> SafeString:
    """A theme card's most typical quotes, each an `<li>`."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f"\n        <li><blockquote><p>{_text(quote.words)}</p></blockquote>\n"
            f'          <p class="hint">{_text(quote.hint)}</p></li>\n        '
            for quote in quotes
        )
    )


def _keywords(keywords: Any) -> str:
    """As `{{ card.keywords|join:", " }}`: each keyword escaped."""
    try:
        return ", ".join(_text(keyword) for keyword in keywords)
    except TypeError:  # not a list: the filter leaves it as it is
        return _text(keywords)


def _theme_card(card: ThemeCard) -> str:
    """One theme on the themes page, as the loop in themes/index.html wrote it."""
    keywords = f"<p>Keywords: {_keywords(card.keywords)}</p>" if card.keywords else ""
    quotes = ""
    if card.quotes:
        quotes = (
            "\n    <details>\n"
            f"      <summary>What people said ({len(card.quotes)} most typical)</summary>\n"
            "      <ul>\n"
            f"        {quote_items(card.quotes)}\n"
            "      </ul>\n"
            "    </details>\n    "
        )
    return (
        '\n  <li class="card">\n'
        f'    <h3 class="card-title"><a href="{_text(card.path)}">{_text(card.title)}</a></h3>\n'
        f'    <p class="status">{_text(card.status)}</p>\n'
        f"    {keywords}\n"
        f"    {quotes}\n"
        "  </li>\n  "
    )


@register.filter
def theme_cards(cards: Iterable[ThemeCard]) -> SafeString:
    """The themes, each a `<li class="card">` with its count, keywords and typical quotes."""
    return mark_safe("".join(_theme_card(card) for card in cards))  # noqa: S308 - escaped


def _words(card: ContributionCard) -> str:
    """What themes/_words.html wrote: the redacted words, never the words as heard."""
    if card.redacted_text:
        return (
            '\n\n<blockquote class="contribution-words">'
            f"<p>{_lines(card.redacted_text)}</p></blockquote>\n\n"
        )
    return (
        '\n\n<p class="muted">Waiting for someone to check what was removed before anyone '
        "else reads it.</p>\n\n"
    )


def _status(card: ContributionCard) -> str:
    """What themes/_status.html wrote: credit, whether it can be quoted, who placed it."""
    if card.state == "draft":
        quoting = " \u00b7 waiting for a check of what was removed"
    elif not card.consent_to_quote:
        quoting = " \u00b7 no consent to quote"
    else:
        quoting = " \u00b7 can be quoted"
    placed = " \u00b7 placed by your team" if card.placed_by_team else ""
    warning = ""
    if card.content_warnings:
        warning = f" \u00b7 content warning: {_text(card.content_warnings)}"
    return f'\n<p class="status">{_text(card.credit_line)}\n{quoting}\n{placed}\n{warning}</p>\n'


def _contribution_card(card: ContributionCard, link: str) -> str:
    """A contribution on the themes page, with a link to move it."""
    return (
        '\n    <li class="card">\n'
        f"      {_words(card)}\n"
        f"      {_status(card)}\n"
        f'      <p><a href="{_text(card.move_path)}">{link}</a></p>\n'
        "    </li>\n    "
    )


@register.filter
def cards_to_place(cards: Iterable[ContributionCard]) -> SafeString:
    """The contributions not placed in a theme yet."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            _contribution_card(
                card, f'Move<span class="visually-hidden"> this contribution ({n})</span>'
            )
            for n, card in enumerate(cards, 1)
        )
    )


@register.filter
def cards_didnt_fit(cards: Iterable[ContributionCard]) -> SafeString:
    """The contributions that didn't fit any theme."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            _contribution_card(
                card, f'Move to a theme<span class="visually-hidden"> (didn\'t fit, {n})</span>'
            )
            for n, card in enumerate(cards, 1)
        )
    )


# --- a form's fields ----------------------------------------------------------------------------


@register.filter
def field_row(field: BoundField) -> SafeString:
    """What `{% with field=... %}{% include "field.html" %}{% endwith %}` writes for a field
    (`core.form_renderer.field_html`)."""
    return mark_safe(field_html(field))  # noqa: S308 - every part escaped


# --- the exercise's overview -------------------------------------------------------------------


@register.filter
def count_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """A table's rows of counts (by channel, by place), each
    `<tr><th scope="row">label</th><td class="num">count</td></tr>`."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><th scope="row">{_text(row["label"])}</th>'
            f'<td class="num">{_text(row["count"])}</td></tr>'
            for row in rows
        )
    )

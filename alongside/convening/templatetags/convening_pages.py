"""The fragments the system theme page repeats for every row (a month, a service, an
organisation, a quote, each barrier's card with its three forms), and the convening home its
lists, built in Python rather than by a template loop: the same HTML, escaped the same way,
without the template engine's cost for each of a row's lookups (issue 11). A busy theme shows
fifty barriers, each with a keep, a take out and a move form.

Each keeps the spacing the template loop it replaced wrote, so the page stays the same to the
byte (tests/test_convening_theme_page_html.py and tests/test_convening_pages_speed_html.py
compare them with the old templates); that is why some strings below start or end with a
newline and a few spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import template
from django.template.defaultfilters import pluralize, truncatewords
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text
from alongside.core.paths import path_to

from ..models import SystemTheme
from ..selectors.home import Column, ExperimentLine, GroupLine, ThemeLine
from ..selectors.recommendations import RecommendationRow
from ..selectors.themes import InTheme, ListeningLink, Split, ThemeDetail, ThemeQuote

register = template.Library()

# A number no placement has as its id, to find where the id goes in an address.
_MARK = 987654321


def _paths(name: str) -> Callable[[int], str]:
    """The address of the page `name` for each placement, reversed once for the whole list."""
    head, _, tail = path_to(name, [_MARK]).rpartition(str(_MARK))
    head, tail = _text(head), _text(tail)
    return lambda placement_id: f"{head}{int(placement_id)}{tail}"


def _csrf(context: template.Context) -> str:
    """What `{% csrf_token %}` writes: the same token for every form on the page."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(token)}">'


# --- the tables --------------------------------------------------------------------------------


def month_rows(rows: Iterable[Split]) -> SafeString:
    """The months table's rows: ours exact, other organisations' protected when there are any."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><th scope="row">{_text(row.label)}</th><td class="num">{_text(row.ours)}</td>'
            + (f'<td class="num">{_text(row.others)}</td>' if row.others is not None else "")
            + "</tr>"
            for row in rows
        )
    )


def split_table(rows: Iterable[Split], first: str, caption: str, others: int) -> SafeString:
    """A table of counts, ours exact, other organisations' protected (an include wrote it
    before): `others` is how many other organisations' barriers the theme holds, and gives the
    table its second column of counts."""
    caption = _text(caption)
    if others:
        heads = (
            '<th scope="col" class="num">From people we work with</th>'
            '<th scope="col" class="num">From other organisations</th>'
        )
    else:
        heads = '<th scope="col" class="num">Barriers</th>'
    body = "".join(
        f'<tr><th scope="row">{_text(row.label)}</th><td class="num">{_text(row.ours)}</td>'
        + (
            f'<td class="num">{_text("0" if row.others is None else row.others)}</td>'
            if others
            else ""
        )
        + "</tr>"
        for row in rows
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        f'\n<div class="table-wrap" tabindex="0" role="region" aria-label="{caption}">\n'
        "  <table>\n"
        f"    <caption>{caption}</caption>\n"
        f'    <thead><tr><th scope="col">{_text(first)}</th>{heads}</tr></thead>\n'
        f"    <tbody>{body}</tbody>\n"
        "  </table>\n"
        "</div>\n"
    )


# --- the head of the page and its months ------------------------------------------------------

_ACROSS = (
    '<span class="tag tag--blue">Across the area</span> Barriers from every organisation in the'
    " area that shares them."
)
_OURS_ONLY = (
    '<span class="tag tag--grey">Our organisation</span> Only barriers from people we work with.'
)
_PROTECTED_HINT = (
    '<p class="hint">Counts from other organisations are shown with small numbers hidden'
    " (\u201cfewer than 10\u201d) and the rest rounded to the nearest 5, to protect the people"
    " behind them. Our own counts are exact.</p>"
)


def theme_head(theme: SystemTheme, detail: ThemeDetail) -> SafeString:
    """The theme's title, count, reach, summary and buttons, as the template wrote them."""
    pk = theme.pk
    back = f"{_text(path_to('convening:themes'))}?organisation={_text(theme.organisation_id)}"
    suggested = (
        ""
        if theme.owned_by_convener
        else ' <span class="tag tag--yellow">Named by the suggestion</span>'
    )
    summary = f"<h2>What it is about</h2><p>{_lines(theme.summary)}</p>" if theme.summary else ""
    button = '  <a class="button button--secondary" href="'
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<p><a href="{back}">Back to system themes</a></p>\n'
        f"<h1>{_text(theme.title)}</h1>\n"
        f'<p class="lead">{_text(detail.count.words)}.</p>\n'
        f"<p>{_ACROSS if detail.across else _OURS_ONLY}\n{suggested}</p>\n"
        f"{summary}\n"
        '<div class="button-row">\n'
        f'{button}{_text(path_to("convening:theme_edit", [pk]))}">Change the theme</a>\n'
        f'{button}{_text(path_to("convening:theme_listening", [pk]))}">Link listening themes</a>\n'
        f'{button}{_text(path_to("convening:theme_briefing", [pk]))}">Briefing for a board</a>\n'
        "</div>\n"
        f"{_PROTECTED_HINT if detail.count.other_organisations else ''}"
    )


def months_figure(detail: ThemeDetail) -> SafeString:
    """The chart of the last twelve months with its table, as the template wrote them."""
    chart = detail.chart
    chart_id = _text(chart.chart_id)
    others = detail.count.other_organisations
    total = detail.months_total
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<figure class="chart" aria-labelledby="{chart_id}-caption">\n'
        f'    <figcaption id="{chart_id}-caption"><h3>{_text(chart.title)}</h3></figcaption>\n'
        f"    {_text(chart.svg)}\n"
        '    <div class="table-wrap" tabindex="0" role="region"'
        f' aria-labelledby="{chart_id}-table">\n'
        "      <table>\n"
        f'        <caption id="{chart_id}-table">Barriers each month</caption>\n'
        '        <thead><tr><th scope="col">Month</th><th scope="col" class="num">'
        + ("From people we work with" if others else "Barriers")
        + "</th>"
        + ('<th scope="col" class="num">From other organisations</th>' if others else "")
        + "</tr></thead>\n"
        "        <tbody>\n"
        f"          {month_rows(detail.months)}\n"
        "        </tbody>\n"
        f'        <tfoot><tr><th scope="row">{_text(total.label)}</th>'
        f'<td class="num">{_text(total.ours)}</td>'
        + (f'<td class="num">{_text(total.others)}</td>' if total.others else "")
        + "</tr></tfoot>\n"
        "      </table>\n"
        "    </div>\n"
        "  </figure>"
    )


# --- the lists ---------------------------------------------------------------------------------


def quote_cards(quotes: Iterable[ThemeQuote]) -> SafeString:
    """The theme's barriers in people's (redacted) words, each a card."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li class="card"><blockquote><p>{_text(quote.words)}</p></blockquote>'
            '<p class="hint">'
            + (f"{_text(quote.service)} \u00b7 " if quote.service else "")
            + f"{_text(quote.organisation)}</p></li>"
            for quote in quotes
        )
    )


def outcome_items(outcomes: Iterable[str]) -> SafeString:
    """What came of the theme's barriers, (redacted) words each an `<li>`."""
    return mark_safe("".join(f"<li>{_text(words)}</li>" for words in outcomes))  # noqa: S308


def listening_items(links: Iterable[ListeningLink]) -> SafeString:
    """The listening themes linked to this one, each an `<li>`."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f"<li><strong>{_text(link.title)}</strong>, from \u201c{_text(link.exercise)}\u201d: "
            f"{_text(link.contributions)}"
            + (f" ({', '.join(_text(k) for k in link.keywords)})" if link.keywords else "")
            + "</li>"
            for link in links
        )
    )


def _organisation(row: Split) -> str:
    if row.others is not None:
        return f"<li>{_text(row.label)}: {_text(row.others)} barriers</li>"
    return f"<li>{_text(row.label)}: {_text(row.ours)} barrier{pluralize(row.ours)}</li>"


def organisation_items(rows: Iterable[Split]) -> SafeString:
    """Where the theme's barriers came from: ours exact, other organisations' protected."""
    return mark_safe("".join(_organisation(row) for row in rows))  # noqa: S308 - escaped


# --- the barriers ---------------------------------------------------------------------------------


def _once(seen: dict[str, str], value: str) -> str:
    """`value` escaped, worked out once for a list: organisations and days repeat."""
    written = seen.get(value)
    if written is None:
        written = seen[value] = _text(value)
    return written


def _words(barrier: InTheme, seen: dict[str, str]) -> str:
    """What convening/_theme_barrier.html wrote: redacted words, service, organisation, when."""
    service = f"{_text(barrier.service)} \u00b7 " if barrier.service else ""
    when = f" \u00b7 {_once(seen, barrier.when)}" if barrier.when else ""
    return (
        f"\n<blockquote><p>{_text(barrier.words or '(no words recorded)')}</p></blockquote>\n"
        f'<p class="hint">{service}{_once(seen, barrier.organisation)}{when}</p>\n'
    )


def _move_form(detail: ThemeDetail, organisation_id: int, csrf: str) -> tuple[str, str]:
    """The form that moves a barrier to another of the organisation's themes, as the parts
    before and after the barrier's id: its choices are written once for the whole list."""
    options = "".join(
        f'<option value="{_text(choice.pk)}">{_text(choice.title)}</option>'
        for choice in detail.move_to
    )
    head = (
        f'\n      <form method="post" action="{_text(path_to("convening:theme_place"))}"'
        ' class="inline-form">\n'
        f'        {csrf}<input type="hidden" name="organisation" value="{_text(organisation_id)}">'
        '<input type="hidden" name="back" value="theme">\n'
        '        <input type="hidden" name="barrier" value="'
    )
    return head, options


def barrier_cards(
    context: template.Context, detail: ThemeDetail, organisation_id: int
) -> SafeString:
    """Each barrier shown in the theme as a card: its words, who placed it, and the forms to
    keep it here, take it out, or move it to another of the organisation's themes. A card is
    one string written in place (fifty cards, three forms each): a call for each form cost
    more than the writing."""
    csrf = _csrf(context)
    keep_path = _paths("convening:placement_keep")
    remove_path = _paths("convening:placement_remove")
    move_head, options = _move_form(detail, organisation_id, csrf) if detail.move_to else ("", "")
    seen: dict[str, str] = {}
    cards = []
    for n, barrier in enumerate(detail.barriers, 1):
        placement = int(barrier.placement_id)
        hidden = f'<span class="visually-hidden"> (barrier {n})</span></button>'
        if barrier.by_convener:
            tag = '<span class="tag tag--green">Placed by a convener</span>'
            keep = ""
        else:
            tag = '<span class="tag tag--yellow">Suggested</span>'
            keep = (
                f'\n        <form method="post" action="{keep_path(placement)}">{csrf}'
                f'<button type="submit" class="button">Keep it here{hidden}</form>\n        '
            )
        move = (
            f'{move_head}{int(barrier.barrier_id)}">\n'
            '        <div class="inline-field">\n'
            '          <div class="field">\n'
            f'            <label for="move-{placement}">Move it to</label>\n'
            f'            <select name="theme" id="move-{placement}">{options}</select>\n'
            "          </div>\n"
            f'          <button type="submit" class="button button--secondary">Move it{hidden}\n'
            "        </div>\n"
            "      </form>\n      "
            if move_head
            else ""
        )
        cards.append(
            '\n    <li class="card">\n'
            f"      {_words(barrier, seen)}\n"
            f"      <p>{tag}</p>\n"
            '      <div class="button-row">\n'
            f"        {keep}\n"
            f'        <form method="post" action="{remove_path(placement)}">{csrf}'
            f'<button type="submit" class="button button--secondary">Take it out{hidden}</form>\n'
            "      </div>\n"
            f"      {move}\n"
            "    </li>\n    "
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value is escaped


# --- the whole page -----------------------------------------------------------------------------


def _section(name: str, title: str, body: str) -> str:
    return (
        f'<section aria-labelledby="{name}-title">\n'
        f'  <h2 id="{name}-title">{title}</h2>\n'
        f"  {body}\n"
        "</section>\n"
    )


def _listed(items: str, open_list: str, empty: str) -> str:
    """A list as theme.html wrote it, or its words for none."""
    return f"\n  {open_list}{items}</ul>\n  " if items else empty


def _barriers_part(context: template.Context, theme: SystemTheme, detail: ThemeDetail) -> str:
    count = detail.suggested_count
    suggested = (
        f"<p>{count} {'was' if count == 1 else 'were'} put here by the suggestion: keep each"
        " here, move it, or take it out.</p>"
        if count
        else ""
    )
    if not detail.barriers:
        back = f"{_text(path_to('convening:themes'))}?organisation={_text(theme.organisation_id)}"
        return (
            f"{suggested}\n  \n"
            f'  <p>No barriers here yet. Place them from <a href="{back}">\u201cnot yet in a'
            " theme\u201d</a>.</p>\n  "
        )
    more = (
        f"<p>The most recent are shown: up to {detail.shown_each} a convener placed and"
        f" {detail.shown_each} the suggestion placed.</p>"
        if detail.more_barriers > 0
        else ""
    )
    return (
        f"{suggested}\n  \n"
        '  <ul class="cards">\n'
        f"    {barrier_cards(context, detail, theme.organisation_id)}\n"
        "  </ul>\n"
        f"  {more}\n  "
    )


@register.simple_tag(takes_context=True)
def theme_page(context: template.Context, theme: SystemTheme, detail: ThemeDetail) -> SafeString:
    """The theme page's content, every part in the order and spacing theme.html wrote it
    (its few dozen lookups and conditions cost more through the template engine than the
    page's parts take to write)."""
    others = detail.count.other_organisations
    parts = [
        f"\n{theme_head(theme, detail)}\n\n",
        _section("months", "Over the last 12 months", months_figure(detail)),
        "\n",
    ]
    if detail.services:
        caption = "Which services or rules got in the way"
        table = split_table(detail.services, "Service or rule", caption, others)
        parts.append(f"\n{_section('services', 'Services and rules involved', table)}")
    parts.append("\n\n")
    if detail.responses:
        caption = "What people did about it, with their coach"
        table = split_table(detail.responses, "What was done", caption, others)
        parts.append(f"\n{_section('responses', 'What people did about it', table)}")
    outcomes = outcome_items(detail.outcomes)
    listening = (
        "None linked yet. "
        f'<a href="{_text(path_to("convening:theme_listening", [theme.pk]))}">'
        "Link listening themes</a>"
    )
    parts += [
        "\n\n",
        _section(
            "outcomes",
            "What came of it",
            f"<ul>{outcomes}</ul>\n  "
            if outcomes
            else "<p>Nothing recorded yet about what came of it.</p>",
        ),
        "\n",
        _section(
            "quotes",
            "In people's words",
            _listed(
                quote_cards(detail.quotes),
                '<ul class="cards">',
                "<p>No barriers in this theme yet.</p>",
            ),
        ),
        "\n",
        _section(
            "listening",
            "Related listening themes",
            _listed(listening_items(detail.listening), "<ul>", f"<p>{listening}</p>"),
        ),
        "\n",
        _section(
            "organisations",
            "Where it came from",
            _listed(
                organisation_items(detail.organisations), "<ul>", "<p>No organisation yet.</p>"
            ),
        ),
        "\n",
        _section("barriers", "The barriers in this theme", _barriers_part(context, theme, detail)),
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


# --- the convening home ------------------------------------------------------------------------
# The home's lists, each as its template loop wrote it (the same spacing, to the byte:
# tests/test_convening_pages_speed_html.py compares them with the old template).


def _truncated(value: str, words: int) -> str:
    """As `{{ value|truncatewords:words }}` writes it: cut, then escaped."""
    return _text(truncatewords(value, words))


@register.filter
def overdue_cards(rows: Iterable[RecommendationRow]) -> SafeString:
    """The recommendations whose answer (or follow-up) is late, each a card."""
    path = _paths("convening:recommendation")
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            '\n    <li class="card">\n'
            f'      <h3 class="card-title"><a href="{path(r.pk)}">{_text(r.title)}</a></h3>\n'
            f'      <p><span class="tag {_text(r.standing.tag)}">{_text(r.standing.label)}</span>'
            f" {_text(r.standing.overdue)}</p>\n"
            f'      <p class="small">{_text(r.to)}.</p>\n'
            "    </li>\n    "
            for r in rows
        )
    )


def _landed(r: RecommendationRow, path: Callable[[int], str]) -> str:
    moved = r.standing.moved
    return (
        "\n        <li>\n"
        f'          <a href="{path(r.pk)}">{_text(r.title)}</a><br>\n'
        f'          <span class="tag {_text(r.standing.tag)}">{_text(r.standing.label)}</span>'
        f" {_truncated(r.standing.words, 40)}\n"
        f"          {f'<br>{_truncated(moved, 40)}' if moved else ''}\n"
        "        </li>\n        "
    )


@register.filter
def lands_columns(columns: Iterable[Column]) -> SafeString:
    """The four places the learning lands, each a card with its recommendations."""
    path = _paths("convening:recommendation")
    cards = []
    for column in columns:
        if column.rows:
            inner = "".join(_landed(r, path) for r in column.rows)
            rows = f'\n      <ul class="link-list">\n        {inner}\n      </ul>\n      '
        else:
            rows = "\n      <p>Nothing has landed here yet.</p>\n      "
        cards.append(
            '\n    <li class="card">\n'
            f'      <h3 class="card-title" id="lands-{_text(column.key)}">{_text(column.label)}'
            "</h3>\n"
            f'      <p class="small muted">{_text(column.about)}</p>\n'
            f"      {rows}\n"
            "    </li>\n    "
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value is escaped


@register.filter
def theme_items(lines: Iterable[ThemeLine]) -> SafeString:
    """The short list of system themes, each with its live count."""
    path = _paths("convening:theme")
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'\n    <li><a href="{path(t.pk)}">{_text(t.title)}</a>: {_text(t.count)}.</li>\n    '
            for t in lines
        )
    )


@register.filter
def group_items(lines: Iterable[GroupLine]) -> SafeString:
    """The short list of convening groups, each with the start of its purpose."""
    path = _paths("convening:group")
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'\n    <li><a href="{path(g.pk)}">{_text(g.name)}</a>'
            + (f": {_truncated(g.purpose, 20)}" if g.purpose else "")
            + "</li>\n    "
            for g in lines
        )
    )


@register.filter
def experiment_items(lines: Iterable[ExperimentLine]) -> SafeString:
    """The short list of experiments, each with its dates."""
    path = _paths("convening:experiment")
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'\n    <li><a href="{path(e.pk)}">{_text(e.title)}</a>: {_text(e.dates)}.</li>\n    '
            for e in lines
        )
    )

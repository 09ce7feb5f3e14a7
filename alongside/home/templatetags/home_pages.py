"""The lists a lead's home repeats (spending to decide, requests to answer, relationships gone
quiet), written in Python rather than by template loops: the same HTML, escaped the same way,
for a fraction of the Python calls (issue 11). Each replaces a loop of home/_lead_queue.html;
tests/test_home_pages_html.py keeps the loops as they were and compares the two."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core import words
from alongside.core.html import text as _text

from ..selectors import (
    BUDGET,
    DATES,
    DECIDE,
    WRITE_UP,
    Answer,
    Asked,
    Listed,
    SpendRow,
    WeekRow,
    _addresses,
    _path,
)

register = template.Library()


def _day(value: Any) -> str:
    """As `{{ value|day }}` (home_words) writes it."""
    return _text(words.day_words(value, leave_out_year=words.this_year()))


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


@register.filter
def lead_spends(spends: Iterable[SpendRow]) -> SafeString:
    """Spending over a coach's limit, waiting for the lead: a `<div>` of the list for each."""
    decide_url = _addresses(DECIDE, 2)
    rows = []
    for s in spends:
        name, what_for, amount = _text(s.name), _text(s.what_for), _text(s.amount)
        by = f" by {_text(s.by)}" if s.by else ""
        rows.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>{what_for}: {amount}, asked for on {_day(s.created_at)}{by}.</dd>\n"
            f'          <dd><a href="{_text(decide_url(s.person_id, s.pk))}">Decide<span'
            f' class="visually-hidden"> about {amount} for {what_for}, for {name}</span></a></dd>\n'
            "        </div>\n        "
        )
    return _safe("".join(rows))


def _asked(rows: Iterable[Asked], url_name: str, asked: str, what: str) -> SafeString:
    answer_url = _addresses(url_name, 1)
    found = []
    for row in rows:
        name = _text(row.name)
        found.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>Asked on {_day(row.at)}{asked}.</dd>\n"
            f'          <dd><a href="{_text(answer_url(row.pk))}">Answer<span'
            f' class="visually-hidden"> {name}\'s request to {what}</span></a></dd>\n'
            "        </div>\n        "
        )
    return _safe("".join(found))


@register.filter
def lead_erasures(rows: Iterable[Asked]) -> SafeString:
    """Requests to erase a record, waiting for an answer."""
    return _asked(rows, "me:erasure_decide", "", "erase their record")


@register.filter
def lead_corrections(rows: Iterable[Asked]) -> SafeString:
    """Requests to change a record, unanswered for more than a week."""
    return _asked(rows, "me:correction_decide", " and not answered yet", "change their record")


@register.filter
def lead_quiet(rows: Iterable[Listed]) -> SafeString:
    """Relationships with no contact for a long time, with whom and since when."""
    return _safe(
        "".join(
            f'\n        <div>\n          <dt><a href="{_text(rel.url)}">'
            f"{_text(rel.name)}</a></dt>\n"
            f"          <dd>With {_text(rel.coach)}. {_text(rel.in_touch)}.</dd>\n"
            "        </div>\n        "
            for rel in rows
        )
    )


@register.simple_tag
def lead_glance(organisations: Iterable[dict[str, Any]]) -> SafeString:
    """Each organisation's numbers at a glance, each linking to the list behind it."""
    everyone = _text(_path("home:everyone"))
    ledger = _text(_path("coaching:budget_ledger"))
    written = []
    for o in organisations:
        n, query = o["numbers"], _text(o["query"])
        also = f"organisation={_text(o['organisation'].pk)}&amp;" if o["query"] else ""
        stages = "".join(
            f'\n      <div><dt>{_text(stage["label"])}</dt><dd><a href="{everyone}?{also}show='
            f'{_text(stage["state"])}">{_text(stage["cell"])}<span class="visually-hidden">'
            f" relationships: {_text(stage['label'])}</span></a></dd></div>\n      "
            for stage in n["stages"]
        )
        written.append(
            f"\n    <h2>{_text(o['organisation'].name)} at a glance</h2>\n"
            '    <dl class="summary-list glance">\n'
            "      <div><dt>People with a record</dt><dd>"
            f'<a href="{everyone}{query}">{_text(n["people"])}</a></dd></div>\n      {stages}\n'
            f"      <div><dt>Check-ins in {words.MONTHS[n['month'].month - 1]}</dt><dd>"
            f'<a href="{everyone}?{also}show=checked-in">{_text(n["check_ins"])}'
            '<span class="visually-hidden"> check-ins this month</span></a></dd></div>\n'
            f'      <div><dt>Personal budgets</dt><dd><a href="{ledger}">{_text(n["committed"])}'
            f" of {_text(n['allocation'])}</a> committed ({_text(n['percent'])}%),"
            f" {_text(n['paid'])} paid so far.</dd></div>\n    </dl>\n    "
        )
    return _safe("".join(written))


# --- a coach's week (home/_coach_week.html) ------------------------------------------------


def _meeting(rel: WeekRow, middle: str, write_up_url: Callable[..., str]) -> str:
    name = _text(rel.name)
    return (
        f'\n        <div>\n          <dt><a href="{_text(rel.url)}">{name}</a></dt>\n'
        f"          {middle}\n"
        f'          <dd><a href="{_text(write_up_url(rel.person_id))}">Write it up<span'
        f' class="visually-hidden"> with {name}</span></a>'
    )


@register.filter
def week_today(rows: Iterable[WeekRow]) -> SafeString:
    """Today's meetings."""
    write_up_url = _addresses(WRITE_UP, 1)
    return _safe(
        "".join(
            _meeting(rel, "<dd>You're meeting today.</dd>", write_up_url)
            + "</dd>\n        </div>\n        "
            for rel in rows
        )
    )


@register.filter
def week_later(rows: Iterable[WeekRow]) -> SafeString:
    """The meetings later this week, each under its day."""
    return _safe(
        "".join(
            f"\n        <div>\n          <dt>{_day(rel.next_meeting_on)}</dt>\n"
            f'          <dd><a href="{_text(rel.url)}">{_text(rel.name)}</a></dd>\n'
            "        </div>\n        "
            for rel in rows
        )
    )


@register.filter
def week_to_write_up(rows: Iterable[WeekRow]) -> SafeString:
    """Meetings that have passed with nothing written since."""
    write_up_url, dates_url = _addresses(WRITE_UP, 1), _addresses(DATES, 2)
    return _safe(
        "".join(
            _meeting(rel, f"<dd>Planned for {_day(rel.next_meeting_on)}.</dd>", write_up_url)
            + f' · <a href="{_text(dates_url(rel.person_id, rel.pk))}">Change the date<span'
            + ' class="visually-hidden">'
            f" for {_text(rel.name)}</span></a></dd>\n        </div>\n        "
            for rel in rows
        )
    )


@register.filter
def week_corrections(rows: Iterable[Asked]) -> SafeString:
    """Requests to change a record, waiting for the coach."""
    answer_url = _addresses("me:correction_decide", 1)
    found = []
    for row in rows:
        name = _text(row.name)
        found.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>Asked on {_day(row.at)} to change something written in their"
            " record.</dd>\n"
            f'          <dd><a href="{_text(answer_url(row.pk))}">Answer<span'
            f' class="visually-hidden"> {name}\'s request to change their record</span></a></dd>\n'
            "        </div>\n        "
        )
    return _safe("".join(found))


def _budget_link(s: SpendRow, budget_url: Callable[..., str]) -> str:
    return (
        f'          <dd><a href="{_text(budget_url(s.person_id))}">See the budget<span'
        f' class="visually-hidden"> for {_text(s.name)}</span></a></dd>\n        </div>\n        '
    )


@register.filter
def week_spends_to_decide(spends: Iterable[SpendRow]) -> SafeString:
    """Spending the coach may approve, waiting for them."""
    decide_url = _addresses(DECIDE, 2)
    rows = []
    for s in spends:
        what_for, amount = _text(s.what_for), _text(s.amount)
        rows.append(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{what_for}: {amount}, asked for on {_day(s.created_at)}.</dd>\n"
            f'          <dd><a href="{_text(decide_url(s.person_id, s.pk))}">Decide<span'
            f' class="visually-hidden"> about {amount} for {what_for}</span></a></dd>\n'
            "        </div>\n        "
        )
    return _safe("".join(rows))


@register.filter
def week_spends_with_lead(spends: Iterable[SpendRow]) -> SafeString:
    """Spending over the coach's limit, for a lead to decide."""
    budget_url = _addresses(BUDGET, 1)
    return _safe(
        "".join(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{_text(s.what_for)}: {_text(s.amount)}. This is more than a coach"
            " can approve, so a lead will decide.</dd>\n" + _budget_link(s, budget_url)
            for s in spends
        )
    )


@register.filter
def week_spends_decided(spends: Iterable[SpendRow]) -> SafeString:
    """Spending someone else decided since the coach last looked."""
    budget_url = _addresses(BUDGET, 1)
    rows = []
    for s in spends:
        decided = "not approved" if s.status == "declined" else "approved"
        by = f", by {_text(s.by)}" if s.by else ""
        rows.append(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{_text(s.what_for)}: {_text(s.amount)}, {decided}{by}"
            f" on {_day(s.decided_at)}.</dd>\n" + _budget_link(s, budget_url)
        )
    return _safe("".join(rows))


@register.simple_tag
def week_answers(answers: Iterable[Answer], user: Any) -> SafeString:
    """Suggested goals the person made their own, or decided are not for them."""
    goal_url = _addresses("coaching:goal_detail", 2)
    rows = []
    for a in answers:
        goal = a.goal
        words_ = _text(goal.words)
        whose = "you suggested" if goal.suggested_by_id == user.pk else "suggested to them"
        said = (
            f"Made the goal {whose} their own: \u201c{words_}\u201d"
            if a.accepted
            else f"Decided the goal {whose} isn't for them: \u201c{words_}\u201d"
        )
        at = f" ({_day(a.at)})" if a.at else ""
        url = _text(goal_url(goal.person_id, goal.pk))
        rows.append(
            f"\n        <div>\n          <dt>{_text(a.name)}</dt>\n"
            f"          <dd>{said}{at}.</dd>\n"
            f'          <dd><a href="{url}">See the goal<span class="visually-hidden">'
            f" \u201c{words_}\u201d</span></a></dd>\n        </div>\n        "
        )
    return _safe("".join(rows))


@register.filter
def week_keep_in_touch(rows: list[WeekRow]) -> SafeString:
    """The first eight people it may be time to keep in touch with."""
    write_up_url = _addresses(WRITE_UP, 1)
    items = []
    for rel in rows[:8]:
        name, write_up = _text(rel.name), _text(write_up_url(rel.person_id))
        when = (
            f"last in touch {_day(rel.last_contact_on)}"
            if rel.last_contact_on
            else f"nothing written down since {_day(rel.started_on)}"
        )
        items.append(
            f'\n      <li>\n        <a href="{_text(rel.url)}">{name}</a>: {when}.\n'
            f'        <br><span class="actions"><a href="{write_up}">Write up a conversation'
            f'<span class="visually-hidden"> with {name}</span></a> · <a href="{write_up}?note=1">'
            f'Send a note<span class="visually-hidden"> to {name}</span></a></span>\n'
            "      </li>\n      "
        )
    return _safe("".join(items))


@register.filter
def week_paused(rows: list[WeekRow]) -> SafeString:
    """The first eight who paused, with how they would like to keep in touch."""
    write_up_url = _addresses(WRITE_UP, 1)
    items = []
    for rel in rows[:8]:
        name, write_up = _text(rel.name), _text(write_up_url(rel.person_id))
        how = (
            f" would like to keep in touch like this: \u201c{_text(rel.keep_in_touch)}\u201d."
            if rel.keep_in_touch
            else ""
        )
        items.append(
            f'\n      <li>\n        <a href="{_text(rel.url)}">{name}</a>{how}\n'
            f'        <br><span class="actions"><a href="{write_up}?note=1">'
            f'Send a note<span class="visually-hidden"> to {name}</span></a></span>\n'
            "      </li>\n      "
        )
    return _safe("".join(items))


# --- the lead's list of everyone (home/everyone.html) ---------------------------------------

_CURRENT = ' aria-current="page"'


def _everyone_rows(rows: Iterable[Listed]) -> str:
    """The rows of the list, their days as `Listed.last_in_touch` and `next_meeting` say
    them, with this year worked out once for the page rather than twice a row."""
    year = words.this_year()

    def day(value: Any, none: str) -> str:
        return _text(words.day_words(value, leave_out_year=year)) if value else none

    return "".join(
        f'\n      <tr>\n        <th scope="row"><a href="{_text(rel.url)}">'
        f"{_text(rel.name)}</a></th>\n"
        f"        <td>{_text(rel.coach)}</td>\n"
        f"        <td>{_text(rel.stage)}</td>\n"
        f"        <td>{day(rel.last_contact_on, 'Not written down')}</td>\n"
        f"        <td>{day(rel.next_meeting_on, 'Not set')}</td>\n"
        "      </tr>\n      "
        for rel in rows
    )


def _organisation_tabs(led: list[Any], organisation: Any, everyone: str, show: str) -> str:
    """The chooser of a lead of several organisations ("" for a lead of one)."""
    if len(led) <= 1:
        return ""
    also = f"&amp;show={_text(show)}" if show else ""
    tabs = "".join(
        f'<li><a href="{everyone}?organisation={_text(o.pk)}{also}"'
        f"{_CURRENT if o.pk == organisation.pk else ''}>{_text(o.name)}</a></li>"
        for o in led
    )
    return f'\n<nav class="tabs" aria-label="Organisation">\n  <ul>{tabs}</ul>\n</nav>\n'


def _show_tabs(filters: Iterable[tuple[str, str]], show: str, href: str) -> str:
    return "".join(
        f'\n    <li><a href="{href}show={_text(value)}"'
        f"{_CURRENT if value == show else ''}>{_text(name)}</a></li>\n    "
        for value, name in filters
    )


def _caption(label: str, page: Any) -> str:
    paginator = page.paginator
    count, pages = paginator.count, paginator.num_pages
    which = f", page {page.number} of {pages}" if pages > 1 else ""
    return f"{_text(label)}: {count} {'relationship' if count == 1 else 'relationships'}{which}"


def _pager(page: Any, href: str) -> str:
    if not page.has_other_pages():
        return ""
    previous = (
        f'<a href="{href}&amp;page={page.previous_page_number()}">Previous page</a>'
        if page.has_previous()
        else ""
    )
    following = (
        f'<a href="{href}&amp;page={page.next_page_number()}">Next page</a>'
        if page.has_next()
        else ""
    )
    return f'\n<nav class="pager" aria-label="Pages">\n  {previous}\n  {following}\n</nav>\n'


@register.simple_tag(takes_context=True)
def everyone_list(context: Any) -> SafeString:
    """Everything below the heading of a lead's list: the organisations (for a lead of
    several), the lists to choose from, the page of relationships and the pager."""
    organisation, show, page = context["organisation"], context["show"], context["page"]
    everyone = _text(_path("home:everyone"))
    also = f"organisation={_text(organisation.pk)}&amp;" if context["query"] else ""
    written = _organisation_tabs(context["led"], organisation, everyone, show)
    written += (
        '\n<nav class="tabs" aria-label="Show">\n  <ul>\n    '
        + _show_tabs(context["filters"], show, f"{everyone}?{also}")
        + "\n  </ul>\n</nav>\n"
    )
    relationships = context["relationships"]
    if not relationships:
        return _safe(written + "\n<p>Nobody to show here.</p>\n")
    return _safe(
        written + '\n<div class="table-wrap">\n  <table>\n'
        f"    <caption>{_caption(context['label'], page)}</caption>\n"
        '    <thead><tr><th scope="col">Person</th><th scope="col">Coach</th>'
        '<th scope="col">Stage</th><th scope="col">Last in touch</th>'
        '<th scope="col">Next meeting</th></tr></thead>\n'
        f"    <tbody>\n      {_everyone_rows(relationships)}\n    </tbody>\n  </table>\n</div>\n"
        + _pager(page, f"?{also}show={_text(show)}")
        + "\n"
    )

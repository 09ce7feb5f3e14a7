"""The lists a lead's home repeats (spending to decide, requests to answer, relationships gone
quiet), written in Python rather than by template loops: the same HTML, escaped the same way,
for a fraction of the Python calls (issue 11). Each replaces a loop of home/_lead_queue.html;
tests/test_home_pages_html.py keeps the loops as they were and compares the two."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core import words
from alongside.core.html import text as _text

from ..selectors import Answer, Asked, Listed, SpendRow, WeekRow, _path

register = template.Library()


def _day(value: Any) -> str:
    """As `{{ value|day }}` (home_words) writes it."""
    return _text(words.day_words(value, leave_out_year=words.this_year()))


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text


@register.filter
def lead_spends(spends: Iterable[SpendRow]) -> SafeString:
    """Spending over a coach's limit, waiting for the lead: a `<div>` of the list for each."""
    rows = []
    for s in spends:
        name, what_for, amount = _text(s.name), _text(s.what_for), _text(s.amount)
        by = f" by {_text(s.by)}" if s.by else ""
        rows.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>{what_for}: {amount}, asked for on {_day(s.created_at)}{by}.</dd>\n"
            f'          <dd><a href="{_text(s.decide_url)}">Decide<span class="visually-hidden">'
            f" about {amount} for {what_for}, for {name}</span></a></dd>\n        </div>\n        "
        )
    return _safe("".join(rows))


def _asked(rows: Iterable[Asked], url_name: str, asked: str, what: str) -> SafeString:
    found = []
    for row in rows:
        name = _text(row.name)
        found.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>Asked on {_day(row.at)}{asked}.</dd>\n"
            f'          <dd><a href="{_text(_path(url_name, row.pk))}">Answer<span'
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


# --- a coach's week (home/_coach_week.html) ------------------------------------------------


def _meeting(rel: WeekRow, middle: str) -> str:
    name = _text(rel.name)
    return (
        f'\n        <div>\n          <dt><a href="{_text(rel.url)}">{name}</a></dt>\n'
        f"          {middle}\n"
        f'          <dd><a href="{_text(rel.write_up_url)}">Write it up<span'
        f' class="visually-hidden"> with {name}</span></a>'
    )


@register.filter
def week_today(rows: Iterable[WeekRow]) -> SafeString:
    """Today's meetings."""
    return _safe(
        "".join(
            _meeting(rel, "<dd>You're meeting today.</dd>") + "</dd>\n        </div>\n        "
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
    return _safe(
        "".join(
            _meeting(rel, f"<dd>Planned for {_day(rel.next_meeting_on)}.</dd>")
            + f' · <a href="{_text(rel.dates_url)}">Change the date<span class="visually-hidden">'
            f" for {_text(rel.name)}</span></a></dd>\n        </div>\n        "
            for rel in rows
        )
    )


@register.filter
def week_corrections(rows: Iterable[Asked]) -> SafeString:
    """Requests to change a record, waiting for the coach."""
    found = []
    for row in rows:
        name = _text(row.name)
        found.append(
            f"\n        <div>\n          <dt>{name}</dt>\n"
            f"          <dd>Asked on {_day(row.at)} to change something written in their"
            " record.</dd>\n"
            f'          <dd><a href="{_text(_path("me:correction_decide", row.pk))}">Answer<span'
            f' class="visually-hidden"> {name}\'s request to change their record</span></a></dd>\n'
            "        </div>\n        "
        )
    return _safe("".join(found))


def _budget_link(s: SpendRow) -> str:
    return (
        f'          <dd><a href="{_text(s.budget_url)}">See the budget<span'
        f' class="visually-hidden"> for {_text(s.name)}</span></a></dd>\n        </div>\n        '
    )


@register.filter
def week_spends_to_decide(spends: Iterable[SpendRow]) -> SafeString:
    """Spending the coach may approve, waiting for them."""
    rows = []
    for s in spends:
        what_for, amount = _text(s.what_for), _text(s.amount)
        rows.append(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{what_for}: {amount}, asked for on {_day(s.created_at)}.</dd>\n"
            f'          <dd><a href="{_text(s.decide_url)}">Decide<span class="visually-hidden">'
            f" about {amount} for {what_for}</span></a></dd>\n        </div>\n        "
        )
    return _safe("".join(rows))


@register.filter
def week_spends_with_lead(spends: Iterable[SpendRow]) -> SafeString:
    """Spending over the coach's limit, for a lead to decide."""
    return _safe(
        "".join(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{_text(s.what_for)}: {_text(s.amount)}. This is more than a coach"
            " can approve, so a lead will decide.</dd>\n" + _budget_link(s)
            for s in spends
        )
    )


@register.filter
def week_spends_decided(spends: Iterable[SpendRow]) -> SafeString:
    """Spending someone else decided since the coach last looked."""
    rows = []
    for s in spends:
        decided = "not approved" if s.status == "declined" else "approved"
        by = f", by {_text(s.by)}" if s.by else ""
        rows.append(
            f"\n        <div>\n          <dt>{_text(s.name)}</dt>\n"
            f"          <dd>{_text(s.what_for)}: {_text(s.amount)}, {decided}{by}"
            f" on {_day(s.decided_at)}.</dd>\n" + _budget_link(s)
        )
    return _safe("".join(rows))


@register.simple_tag
def week_answers(answers: Iterable[Answer], user: Any) -> SafeString:
    """Suggested goals the person made their own, or decided are not for them."""
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
        url = _text(_path("coaching:goal_detail", goal.person_id, goal.pk))
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
    items = []
    for rel in rows[:8]:
        name, write_up = _text(rel.name), _text(rel.write_up_url)
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
    items = []
    for rel in rows[:8]:
        name = _text(rel.name)
        how = (
            f" would like to keep in touch like this: \u201c{_text(rel.keep_in_touch)}\u201d."
            if rel.keep_in_touch
            else ""
        )
        items.append(
            f'\n      <li>\n        <a href="{_text(rel.url)}">{name}</a>{how}\n'
            f'        <br><span class="actions"><a href="{_text(rel.write_up_url)}?note=1">'
            f'Send a note<span class="visually-hidden"> to {name}</span></a></span>\n'
            "      </li>\n      "
        )
    return _safe("".join(items))

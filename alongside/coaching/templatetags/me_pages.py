"""The parts of the person's own pages that repeat, written in Python rather than by template
loops: on their record, /me/record/ (a coach, a talk, a goal and its steps, a strength, a
chart, a good thing that happened, a spend and its payments, a barrier, someone in their circle,
a change they asked for), and on their home, /me/ and "/" (a goal card with its steps and
forms, a goal a coach suggested, a check-in answer beside the average). The same HTML, escaped
the same way, for a fraction of the Python calls (issue 11: a long record's fifty talks were
most of the page's time; the home's goal cards, each with an include and a `{% csrf_token %}`
a form, were two thirds of its). Each takes the rows `coaching.selectors.me.everything` or
`home` gives; tests/test_me_pages_html.py and tests/test_me_home_speed.py keep the templates as
they were and compare, byte for byte."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text
from alongside.core.paths import path_to
from alongside.core.words import day_words

register = template.Library()

Row = Mapping[str, Any]


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text or _lines


def _each(items: Sequence[Any], item: Any, none: str, wrap: str = "{}") -> SafeString:
    """`item(i)` written for each of `items`, inside `wrap`; or the words for none."""
    if not items:
        return _safe(none)
    return _safe(wrap.format("".join(item(i) for i in items)))


def _listed(items: Sequence[Any], item: Any, none: str) -> SafeString:
    """`<ul>` with an item for each (then the line break the template had before its
    `{% else %}`), or the words for none."""
    return _each(items, item, none, "<ul>{}</ul>\n  ")


# --- working with a coach ---------------------------------------------------------------------


def _coach(rel: Row) -> str:
    next_meeting = rel["next_meeting"]
    keep_in_touch = rel["keep_in_touch"]
    return (
        f'\n  <article class="card">\n    <h3>With {_text(rel["coach"])}</h3>\n'
        '    <dl class="summary-list">\n'
        f"      <div><dt>How it is going</dt><dd>{_text(rel['state'])}</dd></div>\n"
        f"      <div><dt>How often you meet</dt><dd>{_text(rel['intensity'])}</dd></div>\n"
        f"      <div><dt>Since</dt><dd>{_text(rel['since'])}</dd></div>\n      "
        + (
            f"<div><dt>Next meeting</dt><dd>{_text(next_meeting)}</dd></div>"
            if next_meeting
            else ""
        )
        + "\n      "
        + (
            f"<div><dt>How you'd like us to keep in touch</dt><dd>{_text(keep_in_touch)}</dd></div>"
            if keep_in_touch
            else ""
        )
        + "\n    </dl>\n  </article>\n  "
    )


@register.filter
def coach_cards(relationships: Sequence[Row]) -> SafeString:
    """A card for each relationship, or that there is no coach at the moment."""
    return _each(relationships, _coach, "<p>You are not working with a coach at the moment.</p>")


# --- talks --------------------------------------------------------------------------------


def _talk(c: Row) -> str:
    # The day ("Monday 9 March 2026") and the two addresses (this site's, with an id) are the
    # selector's own words, with nothing in them to escape: a long record has fifty talks.
    day = c["day"]
    place, notes, written_by, reflection = c["place"], c["notes"], c["written_by"], c["reflection"]
    ask = (
        f' · <a href="{c["correction_path"]}">Ask to change this'
        f'<span class="visually-hidden">: talk on {day}</span></a>'
        if notes
        else ""
    )
    return (
        f'\n  <article class="card">\n    <h3>{day}'
        + (f", {_text(place)}" if place else "")
        + "</h3>\n    "
        + (f"<p>{_lines(notes)}</p>" if notes else "")
        + "\n    "
        + (f'<p class="muted">Written by {_text(written_by)}</p>' if written_by else "")
        + "\n    "
        + (f"<p><strong>Your thoughts:</strong> {_lines(reflection)}</p>" if reflection else "")
        + f'\n    <p><a href="{c["reflection_path"]}">Write your thoughts'
        f'<span class="visually-hidden"> about the talk on {day}</span></a>\n    {ask}</p>\n'
        "  </article>\n  "
    )


@register.filter
def talk_cards(conversations: Sequence[Row]) -> SafeString:
    """A card for each talk, or that none is written down yet."""
    return _each(conversations, _talk, "<p>No talks written down yet.</p>")


# --- goals --------------------------------------------------------------------------------


def _step(s: Row) -> str:
    done = s["done"]
    return f"<li>{_text(s['words'])}" + (f" (done {_text(done)})" if done else "") + "</li>"


def _goal(g: Row) -> str:
    words = _text(g["words"])
    why, steps, ask = g["why_it_matters"], g["steps"], g["correction_path"]
    return (
        f'\n  <article class="card">\n    <h3 class="goal-words"><a href="{_text(g["path"])}">'
        f'{words}</a></h3>\n    <p class="status">{_text(g["status"])}</p>\n    '
        + (f"<p>Why it matters: {_text(why)}</p>" if why else "")
        + "\n    "
        + (f'<ul class="steps">{"".join(_step(s) for s in steps)}</ul>' if steps else "")
        + "\n    "
        + (
            f'<p><a href="{_text(ask)}">Ask to change the words'
            f'<span class="visually-hidden">: {words}</span></a></p>'
            if ask
            else ""
        )
        + "\n  </article>\n  "
    )


@register.filter
def goal_cards(goals: Sequence[Row]) -> SafeString:
    """A card for each goal with its steps, or that there are no goals yet."""
    return _each(goals, _goal, "<p>No goals yet.</p>")


# --- strengths, check-ins, good things, money, barriers, the circle ----------------------------


def _strength(s: Row) -> str:
    words, ask = _text(s["words"]), s["correction_path"]
    change = (
        f' <a href="{_text(ask)}">Ask to change this'
        f'<span class="visually-hidden">: {words}</span></a>'
        if ask
        else ""
    )
    return f"<li>{_text(s['kind'])}: {words}{change}</li>"


@register.filter
def strength_list(strengths: Sequence[Row]) -> SafeString:
    return _listed(strengths, _strength, "<p>No strengths written down yet.</p>")


@register.filter
def check_in_charts(groups: Sequence[Any]) -> SafeString:
    """Each instrument's name, then each of its charts (as core/chart.html wrote them)."""
    return _safe(
        "".join(
            f"<h3>{_text(group.definition.name)}</h3>"
            + "".join(f"\n{_text(chart.figure)}\n" for chart in group.charts)
            for group in groups
        )
    )


def _milestone(m: Row) -> str:
    words = m["words"]
    return (
        f"<li>{_text(m['day'])}: {_text(m['kind'])}"
        + (f". {_text(words)}" if words else "")
        + "</li>"
    )


@register.filter
def milestone_list(milestones: Sequence[Row]) -> SafeString:
    return _listed(milestones, _milestone, "<p>Nothing here yet.</p>")


def _payment(p: Row) -> str:
    return f"<li>Paid {_text(p['amount'])} on {_text(p['day'])}</li>"


def _spend(s: Row) -> str:
    note, payments = s["decision_note"], s["payments"]
    return (
        f"<li>{_text(s['what_for'])}: {_text(s['amount'])}. {_text(s['status'])}."
        + (f" Note: {_text(note)}" if note else "")
        + "\n    "
        + (f"<ul>{''.join(_payment(p) for p in payments)}</ul>" if payments else "")
        + "</li>"
    )


@register.filter
def spend_list(spends: Sequence[Row]) -> SafeString:
    return _listed(spends, _spend, "<p>No money asked for yet.</p>")


def _barrier(b: Row) -> str:
    did, outcome = b["what_we_did"], b["outcome"]
    return (
        f"<li><strong>{_text(b['service'])}</strong>: {_text(b['what_happened'])}"
        + (f" What we did: {_text(did)}" if did else "")
        + (f" What happened next: {_text(outcome)}" if outcome else "")
        + "</li>"
    )


@register.filter
def barrier_list(barriers: Sequence[Row]) -> SafeString:
    return _listed(barriers, _barrier, "<p>Nothing here yet.</p>")


def _member(m: Row) -> str:
    about = m["about"]
    return (
        f"<li>{_text(m['name'])} ({_text(m['kind'])})"
        + (f": {_text(about)}" if about else "")
        + "</li>"
    )


@register.filter
def circle_list(circle: Sequence[Row]) -> SafeString:
    return _listed(circle, _member, "<p>Nobody written down yet.</p>")


# --- the safety plan -----------------------------------------------------------------------

# Each part of the plan the page shows, in order, with its heading.
_PLAN_PARTS = (
    ("keeps_me_safe", "What keeps you safe"),
    ("early_signs", "Early signs that things are getting hard"),
    ("what_helps", "What helps"),
    ("who_to_contact", "Who you'd like contacted"),
    ("what_others_can_do", "What you'd like others to do"),
)


@register.filter
def safety_plan_facts(plan: Any) -> SafeString:
    """The parts of a `SafetyPlan` the person wrote, each under its heading (a part left
    empty leaves only the line break the template had around it)."""
    parts = []
    for field, heading in _PLAN_PARTS:
        words = getattr(plan, field)
        parts.append(f"<dt>{heading}</dt><dd>{_lines(words)}</dd>" if words else "")
    return _safe('<dl class="facts">\n    ' + "\n    ".join(parts) + "\n  </dl>")


# --- changes they asked for -------------------------------------------------------------------


def _correction(c: Any) -> str:
    decided = (
        # As `{{ c.decided_at|date:"l j F Y, H:i" }}` writes it, in local time.
        f", {_text(date_filter(localtime(c.decided_at), 'l j F Y, H:i'))}" if c.decided_at else ""
    )
    return (
        f'<li class="card">\n    <p>It said: \u201c{_text(c.as_written)}\u201d</p>'
        f"<p>You asked for: \u201c{_text(c.asked_for)}\u201d</p>\n"
        f'    <p class="status">{_text(c.get_status_display())}{decided}</p>\n    '
        + (f"<p>Reply: {_text(c.reply)}</p>" if c.reply else "")
        + "\n  </li>"
    )


@register.filter
def correction_cards(corrections: Sequence[Any]) -> SafeString:
    """The changes asked for (`CorrectionRequest`s), or that none were."""
    none = "<p>You have not asked for any changes.</p>"
    return _each(corrections, _correction, none, '<ul class="cards">{}</ul>\n  ')


# --- the person's home (/me/ and "/") ------------------------------------------------------------


def _csrf_input(context: Any) -> str:
    """What `{% csrf_token %}` writes. The page's token is one lazy value, worked out once, so
    every form on the page carries the same one."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(str(token))}">'


@register.simple_tag(takes_context=True)
def suggested_goal_cards(context: Any, suggested: Sequence[Row]) -> SafeString:
    """A card for each goal a coach suggested, with the two forms to say yes or no."""
    csrf = _csrf_input(context)
    cards = []
    for goal in suggested:
        words, why = _text(goal["words"]), goal["why_it_matters"]
        cards.append(
            f'<li class="card"><p class="goal-words">{words}</p>\n    '
            + (f'<p class="muted">{_text(why)}</p>' if why else "")
            + f'\n    <form method="post" action="{_text(goal["accept_path"])}" '
            'class="inline-form">'
            f'{csrf}<button type="submit" class="button"><span>Yes, make it mine'
            f'<span class="visually-hidden">: {words}</span></span></button></form>\n'
            f'    <form method="post" action="{_text(goal["decline_path"])}" class="inline-form">'
            f'{csrf}<button type="submit" class="button button--secondary"><span>No, thank you'
            f'<span class="visually-hidden">: {words}</span></span></button></form>\n  </li>'
        )
    return _safe("".join(cards))


_GOAL_ID, _STEP_ID = 987654321, 987654322


def _my_step(step: Row, csrf: str, tick: str, year: int) -> str:
    words, done_on = _text(step["words"]), step["done_on"]
    if done_on:
        # As me/_steps.html wrote it with back="home": no form to undo it from the home.
        return (
            '\n  <li class="my-step my-step--done">\n    \n    <p><span class="tag tag--green">'
            f'Done</span> {words} <span class="muted">'
            f"({day_words(done_on, leave_out_year=year)})</span></p>\n    \n    \n  </li>\n  "
        )
    return (
        f'\n  <li class="my-step">\n    \n    <p>{words}</p>\n'
        f'    <form method="post" action="{tick}" class="inline-form">\n'
        f'      {csrf}<input type="hidden" name="done" value="1">'
        '<input type="hidden" name="back" value="home">\n'
        '      <button type="submit" class="button button--secondary">'
        '<span aria-hidden="true">\u2713 </span><span>I\'ve done this'
        f'<span class="visually-hidden">: {words}</span></span></button>\n'
        "    </form>\n    \n  </li>\n  "
    )


def _my_steps(goal: Row, csrf: str, tick: str, year: int) -> str:
    """What `{% include "me/_steps.html" with back="home" %}` wrote for a goal."""
    steps = goal["steps"]
    if steps:
        tick = tick.replace(str(_GOAL_ID), str(goal["pk"]))
        written = "".join(
            _my_step(s, csrf, tick.replace(str(_STEP_ID), str(s["pk"])), year) for s in steps
        )
        return f'\n\n\n<ul class="my-steps">\n  {written}\n</ul>\n\n\n'
    return (
        f'\n\n\n<p class="muted">No small steps yet. <a href="{_text(goal["path"])}">Add one'
        f'<span class="visually-hidden"> to {_text(goal["words"])}</span></a>, '
        "if you'd like.</p>\n\n\n"
    )


@register.simple_tag(takes_context=True)
def active_goal_cards(context: Any, goals: Sequence[Row]) -> SafeString:
    """A card for each goal the person is working on or dreaming of: its steps, each with a
    form to tick it done, and a form to say the goal is achieved."""
    csrf = _csrf_input(context)
    year = context["today"].year
    tick = path_to("me:goal_step_tick", (_GOAL_ID, _STEP_ID))
    cards = []
    for goal in goals:
        words = _text(goal["words"])
        cards.append(
            f'\n    <li class="card" id="goal-{goal["pk"]}">\n'
            f'      <h3 class="goal-words"><a href="{_text(goal["path"])}">{words}</a></h3>\n'
            f'      <p><span class="tag">{_text(goal["status_label"])}</span></p>\n      '
            + _my_steps(goal, csrf, tick, year)
            + f'\n      <form method="post" action="{_text(goal["achieved_path"])}" '
            'class="inline-form">\n'
            f"        {csrf}\n"
            f'        <input type="hidden" name="seen" value="{_text(goal["status"])}">\n'
            '        <input type="hidden" name="back" value="home">\n'
            '        <button type="submit" class="button button--secondary"><span>'
            f'I\'ve achieved this<span class="visually-hidden">: {words}</span></span></button>\n'
            "      </form>\n    </li>\n    "
        )
    return _safe("".join(cards))


_CHART_LINE = (
    '<line x1="12" x2="388" y1="18" y2="18" stroke="#8a8a8a" stroke-width="6"'
    ' stroke-linecap="round"></line>'
)


def _comparison(row: Any, average_name: str) -> str:
    answer, average_text, words = row.answer, row.average_text, row.words
    said = (
        f"{_text(row.answer_text)}."
        if answer is None
        else f"you said <strong>{_text(row.answer_text)}</strong>."
    )
    picture = ""
    if answer is not None:
        average_x = row.average_x
        average = (
            f'<line x1="{_text(average_x)}" x2="{_text(average_x)}" y1="2" y2="34"'
            ' stroke="#1b1b1b" stroke-width="3" stroke-dasharray="5 3"></line>'
            if average_x
            else ""
        )
        picture = (
            '\n      <svg class="chart-svg compare-svg" viewBox="0 0 400 56" aria-hidden="true"'
            f' focusable="false">\n        {_CHART_LINE}\n'
            f'        <circle cx="{_text(row.answer_x)}" cy="18" r="10" fill="#0b5c4b"'
            ' stroke="#ffffff" stroke-width="2"></circle>\n'
            f"        {average}\n"
            f'        <text x="12" y="52" font-size="20" fill="#4a4a4a">{_text(row.low)}</text>\n'
            '        <text x="388" y="52" font-size="20" fill="#4a4a4a" text-anchor="end">'
            f"{_text(row.high)}</text>\n      </svg>\n      "
        )
    return (
        f"\n    <li>\n      <p><strong>{_text(row.label)}</strong>: {said}\n        "
        + (f"The {average_name} is {_text(average_text)}." if average_text else "")
        + f"\n        {_text(words)}\n        "
        + ("For this one, a lower number is better." if row.lower_is_better else "")
        + "</p>\n      "
        + picture
        + "\n    </li>\n    "
    )


@register.filter
def check_in_comparisons(latest: Any) -> SafeString:
    """Each answer of the latest check-in (`coaching.selectors.me.LatestCheckIn`) in words,
    beside the average, with its small picture when it was answered."""
    average_name = _text(latest.average_name)
    return _safe("".join(_comparison(row, average_name) for row in latest.rows))

"""The parts of the person's own record (/me/record/) that repeat (a coach, a talk, a goal and
its steps, a strength, a chart, a good thing that happened, a spend and its payments, a
barrier, someone in their circle, a change they asked for), written in Python rather than by
template loops: the same HTML, escaped the same way, for a fraction of the Python calls (issue
11: a long record's fifty talks were most of the page's time). Each takes the rows
`coaching.selectors.me.everything` gives; tests/test_me_pages_html.py keeps the template as it
was and compares the two, byte for byte."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text

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

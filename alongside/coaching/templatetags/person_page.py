"""The parts of the person page that repeat (a conversation's card, a relationship with its
story, a goal, a strength, a row of the latest check-in, someone in the circle), written in
Python rather than by template loops: the same HTML, escaped the same way, for about a third
of the Python calls (issue 11). Each replaces a loop of a partial in
templates/coaching/person/; tests/test_person_page_html.py keeps the partials as they were and
compares the two, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text

register = template.Library()


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every value in it is escaped by _text or _lines


# --- conversations ------------------------------------------------------------------------


def _conversation(c: Any, name: str) -> str:
    notes = ""
    if c.notes:
        more = " …" if c.notes_rest else ""
        details = (
            '<details class="read-all"><summary>Read all<span class="visually-hidden"> of the'
            f" notes from {_text(c.day_short)}</span></summary>"
            f"<p>{_lines(c.notes_rest)}</p></details>"
            if c.notes_rest
            else ""
        )
        notes = f"<p>{_lines(c.notes_shown)}{more}</p>\n    {details}"
    reflection = (
        f"<p><strong>{name}'s reflection:</strong> {_lines(c.reflection)}</p>"
        if c.reflection
        else ""
    )
    goals = f'<p class="muted">Goals we talked about: {_text(c.goals)}</p>' if c.goals else ""
    return (
        f'<li class="card">\n    <h3>{_text(c.heading)}</h3>\n    {notes}\n    {reflection}\n'
        f'    {goals}\n    <p><a href="{_text(c.edit_url)}">Change this<span'
        f' class="visually-hidden"> conversation from {_text(c.day_short)}</span></a></p>\n'
        "  </li>"
    )


@register.simple_tag
def conversation_cards(conversations: list[Any], name: str) -> SafeString:
    """The conversations' cards (`ConversationRow`s), or that there are none yet."""
    if not conversations:
        return _safe("<p>No conversations written up yet.</p>")
    name = _text(name)
    cards = "".join(_conversation(c, name) for c in conversations)
    return _safe(f'<ul class="cards">{cards}</ul>\n  ')


# --- relationships ------------------------------------------------------------------------


def _change(change: Mapping[str, Any]) -> str:
    note = ""
    if change["note"]:
        to_state = change["to_state"]
        lead = (
            "Keep in touch: "
            if to_state == "paused"
            else "What's in place now: "
            if to_state == "ended"
            else ""
        )
        note = f"{lead}{_lines(change['note'])}"
    return (
        f"\n    <tr>\n      <td>{_text(change['at'])}</td>\n      <td>{_text(change['what'])}</td>"
        f"\n      <td>{note}</td>\n    </tr>\n    "
    )


def _relationship(rel: Mapping[str, Any], name: str) -> str:
    state, paths, next_states = rel["state"], rel["paths"], rel["next_states"]
    keep = (
        f"<dt>How {name} would like us to keep in touch</dt>"
        f"<dd>\u201c{_text(rel['keep_in_touch'])}\u201d</dd>"
        if state == "paused" and rel["keep_in_touch"]
        else ""
    )
    again = ""
    if "working_together" in next_states:
        words = "Start working together" if state == "getting_to_know" else "Start again"
        again = f'<li><a href="{_text(paths["work_together"])}">{words}</a></li>'
    pause = (
        f'<li><a href="{_text(paths["pause"])}">Pause for now</a></li>'
        if "paused" in next_states
        else ""
    )
    going = (
        f'<li><a href="{_text(paths["intensity"])}">Change how often we meet</a></li>\n'
        f'    <li><a href="{_text(paths["dates"])}">Set last and next meeting dates</a></li>'
        if state != "ended"
        else ""
    )
    end = (
        f'<li><a href="{_text(paths["end"])}">End, by {name}\'s choice</a></li>'
        if "ended" in next_states
        else ""
    )
    story = ""
    changes = rel["changes"]
    if changes:
        rows = "".join(_change(change) for change in changes)
        story = (
            '\n  <div class="table-wrap">\n  <table>\n    <caption>The story so far</caption>\n'
            '    <thead><tr><th scope="col">When</th><th scope="col">What changed</th>'
            '<th scope="col">Notes</th></tr></thead>\n'
            f"    <tbody>\n    {rows}\n    </tbody>\n  </table>\n  </div>\n  "
        )
    intensity = _text(rel["intensity_label"])
    last = _text(rel["last_contact"] or "Not written down yet")
    next_on = _text(rel["next_meeting"] or "No date yet")
    return (
        f'\n<div class="card">\n  <h3>{_text(rel["title"])}</h3>\n  <dl class="facts">\n'
        f"    <dt>How often we meet ({name}'s choice)</dt><dd>{intensity}</dd>\n"
        f"    {keep}\n"
        f"    <dt>Last in touch</dt><dd>{last}</dd>\n"
        f"    <dt>Next meeting</dt><dd>{next_on}</dd>\n"
        f"  </dl>\n  <ul>\n    {again}\n    {pause}\n    {going}\n    {end}\n  </ul>\n"
        f"  {story}\n</div>\n"
    )


@register.simple_tag
def relationship_cards(relationships: list[Mapping[str, Any]], name: str) -> SafeString:
    """Each relationship (`selectors.relationships.for_record`'s rows), with its story."""
    name = _text(name)
    return _safe("".join(_relationship(rel, name) for rel in relationships))


# --- goals and strengths ------------------------------------------------------------------


def _goal_link(goal: Any) -> str:
    return f'<a href="{_text(goal.url)}">\u201c{_text(goal.words)}\u201d</a>'


@register.simple_tag
def goal_cards(goals: list[Any]) -> SafeString:
    """The goals being worked on (`GoalRow`s), or that there are none yet."""
    if not goals:
        return _safe("<p>No goals being worked on yet.</p>")
    cards = "".join(
        f'<li class="card">\n    <p class="goal-words">{_goal_link(goal)}</p>\n    '
        + (f"<p>Why it matters: {_text(goal.why_it_matters)}</p>" if goal.why_it_matters else "")
        + f'\n    <p class="status">{_text(goal.status)}</p>\n  </li>'
        for goal in goals
    )
    return _safe(f'<ul class="cards">{cards}</ul>\n  ')


@register.filter
def achieved_cards(goals: Iterable[Any]) -> SafeString:
    """The `<li>`s of the goals achieved, each with its day when one was written down."""
    return _safe(
        "".join(
            f'<li class="card"><p class="goal-words">{_goal_link(goal)}</p><p class="status">'
            + (f"Achieved on {_text(goal.achieved_on)}" if goal.achieved_on else "Achieved")
            + "</p></li>"
            for goal in goals
        )
    )


@register.filter
def goal_items(goals: Iterable[Any]) -> SafeString:
    """An `<li>` with a link for each goal."""
    return _safe("".join(f"<li>{_goal_link(goal)}</li>" for goal in goals))


@register.filter
def strength_items(strengths: Iterable[Any]) -> SafeString:
    """An `<li>` for each strength, its kind beside it: "cooking <span>(a skill)</span>"."""
    return _safe(
        "".join(
            f'<li>{_text(s.words)} <span class="muted">({_text(s.kind)})</span></li>'
            for s in strengths
        )
    )


# --- check-ins, the circle, the safety plan -----------------------------------------------


@register.simple_tag
def checkin_rows(answers: Iterable[Any], before: Any) -> SafeString:
    """The latest check-in's table rows (`selectors.checkins.Answer`s); with a check-in
    before it, how each answer changed."""
    rows = []
    for answer in answers:
        change = f"<td>{_text(answer.change or '—')}</td>" if before else ""
        rows.append(
            f'\n        <tr><th scope="row">{_text(answer.label)}</th>'
            f'<td class="num">{_text(answer.text)}</td>{change}'
            f"<td>{_text(answer.band or '—')}</td>"
            f'<td class="num">{_text(answer.reference or "—")}</td></tr>\n        '
        )
    return _safe("".join(rows))


@register.simple_tag
def circle_cards(members: list[Any]) -> SafeString:
    """Who and what is in the circle now (`MemberRow`s), or that nobody is written down."""
    if not members:
        return _safe("\n<p>Nobody written down yet.</p>\n")
    cards = []
    for member in members:
        name = _text(member.name)
        about = f"<p>{_text(member.about)}</p>" if member.about else ""
        contact = (
            "Happy for their coach to contact them."
            if member.consent_to_contact
            else "Their coach won't contact them."
        )
        cards.append(
            f'\n  <li class="card">\n    <h3>{name}</h3>\n'
            f'    <p class="status">{_text(member.status)}</p>\n    {about}\n'
            f"    <p>{contact}</p>\n"
            f'    <p><a href="{_text(member.edit_url)}">Change<span class="visually-hidden">'
            f" {name}</span></a></p>\n  </li>\n  "
        )
    return _safe(f'\n<ul class="cards">\n  {"".join(cards)}\n</ul>\n')


@register.filter
def past_members(members: Iterable[Any]) -> SafeString:
    """An `<li>` for each who used to be in the circle, until when."""
    items = []
    for member in members:
        name = _text(member.name)
        items.append(
            f"<li>{name} ({_text(str(member.kind_label).lower())}, until"
            f' {_text(member.until_words)}) <a href="{_text(member.edit_url)}">Change'
            f'<span class="visually-hidden"> {name}</span></a></li>'
        )
    return _safe("".join(items))


@register.filter
def services_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The services-over-time table's rows."""
    return _safe(
        "".join(
            f'<tr><th scope="row">{_text(row["month_words"])}</th>'
            f'<td class="num">{_text(row["services"])}</td></tr>'
            for row in rows
        )
    )


# The safety plan's parts, as coaching/safety/_words.html names them.
SAFETY_WORDS = (
    ("keeps_me_safe", "What keeps me safe"),
    ("early_signs", "Early signs that things are getting hard"),
    ("what_helps", "What helps"),
    ("who_to_contact", "Who I'd like contacted"),
    ("what_others_can_do", "What I'd like others to do"),
)


@register.simple_tag
def safety_words(plan: Any) -> SafeString:
    """What `{% include "coaching/safety/_words.html" with plan=plan %}` writes (the test
    compares the two, so a change to that template must be made here too)."""
    facts = "".join(
        f"\n  <dt>{label}</dt><dd>{_lines(getattr(plan, field))}</dd>"
        if getattr(plan, field)
        else "\n  "
        for field, label in SAFETY_WORDS
    )
    return _safe(f'<dl class="facts">{facts}\n</dl>\n')

"""The parts of the person page that repeat (a conversation's card, a relationship with its
story, a goal, a strength, a row of the latest check-in, someone in the circle), written in
Python rather than by template loops: the same HTML, escaped the same way, for about a third
of the Python calls (issue 11). Each replaces a loop of a partial in
templates/coaching/person/; tests/test_person_page_html.py keeps the partials as they were and
compares the two, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import template
from django.template import Node, defaulttags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from alongside.core.html import lines as _lines
from alongside.core.html import text as _text
from alongside.core.paths import path_to
from alongside.core.templatetags.paths import current_app
from alongside.core.words import day_month, day_month_year, day_words

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


# --- whole sections -----------------------------------------------------------------------
# Each partial of templates/coaching/person/ is one of these nodes: it writes exactly what the
# partial's template wrote (kept in tests/test_person_page_parts_html.py, which compares the
# two), the white space between tags included, reading the same context variables. The
# partials' lookups and `{% if %}`s cost more than the loops did (issue 11).


class _SectionNode(Node):
    child_nodelists = ()

    def __init__(self, write: Callable[[Any], str]) -> None:
        self.write = write

    def render(self, context: Any) -> str:
        return self.write(context)


def _section_tag(write: Callable[[Any], str]) -> Callable[[Any], str]:
    def compile_tag(parser: Any, token: Any) -> _SectionNode:
        if len(token.split_contents()) != 1:
            raise template.TemplateSyntaxError(f"{token.contents!r} takes no arguments")
        return _SectionNode(write)

    register.tag(write.__name__, compile_tag)
    return write


def _path(context: Any, name: str, pk: Any) -> str:
    # As `{% url name pk %}` writes it.
    return _text(path_to(name, (pk,), None, current_app(context)))


_CSRF_TOKEN = defaulttags.CsrfTokenNode()


@_section_tag
def corrections_section(context: Any) -> str:
    corrections = context.get("open_corrections")
    if not corrections:
        return ""
    person = context.get("person")
    name = _text(person.chosen_name)
    items = "".join(
        f"<li>On {_text(day_month(c['created_at']))}: \u201c"
        f"{_text(Truncator(c['as_written']).words(12, truncate=' …'))}\u201d "
        f'<a href="{_path(context, "me:correction_decide", c["pk"])}">Look at what {name}'
        f' asked<span class="visually-hidden"> ({counter})</span></a></li>'
        for counter, c in enumerate(corrections, 1)
    )
    return (
        '\n<section class="card" aria-labelledby="corrections-heading">\n'
        f'  <h2 id="corrections-heading">{name} asked to change something</h2>\n'
        f"  <ul>\n  {items}\n  </ul>\n</section>\n"
    )


@_section_tag
def relationships_section(context: Any) -> str:
    person = context.get("person")
    name = _text(person.chosen_name)
    cards = relationship_cards(context.get("relationships"), person.chosen_name)
    invite = ""
    if context.get("may_invite"):
        words = (
            "Give a new invite code (for a forgotten passphrase)"
            if person.user_id
            else f"Give {name} an invite code"
        )
        invite = (
            f'\n<form method="post" action="{_path(context, "coaching:invite_issue", person.pk)}"'
            f' class="inline-form">\n  {_CSRF_TOKEN.render(context)}\n'
            f'  <button type="submit" class="button button-secondary">{words}</button>\n'
            "</form>\n"
        )
    return (
        '<section aria-labelledby="working-together-title">\n'
        f'<h2 id="working-together-title">Working together</h2>\n{cards}\n{invite}\n</section>'
    )


@_section_tag
def goals_section(context: Any) -> str:
    person = context.get("person")
    achieved, changed = context.get("achieved_goals"), context.get("changed_goals")
    achieved_part = (
        f'\n  <h3>Achieved</h3>\n  <ul class="cards">{achieved_cards(achieved)}</ul>\n  '
        if achieved
        else ""
    )
    changed_part = (
        "\n  <h3>Changed my mind</h3>\n"
        '  <p class="hint">Changing your mind is part of finding what matters.</p>\n'
        f"  <ul>{goal_items(changed)}</ul>\n  "
        if changed
        else ""
    )
    return (
        f"<section>\n  <h2>Goals, in {_text(person.chosen_name)}'s words</h2>\n"
        '  <p><a class="button button-secondary"'
        f' href="{_path(context, "coaching:goal_add", person.pk)}">Add a goal</a></p>\n'
        f"  {goal_cards(context.get('goals'))}\n  {achieved_part}\n  {changed_part}\n</section>"
    )


@_section_tag
def strengths_section(context: Any) -> str:
    person = context.get("person")
    name = _text(person.chosen_name)
    internal, external = context.get("strengths_internal"), context.get("strengths_external")
    inside = f"<h3>In themselves</h3><ul>{strength_items(internal)}</ul>" if internal else ""
    around = f"<h3>Around them</h3><ul>{strength_items(external)}</ul>" if external else ""
    none = "" if context.get("strengths") else "<p>Nothing written yet.</p>"
    return (
        f"<section>\n  <h2>What {name} has going for them</h2>\n  {inside}\n  {around}\n"
        f'  {none}\n  <p><a href="{_path(context, "coaching:strengths", person.pk)}">All of'
        f" {name}'s strengths</a> \u00b7 <a"
        f' href="{_path(context, "coaching:strength_add", person.pk)}">Add a strength</a></p>\n'
        "</section>"
    )


@_section_tag
def milestones_section(context: Any) -> str:
    milestones = context.get("milestones")
    if milestones:
        cards = "".join(
            f'<li class="card"><p><strong>{_text(m["kind"])}</strong>,'
            f" {_text(m['happened_on'])}</p>"
            + (f"<p>{_text(m['words'])}</p>" if m["words"] else "")
            + "</li>"
            for m in milestones
        )
        listed = f'<ul class="cards">{cards}</ul>\n  '
    else:
        listed = "<p>None recorded yet.</p>"
    url = _path(context, "coaching:milestone_add", context.get("person").pk)
    return (
        f"<section>\n  <h2>Milestones to celebrate</h2>\n  {listed}\n"
        f'  <p><a href="{url}">Record a milestone</a></p>\n</section>'
    )


@_section_tag
def conversations_section(context: Any) -> str:
    person = context.get("person")
    url = _path(context, "coaching:conversation_add", person.pk)
    cards = conversation_cards(context.get("conversations"), person.chosen_name)
    return (
        '<section aria-labelledby="conversations-heading">\n'
        '  <h2 id="conversations-heading">Recent conversations</h2>\n'
        f'  <p><a class="button button-secondary" href="{url}">Write up a conversation</a></p>\n'
        f"  {cards}\n</section>"
    )


@_section_tag
def checkins_section(context: Any) -> str:
    person = context.get("person")
    latest = context.get("checkin_latest")
    add = _path(context, "coaching:checkin_add", person.pk)
    if not latest:
        shown = "\n  <p>No check-ins yet.</p>\n  "
    else:
        count = context.get("checkin_count")
        definition = context.get("checkin_latest_definition")
        before = context.get("checkin_before")
        taken = _text(day_month_year(latest.taken_on))
        named = f" ({_text(definition.name)})" if definition else ""
        beside = (
            f", beside the one before on {_text(day_month_year(before.taken_on))}" if before else ""
        )
        answers = context.get("checkin_latest_answers")
        table = ""
        if answers:
            since = '<th scope="col">Since the one before</th>' if before else ""
            average = "UK average" if definition.shipped else "Average"
            table = (
                '\n  <div class="table-wrap" tabindex="0" role="region"'
                ' aria-labelledby="checkins-latest-caption">\n    <table>\n'
                '      <caption id="checkins-latest-caption" class="visually-hidden">The latest'
                f" check-in, {taken}</caption>\n"
                '      <thead><tr><th scope="col">Question</th><th scope="col" class="num">Score'
                f'</th>{since}<th scope="col">Band</th><th scope="col" class="num">{average}'
                "</th></tr></thead>\n      <tbody>\n"
                f"        {checkin_rows(answers, before)}\n      </tbody>\n    </table>\n"
                "  </div>\n  "
            )
        chart = ": a chart of each question over time" if count > 1 else ""
        shown = (
            f"\n  <p>{_text(count)} check-in{'' if count == 1 else 's'}. The latest, on"
            f" {taken}{named}{beside}:</p>\n  {table}\n"
            f'  <p><a href="{_path(context, "coaching:checkins", person.pk)}">All of'
            f" {_text(person.chosen_name)}'s check-ins, with where the averages come from</a>"
            f"{chart}.</p>\n  "
        )
    return (
        '<section aria-labelledby="checkins-heading">\n'
        f'  <h2 id="checkins-heading">Check-ins</h2>\n  {shown}\n'
        f'  <p><a href="{add}">Add a check-in</a></p>\n</section>'
    )


@_section_tag
def budget_section(context: Any) -> str:
    person, budget = context.get("person"), context.get("budget")
    spends = context.get("spend_requests")
    more = context.get("spend_requests_more")
    if spends:
        items = "".join(f"<li>{_text(s['what_for'])}: {_text(s['status'])}</li>" for s in spends)
        listed = f"<ul>{items}</ul>"
    else:
        listed = "<p>Nothing asked for yet.</p>"
    see = (
        f"See all {len(spends) + more} requests, with the payments"
        if more
        else "See the budget, spends and payments"
    )
    return (
        '<section aria-labelledby="budget-heading">\n'
        '  <h2 id="budget-heading">Personal budget</h2>\n  <dl class="facts">\n'
        f"    <dt>Budget</dt><dd>{_text(budget['allocation'])}</dd>\n"
        f"    <dt>Committed (approved or paid)</dt><dd>{_text(budget['committed'])}</dd>\n"
        f"    <dt>Left to use</dt><dd>{_text(budget['remaining'])}</dd>\n  </dl>\n"
        f'  {listed}\n  <p><a href="{_path(context, "coaching:budget", person.pk)}">{see}</a></p>'
        "\n</section>"
    )


@_section_tag
def safety_section(context: Any) -> str:
    person, plan, user = context.get("person"), context.get("safety_plan"), context.get("user")
    name = _text(person.chosen_name)
    if not plan:
        edit = _path(context, "coaching:safety_plan_edit", person.pk)
        if getattr(user, "pk", None) == person.user_id:
            shown = (
                "\n  <p>You haven't written a safety plan. It's yours to write, if and when"
                f' you\'d like to.</p>\n  <p><a href="{edit}">Write your safety plan</a></p>\n  '
            )
        else:
            shown = (
                f"\n  <p>{name} hasn't written a safety plan. It's theirs to write, if and when"
                f" they'd like to.</p>\n"
                f'  <p><a href="{edit}">Write a safety plan with {name}</a></p>\n  '
            )
        shown = f"\n  {shown}\n  "
    elif user in context.get("safety_plan_readers"):
        shown = (
            f"\n  {safety_words(plan)}\n"
            f'  <p class="muted">Version {_text(plan.version)},'
            f" {_text(day_month_year(plan.created_at))}.</p>\n"
            f'  <p><a href="{_path(context, "coaching:safety_plan", person.pk)}">The safety plan'
            " and its history</a></p>\n  "
        )
    else:
        shown = f"\n  <p>{name} has a safety plan and has chosen not to share it with you.</p>\n  "
    return (
        '<section aria-labelledby="safety-heading">\n'
        f'  <h2 id="safety-heading">Safety plan</h2>\n  {shown}\n</section>'
    )


@_section_tag
def circle_section(context: Any) -> str:
    person = context.get("person")
    name = _text(person.chosen_name)
    past = context.get("circle_past")
    used_to = (
        f"\n<h3>Used to be part of the circle</h3>\n<ul>{past_members(past)}</ul>\n" if past else ""
    )
    return (
        '<section aria-labelledby="circle-title">\n'
        f'<h2 id="circle-title">{name}\'s circle</h2>\n'
        f'<p class="hint">People, groups and services in {name}\'s life.</p>\n'
        f"{circle_cards(context.get('circle'))}\n"
        '<p><a class="button button-secondary"'
        f' href="{_path(context, "coaching:circle_add", person.pk)}">Add someone or something'
        f" to the circle</a></p>\n{used_to}\n"
        '<div class="table-wrap">\n<table>\n'
        "  <caption>Moving away from service support: services in the circle at the start of"
        " each month</caption>\n"
        '  <thead><tr><th scope="col">Month</th><th scope="col" class="num">Services</th></tr>'
        "</thead>\n  <tbody>\n"
        f"  {services_rows(context.get('services_over_time'))}\n  </tbody>\n</table>\n</div>\n"
        "</section>"
    )


def _barrier(b: Any) -> str:
    service = _text(b.service)
    happened = f'<p class="muted">{_text(b.happened_on)}</p>' if b.happened_on else ""
    did = ""
    if b.response or b.what_we_did:
        response = f"{_text(b.response)}." if b.response else ""
        did = f"<p>What we did: {response} {_text(b.what_we_did)}</p>"
    outcome = f"<p>What came of it: {_text(b.outcome)}</p>" if b.outcome else ""
    shared = (
        "Shared, without a name, to help change things."
        if b.share_with_convening
        else "Not shared."
    )
    return (
        f'\n    <li class="card">\n      <h3 class="card-title">{service}</h3>\n'
        f"      {happened}\n      <p>{_text(b.what_happened)}</p>\n      {did}\n"
        f'      {outcome}\n      <p class="status">{shared}</p>\n'
        f'      <p><a href="{_text(b.edit_url)}">Change<span class="visually-hidden"> what was'
        f" written about {service}</span></a></p>\n    </li>\n    "
    )


@_section_tag
def barriers_section(context: Any) -> str:
    barriers = context.get("barriers")
    if barriers:
        cards = "".join(_barrier(b) for b in barriers)
        shown = f'\n  <ul class="cards">\n    {cards}\n  </ul>\n  '
    else:
        shown = "\n  <p>Nothing recorded.</p>\n  "
    url = _path(context, "coaching:barrier_add", context.get("person").pk)
    return (
        '<section aria-labelledby="barriers-heading">\n'
        f'  <h2 id="barriers-heading">Things that got in the way</h2>\n  {shown}\n'
        f'  <p><a href="{url}">Add something that got in the way</a></p>\n</section>'
    )


@_section_tag
def at_a_glance(context: Any) -> str:
    """The summary beside the sections (person.html's `<dl class="summary-list">`)."""
    rel = context.get("current_relationship")
    facts = ""
    if rel:
        last_on, next_on = rel["last_contact_on"], rel["next_meeting_on"]
        last = _text(_weekday_words(last_on)) if last_on else "Not written down yet"
        if next_on and next_on >= context.get("today"):
            meeting = _text(_weekday_words(next_on))
        elif next_on:
            meeting = f"No date yet (the last one planned was {_text(_weekday_words(next_on))})"
        else:
            meeting = "No date yet"
        if rel["state"] != "ended":
            meeting += (
                f' <a href="{_text(rel["paths"]["dates"])}">Set<span class="visually-hidden">'
                " the next meeting</span></a>"
            )
        facts = (
            f"\n      <div><dt>Working together</dt><dd>{_text(rel['state_label'])},"
            f" {_text(str(rel['intensity_label']).lower())}</dd></div>\n"
            f"      <div><dt>Last in touch</dt><dd>{last}</dd></div>\n"
            f"      <div><dt>Next meeting</dt><dd>{meeting}</dd></div>\n      "
        )
    goals, achieved = context.get("goals"), context.get("achieved_goals")
    working = f"{len(goals)} goal{'' if len(goals) == 1 else 's'}" if goals else "No goals yet"
    if achieved:
        working += f"; {len(achieved)} achieved"
    latest = context.get("checkin_latest")
    latest_words = _text(day_month_year(latest.taken_on)) if latest else "None yet"
    budget = context.get("budget")
    return (
        f"{facts}\n"
        f"      <div><dt>Working on</dt><dd>{working}</dd></div>\n"
        f"      <div><dt>Latest check-in</dt><dd>{latest_words}</dd></div>\n"
        f"      <div><dt>Budget left</dt><dd>{_text(budget['remaining'])} of"
        f" {_text(budget['allocation'])}</dd></div>"
    )


def _weekday_words(day: Any) -> str:
    # `date:"l j F"`: "Monday 3 November".
    return day_words(day, leave_out_year=day.year)


# --- the sections in turn -------------------------------------------------------------------


@_section_tag
def record_sections(context: Any) -> str:
    """What `{% for section in record_sections %}{% include section %}{% endfor %}` wrote: each
    partial rendered in turn, in a context layer of its own as an include gave it, without
    the include's and the loop's own work (resolving the name, the render context's cache of
    templates, the loop's variables): about 260 of the person page's Python calls (issue 11).
    The partials are still rendered as templates, so a partial may hold anything a template
    can, and a test sees each one rendered."""
    engine = context.template.engine
    written = []
    for name in context.get("record_sections") or ():
        with context.push(section=name):
            written.append(engine.get_template(name).render(context))
    return "".join(written)

"""The person's own pages made cheaper without changing a byte (issue 11): everything about
them (/me/record/) has its repeated parts written in Python (coaching/templatetags/me_pages.py)
and every query of both pages written by the ORM once (core/written.py), sent together on
PostgreSQL. The record is compared with the page as me/record.html wrote it before, kept
below, from the reads as coaching.selectors.me read them before (kept below too), on a record
with every branch; the home's reads are compared with the old reads the same way."""

from __future__ import annotations

import datetime
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.template import engines, loader
from django.test import RequestFactory
from django.utils import timezone
from django.utils.text import capfirst

from alongside.accounts.services import invite_issue, invite_redeem
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    CircleMember,
    Conversation,
    CorrectionRequest,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    Person,
    Relationship,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from alongside.coaching.selectors import me
from alongside.coaching.selectors.checkins import charts_for_person
from alongside.coaching.selectors.safety import latest_plan
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.money import pounds
from alongside.core.words import day_words
from alongside.core.written import person_rows

from .round_trips import round_trips

pytestmark = pytest.mark.django_db

# me/record.html as it was before its repeated parts were written in Python.
REFERENCE_RECORD = """{% extends "base.html" %}
{% block title %}Everything about you{% endblock %}
{% block content %}
<p><a href="{% url 'me:home' %}">Back to your space</a></p>
<h1>Everything about you</h1>
<p class="lead">This is everything written about you. If something a coach wrote is wrong, you can ask for it to be changed. We keep both versions.</p>
<p>To keep a copy, <a href="{% url 'me:my_data' %}">download everything from “Your data”</a>.</p>
<nav aria-labelledby="parts-title"><h2 id="parts-title">On this page</h2><ul>
  <li><a href="#coach">Your coach</a></li><li><a href="#talks">Talks</a></li><li><a href="#goals">Goals</a></li><li><a href="#strengths">Strengths</a></li>
  <li><a href="#check-ins">Check-ins</a></li><li><a href="#milestones">Good things that happened</a></li>
  <li><a href="#money">Money</a></li><li><a href="#barriers">Things that got in the way</a></li>
  <li><a href="#safety">Safety plan</a></li><li><a href="#circle">Your circle</a></li><li><a href="#changes">Changes you asked for</a></li>
</ul></nav>

<section id="coach">
  <h2>Working with your coach</h2>
  {% for rel in relationships %}
  <article class="card">
    <h3>With {{ rel.coach }}</h3>
    <dl class="summary-list">
      <div><dt>How it is going</dt><dd>{{ rel.state }}</dd></div>
      <div><dt>How often you meet</dt><dd>{{ rel.intensity }}</dd></div>
      <div><dt>Since</dt><dd>{{ rel.since }}</dd></div>
      {% if rel.next_meeting %}<div><dt>Next meeting</dt><dd>{{ rel.next_meeting }}</dd></div>{% endif %}
      {% if rel.keep_in_touch %}<div><dt>How you'd like us to keep in touch</dt><dd>{{ rel.keep_in_touch }}</dd></div>{% endif %}
    </dl>
  </article>
  {% empty %}<p>You are not working with a coach at the moment.</p>{% endfor %}
</section>

<section id="talks">
  <h2>Talks with your coach</h2>
  {% for c in conversations %}
  <article class="card">
    <h3>{{ c.day }}{% if c.place %}, {{ c.place }}{% endif %}</h3>
    {% if c.notes %}<p>{{ c.notes|linebreaksbr }}</p>{% endif %}
    {% if c.written_by %}<p class="muted">Written by {{ c.written_by }}</p>{% endif %}
    {% if c.reflection %}<p><strong>Your thoughts:</strong> {{ c.reflection|linebreaksbr }}</p>{% endif %}
    <p><a href="{{ c.reflection_path }}">Write your thoughts<span class="visually-hidden"> about the talk on {{ c.day }}</span></a>
    {% if c.notes %} · <a href="{{ c.correction_path }}">Ask to change this<span class="visually-hidden">: talk on {{ c.day }}</span></a>{% endif %}</p>
  </article>
  {% empty %}<p>No talks written down yet.</p>{% endfor %}
</section>

<section id="goals">
  <h2>Your goals</h2>
  {% for g in goals %}
  <article class="card">
    <h3 class="goal-words"><a href="{{ g.path }}">{{ g.words }}</a></h3>
    <p class="status">{{ g.status }}</p>
    {% if g.why_it_matters %}<p>Why it matters: {{ g.why_it_matters }}</p>{% endif %}
    {% if g.steps %}<ul class="steps">{% for s in g.steps %}<li>{{ s.words }}{% if s.done %} (done {{ s.done }}){% endif %}</li>{% endfor %}</ul>{% endif %}
    {% if g.correction_path %}<p><a href="{{ g.correction_path }}">Ask to change the words<span class="visually-hidden">: {{ g.words }}</span></a></p>{% endif %}
  </article>
  {% empty %}<p>No goals yet.</p>{% endfor %}
  <p><a class="button" href="{% url 'me:goal_add' %}">Add a goal</a></p>
</section>

<section id="strengths">
  <h2>Your strengths</h2>
  {% if strengths %}<ul>{% for s in strengths %}<li>{{ s.kind }}: {{ s.words }}{% if s.correction_path %} <a href="{{ s.correction_path }}">Ask to change this<span class="visually-hidden">: {{ s.words }}</span></a>{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>No strengths written down yet.</p>{% endif %}
  <p><a class="button" href="{% url 'me:strength_add' %}">Add a strength</a></p>
</section>

<section id="check-ins">
  <h2>Your check-ins</h2>
  {% if check_in_count %}
  <p>You have done {{ check_in_count }} check-in{{ check_in_count|pluralize }}. The pictures show your answers over time, next to the average for everyone in the UK. Each one has a table of the same numbers.</p>
  {% for group in check_in_groups %}<h3>{{ group.definition.name }}</h3>{% for chart in group.charts %}{% include "core/chart.html" %}{% endfor %}{% endfor %}
  {% else %}<p>No check-ins yet.</p>{% endif %}
  <p><a class="button" href="{% url 'me:checkin_add' %}">Do a check-in</a></p>
</section>

<section id="milestones">
  <h2>Good things that happened</h2>
  {% if milestones %}<ul>{% for m in milestones %}<li>{{ m.day }}: {{ m.kind }}{% if m.words %}. {{ m.words }}{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>Nothing here yet.</p>{% endif %}
</section>

<section id="money">
  <h2>Money from your budget</h2>
  {% if spend_requests %}<ul>{% for s in spend_requests %}<li>{{ s.what_for }}: {{ s.amount }}. {{ s.status }}.{% if s.decision_note %} Note: {{ s.decision_note }}{% endif %}
    {% if s.payments %}<ul>{% for p in s.payments %}<li>Paid {{ p.amount }} on {{ p.day }}</li>{% endfor %}</ul>{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>No money asked for yet.</p>{% endif %}
</section>

<section id="barriers">
  <h2>Things that got in the way</h2>
  {% if barriers %}<ul>{% for b in barriers %}<li><strong>{{ b.service }}</strong>: {{ b.what_happened }}{% if b.what_we_did %} What we did: {{ b.what_we_did }}{% endif %}{% if b.outcome %} What happened next: {{ b.outcome }}{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>Nothing here yet.</p>{% endif %}
</section>

<section id="safety">
  <h2>Your safety plan</h2>
  {% if safety_plan %}
  <dl class="facts">
    {% if safety_plan.keeps_me_safe %}<dt>What keeps you safe</dt><dd>{{ safety_plan.keeps_me_safe|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.early_signs %}<dt>Early signs that things are getting hard</dt><dd>{{ safety_plan.early_signs|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.what_helps %}<dt>What helps</dt><dd>{{ safety_plan.what_helps|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.who_to_contact %}<dt>Who you'd like contacted</dt><dd>{{ safety_plan.who_to_contact|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.what_others_can_do %}<dt>What you'd like others to do</dt><dd>{{ safety_plan.what_others_can_do|linebreaksbr }}</dd>{% endif %}
  </dl>
  {% else %}<p>You have not written a safety plan. You can, if you want to.</p>{% endif %}
  <p><a href="{% url 'coaching:safety_plan_edit' person.pk %}">Write or change your safety plan</a></p>
</section>

<section id="circle">
  <h2>Your circle</h2>
  {% if circle %}<ul>{% for m in circle %}<li>{{ m.name }} ({{ m.kind }}){% if m.about %}: {{ m.about }}{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>Nobody written down yet.</p>{% endif %}
</section>

<section id="changes">
  <h2>Changes you asked for</h2>
  {% if corrections %}<ul class="cards">{% for c in corrections %}<li class="card">
    <p>It said: “{{ c.as_written }}”</p><p>You asked for: “{{ c.asked_for }}”</p>
    <p class="status">{{ c.get_status_display }}{% if c.decided_at %}, {{ c.decided_at|date:"l j F Y, H:i" }}{% endif %}</p>
    {% if c.reply %}<p>Reply: {{ c.reply }}</p>{% endif %}
  </li>{% endfor %}</ul>
  {% else %}<p>You have not asked for any changes.</p>{% endif %}
</section>
{% endblock %}
"""  # noqa: E501

AWKWARD = 'Tom & Jerry\'s <b>"big"</b>'


# --- the reads as coaching.selectors.me read them before -----------------------------------


def _by_parent(rows: Any, key: str) -> dict[int, list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.pop(key), []).append(row)
    return groups


def _old_everything(person: Person) -> dict[str, Any]:
    check_ins = list(person.check_ins.order_by("taken_on", "id"))
    return {
        "person": person,
        "relationships": _old_relationships(person),
        "conversations": _old_talks(person),
        "goals": _old_goals(person),
        "strengths": _old_strengths(person),
        "check_in_groups": charts_for_person(person, check_ins),
        "check_in_count": len(check_ins),
        "milestones": [
            {"day": day_words(m["happened_on"]), "kind": capfirst(m["kind"]), "words": m["words"]}
            for m in person.milestones.order_by("-happened_on", "-id").values(
                "happened_on", "kind", "words"
            )
        ],
        "spend_requests": _old_spends(person),
        "barriers": list(
            person.barriers.order_by("-created_at", "-id").values(
                "service", "what_happened", "what_we_did", "outcome"
            )
        ),
        "safety_plan": latest_plan(person),
        "circle": [
            {
                "name": m["name"],
                "kind": me.CIRCLE_KINDS.get(m["kind"], m["kind"]).lower(),
                "about": m["about"],
            }
            for m in person.circle.values("name", "kind", "about")
        ],
        "corrections": list(
            person.corrections.select_related("decided_by").order_by("-created_at", "-id")
        ),
    }


def _old_relationships(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "coach": rel["coach__first_name"] or rel["coach__username"],
            "state": me.STATES.get(rel["state"], rel["state"]),
            "intensity": me.INTENSITIES.get(rel["intensity"], rel["intensity"]),
            "since": day_words(rel["started_on"]),
            "next_meeting": day_words(rel["next_meeting_on"]),
            "keep_in_touch": rel["keep_in_touch"],
        }
        for rel in person.relationships.order_by("-started_on").values(
            "coach__first_name",
            "coach__username",
            "state",
            "intensity",
            "started_on",
            "next_meeting_on",
            "keep_in_touch",
        )
    ]


def _old_talks(person: Person) -> list[dict[str, Any]]:
    reflection = me._addresses("me:reflection", me._ID)
    ask = me._addresses("me:correction_ask", "conversation", me._ID, "notes")
    return [
        {
            "day": day_words(talk["happened_on"]),
            "place": talk["place"],
            "notes": talk["notes"],
            "reflection": talk["reflection"],
            "written_by": talk["written_by__first_name"] or talk["written_by__username"] or "",
            "reflection_path": reflection(talk["id"]),
            "correction_path": ask(talk["id"]),
        }
        for talk in person.conversations.values(
            "id",
            "happened_on",
            "place",
            "notes",
            "reflection",
            "written_by__first_name",
            "written_by__username",
        )
    ]


def _old_goals(person: Person) -> list[dict[str, Any]]:
    page = me._addresses("me:goal", me._ID)
    ask = me._addresses("me:correction_ask", "goal", me._ID, "words")
    goals = list(
        person.goals.order_by("-created_at", "-id").values(
            "id", "words", "why_it_matters", "status", "suggested_by_id", "accepted_at"
        )
    )
    steps = (
        _by_parent(
            GoalStep.objects.filter(goal__in=[goal["id"] for goal in goals]).values(
                "goal_id", "words", "done_on"
            ),
            "goal_id",
        )
        if goals
        else {}
    )
    rows = []
    for goal in goals:
        suggested = goal["suggested_by_id"] is not None
        rows.append(
            {
                "words": goal["words"],
                "path": page(goal["id"]),
                "status": "Suggested by your coach"
                if suggested
                and goal["accepted_at"] is None
                and goal["status"] != Goal.Status.CHANGED_MY_MIND
                else me.GOAL_STATUSES.get(goal["status"], goal["status"]),
                "why_it_matters": goal["why_it_matters"],
                "steps": [
                    {"words": step["words"], "done": day_words(step["done_on"])}
                    for step in steps.get(goal["id"], [])
                ],
                "correction_path": ask(goal["id"]) if suggested else "",
            }
        )
    return rows


def _old_strengths(person: Person) -> list[dict[str, Any]]:
    ask = me._addresses("me:correction_ask", "strength", me._ID, "words")
    return [
        {
            "kind": me.STRENGTH_KINDS.get(strength["kind"], strength["kind"]),
            "words": strength["words"],
            "correction_path": ask(strength["id"])
            if strength["added_by_id"] and strength["added_by_id"] != person.user_id
            else "",
        }
        for strength in person.strengths.order_by("kind", "created_at").values(
            "id", "kind", "words", "added_by_id"
        )
    ]


def _old_spends(person: Person) -> list[dict[str, Any]]:
    spends = list(
        person.spend_requests.order_by("-created_at", "-id").values(
            "id", "what_for", "amount_pence", "status", "decision_note"
        )
    )
    payments = (
        _by_parent(
            Payment.objects.filter(spend_request__in=[s["id"] for s in spends])
            .order_by("paid_on")
            .values("spend_request_id", "amount_pence", "paid_on"),
            "spend_request_id",
        )
        if spends
        else {}
    )
    return [
        {
            "what_for": s["what_for"],
            "amount": pounds(s["amount_pence"]),
            "status": me.SPEND_STATUSES.get(s["status"], s["status"]),
            "decision_note": s["decision_note"],
            "payments": [
                {"amount": pounds(p["amount_pence"]), "day": day_words(p["paid_on"])}
                for p in payments.get(s["id"], [])
            ],
        }
        for s in spends
    ]


def _old_passphrase_notes(person: Person) -> list[me.PassphraseNote]:
    entries: list[Any] = list(
        AuditEntry.objects.filter(
            person_id=person.pk, object_type="coaching.person", object_id=str(person.pk)
        )
        .filter(action__in=[AuditAction.CHANGE, AuditAction.CREATE])
        .order_by("at", "id")
        .values_list("action", "detail", "at", "actor__first_name", "actor__username")
    )
    notes: list[me.PassphraseNote] = []
    last_issuer = "your coach"
    for action, detail, at, first_name, username in entries:
        if action == AuditAction.CREATE and detail.startswith("invite code"):
            last_issuer = first_name or username or "your coach"
        elif action == AuditAction.CHANGE and detail == me.SIGN_IN_SET_UP:
            first_time = not notes and me._new_sign_in(person, at)
            notes.append(me.PassphraseNote(at=at, first_time=first_time, by_name=last_issuer))
    return list(reversed(notes))


_GOAL_FIELDS = me._GOAL_FIELDS


def _old_my_goals(person: Person, today: date) -> me.MyGoals:
    page = me._addresses("me:goal", me._ID)
    by_id: dict[int, dict[str, Any]] = {}
    for row in person.goals.order_by("-created_at", "-id", "steps__created_at", "steps__id").values(
        *_GOAL_FIELDS, "steps__pk", "steps__words", "steps__done_on"
    ):
        goal = by_id.get(row["pk"])
        if goal is None:
            goal = by_id[row["pk"]] = {field: row[field] for field in _GOAL_FIELDS}
            goal.update(path=page(row["pk"]), steps=[])
        if row["steps__pk"] is not None:
            goal["steps"].append(
                {
                    "pk": row["steps__pk"],
                    "words": row["steps__words"],
                    "done_on": row["steps__done_on"],
                }
            )
    goals = list(by_id.values())
    suggested = [
        g
        for g in goals
        if g["suggested_by_id"] is not None
        and g["accepted_at"] is None
        and g["status"] != Goal.Status.CHANGED_MY_MIND
    ]
    mine = [g for g in goals if g["suggested_by_id"] is None or g["accepted_at"] is not None]
    working = [g for g in mine if g["status"] == Goal.Status.WORKING_ON_IT]
    dreaming = [g for g in mine if g["status"] == Goal.Status.DREAMING]
    achieved = sorted(
        (g for g in mine if g["status"] == Goal.Status.ACHIEVED),
        key=lambda g: g["achieved_on"] or date.min,
        reverse=True,
    )
    changed = [g for g in mine if g["status"] == Goal.Status.CHANGED_MY_MIND]
    active = working + dreaming
    achieved_form = me._addresses("me:goal_achieved", me._ID)
    for goal in active:
        goal["status_label"] = me.GOAL_STATUSES.get(goal["status"], goal["status"])
        goal["achieved_path"] = achieved_form(goal["pk"])
    for goal in achieved:
        goal["achieved_words"] = day_words(goal["achieved_on"], leave_out_year=today.year)
    accept = me._addresses("me:goal_accept", me._ID)
    decline = me._addresses("me:goal_decline", me._ID)
    for goal in suggested:
        goal["accept_path"] = accept(goal["pk"])
        goal["decline_path"] = decline(goal["pk"])
    return me.MyGoals(suggested, active, achieved, changed)


def _old_latest_check_in(person: Person, today: date) -> me.LatestCheckIn | None:
    latest = person.check_ins.order_by("-taken_on", "-id").first()
    if latest is None:
        return None
    definition = me._definition_for(me._definitions(person, [latest]), latest)
    if definition is None:
        return None
    average_name = "UK average" if definition.shipped else "reference average"
    rows = []
    for item in definition.items:
        value = latest.answers.get(item.key)
        mean = item.reference_mean
        rows.append(
            me.Comparison(
                label=item.label,
                answer=value,
                answer_text="You skipped this one" if value is None else me.number(value),
                average_text=me.number(mean),
                words=me._compare(value, mean) if value is not None and mean is not None else "",
                lower_is_better=item.direction == "lower_is_better",
                answer_x=me._along(value, item.min, item.max),
                average_x=me._along(mean, item.min, item.max),
                low=item.min,
                high=item.max,
            )
        )
    return me.LatestCheckIn(
        check_in=latest,
        day_words=me.day_in_words(latest.taken_on, today),
        name=definition.name,
        average_name=average_name,
        rows=rows,
    )


def _old_home(person: Person) -> dict[str, Any]:
    today = timezone.localdate()
    relationships = [
        {
            "coach": rel["coach__first_name"] or rel["coach__username"],
            "organisation": rel["organisation__name"],
            "state": rel["state"],
            "state_words": me.STATES.get(rel["state"], rel["state"]).lower(),
            "next_meeting_on": rel["next_meeting_on"],
        }
        for rel in person.relationships.order_by("-started_on").values(
            "coach__first_name", "coach__username", "organisation__name", "state", "next_meeting_on"
        )
    ]
    goals = _old_my_goals(person, today)
    return {
        "person": person,
        "today": today,
        "passphrase_notes": _old_passphrase_notes(person),
        "suggested": goals.suggested,
        "my_goals": goals,
        "open_corrections": list(
            person.corrections.filter(status=CorrectionRequest.Status.ASKED)
            .order_by("-created_at", "-id")
            .values_list("as_written", flat=True)
        ),
        "relationships": relationships,
        "next_meeting": me.next_meeting(relationships, today),
        "coach_name": next(
            (r["coach"] for r in relationships if r["state"] != Relationship.State.ENDED),
            "your coach",
        ),
        "latest_check_in": _old_latest_check_in(person, today),
    }


# --- a record with every branch -----------------------------------------------------------


def _fill(world: dict[str, Any]) -> Person:
    """Sam with something in every part, each kind of it: with and without its optional words,
    written by a coach and by Sam, suggested and their own, decided and not."""
    sam, coach, other_coach = world["sam"], world["coach"], world["other_coach"]
    coach.first_name = AWKWARD
    coach.save()
    today = timezone.localdate()
    sam.relationships.update(started_on=today - timedelta(days=300), next_meeting_on=None)
    Relationship.objects.create(
        person=sam,
        coach=other_coach,
        organisation=world["other"],
        state=Relationship.State.PAUSED,
        intensity=Relationship.Intensity.MONTHLY,
        started_on=today - timedelta(days=30),
        next_meeting_on=today + timedelta(days=3),
        keep_in_touch=f"{AWKWARD} texts",
    )
    _talks_and_goals(sam, coach, other_coach, today)
    for kind, by in (("skill", sam.user), ("quality", coach), ("place", None)):
        Strength.objects.create(person=sam, kind=kind, words=f"{AWKWARD} {kind}", added_by=by)
    CheckIn.objects.create(
        person=sam, taken_on=today - timedelta(days=40), answers={"life_satisfaction": 6}
    )
    CheckIn.objects.create(
        person=sam, taken_on=today - timedelta(days=2), answers={"happiness": 3, "anxiety": 9}
    )
    Milestone.objects.create(person=sam, kind="own home", words=AWKWARD, happened_on=today)
    Milestone.objects.create(
        person=sam, kind="a job", words="", happened_on=today - timedelta(days=9)
    )
    _money(sam, coach, today)
    Barrier.objects.create(person=sam, service=AWKWARD, what_happened="a rule")
    Barrier.objects.create(
        person=sam, service="Housing", what_happened=AWKWARD, what_we_did="wrote", outcome="ok"
    )
    SafetyPlan.objects.create(person=sam, version=1, keeps_me_safe="old plan")
    SafetyPlan.objects.create(
        person=sam,
        version=2,
        keeps_me_safe=f"{AWKWARD}\r\nmy sister",
        what_helps="walks\nmusic",
        who_to_contact=AWKWARD,
    )
    CircleMember.objects.create(person=sam, name=AWKWARD, kind="person", about="my sister")
    CircleMember.objects.create(person=sam, name="Job centre", kind="service")
    _corrections(sam, coach)
    return sam


def _talks_and_goals(sam: Person, coach: Any, other_coach: Any, today: date) -> None:
    for i, (place, notes, reflection, by) in enumerate(
        [
            (AWKWARD, f"{AWKWARD}\nline two\r\nline three", f"{AWKWARD}\nthought", coach),
            ("", "", "", None),
            ("park", "notes", "", other_coach),
        ]
    ):
        Conversation.objects.create(
            person=sam,
            happened_on=today - timedelta(days=i),
            place=place,
            notes=notes,
            reflection=reflection,
            written_by=by,
        )
    mine = Goal.objects.create(
        person=sam, words=AWKWARD, why_it_matters=AWKWARD, status=Goal.Status.WORKING_ON_IT
    )
    GoalStep.objects.create(goal=mine, words=AWKWARD, done_on=today - timedelta(days=1))
    GoalStep.objects.create(goal=mine, words="next step")
    Goal.objects.create(person=sam, words="a dream")
    Goal.objects.create(
        person=sam,
        words="done it",
        status=Goal.Status.ACHIEVED,
        achieved_on=today - timedelta(days=400),
    )
    Goal.objects.create(person=sam, words="done too", status=Goal.Status.ACHIEVED)
    Goal.objects.create(person=sam, words="not now", status=Goal.Status.CHANGED_MY_MIND)
    idea = Goal.objects.create(person=sam, words=f"{AWKWARD} idea", suggested_by=coach)
    GoalStep.objects.create(goal=idea, words="first")
    Goal.objects.create(
        person=sam,
        words="accepted idea",
        suggested_by=coach,
        accepted_at=timezone.now(),
        status=Goal.Status.WORKING_ON_IT,
    )
    Goal.objects.create(
        person=sam,
        words="declined idea",
        suggested_by=coach,
        status=Goal.Status.CHANGED_MY_MIND,
    )


def _money(sam: Person, coach: Any, today: date) -> None:
    paid = SpendRequest.objects.create(
        person=sam,
        what_for=AWKWARD,
        amount_pence=12345,
        status=SpendRequest.Status.PAID,
        decision_note=AWKWARD,
        decided_by=coach,
    )
    Payment.objects.create(spend_request=paid, amount_pence=10000, paid_on=today)
    Payment.objects.create(spend_request=paid, amount_pence=2345, paid_on=today - timedelta(days=5))
    SpendRequest.objects.create(person=sam, what_for="boots", amount_pence=3000)


def _corrections(sam: Person, coach: Any) -> None:
    asked = {"person": sam, "about_type": "goal", "about_id": 1, "field_name": "words"}
    CorrectionRequest.objects.create(**asked, as_written=AWKWARD, asked_for=f"{AWKWARD}!")
    CorrectionRequest.objects.create(
        **asked,
        as_written="was",
        asked_for="is",
        status=CorrectionRequest.Status.CHANGED,
        reply=AWKWARD,
        decided_by=coach,
        decided_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),
    )
    CorrectionRequest.objects.create(
        **asked,
        as_written="x",
        asked_for="y",
        status=CorrectionRequest.Status.NOT_CHANGED,
        decided_at=datetime.datetime(2026, 1, 5, 9, 5, tzinfo=datetime.UTC),
    )


def _passphrase_set_twice(world: dict[str, Any]) -> None:
    """Sam set up their sign-in with a code, then forgot the passphrase and got another."""
    sam, coach = world["sam"], world["coach"]
    sam.user.date_joined = timezone.now() - timedelta(days=30)
    sam.user.save()
    for passphrase in ("a first long passphrase", "a brand new long passphrase"):
        code = invite_issue(actor=coach, person=sam)
        invite_redeem(code=code, username=sam.user.username, passphrase=passphrase)


# --- the comparisons ----------------------------------------------------------------------

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _request(person: Person) -> Any:
    request = RequestFactory().get("/me/record/")
    request.user = person.user
    return request


def _record_both_ways(person: Person) -> tuple[str, str]:
    request = _request(person)
    now = loader.get_template("me/record.html").render(me.everything(person), request)
    then = engines["django"].from_string(REFERENCE_RECORD).render(_old_everything(person), request)
    return _TOKEN.sub("", now), _TOKEN.sub("", then)


def test_the_record_writes_what_it_wrote_before(world):
    sam = _fill(world)
    now, then = _record_both_ways(sam)
    assert now == then
    for said in (
        "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;big&quot;&lt;/b&gt;",
        "line two<br>line three",
        "Next meeting",
        "How you'd like us to keep in touch</dt><dd>Tom &amp;",
        "Your thoughts:",
        "Written by",
        "Suggested by your coach",
        "Ask to change the words",
        "(done ",
        "Paid £100 on",
        "What happened next: ok",
        "my sister",
        "Changed as you asked, Thursday 2 July 2026, 00:30",
        "Reply: Tom",
        "You have done 2 check-ins",
    ):
        assert said in now, said


def test_an_empty_record_writes_what_it_wrote_before(world):
    alex = world["alex"]
    alex.relationships.all().delete()
    now, then = _record_both_ways(alex)
    assert now == then
    assert "You are not working with a coach at the moment." in now
    assert "You have not asked for any changes." in now


def test_the_record_reads_what_it_read_before(world):
    sam = _fill(world)
    now, then = me.everything(sam), _old_everything(sam)
    for key in now.keys() - {"check_in_groups", "safety_plan", "corrections"}:
        assert now[key] == then[key], key
    assert [c.pk for c in now["corrections"]] == [c.pk for c in then["corrections"]]
    assert now["safety_plan"].pk == then["safety_plan"].pk
    assert now["safety_plan"].person is sam


def test_the_home_reads_and_writes_what_it_did_before(world):
    sam = _fill(world)
    _passphrase_set_twice(world)
    now, then = me.home(sam), _old_home(sam)
    assert now == then
    assert len(now["passphrase_notes"]) == 2 and now["open_corrections"]
    assert now["latest_check_in"].check_in.answers == {"happiness": 3, "anxiety": 9}
    request = _request(sam)
    template = loader.get_template("me/home.html")
    assert _TOKEN.sub("", template.render(now, request)) == _TOKEN.sub(
        "", template.render(then, request)
    )
    empty = world["alex"]
    assert me.home(empty) == _old_home(empty)


def test_the_queries_written_once_are_the_orms(world):
    sam = _fill(world)
    _passphrase_set_twice(world)
    # Another person with rows in every part too.
    _fill({**world, "sam": world["alex"]})
    for build in (*me._EVERYTHING, *me._HOME):
        expected = [tuple(row) for row in build(sam.pk)]
        assert person_rows(build, sam.pk) == expected, build.__name__
        assert expected, build.__name__


def test_the_record_asks_no_more_than_it_did(world):
    sam = _fill(world)
    me.everything(sam)  # each query written once per connection
    with round_trips() as trips:
        me.everything(sam)
    # Thirteen parts (on PostgreSQL sent together, in one round trip).
    assert len(trips) == (1 if connection.vendor == "postgresql" else 13)

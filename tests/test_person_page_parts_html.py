"""The person page's sections written whole in Python (coaching/templatetags/person_page.py,
issue 11): each partial of templates/coaching/person/ is now one tag, and the page's summary
another. The partials and the page as they were just before are kept below, and each is
compared, byte for byte, with what is written now, on records with awkward words in every
branch of every section and for each kind of reader."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.template import TemplateSyntaxError, engines, loader
from django.test import RequestFactory
from django.utils import timezone

from alongside.coaching.models import (
    Barrier,
    CheckIn,
    CorrectionRequest,
    Milestone,
    Person,
    Relationship,
    SafetyPlan,
    SpendRequest,
)
from alongside.coaching.parts import person_partials
from alongside.coaching.selectors import person_record

from .test_person_page_html import AWKWARD, _busy_record

pytestmark = pytest.mark.django_db

# The partials as they were before each was written whole in Python.
BEFORE = {
    "coaching/person/_corrections.html": """{% if open_corrections %}
<section class="card" aria-labelledby="corrections-heading">
  <h2 id="corrections-heading">{{ person.chosen_name }} asked to change something</h2>
  <ul>
  {% for c in open_corrections %}<li>On {{ c.created_at|date:"j F" }}: “{{ c.as_written|truncatewords:12 }}” <a href="{% url 'me:correction_decide' c.pk %}">Look at what {{ person.chosen_name }} asked<span class="visually-hidden"> ({{ forloop.counter }})</span></a></li>{% endfor %}
  </ul>
</section>
{% endif %}
""",  # noqa: E501
    "coaching/person/_relationships.html": """{% load person_page %}<section aria-labelledby="working-together-title">
<h2 id="working-together-title">Working together</h2>
{% relationship_cards relationships person.chosen_name %}
{% if may_invite %}
<form method="post" action="{% url 'coaching:invite_issue' person.pk %}" class="inline-form">
  {% csrf_token %}
  <button type="submit" class="button button-secondary">{% if person.user_id %}Give a new invite code (for a forgotten passphrase){% else %}Give {{ person.chosen_name }} an invite code{% endif %}</button>
</form>
{% endif %}
</section>
""",  # noqa: E501
    "coaching/person/_goals.html": """{% load person_page %}<section>
  <h2>Goals, in {{ person.chosen_name }}'s words</h2>
  <p><a class="button button-secondary" href="{% url 'coaching:goal_add' person.pk %}">Add a goal</a></p>
  {% goal_cards goals %}
  {% if achieved_goals %}
  <h3>Achieved</h3>
  <ul class="cards">{{ achieved_goals|achieved_cards }}</ul>
  {% endif %}
  {% if changed_goals %}
  <h3>Changed my mind</h3>
  <p class="hint">Changing your mind is part of finding what matters.</p>
  <ul>{{ changed_goals|goal_items }}</ul>
  {% endif %}
</section>
""",  # noqa: E501
    "coaching/person/_strengths.html": """{% load person_page %}<section>
  <h2>What {{ person.chosen_name }} has going for them</h2>
  {% if strengths_internal %}<h3>In themselves</h3><ul>{{ strengths_internal|strength_items }}</ul>{% endif %}
  {% if strengths_external %}<h3>Around them</h3><ul>{{ strengths_external|strength_items }}</ul>{% endif %}
  {% if not strengths %}<p>Nothing written yet.</p>{% endif %}
  <p><a href="{% url 'coaching:strengths' person.pk %}">All of {{ person.chosen_name }}'s strengths</a> · <a href="{% url 'coaching:strength_add' person.pk %}">Add a strength</a></p>
</section>
""",  # noqa: E501
    "coaching/person/_milestones.html": """<section>
  <h2>Milestones to celebrate</h2>
  {% if milestones %}<ul class="cards">{% for m in milestones %}<li class="card"><p><strong>{{ m.kind }}</strong>, {{ m.happened_on }}</p>{% if m.words %}<p>{{ m.words }}</p>{% endif %}</li>{% endfor %}</ul>
  {% else %}<p>None recorded yet.</p>{% endif %}
  <p><a href="{% url 'coaching:milestone_add' person.pk %}">Record a milestone</a></p>
</section>
""",  # noqa: E501
    "coaching/person/_conversations.html": """{% load person_page %}<section aria-labelledby="conversations-heading">
  <h2 id="conversations-heading">Recent conversations</h2>
  <p><a class="button button-secondary" href="{% url 'coaching:conversation_add' person.pk %}">Write up a conversation</a></p>
  {% conversation_cards conversations person.chosen_name %}
</section>
""",  # noqa: E501
    "coaching/person/_checkins.html": """{% load person_page %}<section aria-labelledby="checkins-heading">
  <h2 id="checkins-heading">Check-ins</h2>
  {% if checkin_latest %}
  <p>{{ checkin_count }} check-in{{ checkin_count|pluralize }}. The latest, on {{ checkin_latest.taken_on|date:"j F Y" }}{% if checkin_latest_definition %} ({{ checkin_latest_definition.name }}){% endif %}{% if checkin_before %}, beside the one before on {{ checkin_before.taken_on|date:"j F Y" }}{% endif %}:</p>
  {% if checkin_latest_answers %}
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="checkins-latest-caption">
    <table>
      <caption id="checkins-latest-caption" class="visually-hidden">The latest check-in, {{ checkin_latest.taken_on|date:"j F Y" }}</caption>
      <thead><tr><th scope="col">Question</th><th scope="col" class="num">Score</th>{% if checkin_before %}<th scope="col">Since the one before</th>{% endif %}<th scope="col">Band</th><th scope="col" class="num">{% if checkin_latest_definition.shipped %}UK average{% else %}Average{% endif %}</th></tr></thead>
      <tbody>
        {% checkin_rows checkin_latest_answers checkin_before %}
      </tbody>
    </table>
  </div>
  {% endif %}
  <p><a href="{% url 'coaching:checkins' person.pk %}">All of {{ person.chosen_name }}'s check-ins, with where the averages come from</a>{% if checkin_count > 1 %}: a chart of each question over time{% endif %}.</p>
  {% else %}
  <p>No check-ins yet.</p>
  {% endif %}
  <p><a href="{% url 'coaching:checkin_add' person.pk %}">Add a check-in</a></p>
</section>
""",  # noqa: E501
    "coaching/person/_budget.html": """<section aria-labelledby="budget-heading">
  <h2 id="budget-heading">Personal budget</h2>
  <dl class="facts">
    <dt>Budget</dt><dd>{{ budget.allocation }}</dd>
    <dt>Committed (approved or paid)</dt><dd>{{ budget.committed }}</dd>
    <dt>Left to use</dt><dd>{{ budget.remaining }}</dd>
  </dl>
  {% if spend_requests %}<ul>{% for s in spend_requests %}<li>{{ s.what_for }}: {{ s.status }}</li>{% endfor %}</ul>{% else %}<p>Nothing asked for yet.</p>{% endif %}
  <p><a href="{% url 'coaching:budget' person.pk %}">{% if spend_requests_more %}See all {{ spend_requests|length|add:spend_requests_more }} requests, with the payments{% else %}See the budget, spends and payments{% endif %}</a></p>
</section>
""",  # noqa: E501
    "coaching/person/_safety.html": """{% load person_page %}<section aria-labelledby="safety-heading">
  <h2 id="safety-heading">Safety plan</h2>
  {% if not safety_plan %}
  {% if user.pk == person.user_id %}
  <p>You haven't written a safety plan. It's yours to write, if and when you'd like to.</p>
  <p><a href="{% url 'coaching:safety_plan_edit' person.pk %}">Write your safety plan</a></p>
  {% else %}
  <p>{{ person.chosen_name }} hasn't written a safety plan. It's theirs to write, if and when they'd like to.</p>
  <p><a href="{% url 'coaching:safety_plan_edit' person.pk %}">Write a safety plan with {{ person.chosen_name }}</a></p>
  {% endif %}
  {% elif user in safety_plan_readers %}
  {% safety_words safety_plan %}
  <p class="muted">Version {{ safety_plan.version }}, {{ safety_plan.created_at|date:"j F Y" }}.</p>
  <p><a href="{% url 'coaching:safety_plan' person.pk %}">The safety plan and its history</a></p>
  {% else %}
  <p>{{ person.chosen_name }} has a safety plan and has chosen not to share it with you.</p>
  {% endif %}
</section>
""",  # noqa: E501
    "coaching/person/_circle.html": """{% load person_page %}<section aria-labelledby="circle-title">
<h2 id="circle-title">{{ person.chosen_name }}'s circle</h2>
<p class="hint">People, groups and services in {{ person.chosen_name }}'s life.</p>
{% circle_cards circle %}
<p><a class="button button-secondary" href="{% url 'coaching:circle_add' person.pk %}">Add someone or something to the circle</a></p>
{% if circle_past %}
<h3>Used to be part of the circle</h3>
<ul>{{ circle_past|past_members }}</ul>
{% endif %}
<div class="table-wrap">
<table>
  <caption>Moving away from service support: services in the circle at the start of each month</caption>
  <thead><tr><th scope="col">Month</th><th scope="col" class="num">Services</th></tr></thead>
  <tbody>
  {{ services_over_time|services_rows }}
  </tbody>
</table>
</div>
</section>
""",  # noqa: E501
    "coaching/person/_barriers.html": """<section aria-labelledby="barriers-heading">
  <h2 id="barriers-heading">Things that got in the way</h2>
  {% if barriers %}
  <ul class="cards">
    {% for b in barriers %}
    <li class="card">
      <h3 class="card-title">{{ b.service }}</h3>
      {% if b.happened_on %}<p class="muted">{{ b.happened_on }}</p>{% endif %}
      <p>{{ b.what_happened }}</p>
      {% if b.response or b.what_we_did %}<p>What we did: {% if b.response %}{{ b.response }}.{% endif %} {{ b.what_we_did }}</p>{% endif %}
      {% if b.outcome %}<p>What came of it: {{ b.outcome }}</p>{% endif %}
      <p class="status">{% if b.share_with_convening %}Shared, without a name, to help change things.{% else %}Not shared.{% endif %}</p>
      <p><a href="{{ b.edit_url }}">Change<span class="visually-hidden"> what was written about {{ b.service }}</span></a></p>
    </li>
    {% endfor %}
  </ul>
  {% else %}
  <p>Nothing recorded.</p>
  {% endif %}
  <p><a href="{% url 'coaching:barrier_add' person.pk %}">Add something that got in the way</a></p>
</section>
""",  # noqa: E501
}

# The page itself, its summary still a template.
PAGE_BEFORE = """{% extends "base.html" %}
{% block title %}{{ person.chosen_name }}{% endblock %}
{% block content %}
<h1>{{ person.chosen_name }}</h1>
<p class="lead">{{ person.chosen_name }}{% if person.pronouns %} ({{ person.pronouns }}){% endif %} can see everything on this page in their own space.</p>
{# The summary comes first: on a phone it is the top of the page; on a desktop the stylesheet puts it beside the sections. #}
<div class="with-aside">
  <aside aria-labelledby="at-a-glance">
    <h2 id="at-a-glance">At a glance</h2>
    <dl class="summary-list">
      {% with rel=current_relationship %}{% if rel %}
      <div><dt>Working together</dt><dd>{{ rel.state_label }}, {{ rel.intensity_label|lower }}</dd></div>
      <div><dt>Last in touch</dt><dd>{% if rel.last_contact_on %}{{ rel.last_contact_on|date:"l j F" }}{% else %}Not written down yet{% endif %}</dd></div>
      <div><dt>Next meeting</dt><dd>{% if rel.next_meeting_on and rel.next_meeting_on >= today %}{{ rel.next_meeting_on|date:"l j F" }}{% elif rel.next_meeting_on %}No date yet (the last one planned was {{ rel.next_meeting_on|date:"l j F" }}){% else %}No date yet{% endif %}{% if rel.state != "ended" %} <a href="{{ rel.paths.dates }}">Set<span class="visually-hidden"> the next meeting</span></a>{% endif %}</dd></div>
      {% endif %}{% endwith %}
      <div><dt>Working on</dt><dd>{% if goals %}{{ goals|length }} goal{{ goals|length|pluralize }}{% else %}No goals yet{% endif %}{% if achieved_goals %}; {{ achieved_goals|length }} achieved{% endif %}</dd></div>
      <div><dt>Latest check-in</dt><dd>{% if checkin_latest %}{{ checkin_latest.taken_on|date:"j F Y" }}{% else %}None yet{% endif %}</dd></div>
      <div><dt>Budget left</dt><dd>{{ budget.remaining }} of {{ budget.allocation }}</dd></div>
    </dl>
    <h2>The whole record</h2>
    <p><a href="{% url 'coaching:export_page' person.pk %}">Read or print {{ person.chosen_name }}'s whole record</a></p>
    <p><a href="{% url 'coaching:export_json' person.pk %}" download>Download it as a data file (JSON)</a></p>
  </aside>
  <div>
    {% for section in record_sections %}{% include section %}{% endfor %}
  </div>
</div>
{% endblock %}
"""  # noqa: E501


def _render(person: Person, user: Any, *, may_invite: bool = True) -> list[tuple[str, str, str]]:
    """(template, what it writes now, what it wrote before) for each section and the page."""
    context = person_record(person)
    context["may_invite"] = may_invite
    request = RequestFactory().get(f"/people/{person.pk}/")
    request.user = user
    engine = engines["django"]
    found = []
    for section, before in BEFORE.items():
        now = loader.get_template(section).render(context, request)
        then = engine.from_string(before).render(context, request)
        found.append((section, _steady(now), _steady(then)))
    now = loader.get_template("coaching/person.html").render(context, request)
    then = engine.from_string(PAGE_BEFORE).render(context, request)
    found.append(("coaching/person.html", _steady(now), _steady(then)))
    return found


def _steady(html: str) -> str:
    # The form's token is masked afresh each time it is written.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _same(person: Person, user: Any, *, may_invite: bool = True) -> dict[str, str]:
    written = {}
    for section, now, then in _render(person, user, may_invite=may_invite):
        assert now == then, section
        written[section] = now
    return written


def _awkward_everywhere(world: dict[str, Any]) -> Person:
    """The busy record, with awkward words wherever words are shown and the branches the busy
    record leaves out: more requests than the page lists, every way a barrier is written, a
    milestone without words, a long correction, a meeting that has gone by."""
    sam = _busy_record(world)
    sam.chosen_name = "<b>\"Sam\"</b> & 'Jo'"
    sam.pronouns = "they/<them>"
    sam.save()
    for n in range(7):
        SpendRequest.objects.create(person=sam, what_for=f"{AWKWARD} {n}", amount_pence=100 + n)
    today = timezone.localdate()
    Barrier.objects.create(
        person=sam,
        service="<Council> & co",
        what_happened="words",
        what_we_did=AWKWARD,
        outcome="a <better> way",
        share_with_convening=True,
        happened_on=today - timedelta(days=10),
    )
    Barrier.objects.create(person=sam, service="Bank", what_happened="none", response="advocacy")
    Barrier.objects.create(person=sam, service="GP", what_happened="just this")
    Milestone.objects.create(person=sam, kind="<First> & 'pay'", words="")
    CorrectionRequest.objects.create(
        person=sam,
        about_type="goal",
        about_id=1,
        field_name="words",
        as_written=f"{AWKWARD} " * 6,
    )
    # Whichever is the page's current relationship, its meeting has gone by.
    Relationship.objects.filter(person=sam).exclude(state=Relationship.State.ENDED).update(
        next_meeting_on=today - timedelta(days=2), last_contact_on=None
    )
    return sam


def test_a_busy_record_with_awkward_words_is_written_as_before(world):
    sam = _awkward_everywhere(world)
    page = _same(sam, world["coach"])["coaching/person.html"]
    # The record really has each branch in it (else the comparison proves little).
    assert "&lt;b&gt;&quot;Sam&quot;&lt;/b&gt; &amp; &#x27;Jo&#x27; asked to change" in page
    assert " …”" in page  # the correction's words cut short
    assert "(they/&lt;them&gt;)" in page
    assert "No date yet (the last one planned was " in page
    assert "See all 8 requests, with the payments" in page
    assert "What came of it: a &lt;better&gt; way" in page
    assert "What we did: Advocated together. </p>" in page
    assert "Shared, without a name, to help change things." in page
    assert "2 check-ins. The latest" in page
    assert "Give a new invite code" in page
    # The other readers: a lead the plan is not shared with, and no invite.
    lead_page = _same(sam, world["lead"], may_invite=False)["coaching/person.html"]
    assert "has chosen not to share it with you" in lead_page
    assert "inline-form" not in lead_page


def test_an_empty_record_and_its_own_reader_write_what_they_wrote_before(world):
    alex = world["alex"]
    written = _same(alex, world["coach"])
    assert "No check-ins yet." in written["coaching/person.html"]
    SafetyPlan.objects.filter(person=alex).delete()
    assert "You haven't written a safety plan" in _same(alex, alex.user)["coaching/person.html"]
    # Without a sign-in of their own, and with no relationship at all.
    alex.user = None
    alex.save()
    Relationship.objects.filter(person=alex).delete()
    page = _same(alex, world["coach"])["coaching/person.html"]
    assert "an invite code" in page
    assert "hasn&#x27;t written a safety plan" in page or "hasn't written a safety plan" in page


def test_one_check_in_an_ended_relationship_and_one_goal(world):
    alex = world["alex"]
    Relationship.objects.filter(person=alex).update(
        state=Relationship.State.ENDED, next_meeting_on=date(2030, 1, 2)
    )
    CheckIn.objects.create(
        person=alex,
        taken_on=timezone.localdate(),
        answers={"life_satisfaction": 7, "worthwhile": 8, "happiness": 6, "anxiety": 1},
    )
    from alongside.coaching.models import Goal

    Goal.objects.create(person=alex, words="one & only")
    Goal.objects.create(person=alex, words="done", status=Goal.Status.ACHIEVED)
    page = _same(alex, world["coach"])["coaching/person.html"]
    assert "1 check-in. The latest" in page
    assert "1 goal; 1 achieved" in page
    assert "Set<span" not in page.split("The whole record")[0]


def test_each_section_is_still_its_own_partial():
    # The parts name their partials (coaching.parts): each is kept, now one tag.
    assert sorted(person_partials()) == sorted(BEFORE)
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load person_page %}{% goals_section goals %}")

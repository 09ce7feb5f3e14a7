"""The coach's people page made cheaper without changing a byte (issue 11): its lists are
written in Python (coaching/templatetags/people_list.py) and its two queries are written by the
ORM once (core/written.py). The page is compared with what coaching/people.html wrote before,
kept below, on a coach of two organisations with every kind of row."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import engines, loader
from django.test import RequestFactory
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Membership, Role
from alongside.coaching.models import ErasureRequest, Goal, Relationship
from alongside.coaching.selectors import relationships
from alongside.core.written import user_rows

from .factories import organisation, person

pytestmark = pytest.mark.django_db

# coaching/people.html as it was before its lists were written in Python.
REFERENCE = """{% extends "base.html" %}
{% block title %}People I work alongside{% endblock %}
{% block content %}
<h1>People I work alongside</h1>
<p><a class="button" href="{% url 'coaching:person_start' %}">Start working with someone</a></p>
{% if keep_in_touch or paused %}
<section aria-labelledby="keep-in-touch-title">
  <h2 id="keep-in-touch-title">Keep in touch</h2>
  <ul>
    {% for rel in keep_in_touch %}
    <li><a href="{{ rel.url }}">Keep in touch with {{ rel.name }}?</a> {{ rel.in_touch }}</li>
    {% endfor %}
    {% for rel in paused %}
    <li><a href="{{ rel.url }}">{{ rel.name }} has paused for now</a>{% if rel.keep_in_touch %}, and would like to keep in touch like this: “{{ rel.keep_in_touch }}”{% endif %}.</li>
    {% endfor %}
  </ul>
</section>
{% endif %}
<form method="get" class="search" role="search">
  <label for="q">Find someone by name</label>
  <div class="inline-field">
    <input type="search" id="q" name="q" value="{{ search }}" autocomplete="off">
    <button type="submit" class="button">Find</button>
  </div>
</form>
{% if relationships %}
<h2>{% if search %}Found{% else %}Everyone I'm seeing{% endif %}</h2>
<ul class="cards">
  {% for rel in relationships %}
  <li class="card">
    <h3 class="card-title"><a href="{{ rel.url }}">{{ rel.name }}</a></h3>
    <p class="status">{{ rel.status }}</p>
    {% if rel.open_goals %}
    <p class="visually-hidden">Working on, in {{ rel.name }}'s words:</p>
    <ul class="goals">{% for words in rel.open_goals %}<li>“{{ words }}”</li>{% endfor %}</ul>
    {% endif %}
  </li>
  {% endfor %}
</ul>
{% elif search %}
<p>Nobody called “{{ search }}”. Try part of the name.</p>
{% else %}
<p>You're not working alongside anyone yet.</p>
{% endif %}
{% if ended %}
<section aria-labelledby="ended-title">
  <h2 id="ended-title">Ended by their choice: the door stays open</h2>
  <ul>{% for rel in ended %}<li><a href="{{ rel.url }}">{{ rel.name }}</a></li>{% endfor %}</ul>
</section>
{% endif %}
{% endblock %}
"""  # noqa: E501

TRICKY = 'Tom & Jerry\'s <b>"big"</b>'


@pytest.fixture
def coach(world):
    """A coach of two organisations: people in every state, with words to escape."""
    home, second = world["home"], organisation(area_obj=world["area"])
    coach = world["coach"]
    Membership.objects.create(user=coach, organisation=second, role=Role.COACH)
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(weeks=20)
    rows = [
        (home, TRICKY, Relationship.State.WORKING_TOGETHER, "", long_ago, today),
        (home, "Bea <i>", Relationship.State.PAUSED, "a text <now> & then", None, None),
        (home, "Cal", Relationship.State.PAUSED, "", today, None),
        (second, "Dot", Relationship.State.ENDED, "", None, None),
        (second, "Eve & co", Relationship.State.ENDED, "", long_ago, None),
        (second, "Fay", Relationship.State.GETTING_TO_KNOW, "", None, today),
        (second, "Gone", Relationship.State.WORKING_TOGETHER, "", None, None),
    ]
    for org, name, state, keep, last, next_on in rows:
        someone = person(org, coach, name)
        Relationship.objects.filter(person=someone).update(
            state=state,
            keep_in_touch=keep,
            last_contact_on=last,
            next_meeting_on=next_on,
            started_on=long_ago,
        )
        if name == "Gone":
            ErasureRequest.objects.create(
                person=someone, organisation=org, status=ErasureRequest.Status.DONE
            )
        if name == TRICKY:
            for words in ["a <flat>", "work & pay", "swim", "a fourth"]:
                Goal.objects.create(person=someone, words=words)
        if name == "Dot":
            Goal.objects.create(person=someone, words="drive")
    person(home, world["second_coach"], "Not mine")
    coach.__dict__.pop("_alongside_held", None)
    return coach


def _page_both_ways(user, search: str = "") -> tuple[str, str]:
    request = RequestFactory().get("/people/")
    request.user = user
    context = relationships.people_for_coach(user, search)
    now = loader.get_template("coaching/people.html").render(context, request)
    then = engines["django"].from_string(REFERENCE).render(context, request)
    return _unmasked(now), _unmasked(then)


def _unmasked(html: str) -> str:
    """The sign-out form's CSRF token is masked afresh on each render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("search", ["", "e", "tom & j", "nobody <here>"])
def test_the_people_page_writes_what_it_wrote_before(coach, search):
    now, then = _page_both_ways(coach, search)
    assert now == then
    if not search:
        assert "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;big&quot;&lt;/b&gt;" in now
        assert "like this: “a text &lt;now&gt; &amp; then”" in now
        assert "<li>“work &amp; pay”</li>" in now and "a &lt;flat&gt;" not in now
        assert "Keep in touch with Tom" in now and "Eve &amp; co" in now
        assert "Gone" not in now and "Not mine" not in now


def test_no_one_yet_is_written_as_before(world):
    now, then = _page_both_ways(world["second_coach"])
    assert now == then
    assert "not working alongside anyone yet" in now


def test_someone_not_coaching_asks_no_query(world, django_assert_num_queries):
    policy.organisations_where(world["lead"], Role.COACH)  # their roles, asked once a request
    with django_assert_num_queries(0):
        found = relationships.people_for_coach(world["lead"])
    assert found["relationships"] == [] and found["ended"] == []


def test_the_queries_written_once_are_the_orms(coach, world):
    orgs = sorted(
        Membership.objects.filter(user=coach, role=Role.COACH).values_list(
            "organisation_id", flat=True
        )
    )
    for build in (relationships._people_query, relationships._open_goals_query):
        for ids in (orgs, orgs[:1]):
            assert user_rows(build, coach.pk, ids) == [tuple(row) for row in build(coach.pk, ids)]
    # Another coach's rows are theirs, not the first coach's.
    other = world["second_coach"]
    home = [world["home"].pk]
    assert [r[2] for r in user_rows(relationships._people_query, other.pk, home)] == ["Not mine"]


def test_the_page_served_is_the_page_compared(coach, login):
    page = login(coach).get("/people/")
    assert page.status_code == 200
    now, _ = _page_both_ways(coach)
    start = now.index("<h1>People I work alongside</h1>")
    assert now[start : now.index("</main>")] in _unmasked(page.content.decode())

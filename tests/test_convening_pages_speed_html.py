"""The convening home (/convening/) and a system theme's page made cheaper without changing a
byte (issue 11): the home's lists (overdue answers, where the learning lands, the short lists
of themes, groups and experiments) are written in Python (convening/templatetags/
convening_pages.py), and a theme's rows are summed without a call a row for its day, month and
service, and its head and months are written in Python too. The home is compared here with its
old template, kept below, on words that need escaping; the theme with its old template (kept in
tests/test_convening_theme_page_html.py) and its sums with the old helpers."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

import pytest
from django.template import engines
from django.utils import timezone

from alongside.coaching.models import Barrier
from alongside.convening.models import (
    Answer,
    BarrierPlacement,
    ConveningGroup,
    Experiment,
    Recommendation,
    SystemTheme,
)
from alongside.convening.selectors import home, themes
from alongside.convening.selectors.themes import _service_key, barrier_day, month_of
from alongside.core.words import day_words

from .factories import person
from .test_convening_recommendations import recommendation, shared_barrier, theme_with
from .test_convening_theme_page_html import page_and_reference

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)
AWKWARD = "<b>&amp; \"quoted\" 'it's'</b>"

# convening/home.html as it was before its lists were written in Python.
REFERENCE_HOME = """{% extends "base.html" %}
{% block title %}Convening{% endblock %}
{% block content %}
<h1>Convening</h1>
<p class="lead">From what got in people's way to changes in the system: the themes people shared, the groups working on them, what we are trying, and what we asked of the people with power.</p>
<div class="button-row">
  <a class="button" href="{% url 'convening:recommendation_new' %}">Write a recommendation</a>
  <a href="{% url 'convening:recommendations' %}">Every recommendation ({{ page.recommendations_total }})</a>
</div>

<section aria-labelledby="overdue-title">
  <h2 id="overdue-title">Answers overdue</h2>
  {% if page.overdue %}
  <p>These were sent and the answer, or the follow-up, is late. It may be worth a word.</p>
  <ul class="cards">
    {% for r in page.overdue %}
    <li class="card">
      <h3 class="card-title"><a href="{% url 'convening:recommendation' r.pk %}">{{ r.title }}</a></h3>
      <p><span class="tag {{ r.standing.tag }}">{{ r.standing.label }}</span> {{ r.standing.overdue }}</p>
      <p class="small">{{ r.to }}.</p>
    </li>
    {% endfor %}
  </ul>
  {% else %}
  <p>No answer is overdue.</p>
  {% endif %}
</section>

<section aria-labelledby="lands-title">
  <h2 id="lands-title">Where the learning lands</h2>
  <ul class="cards lands-in">
    {% for column in page.columns %}
    <li class="card">
      <h3 class="card-title" id="lands-{{ column.key }}">{{ column.label }}</h3>
      <p class="small muted">{{ column.about }}</p>
      {% if column.rows %}
      <ul class="link-list">
        {% for r in column.rows %}
        <li>
          <a href="{% url 'convening:recommendation' r.pk %}">{{ r.title }}</a><br>
          <span class="tag {{ r.standing.tag }}">{{ r.standing.label }}</span> {{ r.standing.words|truncatewords:40 }}
          {% if r.standing.moved %}<br>{{ r.standing.moved|truncatewords:40 }}{% endif %}
        </li>
        {% endfor %}
      </ul>
      {% else %}
      <p>Nothing has landed here yet.</p>
      {% endif %}
    </li>
    {% endfor %}
  </ul>
</section>

<section aria-labelledby="themes-title">
  <h2 id="themes-title">System themes</h2>
  {% url 'convening:themes' as themes_url %}
  {% if page.themes %}
  <ul class="link-list">
    {% for t in page.themes %}{% url 'convening:theme' t.pk as theme_url %}
    <li>{% if theme_url %}<a href="{{ theme_url }}">{{ t.title }}</a>{% else %}{{ t.title }}{% endif %}: {{ t.count }}.</li>
    {% endfor %}
  </ul>
  {% else %}
  <p>No system themes yet.</p>
  {% endif %}
  {% if themes_url %}<p><a href="{{ themes_url }}">{% if page.themes_total > page.themes|length %}All {{ page.themes_total }} system themes{% else %}System themes, and shared barriers not yet in one{% endif %}</a></p>{% endif %}
</section>

<section aria-labelledby="groups-title">
  <h2 id="groups-title">Convening groups</h2>
  {% url 'convening:groups' as groups_url %}
  {% if page.groups %}
  <ul class="link-list">
    {% for g in page.groups %}{% url 'convening:group' g.pk as group_url %}
    <li>{% if group_url %}<a href="{{ group_url }}">{{ g.name }}</a>{% else %}{{ g.name }}{% endif %}{% if g.purpose %}: {{ g.purpose|truncatewords:20 }}{% endif %}</li>
    {% endfor %}
  </ul>
  {% else %}
  <p>No groups yet.</p>
  {% endif %}
  {% if groups_url %}<p><a href="{{ groups_url }}">{% if page.groups_total > page.groups|length %}All {{ page.groups_total }} groups{% else %}Convening groups{% endif %}</a></p>{% endif %}
</section>

<section aria-labelledby="experiments-title">
  <h2 id="experiments-title">Experiments</h2>
  {% url 'convening:experiments' as experiments_url %}
  {% if page.experiments %}
  <ul class="link-list">
    {% for e in page.experiments %}{% url 'convening:experiment' e.pk as experiment_url %}
    <li>{% if experiment_url %}<a href="{{ experiment_url }}">{{ e.title }}</a>{% else %}{{ e.title }}{% endif %}: {{ e.dates }}.</li>
    {% endfor %}
  </ul>
  {% else %}
  <p>No experiments yet.</p>
  {% endif %}
  {% if experiments_url %}<p><a href="{{ experiments_url }}">{% if page.experiments_total > page.experiments|length %}All {{ page.experiments_total }} experiments{% else %}Experiments{% endif %}</a></p>{% endif %}
</section>
{% endblock %}
"""  # noqa: E501


def _masked(html: str) -> str:
    # Every render masks the CSRF secret afresh and draws a new nonce: the only differences.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def page_and_old(client: Any, world: dict[str, Any]) -> tuple[str, str]:
    """The home as served now, and what the old template writes for the same request."""
    response = client.get("/convening/")
    assert response.status_code == 200
    organisations = [world["home"]]
    context = {"organisations": organisations, "page": home.convening_home(organisations)}
    old = engines["django"].from_string(REFERENCE_HOME).render(context, response.wsgi_request)
    return _masked(response.content.decode()), _masked(old)


def awkward_world(world: dict[str, Any]) -> None:
    """Recommendations overdue, answered with long words of what changed, in every place the
    learning lands; more themes, groups and experiments than the short lists hold; and words
    that need escaping everywhere."""
    for n, lands_in in enumerate(Recommendation.LandsIn.values):
        late = recommendation(
            world, title=f"Late {n} {AWKWARD}", answer_by=LAST_WEEK, lands_in=lands_in
        )
        answered = recommendation(world, title=f"Answered {n} {AWKWARD}", lands_in=lands_in)
        Answer.objects.create(
            recommendation=answered,
            status="in_progress",
            words=f"We will look {AWKWARD}. " * (n * 9),
            follow_up_on=LAST_WEEK if n % 2 else NEXT_MONTH,
            what_changed=(f"Training {AWKWARD} booked. " * (n * 8)) if n else "",
            by=world["lead"],
        )
        if n == 3:
            Answer.objects.create(
                recommendation=late, status="declined", words=AWKWARD, by=world["lead"]
            )
    recommendation(
        world,
        title=f"To the council {AWKWARD}",
        to=Recommendation.To.COMMISSIONER,
        answer_by=LAST_WEEK,
    )
    recommendation(world, title="A draft", sent=False, answer_by=LAST_WEEK)
    home_org = world["home"]
    for i in range(10):
        someone = person(home_org, world["coach"], f"P{i}")
        barriers = [shared_barrier(someone, "Benefits", f"Story {i}.") for _ in range(i % 3)]
        theme_with(home_org, barriers, f"Theme {i} {AWKWARD}")
        ConveningGroup.objects.create(
            organisation=home_org,
            name=f"Group {i} {AWKWARD}",
            purpose=f"Meet {AWKWARD}. " * (i * 3) if i % 4 else "",
        )
        Experiment.objects.create(
            organisation=home_org,
            title=f"Try {i} {AWKWARD}",
            if_we="a",
            then="b",
            starts_on=TODAY - datetime.timedelta(days=i),
            ends_on=NEXT_MONTH if i % 2 else None,
        )


def test_a_busy_home_is_drawn_as_the_old_template_drew_it(world, login):
    awkward_world(world)
    page, old = page_and_old(login(world["convener"]), world)
    assert page == old
    # The parts the comparison rests on are all there.
    for part in (
        "Late 0 &lt;b&gt;&amp;amp; &quot;quoted&quot; &#x27;it&#x27;s&#x27;&lt;/b&gt;",
        "lands-system",
        " …",
        "Training",
        "All 10 system themes",
        "All 10 groups",
        "All 10 experiments",
        "Group 1 &lt;b&gt;",
        "The commissioners at",
    ):
        assert part in page, part


def test_a_home_with_something_in_only_some_places_is_drawn_as_before(world, login):
    recommendation(world, title=AWKWARD, lands_in=Recommendation.LandsIn.WORKFORCE)
    ConveningGroup.objects.create(organisation=world["home"], name=AWKWARD, purpose="")
    page, old = page_and_old(login(world["convener"]), world)
    assert page == old
    assert "Nothing has landed here yet." in page and "No answer is overdue." in page
    assert "No system themes yet." in page and "No experiments yet." in page


def test_an_empty_home_is_drawn_as_before(world, login):
    page, old = page_and_old(login(world["convener"]), world)
    assert page == old
    assert "No groups yet." in page


def _theme_with_awkward_days(world: dict[str, Any]) -> SystemTheme:
    """Barriers with and without a recorded day (the day written down stands in), services
    that differ only in case and spacing, from both organisations of the area."""
    world["other"].shares_barriers_in_area = True
    world["other"].save()
    theme = SystemTheme.objects.create(
        organisation=world["home"],
        title=f"Days {AWKWARD}",
        area=world["area"],
        summary=f"Line one {AWKWARD}\r\nline two\rand three\n",
        owned_by_convener=False,
    )
    SystemTheme.objects.create(organisation=world["home"], title="Somewhere else")
    services = ["Council  Tax", "council tax", " COUNCIL tax ", "", f"Rent {AWKWARD}"]
    for i in range(14):
        who = world["jo"] if i % 3 == 0 else person(world["home"], world["coach"], f"Ffion{i}")
        barrier = shared_barrier(
            who,
            services[i % len(services)],
            f"Ffion{i} waited {AWKWARD}.",
            happened_on=None if i % 2 else TODAY - datetime.timedelta(days=29 * i),
            outcome=f"Paid back {AWKWARD}" if i % 3 == 0 else "",
        )
        if i % 4 == 1:
            Barrier.objects.filter(pk=barrier.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=40 * i)
            )
        BarrierPlacement.objects.create(
            theme=theme, barrier=barrier, organisation=world["home"], by_convener=i % 2 == 0
        )
    return theme


def test_a_themes_sums_are_what_the_old_helpers_make_them(world):
    theme = _theme_with_awkward_days(world)
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    detail = themes.theme_detail(theme, today=TODAY)
    barriers = list(
        Barrier.objects.filter(convening_placements__theme=theme).select_related("person")
    )
    ours = [b for b in barriers if b.person.organisation_id == world["home"].pk]
    by_month = Counter(month_of(barrier_day(b.happened_on, b.created_at)) for b in ours)
    shown = {row.label: row.ours for row in detail.months}
    for month, n in by_month.items():
        label = f"{month:%B %Y}"
        if label in shown:
            assert shown[label] == n, label
    assert sum(shown.values()) == sum(
        n for month, n in by_month.items() if f"{month:%B %Y}" in shown
    )
    keys = Counter(_service_key(b.service) for b in ours if _service_key(b.service))
    assert sorted(row.ours for row in detail.services if row.ours) == sorted(keys.values())
    assert len(detail.services) == len({_service_key(b.service) for b in barriers} - {""})
    assert detail.count.ours == len(ours) and detail.count.others == len(barriers) - len(ours)
    days = {b.pk: barrier_day(b.happened_on, b.created_at) for b in barriers}
    assert {one.barrier_id for one in detail.barriers} == set(days)
    assert all(one.when == day_words(days[one.barrier_id]) for one in detail.barriers)


def test_a_theme_with_unrecorded_days_is_drawn_as_the_old_template_drew_it(world, login):
    theme = _theme_with_awkward_days(world)
    page, old = page_and_reference(login(world["convener"]), theme)
    assert page == old
    assert "Ffion2" not in page and "&lt;b&gt;&amp;amp;" in page
    assert "Named by the suggestion" in page and "line two<br>and three<br>" in page
    assert "<li>Paid back &lt;b&gt;" in page


def test_a_theme_of_our_own_named_by_us_is_drawn_as_before(world, login):
    theme = theme_with(world["home"], [shared_barrier(world["sam"], "", AWKWARD)], AWKWARD)
    SystemTheme.objects.filter(pk=theme.pk).update(summary="", owned_by_convener=True)
    page, old = page_and_reference(login(world["convener"]), theme)
    assert page == old
    assert "Our organisation" in page and "Named by the suggestion" not in page
    assert "What it is about" not in page and "From other organisations" not in page

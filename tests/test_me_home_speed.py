"""The person's home (/me/, and "/" for a person) made cheaper without changing a byte (issue
11): its goal cards with their steps and forms, the goals a coach suggested and the latest
check-in's answers beside the averages are written in Python (coaching/templatetags/me_pages.py)
rather than by template loops with an include and a `{% csrf_token %}` for each form. The home
is compared, byte for byte, with me/_home_body.html as it was, kept below."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.template import engines, loader
from django.test import RequestFactory
from django.utils import timezone

from alongside.coaching.models import CheckIn, GoalStep, Person
from alongside.coaching.selectors import me
from alongside.coaching.selectors.checkins import charts_for_person
from alongside.core import charts
from alongside.core.charts import Chart, _e, _n
from alongside.core.words import day_short_month_year

from .test_me_pages_html import AWKWARD, _fill, _passphrase_set_twice

pytestmark = pytest.mark.django_db

# me/_home_body.html before its repeated parts were written in Python (me/_steps.html, which
# it includes, is as it was: a goal's own page still uses it).
REFERENCE_HOME_BODY = """<h1>Hello, {{ person.chosen_name }}</h1>
<p class="lead">This is your space. Everything written about you is here for you to see.</p>
{% for note in passphrase_notes|slice:":1" %}
<p class="card">{% if note.first_time %}You set up your sign-in on {{ note.at|date:"l j F" }} using a code from {{ note.by_name }}.{% else %}Your passphrase was changed on {{ note.at|date:"l j F" }} using a code from {{ note.by_name }}. Your old passphrase does not work any more.{% endif %} If this was not you, tell your coach.</p>
{% endfor %}

{% if relationships %}
<section aria-labelledby="next-meeting-heading" class="card">
  <h2 id="next-meeting-heading">Your next meeting</h2>
  {% if next_meeting %}
  <p><strong>{{ next_meeting.words }}</strong>, with {{ next_meeting.with_name }}{% if relationships|length > 1 %} at {{ next_meeting.organisation }}{% endif %}.</p>
  {% else %}
  <p>No meeting is planned yet. You can ask {{ coach_name }} for one whenever you'd like.</p>
  {% endif %}
</section>
{% endif %}

{% if suggested %}
<section aria-labelledby="suggested-heading">
  <h2 id="suggested-heading">Goals your coach has suggested</h2>
  <p>These are only ideas. They become yours if you say yes.</p>
  <ul class="cards">
  {% for goal in suggested %}<li class="card"><p class="goal-words">{{ goal.words }}</p>
    {% if goal.why_it_matters %}<p class="muted">{{ goal.why_it_matters }}</p>{% endif %}
    <form method="post" action="{{ goal.accept_path }}" class="inline-form">{% csrf_token %}<button type="submit" class="button"><span>Yes, make it mine<span class="visually-hidden">: {{ goal.words }}</span></span></button></form>
    <form method="post" action="{{ goal.decline_path }}" class="inline-form">{% csrf_token %}<button type="submit" class="button button--secondary"><span>No, thank you<span class="visually-hidden">: {{ goal.words }}</span></span></button></form>
  </li>{% endfor %}
  </ul>
</section>
{% endif %}

{% if open_corrections %}
<section aria-labelledby="changes-heading">
  <h2 id="changes-heading">Changes you asked for</h2>
  <ul>{% for as_written in open_corrections %}<li>You asked to change “{{ as_written|truncatewords:12 }}”. Your coach has not answered yet.</li>{% endfor %}</ul>
</section>
{% endif %}

<section aria-labelledby="goals-heading">
  <h2 id="goals-heading">Your goals</h2>
  {% if my_goals.active %}
  <ul class="cards">
    {% for goal in my_goals.active %}
    <li class="card" id="goal-{{ goal.pk }}">
      <h3 class="goal-words"><a href="{{ goal.path }}">{{ goal.words }}</a></h3>
      <p><span class="tag">{{ goal.status_label }}</span></p>
      {% include "me/_steps.html" with back="home" steps=goal.steps %}
      <form method="post" action="{{ goal.achieved_path }}" class="inline-form">
        {% csrf_token %}
        <input type="hidden" name="seen" value="{{ goal.status }}">
        <input type="hidden" name="back" value="home">
        <button type="submit" class="button button--secondary"><span>I've achieved this<span class="visually-hidden">: {{ goal.words }}</span></span></button>
      </form>
    </li>
    {% endfor %}
  </ul>
  {% elif not my_goals.achieved %}
  <p>No goals yet. That's fine: they come when you're ready.</p>
  {% endif %}
  <p><a class="button" href="{% url 'me:goal_add' %}">Add a goal</a></p>
  {% if my_goals.achieved %}
  <h3>Goals you have achieved</h3>
  <ul class="cards">
    {% for goal in my_goals.achieved %}
    <li class="card" id="goal-{{ goal.pk }}"><p class="goal-words"><a href="{{ goal.path }}">{{ goal.words }}</a></p>
      <p><span class="tag tag--green">Achieved</span>{% if goal.achieved_words %} on {{ goal.achieved_words }}{% endif %}</p></li>
    {% endfor %}
  </ul>
  {% endif %}
  {% if my_goals.changed_mind %}
  <details class="folded">
    <summary>Goals you changed your mind about ({{ my_goals.changed_mind|length }})</summary>
    <ul>{% for goal in my_goals.changed_mind %}<li><a href="{{ goal.path }}">{{ goal.words }}</a></li>{% endfor %}</ul>
    <p class="muted">Changing your mind is fine. You can pick any of these up again from its page.</p>
  </details>
  {% endif %}
</section>

<section aria-labelledby="checkin-heading">
  <h2 id="checkin-heading">Your latest check-in</h2>
  {% with latest=latest_check_in %}
  {% if latest %}
  <p>{{ latest.day_words }}. Each of your answers is next to the {{ latest.average_name }}.</p>
  <ul class="compare-list">
    {% for row in latest.rows %}
    <li>
      <p><strong>{{ row.label }}</strong>: {% if row.answer is None %}{{ row.answer_text }}.{% else %}you said <strong>{{ row.answer_text }}</strong>.{% endif %}
        {% if row.average_text %}The {{ latest.average_name }} is {{ row.average_text }}.{% endif %}
        {{ row.words }}
        {% if row.lower_is_better %}For this one, a lower number is better.{% endif %}</p>
      {% if row.answer is not None %}
      <svg class="chart-svg compare-svg" viewBox="0 0 400 56" aria-hidden="true" focusable="false">
        <line x1="12" x2="388" y1="18" y2="18" stroke="#8a8a8a" stroke-width="6" stroke-linecap="round"></line>
        <circle cx="{{ row.answer_x }}" cy="18" r="10" fill="#0b5c4b" stroke="#ffffff" stroke-width="2"></circle>
        {% if row.average_x %}<line x1="{{ row.average_x }}" x2="{{ row.average_x }}" y1="2" y2="34" stroke="#1b1b1b" stroke-width="3" stroke-dasharray="5 3"></line>{% endif %}
        <text x="12" y="52" font-size="20" fill="#4a4a4a">{{ row.low }}</text>
        <text x="388" y="52" font-size="20" fill="#4a4a4a" text-anchor="end">{{ row.high }}</text>
      </svg>
      {% endif %}
    </li>
    {% endfor %}
  </ul>
  <p class="muted">In each line, the dot is your answer and the dashed line is the {{ latest.average_name }}.</p>
  <p><a href="{% url 'me:record' %}#check-ins">See how your check-ins have changed over time</a></p>
  {% else %}
  <p>You have not done a check-in yet. It is a few short questions about how things are, and you can skip any of them.</p>
  {% endif %}
  {% endwith %}
  <p><a class="button button--secondary" href="{% url 'me:checkin_add' %}">Do a check-in</a></p>
</section>

<section aria-labelledby="do-heading">
  <h2 id="do-heading">Things you can do</h2>
  <ul>
    <li><a href="{% url 'me:record' %}">See everything written about you</a></li>
    <li><a href="{% url 'me:strength_add' %}">Add a strength</a></li>
    <li><a href="{% url 'coaching:safety_plan' person.pk %}">Your safety plan</a></li>
    <li><a href="{% url 'coaching:export_json' person.pk %}" download>Download all your data</a></li>
  </ul>
</section>
<section aria-labelledby="rights-heading">
  <h2 id="rights-heading">Your rights</h2>
  {% include "me/rights/_nav.html" %}
</section>
<section aria-labelledby="who-heading">
  <h2 id="who-heading">Who you work with</h2>
  <ul>
  {% for rel in relationships %}<li>{{ rel.coach }} at {{ rel.organisation }}: {{ rel.state_words }}</li>{% empty %}<li>Nobody yet.</li>{% endfor %}
  </ul>
</section>
"""  # noqa: E501

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _both_ways(context: dict[str, Any], person: Person | None) -> tuple[str, str]:
    """The home written now and as it was, with the same context (and a request with a CSRF
    token when there is a person)."""
    request = None
    if person is not None:
        request = RequestFactory().get("/me/")
        request.user = person.user
    now = loader.get_template("me/_home_body.html").render(context, request)
    then = engines["django"].from_string(REFERENCE_HOME_BODY).render(context, request)
    # Each render masks the token afresh, but within one page every form carries the same one.
    for page in (now, then):
        assert len(set(_TOKEN.findall(page))) <= 1
    masked = 'name="csrfmiddlewaretoken" value="-"'
    return _TOKEN.sub(masked, now), _TOKEN.sub(masked, then)


def _comparison(**changed: Any) -> me.Comparison:
    row = {
        "label": "How satisfied are you with your life nowadays?",
        "answer": 7,
        "answer_text": "7",
        "average_text": "7.45",
        "words": "That is about the same.",
        "lower_is_better": False,
        "answer_x": "275.2",
        "average_x": "292.1",
        "low": 0,
        "high": 10,
    }
    return me.Comparison(**(row | changed))


def test_the_home_writes_what_it_wrote_before(world):
    sam = _fill(world)
    _passphrase_set_twice(world)
    context = me.home(sam)
    now, then = _both_ways(context, sam)
    assert now == then
    for said in (
        "Goals your coach has suggested",
        "Yes, make it mine",
        "I've done this",
        "I've achieved this",
        "No small steps yet.",
        'class="my-step my-step--done"',
        "you said <strong>3</strong>.",
        "You skipped this one.",
        "For this one, a lower number is better.",
        'name="csrfmiddlewaretoken"',
    ):
        assert said in now, said


def test_every_branch_writes_what_it_wrote_before(world):
    sam = _fill(world)
    today = timezone.localdate()
    goal = sam.goals.get(words=AWKWARD)
    # A step done last year (its year is written) and one with awkward words still to do.
    GoalStep.objects.create(goal=goal, words="last year", done_on=date(today.year - 1, 12, 31))
    GoalStep.objects.create(goal=goal, words=f"{AWKWARD} step")
    sam.goals.filter(words=f"{AWKWARD} idea").update(why_it_matters=AWKWARD)
    context = me.home(sam)
    latest = context["latest_check_in"]
    rows = [
        _comparison(),
        _comparison(label=AWKWARD, words=AWKWARD, lower_is_better=True),
        _comparison(answer=None, answer_text="You skipped this one", answer_x="", words=""),
        _comparison(average_text="", average_x="", words=""),
        _comparison(answer=0, answer_text="0", answer_x="12.0", low=0, high=4),
    ]
    for changed in (
        {},
        {"latest_check_in": me.LatestCheckIn(latest.check_in, "Today", "x", AWKWARD, rows)},
        {"suggested": [], "today": today + timedelta(days=400)},
    ):
        now, then = _both_ways(context | changed, sam)
        assert now == then
    # Without a request there is no token, and each form goes without it, as before.
    now, then = _both_ways(context, None)
    assert now == then and "csrfmiddlewaretoken" not in now


def test_an_empty_home_writes_what_it_wrote_before(world):
    alex = world["alex"]
    now, then = _both_ways(me.home(alex), alex)
    assert now == then
    assert "You have not done a check-in yet." in now


# --- the check-in charts ------------------------------------------------------------------
# Chart.svg and Chart.table_rows as they were before the per-point work was cut (each number
# and tick escaped, each day written, a generator a dot), kept to compare byte for byte.


def _old_svg(self: Chart) -> str:
    if self.empty:
        return ""
    chart_id = _e(self.chart_id)
    left, right, top, bottom = self.left, self.right, self.top, self.bottom
    parts = [
        f'<svg class="chart-svg" viewBox="{self.view_box}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{_e(self.title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(self.description)}</desc>'
        '<g font-size="14" fill="#4a4a4a">'
    ]
    for tick in self.y_ticks:
        at = _n(tick.at)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{at}" y2="{at}" stroke="#d9d9d9" '
            f'stroke-width="1"/><text x="{left - 8}" y="{at}" dy="5" text-anchor="end">'
            f"{_e(tick.label)}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#1b1b1b" '
        f'stroke-width="1.5"/><line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" '
        'stroke="#1b1b1b" stroke-width="1.5"/>'
    )
    for tick in self.x_ticks:
        at = _n(tick.at)
        parts.append(
            f'<line x1="{at}" x2="{at}" y1="{bottom}" y2="{bottom + 6}" stroke="#1b1b1b" '
            f'stroke-width="1.5"/><text x="{at}" y="{self.x_label_y}" '
            f'text-anchor="{_e(tick.anchor)}">{_e(tick.label)}</text>'
        )
    x, y = self.y_label_x, _n(self.y_label_y)
    parts.append(
        f'<text x="{x}" y="{y}" text-anchor="middle" transform="rotate(-90 {x} {y})">'
        f"{_e(self.y_label)}</text></g>"
    )
    if self.reference_y is not None:
        y = _n(self.reference_y)
        parts.append(
            f'<line class="chart-reference" x1="{left}" x2="{right}" y1="{y}" y2="{y}" '
            'stroke="#4a4a4a" stroke-width="2" stroke-dasharray="8 6"/>'
            f'<text x="{right}" y="{y}" dy="-8" text-anchor="end" font-size="14" '
            f'fill="#1b1b1b">{_e(self.reference_text)}</text>'
        )
    parts.append(
        f'<polyline class="chart-line" points="{_e(self.polyline)}" fill="none" '
        'stroke="#0b5c4b" stroke-width="3" stroke-linejoin="round"/>'
    )
    parts.extend(
        f'<circle class="chart-dot" cx="{point.x}" cy="{point.y}" r="6" fill="#0b5c4b" '
        'stroke="#ffffff" stroke-width="2"/>'
        for point in self.points
    )
    parts.append("</svg>")
    return str("".join(parts))


def _old_table_rows(self: Chart) -> str:
    with_reference = bool(self.reference_text)
    rows = []
    for row in self.rows:
        reference = f'<td class="num">{_e(row.reference)}</td>' if with_reference else ""
        day = day_short_month_year(row.when)
        rows.append(
            f'\n        <tr><td>{day}</td><td class="num">{_e(row.text)}</td>'
            f"<td>{_e(row.band or '—')}</td>{reference}</tr>\n        "
        )
    return str("".join(rows))


def _band(value: Any) -> str:
    return ["", "Low", AWKWARD, "High & higher"][int(value) % 4]


def _random_chart(rng: random.Random) -> tuple[Chart, Any]:
    start = date(2024, 1, 1)
    series: list[tuple[date, float | None]] = []
    for _ in range(rng.randrange(0, 16)):
        day = start + timedelta(days=rng.randrange(0, 1100))
        value = rng.choice(
            [None, rng.randrange(0, 11), rng.randrange(0, 11) * 1.0, rng.random() * 10]
        )
        series.append((day, value))
    band = rng.choice([None, _band])
    chart = charts.line_chart(
        chart_id=rng.choice(["chart-ons4-happiness", AWKWARD]),
        title=rng.choice(["How happy did you feel yesterday?", AWKWARD]),
        series=series,
        y_min=0,
        y_max=10,
        reference=rng.choice([None, 7.45, 3, 12.5]),
        reference_label=rng.choice(["UK average", AWKWARD]),
        band=band,
        y_label=rng.choice(["Score (0 to 10)", AWKWARD]),
    )
    return chart, band


def test_the_charts_write_what_they_wrote_before():
    rng = random.Random(11)
    for _ in range(300):
        chart, band = _random_chart(rng)
        assert chart.svg == _old_svg(chart)
        assert chart.table_rows == _old_table_rows(chart)
        # Each value's words, height and band, worked out once, are what each point's were.
        height = chart.bottom - chart.top
        for point in chart.points:
            assert point.text == charts.number(point.value)
            assert point.y == round(chart.top + (10 - point.value) / 10 * height, 2)
        for row in chart.rows:
            if row.value is None:
                assert (row.text, row.band) == ("Skipped", "")
            else:
                assert row.text == charts.number(row.value)
                assert row.band == (_band(row.value) if band else "")


def test_the_check_ins_page_charts_what_it_read_before(world):
    sam = _fill(world)
    check_ins = list(CheckIn.objects.filter(person=sam).order_by("taken_on", "id"))
    assert len(check_ins) == 2
    for read_here, given in zip(
        charts_for_person(sam), charts_for_person(sam, check_ins), strict=True
    ):
        assert read_here.count == given.count == 2
        assert [c.figure for c in read_here.charts] == [c.figure for c in given.charts]

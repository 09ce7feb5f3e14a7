"""The whole record page (/people/<id>/record/) writes its cards and its tables' rows in
Python (coaching/templatetags/whole_record.py: `entry_cards`, `table_body`), byte for byte what
its template's loops wrote before (issue 11). The template as it was is kept below and both are
drawn from the same record, with every kind of part in it."""

from __future__ import annotations

import re

import pytest
from django.template import engines, loader
from django.test import RequestFactory

from alongside.coaching.models import Person
from alongside.coaching.selectors.export import person_record

from .test_coaching_export import a_record_with_history
from .test_record_written import _more

pytestmark = pytest.mark.django_db

BEFORE = """{% extends "base.html" %}
{% load whole_record %}
{% block title %}{{ record.name }}'s record{% endblock %}
{% block content %}
{% if is_self %}<p><a href="{% url 'me:record' %}">Back to everything about you</a></p>{% else %}<p><a href="{% url 'coaching:person' person.pk %}">Back to {{ record.name }}'s page</a></p>{% endif %}
<h1>{{ record.name }}'s record</h1>
<p class="lead">Everything written about {% if is_self %}you{% else %}{{ record.name }}{% endif %} at {{ record.organisation }}, as it was on {{ as_of }}. Use your browser's print button to print it.</p>
<ul class="record-downloads">
  {% if pdf_available %}<li><a href="{% url 'coaching:export_pdf' person.pk %}" download>Download it as a document (PDF)</a></li>{% endif %}
  <li><a href="{% url 'coaching:export_json' person.pk %}" download>Download it as a data file for another system (JSON)</a></li>
</ul>

<div class="with-aside record-layout">
<aside class="record-contents">
  <nav aria-labelledby="contents-title">
    <h2 id="contents-title">Contents</h2>
    <ol>{% for section in record.sections %}<li><a href="#{{ section.key }}">{{ section.title }}</a></li>{% endfor %}</ol>
  </nav>
</aside>
<div class="record-parts">
{% for section in record.sections %}
<section class="record-part" id="{{ section.key }}" aria-labelledby="{{ section.key }}-title">
  <h2 id="{{ section.key }}-title">{{ section.title }}</h2>
  {% if section.is_empty %}<p>{{ section.empty }}</p>{% endif %}
  {{ section.facts|summary_list }}
  {{ section.items|bullets }}
  {% for table in section.tables %}
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="{{ section.key }}-table-{{ forloop.counter }}"><table>
    <caption id="{{ section.key }}-table-{{ forloop.counter }}">{{ table.caption }}</caption>
    <thead><tr>{% for column in table.columns %}<th scope="col">{{ column }}</th>{% endfor %}</tr></thead>
    <tbody>{% for row in table.rows %}<tr>{{ row|table_cells }}</tr>{% endfor %}</tbody>
  </table></div>
  {% empty %}
  {% for entry in section.entries %}
  <article class="card">
    <h3>{{ entry.heading }}</h3>
    {{ entry.facts|summary_list }}
    {% if entry.items %}<h4>{{ entry.items_label }}</h4>{{ entry.items|bullets }}{% endif %}
  </article>
  {% endfor %}
  {% endfor %}
</section>
{% endfor %}
</div>
</div>
{% endblock %}
"""  # noqa: E501


def _unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _both_ways(user, who: Person) -> tuple[str, str]:
    request = RequestFactory().get(f"/people/{who.pk}/record/")
    request.user = user
    context = {
        "person": who,
        "record": person_record(user, who),
        "is_self": False,
        "as_of": "1 December 2026 at 10:00",
        "pdf_available": True,
    }
    now = loader.get_template("coaching/export/record.html").render(context, request)
    then = engines["django"].from_string(BEFORE).render(context, request)
    return _unmasked(now), _unmasked(then)


def test_the_whole_record_writes_what_it_wrote_before(world):
    sam = world["sam"]
    a_record_with_history(sam, world["coach"])
    _more(sam, world["coach"])
    sam = Person.objects.select_related("organisation").get(pk=sam.pk)
    now, then = _both_ways(world["coach"], sam)
    assert now == then
    assert now.count('<article class="card">') >= 3 and "<h4>" in now  # cards with items
    assert now.count('<tr><th scope="row">') >= 2  # a table's rows


def test_an_empty_record_too(world):
    from .factories import person

    someone = person(world["home"], world["coach"], "New <b>&</b>")
    someone = Person.objects.select_related("organisation").get(pk=someone.pk)
    now, then = _both_ways(world["coach"], someone)
    assert now == then
    assert "New &lt;b&gt;&amp;&lt;/b&gt;" in now

"""The directory's search page (/directory/) made cheaper without changing a byte (issue 11):
its services are read as rows (their towns and days by queries written once) and the loops of
network/directory/search.html are written in Python (network/templatetags/directory_pages.py).
The page is compared with what the template wrote before, kept below, on a directory with
every branch in it: chosen and unchosen options, words that need escaping, services with and
without a first line, towns and days, and many pages of results."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connections
from django.template import engines
from django.test import Client
from django.urls import reverse

from alongside.core import written
from alongside.network.models import ServiceAtLocation, TaxonomyTerm
from alongside.network.practice_vocabulary import ensure_own_taxonomy
from alongside.network.selectors import directory

from . import factories
from .test_network_directory_support import listed_organisation, listed_service

pytestmark = pytest.mark.django_db

# network/directory/search.html as it was before its loops were written in Python.
REFERENCE = """{% extends "base.html" %}
{% block title %}Find help near you{% endblock %}
{% block layout %}layout-narrow{% endblock %}
{% block content %}
<h1>Find help near you</h1>
<p class="lead">Services that work alongside people, listed by the organisations that run them.</p>
<form method="get" action="{% url 'directory:search' %}" class="stack" role="search">
  <div class="field">
    <label for="id_q">What are you looking for?</label>
    <p class="hint" id="id_q_hint">A word or two, such as "housing" or the name of a place.</p>
    <input type="search" name="q" id="id_q" value="{{ filters.q }}" aria-describedby="id_q_hint" maxlength="200">
  </div>
  <details{% if filters.term or filters.area or filters.age is not None or filters.day %} open{% endif %}>
    <summary>More ways to narrow it down</summary>
    <div class="stack">
      <div class="field">
        <label for="id_term">Kind of help</label>
        <select name="term" id="id_term">
          <option value="">Any</option>
          {% for group, choices in term_groups %}<optgroup label="{{ group }}">{% for value, label in choices %}<option value="{{ value }}"{% if value == term_chosen %} selected{% endif %}>{{ label }}</option>{% endfor %}</optgroup>{% endfor %}
        </select>
      </div>
      {% if areas %}
      <div class="field">
        <label for="id_area">Area</label>
        <select name="area" id="id_area">
          <option value="">Anywhere</option>
          {% for value, label in areas %}<option value="{{ value }}"{% if value == filters.area %} selected{% endif %}>{{ label }}</option>{% endfor %}
        </select>
      </div>
      {% endif %}
      <div class="field">
        <label for="id_age">Age of the person the help is for</label>
        <input type="number" name="age" id="id_age" min="0" max="120" inputmode="numeric" value="{% if filters.age is not None %}{{ filters.age }}{% endif %}">
      </div>
      <div class="field">
        <label for="id_day">Open on</label>
        <select name="day" id="id_day">
          <option value="">Any day</option>
          {% for value, label in days %}<option value="{{ value }}"{% if value == filters.day %} selected{% endif %}>{{ label }}</option>{% endfor %}
        </select>
      </div>
    </div>
  </details>
  <button type="submit" class="button">Search</button>
</form>
{% for problem in filters.problems %}<p class="error">{{ problem }}</p>{% endfor %}

<h2 id="results">{% if found.total == 1 %}1 service{% else %}{{ found.total }} services{% endif %}{% if filters.any %} found{% endif %}</h2>
{% if found.results %}
<ul class="cards" aria-labelledby="results">
  {% for result in found.results %}
  <li class="card">
    <h3 class="card-title"><a href="{% url 'directory:service' result.pk %}">{{ result.name }}</a></h3>
    <p class="muted">{{ result.organisation }}</p>
    {% if result.line %}<p>{{ result.line }}</p>{% endif %}
    {% if result.towns or result.days %}<p class="small">{% if result.towns %}Where: {{ result.towns }}{% endif %}{% if result.towns and result.days %}. {% endif %}{% if result.days %}When: {{ result.days }}{% endif %}</p>{% endif %}
  </li>
  {% endfor %}
</ul>
{% if found.page.has_other_pages %}
<nav aria-label="Pages of results">
  <p>Page {{ found.page.number }} of {{ found.page.paginator.num_pages }}</p>
  <ul class="pager inline-list">
    {% if found.page.has_previous %}<li><a href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ found.page.previous_page_number }}">Previous page</a></li>{% endif %}
    {% for number in found.page.paginator.page_range %}{% if number == found.page.number %}<li><a href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ number }}" aria-current="page">{{ number }}</a></li>{% elif number == 1 or number == found.page.paginator.num_pages or number|add:"-2" <= found.page.number and number|add:"2" >= found.page.number %}<li><a href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ number }}">{{ number }}</a></li>{% endif %}{% endfor %}
    {% if found.page.has_next %}<li><a href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ found.page.next_page_number }}">Next page</a></li>{% endif %}
  </ul>
</nav>
{% endif %}
{% else %}
<div class="banner banner--info">
  <p class="banner-title"><strong>Nothing matched that search, sorry.</strong></p>
  <p>Try fewer words, a different word for the same thing, or leave out the area, age or day. <a href="{% url 'directory:search' %}">See every service</a>.</p>
</div>
{% endif %}
{% endblock %}
"""  # noqa: E501

# The part of it that pages the results, to compare on many more pages than a test lists.
REFERENCE_PAGES = (
    "{% for number in found.page.paginator.page_range %}{% if number == found.page.number %}"
    '<li><a href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}'
    'page={{ number }}" aria-current="page">{{ number }}</a></li>{% elif number == 1 or '
    'number == found.page.paginator.num_pages or number|add:"-2" <= found.page.number and '
    'number|add:"2" >= found.page.number %}<li><a href="?{% if query_without_page %}'
    '{{ query_without_page }}&amp;{% endif %}page={{ number }}">{{ number }}</a></li>'
    "{% endif %}{% endfor %}"
)

CONTEXT_KEYS = ("found", "filters", "term_groups", "areas", "days", "query_without_page")
TRICKY = 'Tom & "Jerry\'s" <b>place</b>'


def _masked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def listed() -> dict[str, Any]:
    world = factories.world()
    network = world["network"]
    taxonomy = ensure_own_taxonomy(network=network)
    group = TaxonomyTerm.objects.create(network=network, taxonomy=taxonomy, name=TRICKY)
    chosen = TaxonomyTerm.objects.create(
        network=network, taxonomy=taxonomy, name=f"Child {TRICKY}", parent=group
    )
    tricky_area = factories.area(TRICKY)
    plain = listed_organisation(network, world["home"], name="Home Trust")
    odd = listed_organisation(network, name=TRICKY, description="x")
    areas = [{"slug": world["area"].slug, "name": world["area"].name}]
    listed_service(plain, name="Both", areas=areas, terms=[{"id": str(chosen.pk)}])
    listed_service(odd, name=TRICKY, description=f"{TRICKY}\nSecond line.", schedules=[])
    listed_service(
        plain,
        name="Days only",
        description="",
        locations=[],
        areas=[{"slug": tricky_area.slug, "name": tricky_area.name}],
        schedules=[{"byday": "MO,TU,WE,TH,FR"}, {"byday": "SA,SU"}],
    )
    listed_service(plain, name="Neither", description="   ", locations=[], schedules=[])
    listed_service(plain, name="Long", description="word " * 60)
    two_places = listed_service(
        plain,
        name="Two towns",
        locations=[
            {"name": "A", "address_1": "1 Road", "city": "Zeton"},
            {"name": "B", "address_1": "2 Road", "city": "Ayton"},
            {"name": "C", "address_1": "3 Road", "city": ""},
        ],
    )
    assert ServiceAtLocation.objects.filter(service=two_places).count() == 3
    for number in range(61):
        listed_service(plain, name=f"Ward {number:02d}", locations=[], schedules=[])
    return {"term": chosen, "area": tricky_area, "home_area": world["area"]}


def _same_as_before(params: dict[str, str]) -> str:
    response = Client().get(reverse("directory:search"), params)
    assert response.status_code == 200
    context = {key: response.context[key] for key in CONTEXT_KEYS}
    context["term_chosen"] = response.context["term_chosen"]
    before = engines["django"].from_string(REFERENCE).render(context, response.wsgi_request)
    after = response.content.decode()
    assert _masked(after) == _masked(before)
    return after


def test_the_search_page_is_what_its_template_wrote(listed: dict[str, Any]) -> None:
    front = _same_as_before({})
    assert 'aria-current="page">1</a>' in front  # more than one page of results
    assert "Where: Ayton and Zeton. When:" in front
    assert "Tom &amp; &quot;Jerry&#x27;s&quot; &lt;b&gt;place&lt;/b&gt;" in front
    for params in (
        {"page": "2"},
        {"page": "4"},
        {"page": "99"},
        {"page": "nonsense"},
        {"q": "ward", "page": "2"},
        {"q": "tom & jerry's"},
        {"term": str(listed["term"].pk)},
        {"term": str(listed["term"].parent_id), "age": "30", "day": "monday"},
        {"area": listed["area"].slug},
        {"area": listed["home_area"].slug, "day": "FR"},
        {"term": "nonsense", "age": "old", "day": "someday"},
        {"q": "zebra crossing"},
        {"q": "both"},
    ):
        page = _same_as_before(params)
        if params.get("term") == str(listed["term"].pk):
            assert f'<option value="{listed["term"].pk}" selected>' in page


def test_an_empty_directory_is_what_its_template_wrote() -> None:
    factories.world()
    page = _same_as_before({})
    assert "Nothing matched that search, sorry." in page


@pytest.mark.parametrize("count", [21, 40, 41, 139, 200, 1000])
def test_the_page_links_are_what_the_template_wrote(count: int) -> None:
    paginator = Paginator(list(range(count)), 20)
    reference = engines["django"].from_string(REFERENCE_PAGES)
    written = engines["django"].from_string(
        "{% load directory_pages %}{{ found.page|page_numbers:query_without_page }}"
    )
    for number in paginator.page_range:
        for query in ("", "q=a+%26+b&day=MO", 'q="<x>"'):
            context = {"found": {"page": paginator.page(number)}, "query_without_page": query}
            assert written.render(context) == reference.render(context)


def test_towns_and_days_are_read_by_a_query_written_once(listed: dict[str, Any]) -> None:
    ids = [row[0] for row in directory._Matching(directory.read_filters({}))[0:7]]
    assert len(ids) == 7 and all(isinstance(pk, uuid.UUID) for pk in ids)
    towns = sorted(written.rows_by_values(directory._towns, *ids), key=str)
    expected = sorted(
        ServiceAtLocation.objects.filter(service_id__in=ids).values_list(
            "service_id", "location__city"
        ),
        key=str,
    )
    assert towns == expected and towns  # some services have towns: the comparison means something
    # Asked again, for other services, it is the same SQL with their ids in place.
    others = [row[0] for row in directory._Matching(directory.read_filters({}))[7:14]]
    again = written.rows_by_values(directory._towns, *others)
    assert sorted(again, key=str) == sorted(
        ServiceAtLocation.objects.filter(service_id__in=others).values_list(
            "service_id", "location__city"
        ),
        key=str,
    )
    kept = connections["default"].__dict__["_alongside_written"]
    assert (directory._towns, (uuid.UUID,) * 7) in kept


def test_the_rows_say_what_the_services_read_as_instances_said(listed: dict[str, Any]) -> None:
    for params in (
        {},
        {"page": "3"},
        {"page": "99"},
        {"q": "ward", "page": "2"},
        {"area": listed["area"].slug},
        {"term": str(listed["term"].parent_id)},
        {"q": "zebra crossing"},
    ):
        found = directory.search(params)
        services = (
            directory.filtered(found.filters)
            .select_related("organisation")
            .prefetch_related(directory.SERVICE_PARTS[2], "schedules")
        )
        before = Paginator(services, directory.PER_PAGE).get_page(params.get("page"))
        assert found.results == [directory._result(one) for one in before.object_list]
        assert found.total == before.paginator.count
        assert found.page.number == before.number

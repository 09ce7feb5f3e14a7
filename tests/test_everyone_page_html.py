"""A lead's list of everyone, the area picture and the lead's home made cheaper without
changing a byte (issue 11).

The list's organisations, choices, rows and pager are written in Python (`everyone_list` in
home/templatetags/home_pages.py) and its two queries are written by the ORM once
(core/written.py): the page is compared with what home/everyone.html wrote before, kept below,
on lists with every branch, and its rows with the ORM's own query. The area picture's queries
(two, they were three) are compared with what the selector worked out before, kept below, and
the lead's home's corrections and quiet relationships with the queries it asked before."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import Count, Q, Window
from django.template import engines
from django.utils import timezone

from alongside.accounts.models import Area, Membership, Organisation, Role
from alongside.coaching.models import CheckIn, CorrectionRequest, Goal, Person, Relationship
from alongside.core.disclosure import protect, protect_table
from alongside.home import selectors

from .factories import area, organisation, person, staff

pytestmark = pytest.mark.django_db

# home/everyone.html as it was before its lists were written in Python.
REFERENCE_EVERYONE = """{% extends "base.html" %}
{% block title %}{{ label }}: {{ organisation.name }}{% endblock %}
{% block content %}
<p><a href="{% url 'home:home' %}">Back to your home</a></p>
{% url 'home:everyone' as everyone %}<h1>{{ label }}</h1>
<p class="lead">Everyone {{ organisation.name }} works alongside, with their coach. {% if show == "quiet" %}These relationships have had no contact written down for more than {{ quiet_weeks }} weeks.{% endif %}</p>
{% if led|length > 1 %}
<nav class="tabs" aria-label="Organisation">
  <ul>{% for o in led %}<li><a href="{{ everyone }}?organisation={{ o.pk }}{% if show %}&amp;show={{ show }}{% endif %}"{% if o.pk == organisation.pk %} aria-current="page"{% endif %}>{{ o.name }}</a></li>{% endfor %}</ul>
</nav>
{% endif %}
<nav class="tabs" aria-label="Show">
  <ul>
    {% for value, name in filters %}
    <li><a href="{{ everyone }}?{% if query %}organisation={{ organisation.pk }}&amp;{% endif %}show={{ value }}"{% if value == show %} aria-current="page"{% endif %}>{{ name }}</a></li>
    {% endfor %}
  </ul>
</nav>
{% if relationships %}
<div class="table-wrap">
  <table>
    <caption>{{ label }}: {{ page.paginator.count }} {{ page.paginator.count|pluralize:"relationship,relationships" }}{% if page.paginator.num_pages > 1 %}, page {{ page.number }} of {{ page.paginator.num_pages }}{% endif %}</caption>
    <thead><tr><th scope="col">Person</th><th scope="col">Coach</th><th scope="col">Stage</th><th scope="col">Last in touch</th><th scope="col">Next meeting</th></tr></thead>
    <tbody>
      {% for rel in relationships %}
      <tr>
        <th scope="row"><a href="{{ rel.url }}">{{ rel.name }}</a></th>
        <td>{{ rel.coach }}</td>
        <td>{{ rel.stage }}</td>
        <td>{{ rel.last_in_touch }}</td>
        <td>{{ rel.next_meeting }}</td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
</div>
{% if page.has_other_pages %}
<nav class="pager" aria-label="Pages">
  {% if page.has_previous %}<a href="?{% if query %}organisation={{ organisation.pk }}&amp;{% endif %}show={{ show }}&amp;page={{ page.previous_page_number }}">Previous page</a>{% endif %}
  {% if page.has_next %}<a href="?{% if query %}organisation={{ organisation.pk }}&amp;{% endif %}show={{ show }}&amp;page={{ page.next_page_number }}">Next page</a>{% endif %}
</nav>
{% endif %}
{% else %}
<p>Nobody to show here.</p>
{% endif %}
{% endblock %}
"""  # noqa: E501

AWKWARD = 'Tom & Jerry\'s <b>"big"</b>'
STATES = [state for state, _ in Relationship.State.choices]


def _masked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _both_ways(client, path: str) -> tuple[str, str]:
    """The page as it is now, and as the old template writes it from the same context."""
    response = client.get(path)
    assert response.status_code == 200
    context = {key: response.context[key] for key in response.context.keys()}
    then = engines["django"].from_string(REFERENCE_EVERYONE).render(context, response.wsgi_request)
    return _masked(response.content.decode()), _masked(then)


def _fill(org: Organisation, coach, count: int, *, first: int = 0) -> list[Person]:
    """`count` people with every kind of row: each stage, days this year and other years,
    never in touch, no meeting set, an awkward name."""
    today = timezone.localdate()
    people = []
    for i in range(first, first + count):
        someone = person(org, coach, f"{AWKWARD} {i:03d}" if i % 3 else f"Bea {i:03d}")
        someone.relationships.update(
            state=STATES[i % len(STATES)],
            started_on=today - datetime.timedelta(days=400 + i),
            last_contact_on=None if i % 5 == 0 else today - datetime.timedelta(days=30 * (i % 14)),
            next_meeting_on=None if i % 4 == 0 else today + datetime.timedelta(days=i % 9),
        )
        people.append(someone)
    return people


PATHS = [
    "/everyone/",
    *(f"/everyone/?show={state}" for state in STATES),
    "/everyone/?show=quiet",
    "/everyone/?show=checked-in",
    "/everyone/?show=nonsense",
    "/everyone/?page=2",
    "/everyone/?page=3",
    "/everyone/?page=99",
    "/everyone/?page=0",
    "/everyone/?page=two",
    "/everyone/?show=quiet&page=2",
    "/everyone/?show=working_together&page=2",
]


def test_the_list_writes_what_it_wrote_before(world, login):
    people = _fill(world["home"], world["coach"], 120)
    for someone in people[::7]:
        CheckIn.objects.create(person=someone, answers={"happy": 7})
        CheckIn.objects.create(person=someone, answers={"happy": 8})
    client = login(world["lead"])
    for path in PATHS:
        now, then = _both_ways(client, path)
        assert now == then, path
    now, _ = _both_ways(client, "/everyone/?page=2")
    assert "page 2 of 3" in now and "Previous page" in now and "Next page" in now
    assert "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;big&quot;&lt;/b&gt;" in now
    now, _ = _both_ways(client, "/everyone/?show=quiet")
    assert "no contact written down for more than" in now


def test_a_short_list_and_an_empty_one_write_what_they_wrote_before(world, login):
    client = login(world["lead"])
    Relationship.objects.filter(person=world["alex"]).update(state=Relationship.State.PAUSED)
    for path in ("/everyone/", "/everyone/?show=paused", "/everyone/?show=checked-in"):
        now, then = _both_ways(client, path)
        assert now == then, path
    assert "Paused: 1 relationship<" in _both_ways(client, "/everyone/?show=paused")[0]
    assert "Nobody to show here." in _both_ways(client, "/everyone/?show=checked-in")[0]


def test_a_lead_of_two_organisations_gets_the_list_it_got_before(world, login):
    second = Organisation.objects.create(
        name=f"{AWKWARD} Trust", slug="awkward-trust", kind=Organisation.Kind.PROVIDER
    )
    Membership.objects.create(user=world["lead"], organisation=second, role=Role.LEAD)
    _fill(second, staff(Role.COACH, second), 60)
    client = login(world["lead"])
    for path in (
        "/everyone/",
        f"/everyone/?organisation={second.pk}",
        f"/everyone/?organisation={second.pk}&show=paused",
        f"/everyone/?organisation={second.pk}&page=2",
        f"/everyone/?organisation={world['home'].pk}&show=quiet",
    ):
        now, then = _both_ways(client, path)
        assert now == then, path
    now, _ = _both_ways(client, f"/everyone/?organisation={second.pk}&page=2")
    assert 'aria-label="Organisation"' in now and "organisation=" in now


def test_the_lists_written_once_are_the_orms(world):
    home = world["home"]
    people = _fill(home, world["coach"], 70)
    _fill(world["other"], world["other_coach"], 5, first=200)  # another organisation's
    for someone in people[::6]:
        CheckIn.objects.create(person=someone, answers={"happy": 7})
        CheckIn.objects.create(person=someone, answers={"happy": 6})
    CheckIn.objects.create(
        person=people[1], answers={}, taken_on=timezone.localdate() - datetime.timedelta(days=70)
    )
    today = timezone.localdate()
    for show, _ in selectors.everyone_filters():
        orm = selectors._everyone_query(home, show, today)
        written = selectors._EveryoneRows(home, show, today)
        assert written.count() == orm.count(), show
        for start, stop in ((0, 50), (50, 100), (40, 45), (0, 0)):
            expected = [
                selectors._listed(row) for row in orm[start:stop].values_list(*selectors.LISTED)
            ]
            assert written[start:stop] == expected, (show, start)
        # Read ahead with the count, as the page asks for them.
        for page, start in (("1", 0), ("2", 50), (None, 0), ("x", 0), ("3", 100)):
            ahead = selectors._EveryoneRows(home, show, today)
            ahead.read_ahead(page)
            assert ahead.count() == orm.count(), (show, page)
            expected = [
                selectors._listed(row)
                for row in orm[start : start + 50].values_list(*selectors.LISTED)
            ]
            if expected or start == 0:
                assert ahead.read == {start: expected}, (show, page)
            assert ahead[start : min(start + 50, orm.count())] == expected, (show, page)
    assert selectors._EveryoneRows(home, "", today).count() == 72  # Sam and Alex too


# --- the area picture ------------------------------------------------------------------------


def _areas_as_before(user) -> list[dict]:
    """`selectors.commissioned_areas` as it was: three queries, joined and grouped."""
    area_ids = selectors._commissioned_area_ids(user)
    areas = list(Area.objects.filter(pk__in=area_ids).order_by("name"))
    if not areas:
        return []
    working: dict[int, dict[str, int]] = {a.pk: {} for a in areas}
    for area_id, name, count in (
        Organisation.objects.filter(area_id__in=area_ids, kind=Organisation.Kind.PROVIDER)
        .annotate(
            working=Count(
                "relationships",
                filter=~Q(relationships__state=Relationship.State.ENDED),
            )
        )
        .order_by("name")
        .values_list("area_id", "name", "working")
    ):
        working[area_id][name] = count
    people = dict(
        Person.objects.filter(organisation__area_id__in=area_ids)
        .values("organisation__area_id")
        .annotate(n=Count("id"))
        .values_list("organisation__area_id", "n")
    )
    result = []
    for a in areas:
        cells, total = protect_table(working[a.pk])
        result.append(
            {"area": a, "cells": cells, "total": total, "people": protect(people.get(a.pk, 0))}
        )
    return result


def _an_area_with_coaching(world) -> None:
    """Small and large counts, ended relationships, a provider with none, people in the
    council, and a second area commissioned with no provider and nobody in it."""
    _fill(world["home"], world["coach"], 37)
    _fill(world["other"], world["other_coach"], 12, first=100)
    organisation(area_obj=world["area"])  # a provider nobody works with yet
    for i in range(11):
        person(world["council"], None, f"Council {i}")
    elsewhere = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=area("Aardvark"))
    Membership.objects.create(
        user=world["commissioner"], organisation=elsewhere, role=Role.COMMISSIONER
    )
    world["commissioner"].__dict__.pop("_alongside_held", None)


def test_the_area_picture_counts_what_it_counted_before(world):
    commissioner = world["commissioner"]
    assert selectors.commissioned_areas(commissioner) == _areas_as_before(commissioner)
    _an_area_with_coaching(world)
    now = selectors.commissioned_areas(commissioner)
    assert now == _areas_as_before(commissioner)
    assert len(now) == 2 and len(now[1]["cells"]) == 3
    assert any(cell.suppressed for cell in now[1]["cells"].values())
    assert selectors.commissioned_areas(world["lead"]) == []


def test_the_area_page_writes_what_it_wrote_before(world, login, monkeypatch):
    _an_area_with_coaching(world)
    client = login(world["commissioner"])
    now = _masked(client.get("/area/").content.decode())
    monkeypatch.setattr(selectors, "commissioned_areas", _areas_as_before)
    assert now == _masked(client.get("/area/").content.decode())
    assert "fewer than 10" in now


# --- the lead's home: corrections waiting, and the quiet ones ----------------------------------


def test_the_lead_queue_finds_what_its_queries_found_before(world):
    home, lead = world["home"], world["lead"]
    people = _fill(home, world["coach"], 30)
    now = timezone.now()
    for i, someone in enumerate(people[:26]):
        goal = Goal.objects.create(person=someone, words="a flat")
        CorrectionRequest.objects.create(
            person=someone,
            about_type="goal",
            about_id=goal.pk,
            field_name="words",
            as_written="a flat",
            asked_for="a house",
            status=CorrectionRequest.Status.CHANGED
            if i % 5 == 4
            else CorrectionRequest.Status.ASKED,
            created_at=now - datetime.timedelta(days=(3 + i) if i % 2 else 20 - i % 20),
        )
    week_ago = now - datetime.timedelta(days=7)
    today = timezone.localdate()
    organisations = [home]

    def as_before():
        waiting = list(
            CorrectionRequest.objects.filter(
                person__organisation_id__in=[home.pk],
                status=CorrectionRequest.Status.ASKED,
                created_at__lt=week_ago,
            )
            .order_by("created_at", "id")
            .values_list("pk", "person__chosen_name", "created_at")[: selectors.QUEUE_LENGTH + 1]
        )
        return [selectors.Asked(*row) for row in waiting[: selectors.QUEUE_LENGTH]], len(
            waiting
        ) > selectors.QUEUE_LENGTH

    assert selectors._corrections_waiting([home.pk], week_ago) == as_before()
    CorrectionRequest.objects.filter(created_at__lt=now - datetime.timedelta(days=12)).delete()
    assert selectors._corrections_waiting([home.pk], week_ago) == as_before()
    assert selectors._corrections_waiting([home.pk], week_ago)[0]

    quiet_before = list(
        selectors.quiet_relationships(organisations, today)
        .annotate(total=Window(Count("pk")))
        .values_list(*selectors.LISTED, "total")[: selectors.QUEUE_LENGTH + 1]
    )
    quiet, count = selectors._quiet_first(organisations, today)
    assert quiet == [selectors._listed(row[:-1]) for row in quiet_before[: selectors.QUEUE_LENGTH]]
    assert count == quiet_before[0][-1] > selectors.QUEUE_LENGTH
    queue = selectors.lead_queue(lead)
    assert queue is not None and queue["quiet"] == quiet and queue["quiet_count"] == count


def test_a_lead_of_two_organisations_finds_the_quiet_ones_of_both(world):
    second = organisation(area_obj=world["area"], keep_in_touch_weeks=2)
    Membership.objects.create(user=world["lead"], organisation=second, role=Role.LEAD)
    world["lead"].__dict__.pop("_alongside_held", None)
    _fill(world["home"], world["coach"], 8)
    _fill(second, staff(Role.COACH, second), 8, first=50)
    organisations = sorted([world["home"], second], key=lambda o: (o.name, o.pk))
    today = timezone.localdate()
    rows = list(selectors.quiet_relationships(organisations, today).values_list(*selectors.LISTED))
    quiet, count = selectors._quiet_first(organisations, today)
    assert count == len(rows) and quiet == [selectors._listed(r) for r in rows[:10]]
    queue = selectors.lead_queue(world["lead"])
    assert queue is not None and queue["quiet_count"] == count and queue["several"]


def test_nobody_quiet_counts_none(world):
    Relationship.objects.update(last_contact_on=timezone.localdate())
    assert selectors._quiet_first([world["home"]], timezone.localdate()) == ([], 0)
    assert selectors._EveryoneRows(world["home"], "quiet", timezone.localdate()).count() == 0

"""The audit trail made cheaper without changing a byte (issue 11): its table's rows are written
in Python (home/templatetags/audit_rows.py), its rows read as tuples, and its queries that name
only ids written by the ORM once (core/written.py). The page is compared with what
home/audit.html wrote before, kept below, on a trail with every kind of row."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines

from alongside.coaching.models import Person
from alongside.coaching.services.erasure import ERASED_NAME
from alongside.core.models import AuditAction, AuditEntry
from alongside.home.audit import selectors, views
from alongside.home.audit.forms import TrailFilterForm

from .factories import person
from .rendering import assert_drawn_as_django_draws_it

pytestmark = pytest.mark.django_db

# home/audit.html as it was before its table's rows were written in Python.
REFERENCE_PAGE = """{% extends "base.html" %}
{% block title %}Audit trail{% if about.person %} · {{ about.person.chosen_name }}{% endif %}{% endblock %}
{% block content %}
<h1>Audit trail</h1>
<p class="lead">Every time someone reads or changes a record at {{ organisation.name }}, signs in, or is stopped from doing something their role does not allow, it is written down here. It says what was done, never what a record says.</p>
<p class="hint">Nothing here can be changed or removed. Reading this page is written down too.</p>
{% include "coaching/_organisation_chooser.html" %}

{% include "form_errors.html" %}
<form method="get" action="{% url 'audit:trail' %}" class="audit-filters" aria-labelledby="audit-filters-title">
  <h2 id="audit-filters-title">Find entries</h2>
  {% if led|length > 1 %}<input type="hidden" name="organisation" value="{{ organisation.pk }}">{% endif %}
  {% if about.person %}<input type="hidden" name="person_id" value="{{ about.person.pk }}">{% endif %}
  <div class="audit-filters__fields">
    {% if not about.person %}{% include "field.html" with field=form.person %}{% endif %}
    {% include "field.html" with field=form.staff %}
    {% include "field.html" with field=form.kind %}
    {% include "field.html" with field=form.since %}
    {% include "field.html" with field=form.until %}
  </div>
  <div class="button-row">
    <button type="submit" class="button">Show entries</button>
    {% if filtered %}<a class="button button--secondary" href="{% url 'audit:trail' %}{% if led|length > 1 %}?organisation={{ organisation.pk }}{% endif %}">Clear the filters</a>{% endif %}
  </div>
</form>

<section aria-labelledby="audit-entries-title">
  <h2 id="audit-entries-title">{% if filtered %}Entries that match{% else %}Every entry{% endif %}</h2>
  {% if about.person %}
  <div class="banner banner--info">
    <p>Only entries about <strong>{{ about.person.chosen_name }}</strong>’s record. <a href="{% url 'audit:trail' %}{{ everyone_url }}">Show entries about everyone</a></p>
  </div>
  {% elif about.unknown_person %}
  <div class="banner banner--warning">
    <p>That record is not one {{ organisation.name }} holds. <a href="{% url 'audit:trail' %}{{ everyone_url }}">Show entries about everyone</a></p>
  </div>
  {% elif form.person.value and page %}
  <div class="banner banner--info">
    {% if about.people %}
    <p>Entries about {% for p in about.people %}<a href="{% url 'audit:trail' %}{{ person_url }}person_id={{ p.pk }}">{{ p.chosen_name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}{% if about.more_people %}, and more: type more of the name to narrow it down{% endif %}.</p>
    {% else %}
    <p>Nobody at {{ organisation.name }} has “{{ form.person.value }}” in their name. Try part of the name.</p>
    {% endif %}
  </div>
  {% endif %}

  {% if page and page.rows %}
  <p class="status">Newest first, {{ per_page }} at a time{% if paged %}, from where you left off{% endif %}.</p>
  <p><a class="button button--secondary" href="{% url 'audit:csv' %}{{ csv_url }}">Download {% if filtered %}these entries{% else %}every entry{% endif %} as a spreadsheet (CSV)</a></p>
  <table class="audit-table">
    <caption class="visually-hidden">Audit entries, newest first</caption>
    <thead>
      <tr><th scope="col">When</th><th scope="col">What happened</th><th scope="col">Whose record</th></tr>
    </thead>
    <tbody>
      {% for line in lines %}
      <tr data-entry="{{ line.entries }}"{% if line.stopped %} class="audit-table__stopped"{% endif %}>
        <td data-label="When">{{ line.when }}</td>
        <td data-label="What happened">{% if line.stopped %}<span class="tag tag--red">Stopped</span> {% endif %}{{ line.what }}{% if line.span %} <span class="muted">({{ line.span }})</span>{% endif %}</td>
        <td data-label="Whose record"{% if not line.person %} class="audit-table__nobody"{% endif %}>{% if line.person_href %}<a href="{{ line.person_href }}">{{ line.person }}<span class="visually-hidden">: show only entries about this record</span></a>{% elif line.person %}{{ line.person }}{% else %}<span class="muted">No one’s record</span>{% endif %}</td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
  {% if older_url or newer_url %}
  <nav class="pager" aria-label="More entries">
    {% if newer_url %}<a href="{% url 'audit:trail' %}{{ newer_url }}">Newer entries</a>{% endif %}
    {% if older_url %}<a href="{% url 'audit:trail' %}{{ older_url }}">Older entries</a>{% endif %}
    {% if paged %}<a href="{% url 'audit:trail' %}{{ first_url }}">Back to the newest</a>{% endif %}
  </nav>
  {% endif %}
  {% elif page %}
  <p>{% if filtered %}Nothing matches these filters. Try a wider date range, or clear a filter.{% elif paged %}There are no more entries.{% else %}Nothing has been written down yet.{% endif %}</p>
  {% if paged %}<p><a href="{% url 'audit:trail' %}{{ first_url }}">Back to the newest</a></p>{% endif %}
  {% else %}
  <p>Put the filters right to see the entries.</p>
  {% endif %}
</section>
{% endblock %}
"""  # noqa: E501

AWKWARD = 'Tom & Jerry\'s <b>"big"</b>'
AT = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def _entry(actor, action, *, at, person=None, org=None, detail="", object_type="") -> None:
    AuditEntry.objects.create(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type or ("coaching.person" if person else ""),
        object_id=str(person.pk) if person else "",
        person_id=person.pk if person else None,
        organisation_id=org.pk if org else None,
        detail=detail,
    )


def _fill(world) -> None:
    """Rows of every kind: stopped, runs of the same thing (in one minute and across
    minutes), about a record, about an erased one, about nobody's, with awkward names."""
    home, coach, lead = world["home"], world["coach"], world["lead"]
    coach.first_name = AWKWARD
    coach.save()
    awkward = person(home, coach, f"{AWKWARD} Sam")
    gone = person(home, coach, "Gone")
    Person.objects.filter(pk=gone.pk).update(chosen_name=ERASED_NAME)
    at = AT
    for i in range(3):  # a run across minutes
        _entry(coach, AuditAction.VIEW, at=at + timedelta(minutes=i), person=awkward,
               org=home, detail="budget")  # fmt: skip
    at += timedelta(hours=1)
    for _ in range(2):  # a run in one minute
        _entry(coach, AuditAction.VIEW, at=at, person=awkward, org=home, detail="record")
    _entry(world["commissioner"], AuditAction.DENIED, at=at + timedelta(minutes=5),
           person=awkward, org=home, detail="person.view record")  # fmt: skip
    _entry(coach, AuditAction.CHANGE, at=at + timedelta(minutes=6), person=gone, org=home,
           detail="record erased", object_type="coaching.erasurerequest")  # fmt: skip
    _entry(coach, AuditAction.SIGN_IN, at=at + timedelta(minutes=7))
    _entry(coach, AuditAction.SIGN_IN_FAILED, at=at + timedelta(minutes=8))
    _entry(lead, AuditAction.VIEW, at=at + timedelta(minutes=9), org=home,
           detail="audit trail")  # fmt: skip
    for i in range(60):  # enough for a second page
        _entry(coach, AuditAction.CREATE, at=at - timedelta(days=1, minutes=i),
               person=world["sam"], org=home, detail=f"goal added {i % 2}")  # fmt: skip


def _masked(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def _both_ways(client, path: str, monkeypatch) -> tuple[str, str]:
    """The page, and the old template rendered with what the view gave the new one."""
    given = {}
    render = views.render

    def keep(request, name, context):
        given.update(context=context, request=request)
        return render(request, name, context)

    monkeypatch.setattr(views, "render", keep)
    response = client.get(path)
    assert response.status_code == 200
    then = engines["django"].from_string(REFERENCE_PAGE).render(given["context"], given["request"])
    return _masked(response.content.decode()), _masked(then)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?kind=stopped",
        "?kind=read",
        "?kind=sign-in",
        "?person=Sam",
        "?person=nobody-has-this",
        "?person_id={sam}",
        "?person_id=999999",
        "?staff={coach}",
        "?staff={coach}&kind=changed",
        "?since=2026-11-10&until=2026-11-10",
        "?since=2026-12-02&until=2026-11-01",
        "?since=not-a-day&staff=<b>&kind=nonsense",
    ],
)
def test_the_page_writes_what_it_wrote_before(world, login, monkeypatch, query):
    _fill(world)
    client = login(world["lead"])
    path = "/audit/" + query.format(sam=world["sam"].pk, coach=world["coach"].pk)
    now, then = _both_ways(client, path, monkeypatch)
    assert now == then


def test_every_kind_of_row_is_on_the_page_and_so_compared(world, login, monkeypatch):
    _fill(world)
    now, then = _both_ways(login(world["lead"]), "/audit/", monkeypatch)
    assert now == then
    for part in (
        "Tom &amp; Jerry&#x27;s &lt;b&gt;&quot;big&quot;&lt;/b&gt;",
        "audit-table__stopped",
        "audit-table__nobody",
        "An erased record",
        "times at",
        "times, ",
        "show only entries about this record",
        "Older entries",
    ):
        assert part in now, part


def test_the_pages_before_and_after_write_what_they_wrote_before(world, login, monkeypatch):
    _fill(world)
    client = login(world["lead"])
    first = client.get("/audit/").content.decode()
    older = re.search(r'href="/audit/(\?after=[^"]+)"', first)
    assert older
    now, then = _both_ways(client, "/audit/" + older.group(1).replace("&amp;", "&"), monkeypatch)
    assert now == then
    newer = re.search(r'href="/audit/(\?before=[^"]+)"', now)
    assert newer
    now, then = _both_ways(client, "/audit/" + newer.group(1).replace("&amp;", "&"), monkeypatch)
    assert now == then


@pytest.mark.parametrize("kind", ["", "read", "stopped", "sign-in"])
def test_the_written_queries_find_the_orms_rows(world, kind):
    _fill(world)
    home = world["home"]
    actions = dict((key, actions) for key, _label, actions in selectors.phrasing.KINDS)
    for actor_id in (None, world["coach"].pk):
        filters = selectors.Filters(actor_id=actor_id, actions=actions.get(kind, ()))
        assert selectors._can_be_written(filters)
        for limit in (3, 51):
            orm = selectors._newest(selectors.trail(home, filters), limit)
            assert selectors._newest_written(home, filters, limit) == orm
            assert orm or kind == "stopped" and actor_id


STAFF = [(7, AWKWARD), (8, "Priya"), (9, ""), (10, "Priya")]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"staff": "8", "kind": "read"},
        {"staff": "10"},
        {"staff": "99", "kind": "nonsense"},
        {"staff": '"><b>', "since": "2026-12-02", "until": "2026-11-01"},
    ],
)
def test_the_filters_selects_draw_as_django_draws_them(data):
    """The selects the filter form writes itself (forms._Select), compared with Django's
    own widget templates, blank, chosen, and with mistakes (their errors add attributes)."""
    form = TrailFilterForm(data, staff=STAFF)
    form.is_valid()
    assert_drawn_as_django_draws_it(form)
    for name in ("staff", "kind"):
        bound = form[name]
        plain = forms.Select(choices=list(bound.field.choices))
        attrs = bound.build_widget_attrs({})
        attrs.setdefault("id", bound.auto_id)  # as BoundField.as_widget does
        assert str(bound) == plain.render(
            bound.html_name, bound.value(), attrs=attrs, renderer=DjangoTemplates()
        )
    assert form.fields["staff"].choices == [("", "Anyone")] + [(str(pk), n) for pk, n in STAFF]

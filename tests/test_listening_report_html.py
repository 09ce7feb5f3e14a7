"""The listening team's report and themes pages made cheaper without changing a byte (issue 11):
their reads are written by the ORM once (core/written.py), the report's published versions
come as plain rows, and the themes page writes its theme cards in Python
(listening/templatetags/listening_pages.py). Each is compared here with what the template
wrote before, kept below, on data with every branch."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.db.models import QuerySet
from django.template import engines
from django.utils import timezone

from alongside.listening.forms_themes import SuggestForm
from alongside.listening.models import Exercise, Report, ReportVersion
from alongside.listening.selectors import reports, themes
from alongside.listening.selectors.themes import QuoteLine, ThemeCard

from . import test_listening_report as report_tests
from .factories import person_with_sign_in, staff

exercise = report_tests.exercise
written = report_tests.written
two_themes = report_tests.two_themes

# themes/index.html's loop over the theme cards, as it was before the cards were written in
# Python, between the `<ul class="cards">` and `</ul>` it still writes.
REFERENCE_THEME_CARDS = """{% load listening_pages %}<ul class="cards">
  {% for card in page.themes %}
  <li class="card">
    <h3 class="card-title"><a href="{{ card.path }}">{{ card.title }}</a></h3>
    <p class="status">{{ card.status }}</p>
    {% if card.keywords %}<p>Keywords: {{ card.keywords|join:", " }}</p>{% endif %}
    {% if card.quotes %}
    <details>
      <summary>What people said ({{ card.quotes|length }} most typical)</summary>
      <ul>
        {{ card.quotes|quote_items }}
      </ul>
    </details>
    {% endif %}
  </li>
  {% endfor %}
</ul>"""
NEW_THEME_CARDS = """{% load listening_pages %}<ul class="cards">
  {{ page.themes|theme_cards }}
</ul>"""

# reports/report.html's lines naming who published a version, as they were when the versions
# were model instances (each publisher's display_name read from their user and person), and
# its list of versions and of downloads as they were before they were written in Python.
REFERENCE_VERSIONS = """<p>Version {{ latest.number }}, published on {{ latest.published_at|date:"l j F Y, H:i" }}{% if latest.published_by %} by {{ latest.published_by.display_name }}{% endif %}.</p>
  <ul>
    {% for version in versions %}
    <li><a href="{% url 'listening:report_version' exercise.pk version.number %}">Version {{ version.number }}</a>, published on {{ version.published_at|date:"l j F Y, H:i" }}{% if version.published_by %} by {{ version.published_by.display_name }}{% endif %}{% if forloop.first and report.is_published %} (what readers see now){% endif %}</li>
    {% endfor %}
  </ul>"""  # noqa: E501
NEW_VERSIONS = """{% load listening_pages %}<p>Version {{ latest.number }}, published on {{ latest.published_at|date:"l j F Y, H:i" }}{% if latest.published_by is not None %} by {{ latest.published_by }}{% endif %}.</p>
  <ul>
    {% version_items exercise.pk versions report.is_published %}
  </ul>"""  # noqa: E501
REFERENCE_DOWNLOADS = """  <ul>
    <li><a href="{% url 'listening:report_docx' exercise.pk %}">This working copy as a Word document (.docx)</a></li>
    <li>{% if pdf_available %}<a href="{% url 'listening:report_pdf' exercise.pk %}">This working copy as a PDF</a>{% else %}For a PDF, print this page and choose “Save as PDF” as the printer.{% endif %}</li>
    <li><a href="{% url 'listening:codebook_qdc' exercise.pk %}">The codebook for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdc)</a></li>
    <li><a href="{% url 'listening:project_qdpx' exercise.pk %}">The coded contributions as a REFI-QDA project (.qdpx)</a></li>
    <li><a href="{% url 'listening:codebook_csv' exercise.pk %}">The codebook as a spreadsheet (CSV)</a></li>
    <li><a href="{% url 'listening:excerpts_csv' exercise.pk %}">The coded excerpts as a spreadsheet (CSV)</a></li>
  </ul>"""  # noqa: E501
NEW_DOWNLOADS = """{% load listening_pages %}  <ul>
    {% report_downloads exercise.pk pdf_available %}
  </ul>"""


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def _card(n: int, **changes: object) -> ThemeCard:
    card = ThemeCard(
        pk=n,
        path=f'/listening/1/themes/{n}/?a=1&b="2"',
        title=f"Damp & <mould> {n}",
        count=n,
        status=f"{n} contributions \u00b7 shaped by your team",
        keywords=["damp", "<b>rent</b>", "O'Brien & co"],
        quotes=[
            QuoteLine(
                "It's <cold> & wet\nall winter", "Sam, Oxford Street \u00b7 chosen as a quote"
            ),
            QuoteLine("Forms \u201cgo missing\u201d", "Anonymous \u00b7 cannot be quoted yet"),
        ],
    )
    for name, value in changes.items():
        setattr(card, name, value)
    return card


def test_the_theme_cards_are_what_the_template_loop_wrote():
    cards = [
        _card(1),
        _card(2, keywords=[]),
        _card(3, quotes=[]),
        _card(4, keywords=[], quotes=[]),
        _card(5, keywords=[7, None, "x"], title="", status=""),
    ]
    for page_themes in (cards, cards[:1], []):
        page = {"themes": page_themes}
        assert _render(NEW_THEME_CARDS, page=page) == _render(REFERENCE_THEME_CARDS, page=page)


def _old_versions(report: Report) -> list[ReportVersion]:
    """reports.versions_of as it was: model instances, who published each read with them."""
    return list(
        ReportVersion.objects.filter(report=report)
        .select_related("published_by__person")
        .only(
            "report_id",
            "number",
            "published_at",
            "digest",
            "published_by__first_name",
            "published_by__username",
            "published_by__person__chosen_name",
        )
        .order_by("-number")
    )


@pytest.mark.django_db
def test_the_published_versions_name_whoever_published_them_as_before(world, exercise: Exercise):
    org = exercise.organisation
    someone = person_with_sign_in(org, name="Ama <the> \u201cbrave\u201d").user
    named = staff("listener", org)
    named.first_name = "Kofi & co"
    named.save()
    plain = staff("listener", org, username="no_first_name")
    leaving = staff("listener", org)
    report = Report.objects.create(exercise=exercise, published_at=timezone.now())
    when = timezone.now()
    for number, by in enumerate([someone, named, plain, leaving, None], 1):
        ReportVersion.objects.create(
            report=report,
            number=number,
            published_by=by,
            published_at=when - timezone.timedelta(days=number, minutes=number),
            data={},
            digest=f"digest {number}",
        )
    leaving.delete()  # their versions stay, published by no one now

    rows = reports.versions_of(report)
    old = _old_versions(report)
    assert [(r.number, r.digest) for r in rows] == [(v.number, v.digest) for v in old]
    assert rows[0].published_at == old[0].published_at
    for published in (True, False):
        report.published_at = timezone.now() if published else None
        for some in (slice(None), slice(1, 2), slice(3, None), slice(0, 0)):
            new = {"versions": rows[some], "latest": (rows[some] or [None])[0]}
            was = {"versions": old[some], "latest": (old[some] or [None])[0]}
            for context in (new, was):
                context.update(exercise=exercise, report=report)
            assert _render(NEW_VERSIONS, **new) == _render(REFERENCE_VERSIONS, **was)
    for pdf in (True, False):
        context = {"exercise": exercise, "pdf_available": pdf}
        assert _render(NEW_DOWNLOADS, **context) == _render(REFERENCE_DOWNLOADS, **context)
    assert reports.versions_of(Report(exercise=exercise)) == []


@pytest.mark.django_db
def test_the_report_reads_as_the_orm_read_it(world, exercise: Exercise, written):
    """The report's own reads, written once, give what the querysets gave: the report, the
    themes with their counts, the quotes, the places; and the exercise with its area."""
    reading = reports._reading(exercise)
    assert [(t.pk, t.title, t.keywords, t.count) for t in reading.themes] == [
        (t.pk, t.title, t.keywords, exercise.contributions.filter(theme=t).count())
        for t in exercise.themes.order_by("is_didnt_fit", "position", "pk")
    ]
    assert reading.places == reports._places(exercise.contributions.all())
    assert reading.quoted  # Housing's headline and quote
    saved = Report.objects.get(exercise=exercise)
    found = reports.report_of(exercise)
    assert (found.pk, found.introduction, found.published_at, found.public_token) == (
        saved.pk,
        saved.introduction,
        saved.published_at,
        saved.public_token,
    )
    saved.delete()
    assert reports.report_of(exercise).pk is None

    read = themes.exercise_of(exercise.pk)
    assert read is not None
    assert (read.pk, read.title, read.channels, read.area) == (
        exercise.pk,
        exercise.title,
        exercise.channels,
        exercise.area,
    )
    assert themes.exercise_of(10**30) is None
    assert themes.exercise_of(exercise.pk + 1000) is None


class _Fields(forms.Form):
    plain = forms.CharField(label="Say <what> & why?", max_length=5)
    number = forms.IntegerField(label="How many", required=False, help_text="A <small> one & more")
    agree = forms.BooleanField(label="Agree", help_text="Tick it")
    pick = forms.ChoiceField(
        label="Pick", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "far too long", "number": "x", "agree": "", "pick": "z"},
        {"plain": "ok", "number": "3", "agree": "on", "pick": "a"},
    ],
)
def test_a_form_field_is_what_field_html_wrote(data):
    for form in (_Fields(data), SuggestForm(data and {"k": "1", "seed": "-2"})):
        for name in form.fields:
            old = "{% with field=form." + name + ' %}{% include "field.html" %}{% endwith %}'
            new = "{% load listening_pages %}{{ form." + name + "|field_row }}"
            assert _render(new, form=form) == _render(old, form=form), name


@pytest.mark.django_db
def test_the_public_link_reads_the_latest_published_version_only(world, exercise: Exercise):
    report = Report.objects.create(exercise=exercise)
    for number in (1, 2):
        ReportVersion.objects.create(report=report, number=number, data={"n": number}, digest="d")
    assert reports.published_version(report.public_token) is None  # not published
    report.published_at = timezone.now()
    report.save()
    found = reports.published_version(report.public_token)
    assert found is not None
    assert (found.number, found.data, found.report_id) == (2, {"n": 2}, report.pk)
    assert reports.published_version("no such token") is None
    assert reports.published_version(report.public_token + "x") is None


def _by_title(title: str) -> QuerySet[Any]:
    return Exercise.objects.filter(title=title).values_list("pk", "question")


def _by_title_twice(title: str) -> QuerySet[Any]:
    return Exercise.objects.filter(title=title, question=title).values_list("pk")


def _not_by_title(title: str) -> QuerySet[Any]:
    return Exercise.objects.filter(title="fixed").values_list("pk")


@pytest.mark.django_db
def test_a_query_written_by_value_runs_with_each_value_or_fails_loudly(world, exercise):
    from alongside.core.written import rows_by_values as rows

    assert rows(_by_title, exercise.title) == [(exercise.pk, exercise.question)]
    assert rows(_by_title, "no such title") == []
    for unsure in (_by_title_twice, _not_by_title):
        with pytest.raises(RuntimeError):
            rows(unsure, exercise.title)

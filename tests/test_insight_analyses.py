"""The analysis pages: an analyst works out who is let down most, sees the forest plots with
their tables and the findings, and starts a draft listening exercise from a flagged group,
linked both ways and never twice. Nobody else gets in."""

# ruff: noqa: S608 - the test writes its own tables, by their own names

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.accounts.models import Membership, Organisation, Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.insight import stats, storage
from alongside.insight.models import Analysis, DataSet, Finding
from alongside.listening.models import Exercise
from tests.factories import area, organisation, staff, text_of, world

pytestmark = pytest.mark.django_db

BLACK = "Black, Black British, Black Welsh, Caribbean or African"
ASIAN = "Asian, Asian British or Asian Welsh"
MIXED = "Mixed or Multiple ethnic groups"


def _data_sets(w):
    """Records: 300 White residents (180 housed), 100 Black residents (30 housed), 6 Asian
    residents (all housed), 20 of Mixed ethnicity (10 housed). A population of 90,000 White,
    5,000 Black, 5,000 Asian and 2,000 Mixed residents."""
    place, council = w["area"], w["council"]
    records = DataSet.objects.create(
        area=place,
        organisation=council,
        kind=DataSet.Kind.RECORDS,
        title="Housing advice 2024",
        status=DataSet.Status.READY,
        mapping={
            "person_id": "Client",
            "date": "Date",
            "service": "Service",
            "characteristics": {"ethnicity": "Ethnic group", "sex": "Sex"},
            "outcomes": {"housed": {"column": "Housed?", "phrase": "housed"}},
        },
    )
    population = DataSet.objects.create(
        area=place,
        organisation=council,
        kind=DataSet.Kind.POPULATION,
        title="Census 2021",
        status=DataSet.Status.READY,
        mapping={"characteristics": {"ethnicity": "Ethnic group"}, "count": "Residents"},
    )
    with storage.writing(place.pk) as connection:
        connection.execute(
            f"""CREATE TABLE {records.table_name} AS
            SELECT 'p' || i AS person_id, DATE '2024-01-01' + CAST(i % 200 AS INTEGER) AS date,
                'Advice' AS service,
                CASE WHEN i < 300 THEN 'White' WHEN i < 400 THEN '{BLACK}'
                    WHEN i < 406 THEN '{ASIAN}' ELSE '{MIXED}' END
                    AS ethnicity,
                CASE WHEN i % 2 = 0 THEN 'Female' ELSE 'Male' END AS sex,
                CASE WHEN i < 300 THEN i < 180 WHEN i < 400 THEN i < 330 WHEN i < 406 THEN true
                    ELSE i % 2 = 0 END
                    AS outcome_housed
            FROM range(426) t(i)"""
        )
        connection.execute(
            f"""CREATE TABLE {population.table_name} AS SELECT * FROM (VALUES
            ('White', 90000), ('{BLACK}', 5000), ('{ASIAN}', 5000), ('{MIXED}', 2000))
            t(ethnicity, count)"""
        )
    return records, population


@pytest.fixture
def w():
    return world()


@pytest.fixture
def analysed(w, login):
    records, population = _data_sets(w)
    client = login(w["analyst"])
    response = client.post(
        reverse("insight:analysis_new"),
        {
            "records": records.pk,
            "population": population.pk,
            "by": "ethnicity",
            "outcome": "housed",
        },
    )
    analysis = Analysis.objects.get(records=records)
    assert response.status_code == 302
    assert response["Location"] == reverse("insight:analysis", args=[analysis.pk])
    return client, analysis


def test_the_analyst_chooses_records_then_what_to_compare(w, login):
    records, _ = _data_sets(w)
    client = login(w["analyst"])
    first = text_of(client.get(reverse("insight:analysis_new")))
    assert "Housing advice 2024" in first and "Next: what to compare" in first
    second = text_of(client.get(reverse("insight:analysis_new") + f"?records={records.pk}"))
    assert "Ethnic group" in second and "Census 2021" in second and "housed" in second
    # A choice the data set does not have is refused and the form shown again.
    refused = client.post(
        reverse("insight:analysis_new"), {"records": records.pk, "by": "religion", "outcome": ""}
    )
    assert refused.status_code == 200
    assert "Something needs changing" in text_of(refused)
    assert not Analysis.objects.exists()


def test_the_analysis_page_shows_plots_tables_findings_and_the_method(analysed):
    client, analysis = analysed
    # 30 of 100 housed against 180 + 6 + 10 of 326: flagged, in plain words.
    ratio = f"{stats.rate_ratio(30, 100, 196, 326).value:.2f}"
    expected = f"Black residents were housed at {ratio} times the rate of everyone else"
    sentences = set(analysis.findings.values_list("sentence", flat=True))
    assert expected in sentences
    page = client.get(reverse("insight:analysis", args=[analysis.pk]))
    html = page.content.decode()
    text = text_of(page)
    # Representation and the outcome are drawn; nobody came back 3 times or met 3 services,
    # so those say there is nothing to draw safely.
    assert html.count('role="img"') == 2
    assert text.count("nothing to draw") == 2
    assert "<desc" in html and "Clearly below 1: Black residents" in text
    assert expected + "." in text
    assert "Hear from this group: start a listening exercise" in text
    assert "Wilson interval" in text  # the method, written on the page
    # The Asian group of 6 is hidden: no rate, no ratio, and no count.
    assert "fewer than 10" in text
    asian = analysis.figures["groups"][
        [g["group"] for g in analysis.figures["groups"]].index(ASIAN)
    ]
    assert asian["n"] is None and asian["measures"]["outcome"]["rate"] is None
    # Nothing person-level: no pseudonymous id anywhere on the page.
    assert "p101" not in html and "p7<" not in html
    listing = text_of(client.get(reverse("insight:analyses")))
    assert "By ethnic group, with the outcome “housed”" in listing


def test_a_flagged_group_starts_one_draft_listening_exercise_linked_both_ways(w, analysed, login):
    client, analysis = analysed
    finding = analysis.findings.get(measure=Finding.Measure.OUTCOME, group=BLACK)
    url = reverse("insight:finding_listen", args=[finding.pk])
    response = client.post(url)
    # The analyst is no listener at the council: the draft waits for its listening team.
    assert response.status_code == 302
    assert response["Location"] == reverse("insight:finding", args=[finding.pk])
    exercise = Exercise.objects.get()
    assert exercise.starts_on is None  # a draft
    assert exercise.organisation == w["council"] and exercise.area == w["area"]
    assert exercise.target_groups == "Black residents"
    assert exercise.started_from == finding.sentence
    assert exercise.started_from_path == reverse("insight:finding", args=[finding.pk])
    assert not exercise.team.exists()
    finding.refresh_from_db()
    assert finding.exercise == exercise
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, detail__contains="listening draft"
    ).exists()
    page = text_of(client.get(reverse("insight:finding", args=[finding.pk])))
    assert "waits for the listening team of " + w["council"].name in page
    analysis_page = text_of(client.get(reverse("insight:analysis", args=[analysis.pk])))
    assert "A listening exercise has started from this." in analysis_page
    # A second click goes to the same draft.
    again = client.post(url)
    assert again["Location"] == reverse("insight:finding", args=[finding.pk])
    assert Exercise.objects.count() == 1
    # A listener at the council who is also its analyst joins the team and lands on it.
    listener = staff(Role.LISTENER, w["council"])
    Membership.objects.create(user=listener, organisation=w["council"], role=Role.ANALYST)
    other = analysis.findings.exclude(pk=finding.pk).first()
    second = login(listener).post(reverse("insight:finding_listen", args=[other.pk]))
    made = Exercise.objects.get(started_from=other.sentence)
    assert second["Location"] == reverse("listening:exercise", args=[made.pk])
    assert list(made.team.all()) == [listener]
    exercise_page = text_of(login(listener).get(second["Location"]))
    path = reverse("insight:finding", args=[other.pk])
    assert f'started from an area finding: <a href="{path}">{other.sentence}</a>' in exercise_page


def test_no_one_else_gets_in(w, analysed, login):
    _, analysis = analysed
    finding = analysis.findings.first()
    other_area = area()
    stranger = staff(Role.ANALYST, organisation(area_obj=other_area))
    far_commissioner = staff(
        Role.COMMISSIONER, organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=other_area)
    )
    for user in (w["coach"], w["lead"], stranger, far_commissioner):
        client = login(user)
        for name, args in (
            ("insight:analysis", [analysis.pk]),
            ("insight:finding", [finding.pk]),
        ):
            assert client.get(reverse(name, args=args)).status_code in (403, 404), (user, name)
        assert client.post(reverse("insight:finding_listen", args=[finding.pk])).status_code == 403
        assert (
            client.get(
                reverse("insight:analysis_new") + f"?records={analysis.records_id}"
            ).status_code
            == 403
        )
    assert login(w["coach"]).get(reverse("insight:analyses")).status_code == 403
    assert not Exercise.objects.exists()
    # The commissioner of the same area sees the figures (aggregates only).
    assert (
        login(w["commissioner"]).get(reverse("insight:analysis", args=[analysis.pk])).status_code
        == 200
    )


def test_what_cannot_be_analysed_is_refused_in_words(w):
    from alongside.insight.services.analyses import AnalysisRefusedError, analysis_create

    records, population = _data_sets(w)
    analyst = w["analyst"]
    with pytest.raises(AnalysisRefusedError, match="Choose a data set of service records"):
        analysis_create(
            actor=analyst, records=population, population=None, by="ethnicity", outcome=""
        )
    with pytest.raises(AnalysisRefusedError, match="Choose a population table"):
        analysis_create(
            actor=analyst, records=records, population=records, by="ethnicity", outcome=""
        )
    with pytest.raises(AnalysisRefusedError, match="has no sex column"):
        analysis_create(actor=analyst, records=records, population=population, by="sex", outcome="")
    records.status = DataSet.Status.CHECKING
    records.save()
    with pytest.raises(AnalysisRefusedError, match="not ready yet"):
        analysis_create(actor=analyst, records=records, population=None, by="ethnicity", outcome="")
    assert not Analysis.objects.exists()


def test_an_analysis_with_no_population_and_no_outcome(w, login):
    records, _ = _data_sets(w)
    client = login(w["analyst"])
    client.post(
        reverse("insight:analysis_new"),
        {"records": records.pk, "population": "", "by": "sex", "outcome": ""},
    )
    analysis = Analysis.objects.get(by="sex")
    assert analysis.population is None and analysis.outcome == ""
    assert set(analysis.figures["measures"]) == {
        "representation",
        "outcome",
        "repeat",
        "many_services",
    }
    assert not analysis.figures["measures"]["representation"]["available"]
    text = text_of(client.get(reverse("insight:analysis", args=[analysis.pk])))
    assert "Who is let down most, by sex" in text
    assert "In services, against the area's population" not in text
    assert "Coming back 3 or more times in 12 months" in text
    assert "Women" in text and "215" in text  # 213 women, rounded to the nearest 5


def test_the_analysis_and_finding_pages_have_a_fixed_query_count(analysed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, analysis = analysed
    counts = []
    for name, pk in (
        ("insight:analysis", analysis.pk),
        ("insight:finding", analysis.findings.first().pk),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[pk])).status_code == 200
        counts.append(len(queries))
    # Sessions, the user and their roles, the audit entry, the analysis and its findings:
    # the same however many groups or findings there are.
    assert counts[0] <= 6 and counts[1] <= 6, counts

"""Reads for who is let down most: the analyses of an area, one analysis as forest plots with
their tables, and one finding. Everything here comes from `Analysis.figures`, which were
protected when they were worked out (insight.equalities): no count leaves unrounded, no group
under 10 has a rate, and nothing names a person."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.text import capfirst

from alongside.accounts.models import Area
from alongside.core.forest_plot import ForestPlot, Row, describe
from alongside.core.words import day_month_year

from .. import equalities, fields
from ..models import Analysis, DataSet, Finding


def percent(value: float | None) -> str:
    if value is None:
        return ""
    shown = f"{value * 100:.1f}"
    return f"{shown.removesuffix('.0')}%"


def times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def between(low: float | None, high: float | None, show: Any) -> str:
    if low is None or high is None:
        return ""
    return f"{show(low)} to {show(high)}"


# --- the list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisRow:
    pk: int
    by_label: str
    outcome: str
    records: str
    made_on: str
    made_by: str
    findings: int


def analyses_for(area: Area) -> list[AnalysisRow]:
    """The area's analyses, newest first (one query)."""
    found = (
        Analysis.objects.filter(area=area)
        .select_related("records", "created_by")
        .annotate(finding_count=Count("findings"))
        .order_by("-created_at", "-pk")
    )
    return [
        AnalysisRow(
            pk=analysis.pk,
            by_label=fields.label(analysis.by),
            outcome=_outcome_words(analysis),
            records=analysis.records.title,
            made_on=day_month_year(analysis.created_at),
            made_by=_name(analysis.created_by),
            findings=analysis.finding_count,
        )
        for analysis in found
    ]


def _name(user: Any) -> str:
    if user is None:
        return "someone who has since left"
    return user.get_full_name() or user.get_username()


def _outcome_words(analysis: Analysis) -> str:
    if not analysis.outcome:
        return ""
    return equalities.outcome_words(analysis.outcome, analysis.figures.get("outcome_phrase", ""))


# --- choosing what to analyse ----------------------------------------------------------------


def records_choices(areas: list[Area]) -> QuerySet[DataSet]:
    return DataSet.objects.filter(
        area__in=areas, kind=DataSet.Kind.RECORDS, status=DataSet.Status.READY
    ).order_by("-imported_at", "-pk")


def population_choices(area_id: int) -> QuerySet[DataSet]:
    return DataSet.objects.filter(
        area_id=area_id, kind=DataSet.Kind.POPULATION, status=DataSet.Status.READY
    ).order_by("-imported_at", "-pk")


def characteristic_choices(records: DataSet) -> list[tuple[str, str]]:
    keys = ((records.mapping or {}).get("characteristics") or {}).keys()
    return [(key, fields.label(key)) for key in keys]


def outcome_choices(records: DataSet) -> list[tuple[str, str]]:
    outcomes = (records.mapping or {}).get("outcomes") or {}
    return [
        (key, capfirst(str(value.get("phrase") or value.get("column") or key)))
        for key, value in outcomes.items()
    ]


# --- one analysis ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    group: str
    people: str
    suppressed: bool
    rate: str
    rate_interval: str
    reference: str  # representation: the share of the population
    ratio: str
    ratio_interval: str
    flagged: bool
    words: str  # flagged in words, or why nothing is shown


@dataclass
class MeasureView:
    key: str
    title: str
    rate_heading: str
    plot: ForestPlot
    rows: list[TableRow] = field(default_factory=list)


@dataclass(frozen=True)
class FindingView:
    pk: int
    sentence: str
    measure: str
    exercise_id: int | None


@dataclass
class AnalysisPage:
    analysis: Analysis
    by_label: str
    outcome: str
    people: str
    records: str
    population: str
    made_on: str
    measures: list[MeasureView]
    findings: list[FindingView]  # groups the system lets down, the widest gap first
    doing_better: list[FindingView]  # groups flagged for doing better than everyone else
    method: list[str]


RATE_HEADINGS = {
    equalities.REPRESENTATION: "Share of people in services",
    equalities.OUTCOME: "Rate (95% interval)",
    equalities.REPEAT: "Share coming back (95% interval)",
    equalities.MANY_SERVICES: "Share in 3 or more services (95% interval)",
}


def _words(figure: dict[str, Any], measure: str, group: dict[str, Any], figures: dict) -> str:
    if group.get("not_recorded") and figure.get("ratio") is not None:
        return "Not compared: there is nothing to compare it with"
    if figure.get("withheld"):
        return str(figure["withheld"]).capitalize()
    if figure.get("flagged"):
        return (
            equalities.sentence(
                measure,
                group["people_words"],
                figure["ratio"],
                figures.get("outcome", ""),
                figures.get("outcome_phrase", ""),
            )
            + "."
        )
    if figure.get("ratio") is None:
        return ""
    return "Not flagged: the interval includes 1"


def _measure_view(key: str, title: str, figures: dict[str, Any], analysis_pk: int) -> MeasureView:
    rows: list[TableRow] = []
    plot_rows: list[Row] = []
    for group in figures.get("groups", []):
        figure = (group.get("measures") or {}).get(key) or {}
        words = _words(figure, key, group, figures)
        ratio = figure.get("ratio")
        rows.append(
            TableRow(
                group=group["people_words"],
                people=group["n_text"],
                suppressed=bool(group.get("suppressed")),
                rate=percent(figure.get("rate")),
                rate_interval=between(figure.get("ci_low"), figure.get("ci_high"), percent),
                reference=percent(figure.get("reference")),
                ratio=times(ratio),
                ratio_interval=between(
                    figure.get("ratio_ci_low"), figure.get("ratio_ci_high"), times
                ),
                flagged=bool(figure.get("flagged")),
                words=words,
            )
        )
        plot_rows.append(
            Row(
                label=group["people_words"],
                ratio=ratio,
                low=figure.get("ratio_ci_low"),
                high=figure.get("ratio_ci_high"),
                flagged=bool(figure.get("flagged")),
                note="hidden, to protect people"
                if group.get("suppressed")
                else ("too few to show" if figure.get("withheld") else "not compared"),
            )
        )
    plot_title = (
        f"{title}: each group against parity"
        if key == equalities.REPRESENTATION
        else f"{title}: each group against everyone else"
    )
    return MeasureView(
        key=key,
        title=title,
        rate_heading=RATE_HEADINGS[key],
        plot=ForestPlot(
            plot_id=f"plot-{analysis_pk}-{key}",
            title=plot_title,
            description=describe(plot_title, plot_rows),
            rows=plot_rows,
        ),
        rows=rows,
    )


def analysis_page(analysis: Analysis) -> AnalysisPage:
    figures = analysis.figures or {}
    measures = [
        _measure_view(key, str(about.get("title") or equalities.TITLES[key]), figures, analysis.pk)
        for key, about in (figures.get("measures") or {}).items()
        if about.get("available") and key in equalities.TITLES
    ]
    labels = dict(Finding.Measure.choices)
    flagged = sorted(
        analysis.findings.order_by("pk"), key=lambda f: -abs(math.log(max(f.ratio, 1e-9)))
    )

    def view(f: Finding) -> FindingView:
        return FindingView(f.pk, f.sentence, labels.get(f.measure, f.measure), f.exercise_id)

    return AnalysisPage(
        analysis=analysis,
        by_label=fields.label(analysis.by),
        outcome=_outcome_words(analysis),
        people=str((figures.get("people") or {}).get("text", "")),
        records=analysis.records.title,
        population=analysis.population.title if analysis.population else "",
        made_on=day_month_year(analysis.created_at),
        measures=measures,
        findings=[view(f) for f in flagged if f.fares_worse],
        doing_better=[view(f) for f in flagged if not f.fares_worse],
        method=list(figures.get("method") or []),
    )


# --- one finding ------------------------------------------------------------------------------


@dataclass
class FindingPage:
    finding: Finding
    measure: str
    people_words: str
    found_on: str
    ratio: str
    ratio_interval: str
    rows: list[tuple[str, TableRow]]  # the group on every measure of its analysis
    analysis_url: str
    exercise_title: str


def finding_page(finding: Finding) -> FindingPage:
    analysis = finding.analysis
    page = analysis_page(analysis)
    people_words = fields.people(analysis.by, finding.group)
    rows = [
        (measure.title, row)
        for measure in page.measures
        for row in measure.rows
        if row.group == people_words
    ]
    exercise = finding.exercise if finding.exercise_id else None
    return FindingPage(
        finding=finding,
        measure=dict(Finding.Measure.choices).get(finding.measure, finding.measure),
        people_words=people_words,
        found_on=day_month_year(finding.created_at),
        ratio=times(finding.ratio),
        ratio_interval=between(finding.ratio_ci_low, finding.ratio_ci_high, times),
        rows=rows,
        analysis_url=reverse("insight:analysis", args=[analysis.pk]),
        exercise_title=exercise.title if exercise is not None else "",
    )

"""Who is let down most (issue 14 items 2 and 4): the area's analyses, a new one, one analysis
as forest plots with their tables and its findings, one finding, and from a finding a draft
listening exercise.

The list and a new analysis need an analyst's or commissioner's role in the area
(INSIGHT_WORK); an analysis or finding asks INSIGHT_ITEM, so another area's is a 403,
audited. Every figure shown was protected when it was worked out (insight.equalities).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.core.forms import record_id

from ..forms_analyses import AnalysisForm, RecordsForm
from ..models import Analysis, DataSet, Finding
from ..selectors import analyses as selectors
from ..services import analyses as services
from .home import area_query, chosen_area, insight_areas

Action = policy.Action


@login_required
@require_http_methods(["GET"])
def analyses(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "analyses")
    return render(
        request,
        "insight/analyses/list.html",
        {
            "area": area,
            "areas": areas,
            "area_query": area_query(area, areas),
            "rows": selectors.analyses_for(area),
            "has_records": selectors.records_choices([area]).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_new(request: HttpRequest) -> HttpResponse:
    areas = insight_areas(request, "analysis add")
    choices = selectors.records_choices(areas)
    asked = record_id(request.POST.get("records") or request.GET.get("records"))
    records = None
    if asked is not None:
        records = get_object_or_404(DataSet, pk=asked)
        policy.authorize(request, Action.INSIGHT_ITEM, records, detail="analysis add")
    if records is None or not choices.filter(pk=records.pk).exists():
        # The first step: which records (a data set not ready, or not of records, is asked
        # about again with the ones that are).
        form = RecordsForm(
            request.GET if "records" in request.GET else None,
            choices=choices,
        )
        if records is not None:
            form.is_valid()
            form.add_error(
                "records", f"{records.title} cannot be analysed: choose one that is ready."
            )
        return render(
            request, "insight/analyses/choose.html", {"form": form, "has_records": choices.exists()}
        )

    populations = selectors.population_choices(records.area_id)
    form = AnalysisForm(
        request.POST if request.method == "POST" else None,
        initial={"records": records.pk, "population": populations.first()},
        records=choices,
        populations=populations,
        characteristics=selectors.characteristic_choices(records),
        outcomes=selectors.outcome_choices(records),
    )
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_create(
                actor=request.user,
                records=records,
                population=form.cleaned_data["population"],
                by=form.cleaned_data["by"],
                outcome=form.cleaned_data["outcome"] or "",
            )
        except services.AnalysisRefusedError as problem:
            form.add_error(None, str(problem))
        else:
            found = analysis.findings.count()
            messages.success(
                request,
                f"The figures are worked out: {found} group{'s' if found != 1 else ''} flagged."
                if found
                else "The figures are worked out: no group's interval excludes parity.",
            )
            return redirect("insight:analysis", analysis_id=analysis.pk)
    return render(
        request,
        "insight/analyses/form.html",
        {"form": form, "records": records, "choices_count": choices.count()},
    )


def analysis_for(request: HttpRequest, analysis_id: int, detail: str) -> Analysis:
    analysis = get_object_or_404(
        Analysis.objects.select_related("records", "population", "area"), pk=analysis_id
    )
    policy.authorize(request, Action.INSIGHT_ITEM, analysis, detail=detail)
    return analysis


@login_required
@require_http_methods(["GET"])
def analysis(request: HttpRequest, analysis_id: int) -> HttpResponse:
    found = analysis_for(request, analysis_id, "analysis")
    return render(
        request, "insight/analyses/analysis.html", {"page": selectors.analysis_page(found)}
    )


def finding_for(request: HttpRequest, finding_id: int, detail: str) -> Finding:
    finding = get_object_or_404(
        Finding.objects.select_related(
            "analysis__records", "analysis__population", "area", "organisation", "exercise"
        ),
        pk=finding_id,
    )
    policy.authorize(request, Action.INSIGHT_ITEM, finding, detail=detail)
    return finding


@login_required
@require_http_methods(["GET"])
def finding(request: HttpRequest, finding_id: int) -> HttpResponse:
    found = finding_for(request, finding_id, "finding")
    can_see_exercise = found.exercise is not None and policy.can(
        request.user, Action.EXERCISE_VIEW, found.exercise
    )
    return render(
        request,
        "insight/analyses/finding.html",
        {"page": selectors.finding_page(found), "can_see_exercise": can_see_exercise},
    )


@login_required
@require_http_methods(["POST"])
def finding_listen(request: HttpRequest, finding_id: int) -> HttpResponse:
    found = get_object_or_404(Finding.objects.select_related("organisation"), pk=finding_id)
    had_one = found.exercise_id is not None
    exercise = services.finding_start_listening(actor=request.user, finding=found)
    if policy.can(request.user, Action.EXERCISE_VIEW, exercise):
        if not had_one:
            messages.success(request, "A draft listening exercise is ready for you to shape.")
        return redirect("listening:exercise", exercise_id=exercise.pk)
    messages.info(
        request,
        f"The draft listening exercise “{exercise.title}” waits for the listening team of "
        f"{found.organisation.name} to shape it and set a start date."
        if not had_one
        else f"A draft listening exercise was started already: it waits for the listening "
        f"team of {found.organisation.name}.",
    )
    return redirect("insight:finding", finding_id=found.pk)


urlpatterns: list[URLPattern] = [
    path("analyses/", analyses, name="analyses"),
    path("analyses/new/", analysis_new, name="analysis_new"),
    path("analyses/<int:analysis_id>/", analysis, name="analysis"),
    path("findings/<int:finding_id>/", finding, name="finding"),
    path("findings/<int:finding_id>/listen/", finding_listen, name="finding_listen"),
]

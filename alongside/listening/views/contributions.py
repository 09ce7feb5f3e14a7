"""Listening pages: capturing a contribution on a phone, bringing many in from a file,
the list, one contribution, and checking what was taken out of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from .. import uploads
from ..forms import ContributionEditForm, ContributionForm, ImportForm, ReviewForm
from ..models import Contribution
from ..selectors import exercises as selectors
from ..selectors import imports as imports_selectors
from ..services import contributions as services
from ..services import imports
from .exercises import exercise_for
from .progress import job_progress

Action = policy.Action
# What the listener chose last time, so "Save and add another" starts from it.
LAST_KEY = "listening_last_capture"


def contribution_for(
    request: HttpRequest, exercise_id: int, contribution_id: int, detail: str
) -> tuple[Contribution, bool]:
    """The contribution, and whether this user sees the words as heard. Opening the
    original is audited as a view of the original; anyone else in the team is audited
    reading the redacted text; anyone outside it is refused (audited)."""
    contribution = get_object_or_404(
        Contribution.objects.select_related("exercise__organisation", "captured_by", "reviewed_by"),
        pk=contribution_id,
        exercise_id=exercise_id,
    )
    if policy.can(request.user, Action.CONTRIBUTION_ORIGINAL, contribution):
        policy.authorize(
            request, Action.CONTRIBUTION_ORIGINAL, contribution, detail=f"{detail}: original"
        )
        return contribution, True
    policy.authorize(request, Action.CONTRIBUTION_VIEW, contribution, detail=f"{detail}: redacted")
    return contribution, False


def _remembered(request: HttpRequest, exercise_id: int) -> dict[str, Any]:
    last = request.session.get(LAST_KEY) or {}
    return last.get("values", {}) if last.get("exercise") == exercise_id else {}


def _remember(request: HttpRequest, exercise_id: int, form: ContributionForm) -> None:
    data = form.cleaned_data
    request.session[LAST_KEY] = {
        "exercise": exercise_id,
        "values": {
            "channel": data["channel"],
            "place": data["place"],
            "heard_on": data["heard_on"].isoformat() if data["heard_on"] else "",
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def contribution_add(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_WORK, "contribution add")
    form = ContributionForm(
        request.POST or None, channels=exercise.channels, initial=_remembered(request, exercise.pk)
    )
    if request.method == "POST" and form.is_valid():
        contribution = services.contribution_create(
            actor=request.user, exercise=exercise, fields=form.fields_for_service()
        )
        _remember(request, exercise.pk, form)
        if "another" in request.POST:
            messages.success(request, "Saved. Ready for the next one.")
            return redirect("listening:contribution_add", exercise_id=exercise.pk)
        messages.success(request, "Saved. Only you can see their words as you wrote them.")
        return redirect(
            "listening:contribution", exercise_id=exercise.pk, contribution_id=contribution.pk
        )
    return render(
        request,
        "listening/contribution_add.html",
        {"exercise": exercise, "form": form, "places": selectors.places_used(exercise)},
        status=400 if form.errors else 200,
    )


@login_required
def contributions(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_WORK, "contributions")
    listing = selectors.contributions(
        exercise, request.GET.get("show", "waiting"), request.GET.get("page")
    )
    audit.record(
        request.user, AuditAction.VIEW, exercise, detail=f"contributions {listing['show']}"
    )
    return render(request, "listening/contributions.html", {"exercise": exercise, **listing})


@login_required
def contribution(request: HttpRequest, exercise_id: int, contribution_id: int) -> HttpResponse:
    contribution, original = contribution_for(request, exercise_id, contribution_id, "read")
    context = {
        "exercise": contribution.exercise,
        "contribution": contribution,
        "original": original,
        **selectors.contribution_page(contribution, original=original),
    }
    return render(request, "listening/contribution.html", context)


def _render_review(
    request: HttpRequest,
    contribution: Contribution,
    original: bool,
    form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.contribution_page(contribution, original=original)
    if form is None:
        form = ReviewForm(redactions=page["redactions"], initial={"version": contribution.version})
    context = {
        "exercise": contribution.exercise,
        "contribution": contribution,
        "original": original,
        "form": form,
        **page,
    }
    return render(request, "listening/contribution_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_review(
    request: HttpRequest, exercise_id: int, contribution_id: int
) -> HttpResponse:
    contribution, original = contribution_for(request, exercise_id, contribution_id, "review")
    if request.method == "GET":
        return _render_review(request, contribution, original)
    page = selectors.contribution_page(contribution, original=original)
    form = ReviewForm(request.POST, redactions=page["redactions"])
    if not form.is_valid():
        return _render_review(request, contribution, original, form, status=400)
    finish = "add_words" not in request.POST
    try:
        services.contribution_review(
            actor=request.user,
            contribution=contribution,
            decisions=form.decisions(),
            extra_words=[form.cleaned_data["extra_words"]],
            version=form.cleaned_data["version"],
            label=form.cleaned_data["extra_label"] or services.TEAM_LABEL_DEFAULT,
            finish=finish,
        )
    except services.WordsNotFoundError:
        form.add_error(
            "extra_words",
            "We couldn't find those exact words in the text you can see. Check the spelling, "
            "or copy them from the text above.",
        )
        return _render_review(request, contribution, original, form, status=400)
    except services.ContributionConflictError as conflict:
        messages.error(
            request,
            "Someone else changed this contribution while you were checking it. Here it is as "
            "they left it: please look again before you press Checked.",
        )
        return _render_review(request, conflict.current, original, status=409)
    if not finish:
        messages.success(request, "Taken out. Check the rest, then press “Checked”.")
        return redirect(
            "listening:contribution_review",
            exercise_id=exercise_id,
            contribution_id=contribution.pk,
        )
    messages.success(request, "Checked. Thank you.")
    following = selectors.next_waiting(contribution)
    if following is not None:
        return redirect(
            "listening:contribution_review", exercise_id=exercise_id, contribution_id=following
        )
    messages.info(request, "That was the last one waiting for a check.")
    return redirect(reverse("listening:contributions", args=[exercise_id]) + "?show=checked")


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, exercise_id: int, contribution_id: int) -> HttpResponse:
    contribution, original = contribution_for(request, exercise_id, contribution_id, "edit")
    exercise = contribution.exercise
    initial = ContributionForm.initial_from(contribution)
    if not original:
        initial.pop("text")
    form = ContributionEditForm(
        request.POST or None, words=original, channels=exercise.channels, initial=initial
    )
    context: dict[str, Any] = {"exercise": exercise, "contribution": contribution, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_update(
                actor=request.user,
                contribution=contribution,
                fields=form.fields_for_service(contribution.text),
                version=form.cleaned_data["version"] or 0,
            )
        except services.ContributionConflictError as conflict:
            # Lose nothing: show theirs, keep what this person typed, and let a second
            # save knowingly replace theirs.
            posted = request.POST.copy()
            posted["version"] = str(conflict.current.version)
            form = ContributionEditForm(
                posted, words=original, channels=exercise.channels, initial=initial
            )
            form.is_valid()
            context.update(form=form, theirs=conflict.current)
            return render(request, "listening/contribution_edit.html", context, status=409)
        messages.success(request, "Saved.")
        return redirect(
            "listening:contribution", exercise_id=exercise.pk, contribution_id=contribution.pk
        )
    status = 400 if form.errors else 200
    return render(request, "listening/contribution_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_WORK, "contribution import")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[uploads.Problem] = []
    if request.method == "POST" and form.is_valid():
        check = uploads.check_upload(
            exercise,
            form.raw,
            form.kind,
            channel=form.cleaned_data["channel"],
            place=form.cleaned_data["place"],
        )
        if check.ok:
            job = imports.contributions_import_start(
                actor=request.user,
                exercise=exercise,
                rows=check.rows,
                source=form.kind.upper(),
                file_name=form.file_name,
            )
            return redirect("listening:import_progress", exercise_id=exercise.pk, job_id=job.pk)
        problems = check.problems
    status = 400 if (problems or form.errors) else 200
    context = {
        "exercise": exercise,
        "form": form,
        "problems": problems,
        "columns": uploads.COLUMNS,
        "max_mb": uploads.MAX_UPLOAD_BYTES // (1024 * 1024),
        "imports": imports_selectors.recent_imports(exercise, request.user),
    }
    return render(request, "listening/import.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def import_progress(request: HttpRequest, exercise_id: int, job_id: int) -> HttpResponse:
    """How far an import has got. htmx asks again every few seconds and swaps the progress in;
    without JavaScript a "Check again" link does the same."""
    exercise = exercise_for(request, exercise_id, Action.EXERCISE_WORK, "import progress")
    job = get_object_or_404(imports_selectors.imports_of(exercise), pk=job_id)
    words = {
        "url": reverse("listening:import_progress", args=[exercise.pk, job.pk]),
        "stopped": "This import stopped.",
        "again": "Bring the file in again",
        "again_url": reverse("listening:import", args=[exercise.pk]),
        "done": "Check the contributions",
        "done_url": reverse("listening:contributions", args=[exercise.pk]) + "?show=waiting",
        "running": "Taking out names and numbers",
        "counted": "checked",
        "leave": "You can leave this page: the import goes on, and nothing is saved until "
        "every row is ready.",
    }
    return job_progress(request, exercise, job, words)


urlpatterns: list[URLPattern] = [
    path("<int:exercise_id>/add/", contribution_add, name="contribution_add"),
    path("<int:exercise_id>/import/", import_file, name="import"),
    path("<int:exercise_id>/imports/<int:job_id>/", import_progress, name="import_progress"),
    path("<int:exercise_id>/contributions/", contributions, name="contributions"),
    path(
        "<int:exercise_id>/contributions/<int:contribution_id>/",
        contribution,
        name="contribution",
    ),
    path(
        "<int:exercise_id>/contributions/<int:contribution_id>/review/",
        contribution_review,
        name="contribution_review",
    ),
    path(
        "<int:exercise_id>/contributions/<int:contribution_id>/edit/",
        contribution_edit,
        name="contribution_edit",
    ),
]

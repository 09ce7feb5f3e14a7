"""Listening pages: themes. The engine suggests; the team renames, merges, splits, moves and
codes excerpts by hand, and a new suggestion never overwrites what a person decided."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..forms_themes import (
    ExcerptForm,
    MergeForm,
    SplitForm,
    SuggestForm,
    ThemeChoiceForm,
    ThemeForm,
)
from ..models import Exercise, Theme
from ..selectors import themes as selectors
from ..services import themes as services
from .progress import job_progress


def exercise_for(request: HttpRequest, exercise_id: int, detail: str) -> Exercise:
    """The exercise in the address, if the user is in its team (refusals are audited)."""
    exercise = selectors.exercise_of(exercise_id)
    if exercise is None:
        raise Http404("No Exercise matches the given query.")  # as get_object_or_404 says
    policy.require(request.user, policy.Action.EXERCISE_WORK, exercise, detail=detail)
    return exercise


def read(request: HttpRequest, exercise_id: int, detail: str) -> Exercise:
    """As `exercise_for`, and the read itself is audited: these pages show people's words."""
    exercise = exercise_for(request, exercise_id, detail)
    audit.record(request.user, AuditAction.VIEW, exercise, detail=detail)
    return exercise


def gate(request: HttpRequest, exercise_id: int, detail: str) -> Exercise:
    """A page with a form: showing it is an audited read, sending it is the service's write."""
    if request.method == "POST":
        return exercise_for(request, exercise_id, detail)
    return read(request, exercise_id, detail)


def _back_to_theme(theme: Theme) -> HttpResponse:
    return redirect("listening:theme", exercise_id=theme.exercise_id, theme_id=theme.pk)


@login_required
def themes(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = read(request, exercise_id, "themes")
    form = SuggestForm(initial={"seed": exercise.theme_seed})
    return _themes_page(request, exercise, form)


def _themes_page(
    request: HttpRequest, exercise: Exercise, form: SuggestForm, status: int = 200
) -> HttpResponse:
    context = {
        "exercise": exercise,
        "page": selectors.themes_page(exercise),
        "form": form,
        "suggestion": selectors.last_suggestion_unfinished(exercise),
    }
    return render(request, "listening/themes/index.html", context, status=status)


@login_required
@require_POST
def themes_suggest(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, "themes suggest")
    form = SuggestForm(request.POST)
    if not form.is_valid():
        return _themes_page(request, exercise, form, status=400)
    if selectors.suggests_in_the_background(exercise):
        job = services.themes_suggest_start(
            actor=request.user,
            exercise=exercise,
            k=form.cleaned_data["k"],
            seed=form.cleaned_data["seed"],
        )
        return redirect("listening:suggestion", exercise_id=exercise.pk, job_id=job.pk)
    try:
        outcome = services.themes_suggest(
            actor=request.user,
            exercise=exercise,
            k=form.cleaned_data["k"],
            seed=form.cleaned_data["seed"],
        )
    except (services.ThemeError, services.SuggestionUnavailableError) as error:
        messages.error(request, str(error))
        return redirect("listening:themes", exercise_id=exercise.pk)
    messages.success(request, outcome.summary)
    return redirect("listening:themes", exercise_id=exercise.pk)


@login_required
@require_http_methods(["GET"])
def suggestion(request: HttpRequest, exercise_id: int, job_id: int) -> HttpResponse:
    """How far finding themes in a big exercise has got."""
    exercise = exercise_for(request, exercise_id, "themes suggestion progress")
    job = get_object_or_404(selectors.suggestions_of(exercise), pk=job_id)
    themes_url = reverse("listening:themes", args=[exercise.pk])
    words = {
        "url": reverse("listening:suggestion", args=[exercise.pk, job.pk]),
        "stopped": "Finding themes stopped.",
        "again": "Back to the themes, to ask again",
        "again_url": themes_url,
        "done": "See the themes",
        "done_url": themes_url,
        "running": "Finding themes: reading every contribution and grouping those that say "
        "similar things. For a big exercise this takes a minute or two",
        "counted": "",
        "leave": "You can leave this page: it goes on, and nothing your team decided is changed.",
    }
    return job_progress(request, exercise, job, words)


@login_required
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest, exercise_id: int, theme_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"theme {theme_id}")
    one = selectors.theme_of(exercise, theme_id)
    detail = selectors.theme_detail(one)
    initial = {
        "title": one.title,
        "synthesis": one.synthesis,
        "recommendations": one.recommendations,
        "content_warnings": one.content_warnings,
        "headline": one.headline_id,
        "quotes": [q.excerpt.pk for q in detail.excerpts if q.excerpt.is_quote],
    }
    form = ThemeForm(request.POST or None, initial=initial, theme=one, choices=detail.quote_choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(actor=request.user, theme=one, **form.cleaned_data)
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Theme saved.")
            return _back_to_theme(one)
    status = 400 if request.method == "POST" else 200
    context = {"exercise": exercise, "theme": one, "detail": detail, "form": form}
    return render(request, "listening/themes/theme.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_merge(request: HttpRequest, exercise_id: int, theme_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"theme {theme_id} merge")
    one = selectors.theme_of(exercise, theme_id)
    others = [t for t in selectors.choosable_themes(exercise) if t.pk != one.pk]
    form = MergeForm(request.POST or None, themes=others)
    if request.method == "POST" and form.is_valid():
        try:
            into = services.theme_merge(
                actor=request.user, theme=one, into=form.cleaned_data["into"]
            )
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Merged \u201c{one.title}\u201d into this theme.")
            return _back_to_theme(into)
    status = 400 if request.method == "POST" else 200
    context = {"exercise": exercise, "theme": one, "form": form}
    return render(request, "listening/themes/merge.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_split(request: HttpRequest, exercise_id: int, theme_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"theme {theme_id} split")
    one = selectors.theme_of(exercise, theme_id)
    form = SplitForm(request.POST or None, theme=one)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.theme_split(
                actor=request.user,
                theme=one,
                contributions=form.cleaned_data["members"],
                title=form.cleaned_data["title"],
            )
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "New theme made from the contributions you chose.")
            return _back_to_theme(new)
    status = 400 if request.method == "POST" else 200
    context = {"exercise": exercise, "theme": one, "form": form}
    return render(request, "listening/themes/split.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_move(request: HttpRequest, exercise_id: int, contribution_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"contribution {contribution_id} move")
    contribution = selectors.contribution_of(exercise, contribution_id)
    form = ThemeChoiceForm(
        request.POST or None,
        themes=selectors.choosable_themes(exercise),
        initial={"theme": contribution.theme_id},
    )
    if request.method == "POST" and form.is_valid():
        target = services.contribution_move(
            actor=request.user, contribution=contribution, to=form.chosen()
        )
        messages.success(request, f"Moved to \u201c{target.title}\u201d. It stays there.")
        return _back_to_theme(target)
    status = 400 if request.method == "POST" else 200
    context = {"exercise": exercise, "contribution": contribution, "form": form}
    return render(request, "listening/themes/move.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def excerpt_add(request: HttpRequest, exercise_id: int, contribution_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"contribution {contribution_id} excerpt")
    contribution = selectors.contribution_of(exercise, contribution_id)
    themes_here = selectors.choosable_themes(exercise)
    form = ExcerptForm(
        request.POST or None, themes=themes_here, initial={"theme": contribution.theme_id}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            excerpt = services.excerpt_add(
                actor=request.user,
                contribution=contribution,
                theme=data["theme"],
                words=data["words"],
                start_hint=data["start"],
            )
        except services.ThemeError as error:
            form.add_error("words", str(error))
        else:
            messages.success(request, "Excerpt highlighted and coded to this theme.")
            return _back_to_theme(excerpt.theme)
    status = 400 if request.method == "POST" else 200
    context = {"exercise": exercise, "contribution": contribution, "form": form}
    return render(request, "listening/themes/excerpt_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def excerpt_move(request: HttpRequest, exercise_id: int, excerpt_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, f"excerpt {excerpt_id} move")
    excerpt = selectors.excerpt_of(exercise, excerpt_id)
    others = [t for t in selectors.choosable_themes(exercise) if t.pk != excerpt.theme_id]
    form = ThemeChoiceForm(request.POST or None, themes=others, didnt_fit=False)
    if request.method == "POST" and form.is_valid():
        target = form.chosen()
        services.excerpt_move(actor=request.user, excerpt=excerpt, to=target)
        messages.success(request, f"Excerpt moved to \u201c{target.title}\u201d.")
        return _back_to_theme(target)
    status = 400 if request.method == "POST" else 200
    context = {
        "exercise": exercise,
        "excerpt": excerpt,
        "current": selectors.excerpt_is_current(excerpt),
        "form": form,
    }
    return render(request, "listening/themes/excerpt_move.html", context, status=status)


@login_required
@require_POST
def excerpt_remove(request: HttpRequest, exercise_id: int, excerpt_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, f"excerpt {excerpt_id} remove")
    excerpt = selectors.excerpt_of(exercise, excerpt_id)
    owner = excerpt.theme
    services.excerpt_remove(actor=request.user, excerpt=excerpt)
    messages.success(request, "Excerpt removed. The contribution is still in the theme.")
    return _back_to_theme(owner)


urlpatterns: list[URLPattern] = [
    path("<int:exercise_id>/themes/", themes, name="themes"),
    path("<int:exercise_id>/themes/suggest/", themes_suggest, name="themes_suggest"),
    path("<int:exercise_id>/themes/suggestions/<int:job_id>/", suggestion, name="suggestion"),
    path("<int:exercise_id>/themes/<int:theme_id>/", theme, name="theme"),
    path("<int:exercise_id>/themes/<int:theme_id>/merge/", theme_merge, name="theme_merge"),
    path("<int:exercise_id>/themes/<int:theme_id>/split/", theme_split, name="theme_split"),
    path(
        "<int:exercise_id>/themes/contributions/<int:contribution_id>/move/",
        contribution_move,
        name="contribution_move",
    ),
    path(
        "<int:exercise_id>/themes/contributions/<int:contribution_id>/excerpt/",
        excerpt_add,
        name="excerpt_add",
    ),
    path(
        "<int:exercise_id>/themes/excerpts/<int:excerpt_id>/move/",
        excerpt_move,
        name="excerpt_move",
    ),
    path(
        "<int:exercise_id>/themes/excerpts/<int:excerpt_id>/remove/",
        excerpt_remove,
        name="excerpt_remove",
    ),
]

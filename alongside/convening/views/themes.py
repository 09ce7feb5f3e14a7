"""Convening pages: system themes (issue 13, items 1-2). The themes a convening organisation
keeps, with live counts; the shared barriers not yet in any of them, each with the engine's
suggestion; one theme's evidence; and the forms that shape them.

Every page asks the policy: the list, a new theme and the suggestions need CONVENING_WORK in
the organisation, everything about one theme CONVENING_ITEM. Another organisation's theme is
a 403, audited. Reads that show barriers' (redacted) words are audited as views.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core import audit
from alongside.core.forms import record_id, reshown_after_conflict
from alongside.core.models import AuditAction

from ..forms_themes import AcceptForm, ListeningForm, PlaceForm, ThemeForm
from ..models import BarrierPlacement, SystemTheme
from ..selectors import themes as selectors
from ..services import themes as services

Action = policy.Action


def organisation_for(
    request: HttpRequest, detail: str, organisations: list[Organisation] | None = None
) -> Organisation:
    """The convening organisation a page works for: the one asked for (`organisation` in the
    query or the form), else the first where the user convenes. None at all: 403, audited."""
    if organisations is None:
        organisations = selectors.convening_organisations(request.user)
    asked = record_id(request.POST.get("organisation") or request.GET.get("organisation") or "")
    chosen = None
    if asked is not None:
        chosen = next((o for o in organisations if o.pk == asked), None)
    if chosen is None and organisations:
        chosen = organisations[0]
    if chosen is None:
        policy.record_denied(request, f"convening {detail}")
    assert chosen is not None  # noqa: S101 - record_denied raised otherwise
    policy.require(request.user, Action.CONVENING_WORK, chosen, detail=detail)
    return chosen


def theme_for(request: HttpRequest, theme_id: int, detail: str) -> SystemTheme:
    theme = selectors.theme_of(theme_id)
    if theme is None:
        raise Http404("No SystemTheme matches the given query.")
    policy.require(request.user, Action.CONVENING_ITEM, theme, detail=detail)
    return theme


def placement_for(request: HttpRequest, placement_id: int, detail: str) -> BarrierPlacement:
    placement = get_object_or_404(
        BarrierPlacement.objects.select_related("theme__organisation"),
        pk=placement_id,
        theme__isnull=False,
    )
    policy.require(request.user, Action.CONVENING_ITEM, placement.theme, detail=detail)
    return placement


def _themes_url(organisation: Organisation) -> str:
    return f"{reverse('convening:themes')}?organisation={organisation.pk}"


@login_required
@require_http_methods(["GET"])
def themes(request: HttpRequest) -> HttpResponse:
    organisations = selectors.convening_organisations(request.user)
    organisation = organisation_for(request, "themes", organisations)
    audit.record(
        request.user,
        AuditAction.VIEW,
        organisation,
        detail="convening themes",
        organisation_id=organisation.pk,
    )
    context = {"page": selectors.themes_page(organisation), "organisations": organisations}
    return render(request, "convening/themes/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme_add(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, "theme add")
    has_area = organisation.area_id is not None
    form = ThemeForm(request.POST or None, has_area=has_area, initial={"across_area": has_area})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            theme = services.theme_create(
                actor=request.user,
                organisation=organisation,
                title=data["title"],
                summary=data["summary"],
                across_area=data.get("across_area", False),
            )
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"System theme \u201c{theme.title}\u201d made.")
            return redirect("convening:theme", theme_id=theme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "organisation": organisation, "theme": None}
    return render(request, "convening/themes/form.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def theme(request: HttpRequest, theme_id: int) -> HttpResponse:
    one = theme_for(request, theme_id, f"theme {theme_id}")
    audit.record(request.user, AuditAction.VIEW, one, detail="system theme")
    detail = selectors.theme_detail(one)
    return render(request, "convening/themes/theme.html", {"theme": one, "detail": detail})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, theme_id: int) -> HttpResponse:
    one = theme_for(request, theme_id, f"theme {theme_id} edit")
    organisation = one.organisation
    has_area = organisation.area_id is not None
    initial = {
        "title": one.title,
        "summary": one.summary,
        "across_area": selectors.gathers_across(one, organisation),
        "version": one.version,
    }
    form = ThemeForm(request.POST or None, has_area=has_area, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.theme_update(
                actor=request.user,
                theme=one,
                version=data["version"] or 0,
                title=data["title"],
                summary=data["summary"],
                across_area=data.get("across_area", False),
            )
        except services.ThemeConflictError as conflict:
            # Lose nothing: show what they saved, keep what this convener typed, and let a
            # second save knowingly replace theirs.
            theirs = conflict.current
            form = reshown_after_conflict(
                lambda data: ThemeForm(data, has_area=has_area),
                request.POST,
                version=theirs.version,
                what="this theme",
                where="below",
            )
            context = {"form": form, "organisation": organisation, "theme": one, "theirs": theirs}
            return render(request, "convening/themes/form.html", context, status=409)
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Theme saved.")
            return redirect("convening:theme", theme_id=one.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "organisation": organisation, "theme": one, "theirs": theirs}
    return render(request, "convening/themes/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_listening(request: HttpRequest, theme_id: int) -> HttpResponse:
    one = theme_for(request, theme_id, f"theme {theme_id} listening")
    linkable = selectors.linkable_listening(one.organisation)
    form = ListeningForm(
        request.POST or None,
        themes=linkable,
        initial={"listening_themes": list(one.listening_themes.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_listening_set(
                actor=request.user,
                theme=one,
                listening_themes=form.cleaned_data["listening_themes"],
            )
        except services.ThemeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Listening themes linked.")
            return redirect("convening:theme", theme_id=one.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "theme": one, "any": linkable.exists()}
    return render(request, "convening/themes/listening.html", context, status=status)


@login_required
@require_POST
def place(request: HttpRequest) -> HttpResponse:
    """Put a barrier in a theme: a convener's choice, which a suggestion never moves."""
    organisation = organisation_for(request, "barrier place")
    asked = record_id(request.POST.get("theme") or "")
    named = SystemTheme.objects.filter(pk=asked).first() if asked is not None else None
    if named is not None:
        # Another organisation's theme: refused and audited, never a quiet redirect.
        policy.require(request.user, Action.CONVENING_ITEM, named, detail="barrier place")
    form = PlaceForm(request.POST, themes=selectors.themes_of(organisation))
    back = request.POST.get("back") == "theme"
    if not form.is_valid():
        messages.error(request, "Choose one of your organisation's themes for it.")
        return redirect(_themes_url(organisation))
    target = form.cleaned_data["theme"]
    try:
        services.barrier_place(
            actor=request.user,
            organisation=organisation,
            barrier_id=form.cleaned_data["barrier"],
            theme=target,
        )
    except services.ThemeError as error:
        messages.error(request, str(error))
        return redirect(_themes_url(organisation))
    messages.success(request, f"Put in \u201c{target.title}\u201d. It stays there.")
    if back:
        return redirect("convening:theme", theme_id=target.pk)
    return redirect(_themes_url(organisation))


@login_required
@require_POST
def placement_keep(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = placement_for(request, placement_id, f"placement {placement_id} keep")
    services.placement_keep(actor=request.user, placement=placement)
    messages.success(request, "Kept in this theme. It stays there.")
    return redirect("convening:theme", theme_id=placement.theme_id)


@login_required
@require_POST
def placement_remove(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = placement_for(request, placement_id, f"placement {placement_id} remove")
    services.placement_remove(actor=request.user, placement=placement)
    messages.success(
        request, "Taken out of this theme. It is back in \u201cnot yet in a theme\u201d."
    )
    return redirect("convening:theme", theme_id=placement.theme_id)


@login_required
@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request, "placements suggest")
    try:
        outcome = services.placements_suggest(actor=request.user, organisation=organisation)
    except services.ThemeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, outcome.summary)
    return redirect(_themes_url(organisation))


@login_required
@require_http_methods(["GET", "POST"])
def suggested(request: HttpRequest) -> HttpResponse:
    """Themes the engine suggests from the barriers not yet in a theme, to accept one by one."""
    organisation = organisation_for(request, "suggested themes")
    has_area = organisation.area_id is not None
    if request.method == "POST":
        form = AcceptForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                theme = services.suggested_theme_accept(
                    actor=request.user,
                    organisation=organisation,
                    title=data["title"],
                    barrier_ids=data["barriers"],
                    across_area=data["across_area"] and has_area,
                )
            except services.ThemeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"System theme \u201c{theme.title}\u201d made.")
                return redirect("convening:theme", theme_id=theme.pk)
        else:
            messages.error(request, "Give the theme a title, then accept it again.")
        return redirect(f"{reverse('convening:suggested')}?organisation={organisation.pk}")
    audit.record(
        request.user,
        AuditAction.VIEW,
        organisation,
        detail="suggested system themes",
        organisation_id=organisation.pk,
    )
    found = selectors.proposals(organisation)
    forms = [
        AcceptForm(
            initial={
                "title": proposal.label,
                "barriers": ",".join(map(str, proposal.barrier_ids)),
                "across_area": has_area,
            },
            auto_id=f"p{n}-%s",
        )
        for n, proposal in enumerate(found, start=1)
    ]
    for form in forms:
        if not has_area:
            del form.fields["across_area"]
    context = {
        "organisation": organisation,
        "proposals": list(zip(found, forms, strict=True)),
    }
    return render(request, "convening/themes/suggested.html", context)


urlpatterns: list[URLPattern] = [
    path("themes/", themes, name="themes"),
    path("themes/new/", theme_add, name="theme_add"),
    path("themes/place/", place, name="theme_place"),
    path("themes/suggest/", suggest, name="themes_suggest"),
    path("themes/suggested/", suggested, name="suggested"),
    path("themes/<int:theme_id>/", theme, name="theme"),
    path("themes/<int:theme_id>/edit/", theme_edit, name="theme_edit"),
    path("themes/<int:theme_id>/listening/", theme_listening, name="theme_listening"),
    path("themes/placements/<int:placement_id>/keep/", placement_keep, name="placement_keep"),
    path("themes/placements/<int:placement_id>/remove/", placement_remove, name="placement_remove"),
]

"""Pages for starting to work with someone and for how we work together."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from alongside.accounts import policy
from alongside.accounts import services as invite_services
from alongside.accounts.models import Organisation, Role

from ..forms_relationships import DatesForm, EndForm, IntensityForm, PauseForm, StartForm
from ..models import Person, Relationship
from ..services import relationships as services


@login_required
@require_POST
def invite_issue(request: HttpRequest, person_id: int) -> HttpResponse:
    """A new invite code for the person's own space (it replaces any passphrase they had)."""
    person = get_object_or_404(Person, pk=person_id)
    code = invite_services.invite_issue(actor=request.user, person=person)
    return render(request, "accounts/invite_issued.html", {"person": person, "code": code})


@login_required
def person_start(request: HttpRequest) -> HttpResponse:
    org_ids = policy.organisations_where(request.user, Role.COACH)
    if not org_ids:
        policy.record_denied(request, "person start")
    organisations = list(Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    form = StartForm(_data(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        if len(organisations) > 1:
            chosen = form.cleaned_data["organisation"]
            organisation = next(o for o in organisations if o.pk == chosen)
        else:
            organisation = organisations[0]
        person = services.person_start(
            actor=request.user,
            organisation=organisation,
            chosen_name=form.cleaned_data["chosen_name"],
            pronouns=form.cleaned_data["pronouns"],
        )
        messages.success(request, f"You've started getting to know {person.chosen_name}.")
        return redirect("coaching:person", person.pk)
    return render(request, "coaching/relationships/start.html", {"form": form})


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _relationship(request: HttpRequest, person_id: int, relationship_id: int) -> Relationship:
    relationship = get_object_or_404(
        Relationship.objects.select_related("person", "person__organisation", "coach"),
        pk=relationship_id,
        person_id=person_id,
    )
    policy.authorize(
        request, policy.Action.PERSON_CHANGE, relationship.person, detail="relationship"
    )
    return relationship


def _form_page(
    request: HttpRequest,
    relationship: Relationship,
    template: str,
    form: Any,
    save: Any,
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("coaching:person", relationship.person_id)
    context = {"form": form, "relationship": relationship, "person": relationship.person}
    return render(request, template, context)


@login_required
def relationship_pause(request: HttpRequest, person_id: int, relationship_id: int) -> HttpResponse:
    rel = _relationship(request, person_id, relationship_id)
    return _form_page(
        request,
        rel,
        "coaching/relationships/pause.html",
        PauseForm(_data(request), initial={"keep_in_touch": rel.keep_in_touch}),
        lambda data: services.relationship_pause(
            actor=request.user, relationship=rel, keep_in_touch=data["keep_in_touch"]
        ),
        "Paused. The door stays open.",
    )


@login_required
def relationship_end(request: HttpRequest, person_id: int, relationship_id: int) -> HttpResponse:
    rel = _relationship(request, person_id, relationship_id)
    return _form_page(
        request,
        rel,
        "coaching/relationships/end.html",
        EndForm(_data(request)),
        lambda data: services.relationship_end(
            actor=request.user, relationship=rel, in_place_now=data["in_place_now"]
        ),
        "Ended, by their choice. They can come back whenever they like.",
    )


@login_required
def relationship_work_together(
    request: HttpRequest, person_id: int, relationship_id: int
) -> HttpResponse:
    rel = _relationship(request, person_id, relationship_id)
    return _form_page(
        request,
        rel,
        "coaching/relationships/work_together.html",
        forms.Form(_data(request)),
        lambda data: services.relationship_work_together(actor=request.user, relationship=rel),
        "You're working together.",
    )


@login_required
def relationship_intensity(
    request: HttpRequest, person_id: int, relationship_id: int
) -> HttpResponse:
    rel = _relationship(request, person_id, relationship_id)
    return _form_page(
        request,
        rel,
        "coaching/relationships/intensity.html",
        IntensityForm(_data(request), initial={"intensity": rel.intensity}),
        lambda data: services.relationship_set_intensity(
            actor=request.user, relationship=rel, intensity=data["intensity"]
        ),
        "Saved how often you'll meet.",
    )


@login_required
def relationship_dates(request: HttpRequest, person_id: int, relationship_id: int) -> HttpResponse:
    rel = _relationship(request, person_id, relationship_id)
    initial = {"last_contact_on": rel.last_contact_on, "next_meeting_on": rel.next_meeting_on}
    return _form_page(
        request,
        rel,
        "coaching/relationships/dates.html",
        DatesForm(_data(request), initial=initial),
        lambda data: services.relationship_set_dates(
            actor=request.user,
            relationship=rel,
            last_contact_on=data["last_contact_on"],
            next_meeting_on=data["next_meeting_on"],
        ),
        "Saved the dates.",
    )


_REL = "<int:person_id>/relationship/<int:relationship_id>"

urlpatterns: list[URLPattern] = [
    path("start/", person_start, name="person_start"),
    path("<int:person_id>/invite/", invite_issue, name="invite_issue"),
    path(f"{_REL}/pause/", relationship_pause, name="relationship_pause"),
    path(f"{_REL}/end/", relationship_end, name="relationship_end"),
    path(f"{_REL}/work-together/", relationship_work_together, name="relationship_work_together"),
    path(f"{_REL}/how-often/", relationship_intensity, name="relationship_intensity"),
    path(f"{_REL}/dates/", relationship_dates, name="relationship_dates"),
]

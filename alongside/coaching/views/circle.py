"""Pages for the person's circle: people, groups and services in their life."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path

from alongside.accounts import policy

from ..forms_circle import CircleMemberForm
from ..models import CircleMember, Person
from ..services import circle as services
from . import person_or_404


def _save(request: HttpRequest, form: CircleMemberForm, save, person: Person, done: str):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("coaching:person", person.pk)
    return None


@login_required
def circle_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, policy.Action.PERSON_CHANGE, person, detail="circle")
    form = CircleMemberForm(request.POST if request.method == "POST" else None)
    done = _save(
        request,
        form,
        lambda data: services.circle_member_add(actor=request.user, person=person, **data),
        person,
        "Added to the circle.",
    )
    if done:
        return done
    return render(
        request, "coaching/circle/form.html", {"form": form, "person": person, "member": None}
    )


@login_required
def circle_edit(request: HttpRequest, person_id: int, member_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, policy.Action.PERSON_CHANGE, person, detail="circle")
    member = get_object_or_404(CircleMember, pk=member_id, person=person)
    initial = {field: getattr(member, field) for field in services.FIELDS}
    form = CircleMemberForm(request.POST if request.method == "POST" else None, initial=initial)
    done = _save(
        request,
        form,
        lambda data: services.circle_member_change(actor=request.user, member=member, **data),
        person,
        "Saved the changes to the circle.",
    )
    if done:
        return done
    return render(
        request, "coaching/circle/form.html", {"form": form, "person": person, "member": member}
    )


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/circle/add/", circle_add, name="circle_add"),
    path("<int:person_id>/circle/<int:member_id>/edit/", circle_edit, name="circle_edit"),
]

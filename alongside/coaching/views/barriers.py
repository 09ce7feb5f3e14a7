"""Pages for barriers: add one, change one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from alongside.accounts import policy
from alongside.accounts.policy import Action

from ..forms_barriers import BarrierForm
from ..models import Barrier
from ..services import barriers as services
from . import part_for, person_or_404


@login_required
def barrier_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_CHANGE, person, detail="barrier")
    form = BarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.barrier_create(actor=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Added to the things that got in the way.")
        return redirect("coaching:person", person.pk)
    return render(
        request,
        "coaching/barriers/form.html",
        {"person": person, "form": form, "is_person": person.user_id == request.user.pk},
    )


@login_required
def barrier_edit(request: HttpRequest, person_id: int, barrier_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    barrier = part_for(
        request,
        person,
        Barrier.objects.all(),
        barrier_id,
        action=Action.PERSON_CHANGE,
        detail="barrier",
    )
    barrier.person = person
    # Bind to a copy so a refused form never changes the instance before the service runs.
    form = BarrierForm(request.POST or None, instance=Barrier.objects.get(pk=barrier.pk))
    if request.method == "POST" and form.is_valid():
        services.barrier_update(actor=request.user, barrier=barrier, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("coaching:person", person.pk)
    return render(
        request,
        "coaching/barriers/form.html",
        {
            "person": person,
            "form": form,
            "barrier": barrier,
            "is_person": person.user_id == request.user.pk,
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/barriers/add/", barrier_add, name="barrier_add"),
    path("<int:person_id>/barriers/<int:barrier_id>/edit/", barrier_edit, name="barrier_edit"),
]

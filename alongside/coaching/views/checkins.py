"""Pages for check-ins: a person's check-ins with a chart of each measure, the check-in
form, and (for a lead) the organisation's instruments and loading a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from alongside.accounts import policy
from alongside.accounts.models import Organisation

from .. import instruments
from ..forms_checkins import CheckInForm, InstrumentLoadForm
from ..models import Instrument
from ..selectors import checkins as selectors
from ..services import checkins as services
from . import led_organisation, person_or_404


@login_required
def checkin_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, policy.Action.PERSON_VIEW, person, detail="check-ins")
    return render(
        request,
        "coaching/checkins/list.html",
        {
            "person": person,
            "groups": selectors.charts_for_person(person),
            "may_add": policy.can(request.user, policy.Action.PERSON_CHANGE, person),
        },
    )


@login_required
def checkin_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, policy.Action.PERSON_CHANGE, person, detail="check-in form")
    available = instruments.available(person.organisation)
    key = request.GET.get("instrument", "")
    if not key:
        keys = list(dict.fromkeys(d.key for d in available))
        if len(keys) > 1:
            choices = [instruments.latest(available, k) for k in keys]
            return render(
                request, "coaching/checkins/choose.html", {"person": person, "choices": choices}
            )
        key = keys[0]
    definition = instruments.latest(available, key)
    if definition is None:
        raise Http404("No such instrument")

    if request.method == "POST":
        form = CheckInForm(request.POST, definition=definition)
        if form.is_valid():
            try:
                services.checkin_record(
                    actor=request.user,
                    person=person,
                    instrument=definition,
                    answers=form.answers(),
                    taken_on=form.cleaned_data["taken_on"],
                )
            except ValidationError as error:
                for problem in error.messages:
                    form.add_error(None, problem)
            else:
                messages.success(request, "Check-in saved. Thank you.")
                return redirect("coaching:checkins", person_id=person.pk)
    else:
        form = CheckInForm(definition=definition)
    return render(
        request,
        "coaching/checkins/add.html",
        {"person": person, "form": form, "definition": definition},
    )


def _lead_organisation(request: HttpRequest) -> Organisation:
    """The organisation a lead manages instruments for (the first, or ?organisation=id)."""
    organisation, _ = led_organisation(request, "instruments")
    return organisation


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    organisation = _lead_organisation(request)
    loaded = list(
        Instrument.objects.filter(organisation=organisation)
        .select_related("loaded_by")
        .order_by("key", "loaded_at")
    )
    return render(
        request,
        "coaching/checkins/instruments.html",
        {"organisation": organisation, "shipped": instruments.shipped(), "loaded": loaded},
    )


@login_required
def instrument_load(request: HttpRequest) -> HttpResponse:
    organisation = _lead_organisation(request)
    if request.method == "POST":
        form = InstrumentLoadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                loaded = services.instrument_load(
                    actor=request.user, organisation=organisation, raw=form.raw
                )
            except ValidationError as error:
                for problem in error.messages:
                    form.add_error("file", problem)
            else:
                messages.success(request, f"Loaded {loaded.name}, version {loaded.version}.")
                return redirect("coaching:instruments")
    else:
        form = InstrumentLoadForm()
    return render(
        request,
        "coaching/checkins/instrument_load.html",
        {"organisation": organisation, "form": form},
    )


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/check-ins/", checkin_list, name="checkins"),
    path("<int:person_id>/check-ins/add/", checkin_add, name="checkin_add"),
    path("instruments/", instrument_list, name="instruments"),
    path("instruments/load/", instrument_load, name="instrument_load"),
]

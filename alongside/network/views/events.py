"""Network events (issue 15, item 4): the list, each event's page with sign-up and the waiting
list, the staff's pages to add, change and cancel one, and the iCalendar feeds.

Members of the event's network (NETWORK_MEMBER) see events and sign up; its staff
(NETWORK_STAFF) run them and see who is coming. The feeds are public, with no sign-in, so
calendar apps can subscribe: they never carry the link to join."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from alongside.accounts import policy
from alongside.core.forms import reshown_after_conflict
from alongside.core.words import in_london, when_words

from .. import ical
from ..forms_learning import CancelEventForm, EventForm
from ..models import Event, EventPlace
from ..selectors import events as events_selectors
from ..selectors import learning as selectors
from ..services import events as services

Action = policy.Action


def member_networks(request: HttpRequest, detail: str) -> list[Any]:
    """The networks the signed-in user belongs to; anyone in none is refused (and audited)."""
    networks = events_selectors.networks_of(request.user)
    if not networks:
        policy.record_denied(request, detail)
    return networks


def _event(request: HttpRequest, pk: int, action: Action, detail: str) -> Event:
    event = selectors.event_of(pk)
    if event is None:
        raise Http404("No event here.")
    policy.authorize(request, action, event.network, detail=detail)
    return event


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    # Plain rows from queries written once, the cards written in Python (issue 11).
    networks = member_networks(request, "network events")
    upcoming, past = events_selectors.events(request.user, {n.pk for n in networks})
    context = {
        "upcoming": upcoming,
        "past": past,
        "staff_networks": selectors.staff_networks(request.user, networks),
        "networks": networks,
    }
    return render(request, "network/events/list.html", context)


def _fields(form: EventForm) -> services.EventFields:
    data = form.cleaned_data
    return services.EventFields(
        title=data["title"],
        description=data["description"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        online=data["how"] == "online",
        join_url=data["join_url"],
        place_name=data["place_name"],
        address=data["address"],
        postcode=data["postcode"],
        capacity=data["capacity"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    networks = selectors.staff_networks(request.user, member_networks(request, "network event new"))
    if not networks:
        policy.record_denied(request, "network event new: not staff")
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, networks=networks)
        if form.is_valid():
            network = next(n for n in networks if n.pk == form.cleaned_data["network"])
            try:
                event = services.event_create(
                    actor=request.user, network=network, fields=_fields(form)
                )
            except services.EventError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Event added.")
                return redirect("network:event", pk=event.pk)
        status = 400
    else:
        form = EventForm(networks=networks, initial={"how": "online"})
    return render(request, "network/events/form.html", {"form": form, "event": None}, status=status)


@login_required
@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    one = _event(request, pk, Action.NETWORK_MEMBER, f"event {pk}")
    place = selectors.place_of(one, request.user)
    is_staff = policy.can(request.user, Action.NETWORK_STAFF, one.network)
    booked = selectors.booked_count(one)
    context = {
        "event": one,
        "when": selectors.event_when(one),
        "place": place,
        "has_place": place is not None and place.status == EventPlace.Status.BOOKED,
        "waiting": place is not None and place.status == EventPlace.Status.WAITING,
        "position": selectors.waiting_position(place)
        if place is not None and place.status == EventPlace.Status.WAITING
        else None,
        "booked": booked,
        "left": None if one.capacity is None else max(one.capacity - booked, 0),
        "finished": one.ends_at <= timezone.now(),
        "cancelled_when": when_words(one.cancelled_at) if one.cancelled_at else "",
        "is_staff": is_staff,
        "comers": selectors.who_is_coming(one) if is_staff else None,
        "location": ical.location_of(one),
    }
    return render(request, "network/events/event.html", context)


def _initial(one: Event) -> dict[str, Any]:
    start, end = in_london(one.starts_at), in_london(one.ends_at)
    return {
        "network": one.network_id,
        "title": one.title,
        "description": one.description,
        "day": start.date(),
        "starts": start.time().replace(second=0, microsecond=0),
        "ends": end.time().replace(second=0, microsecond=0),
        "how": "online" if one.online else "in_person",
        "join_url": one.join_url,
        "place_name": one.place_name,
        "address": one.address,
        "postcode": one.postcode,
        "capacity": one.capacity,
        "version": one.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    one = _event(request, pk, Action.NETWORK_STAFF, f"event {pk} edit")
    networks = [one.network]
    initial = _initial(one)
    status = 200
    theirs = None
    if request.method == "POST":
        form = EventForm(request.POST, networks=networks, initial=initial)
        if form.is_valid():
            try:
                services.event_update(
                    actor=request.user,
                    event=one,
                    version=form.cleaned_data.get("version") or 0,
                    fields=_fields(form),
                )
            except services.EventConflictError as conflict:
                form = reshown_after_conflict(
                    lambda data: EventForm(data, networks=networks, initial=initial),
                    request.POST,
                    version=conflict.current.version,
                    what="this event",
                )
                theirs = {
                    "event": conflict.current,
                    "when": selectors.event_when(conflict.current),
                    "location": ical.location_of(conflict.current),
                }
                status = 409
            except services.EventError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Event saved.")
                return redirect("network:event", pk=one.pk)
        else:
            status = 400
    else:
        form = EventForm(initial=initial, networks=networks)
    context = {"form": form, "event": one, "theirs": theirs}
    return render(request, "network/events/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    one = _event(request, pk, Action.NETWORK_STAFF, f"event {pk} cancel")
    if one.cancelled_at is not None:
        messages.info(request, "This event is already cancelled.")
        return redirect("network:event", pk=one.pk)
    if request.method == "POST":
        form = CancelEventForm(request.POST)
        if form.is_valid():
            try:
                services.event_cancel(
                    actor=request.user, event=one, version=form.cleaned_data["version"]
                )
            except services.EventConflictError:
                messages.error(
                    request,
                    "Someone changed this event a moment ago. Check it is still the one to "
                    "cancel, then cancel it again.",
                )
                return redirect("network:event", pk=one.pk)
            except services.EventError as error:
                messages.error(request, str(error))
                return redirect("network:event", pk=one.pk)
            messages.success(request, "Event cancelled. Everyone signed up has been told.")
            return redirect("network:event", pk=one.pk)
    context = {"event": one, "when": selectors.event_when(one)}
    return render(request, "network/events/cancel.html", context)


@login_required
@require_POST
def event_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    one = _event(request, pk, Action.NETWORK_MEMBER, f"event {pk} sign up")
    try:
        place = services.sign_up(actor=request.user, event=one)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        if place.status == EventPlace.Status.BOOKED:
            messages.success(request, "You have a place. We look forward to seeing you.")
        else:
            position = selectors.waiting_position(place)
            messages.success(
                request,
                f"The event is full, so you are on the waiting list: number {position}. "
                "If a place comes up, it is yours, and we will email you if we have your address.",
            )
    return redirect("network:event", pk=one.pk)


@login_required
@require_POST
def event_leave(request: HttpRequest, pk: int) -> HttpResponse:
    one = _event(request, pk, Action.NETWORK_MEMBER, f"event {pk} leave")
    try:
        services.leave(actor=request.user, event=one)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Done: you are no longer signed up.")
    return redirect("network:event", pk=one.pk)


# --- the calendar feeds (public) ---------------------------------------------------------


def _calendar_response(request: HttpRequest, events: list[Event], name: str) -> HttpResponse:
    body = ical.calendar(
        events,
        name=name,
        page_url=lambda e: request.build_absolute_uri(reverse("network:event", args=[e.pk])),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


# GET or HEAD: some calendar apps ask HEAD first.
@require_safe
def events_ics(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses a NUL in a query (a 500): no network's name has one.
    slug = request.GET.get("network", "").replace("\x00", "")
    network = None
    if slug:
        network = selectors.network_by_slug(slug[:100])
        if network is None:
            raise Http404("No network of that name.")
    name = f"{network.name}: events" if network else "Network events"
    return _calendar_response(request, selectors.feed_events(network=network), name)


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    one = selectors.event_of(pk)
    if one is None:
        raise Http404("No event here.")
    return _calendar_response(request, [one], f"{one.network.name}: {one.title}")


urlpatterns: list[URLPattern] = [
    path("events/", events, name="events"),
    path("events/new/", event_new, name="event_new"),
    path("events.ics", events_ics, name="events_ics"),
    path("events/<int:pk>/", event, name="event"),
    path("events/<int:pk>.ics", event_ics, name="event_ics"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", event_cancel, name="event_cancel"),
    path("events/<int:pk>/sign-up/", event_sign_up, name="event_sign_up"),
    path("events/<int:pk>/leave/", event_leave, name="event_leave"),
]

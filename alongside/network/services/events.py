"""Network events (issue 15, item 4): the writes.

The network's staff (NETWORK_STAFF) make, change and cancel events; changes carry a `version`
(an edit from an older page is refused, `EventConflictError`) and raise the iCalendar
`sequence`, so calendar apps take the change. Members (NETWORK_MEMBER) sign up and cancel.

Places are given out with the event's row locked (`select_for_update`) for the whole
transaction: two people signing up for the last place at once queue on that lock, and the
second counts the first's place, so they never both get it. When someone with a place
cancels, the first on the waiting list gets it, and an email once the change is committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from ..models import Event, EventPlace
from ..selectors.learning import event_when, organisation_for_place

Action = policy.Action
Status = EventPlace.Status


class EventError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class EventConflictError(Exception):
    """Someone else saved the event first. `current` is the event as they saved it."""

    def __init__(self, current: Event) -> None:
        super().__init__("event changed by someone else")
        self.current = current


@dataclass
class EventFields:
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    online: bool
    join_url: str = ""
    place_name: str = ""
    address: str = ""
    postcode: str = ""
    capacity: int | None = None


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def _checked(fields: EventFields) -> dict[str, object]:
    if not _clean(fields.title):
        raise EventError("Give the event a title.")
    if fields.ends_at <= fields.starts_at:
        raise EventError("The event must end after it starts.")
    if fields.capacity is not None and fields.capacity < 1:
        raise EventError("Places must be at least 1, or leave it blank for no limit.")
    join_url = _clean(fields.join_url)
    if fields.online:
        if not join_url.lower().startswith(("https://", "http://")):
            raise EventError("Give the link to join, starting https://.")
        place_name = address = postcode = ""
    else:
        join_url = ""
        place_name, address = _clean(fields.place_name), _clean(fields.address)
        postcode = _clean(fields.postcode).upper()
        # Capitals can be longer than what was typed ("ß" is "SS"): Event.postcode holds 20.
        if len(postcode) > 20:
            raise EventError("A postcode is at most 20 letters and numbers, such as LS2 9DX.")
        if not place_name or not address:
            raise EventError("Say where it is: the place and its address.")
    return {
        "title": _clean(fields.title),
        "description": _clean(fields.description),
        "starts_at": fields.starts_at,
        "ends_at": fields.ends_at,
        "online": fields.online,
        "join_url": join_url,
        "place_name": place_name,
        "address": address,
        "postcode": postcode,
        "capacity": fields.capacity,
    }


def event_create(*, actor: User, network: Organisation, fields: EventFields) -> Event:
    values = _checked(fields)
    with policy.writing(actor, Action.NETWORK_STAFF, network, detail="event add") as write:
        event = Event.objects.create(network=network, created_by=actor, **values)
        write.audit(AuditAction.CREATE, event, detail="event added")
    return event


def event_update(*, actor: User, event: Event, version: int, fields: EventFields) -> Event:
    """Save an edit that started from `version`. More places give the waiting list theirs."""
    values = _checked(fields)
    promoted: list[EventPlace] = []
    with policy.writing(actor, Action.NETWORK_STAFF, event.network, detail="event edit") as write:
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.version != version:
            raise EventConflictError(locked)
        if locked.cancelled_at is not None:
            raise EventError("This event is cancelled, so it can't be changed.")
        capacity = values["capacity"]
        if capacity is not None:
            booked = EventPlace.objects.filter(event=locked, status=Status.BOOKED).count()
            if isinstance(capacity, int) and capacity < booked:
                # Nobody loses a place they were given: fewer places than that is refused.
                raise EventError(
                    f"{booked} people already have a place, so there can't be fewer places "
                    "than that."
                )
        Event.objects.filter(pk=event.pk).update(
            **values,
            version=F("version") + 1,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        event.refresh_from_db()
        write.audit(AuditAction.CHANGE, event, detail=f"event changed to version {event.version}")
        promoted = _fill_places(event)
        for place in promoted:
            write.audit(AuditAction.CHANGE, place, detail="waiting list to a place")
    _tell_promoted(event, promoted)
    return event


def event_cancel(*, actor: User, event: Event, version: int) -> Event:
    with policy.writing(actor, Action.NETWORK_STAFF, event.network, detail="event cancel") as write:
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.version != version:
            raise EventConflictError(locked)
        if locked.cancelled_at is not None:
            raise EventError("This event is already cancelled.")
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            cancelled_at=now,
            updated_at=now,
            version=F("version") + 1,
            sequence=F("sequence") + 1,
        )
        event.refresh_from_db()
        write.audit(AuditAction.CHANGE, event, detail="event cancelled")
        told = list(
            EventPlace.objects.filter(event=event, status__in=(Status.BOOKED, Status.WAITING))
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    if told:
        subject = f"Cancelled: {event.title}"
        message = (
            f"We are sorry: {event.title} ({event_when(event)}) has been cancelled.\n\n"
            "You don't need to do anything."
        )
        transaction.on_commit(lambda: _send_each(subject, message, told))
    return event


def _send_each(subject: str, message: str, emails: list[str]) -> None:
    for email in emails:
        # One email each, so nobody sees who else was coming.
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=True)


def _fill_places(event: Event) -> list[EventPlace]:
    """Give places to the first on the waiting list while there is room. Called with the
    event's row locked."""
    if event.cancelled_at is not None:
        return []
    waiting = EventPlace.objects.filter(event=event, status=Status.WAITING).order_by(
        "created_at", "id"
    )
    if event.capacity is None:
        chosen = list(waiting)
    else:
        booked = EventPlace.objects.filter(event=event, status=Status.BOOKED).count()
        room = max(event.capacity - booked, 0)
        chosen = list(waiting[:room]) if room else []
    now = timezone.now()
    for place in chosen:
        place.status = Status.BOOKED
        place.updated_at = now
        place.save(update_fields=["status", "updated_at"])
    return chosen


def _tell_promoted(event: Event, promoted: list[EventPlace]) -> None:
    emails = [p.user.email for p in promoted if p.user.email]
    if not emails:
        return
    subject = f"You have a place: {event.title}"
    message = (
        f"Good news: a place has come up at {event.title} ({event_when(event)}), and it is "
        "yours.\n\nSign in to see the details. If you can no longer come, please cancel your "
        "place so someone else can have it."
    )
    transaction.on_commit(lambda: _send_each(subject, message, emails))


def sign_up(*, actor: User, event: Event) -> EventPlace:
    """A place if there is room, otherwise the end of the waiting list."""
    with policy.writing(
        actor, Action.NETWORK_MEMBER, event.network, detail="event sign up"
    ) as write:
        # The lock every sign-up and cancellation of this event queues on.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled_at is not None:
            raise EventError("This event is cancelled.")
        if locked.ends_at <= timezone.now():
            raise EventError("This event has finished.")
        place = EventPlace.objects.filter(event=locked, user=actor).first()
        if place is not None and place.status != Status.CANCELLED:
            raise EventError(
                "You already have a place."
                if place.status == Status.BOOKED
                else "You are already on the waiting list."
            )
        booked = EventPlace.objects.filter(event=locked, status=Status.BOOKED).count()
        room = locked.capacity is None or booked < locked.capacity
        status = Status.BOOKED if room else Status.WAITING
        now = timezone.now()
        if place is None:
            place = EventPlace.objects.create(
                event=locked,
                user=actor,
                organisation=organisation_for_place(actor, event.network),
                status=status,
                created_at=now,
                updated_at=now,
            )
        else:
            # Signing up again after cancelling joins the end of the queue.
            place.status = status
            place.created_at = now
            place.updated_at = now
            place.save(update_fields=["status", "created_at", "updated_at"])
        detail = "signed up: a place" if room else "signed up: waiting list"
        write.audit(AuditAction.CREATE, place, detail=detail)
    return place


def leave(*, actor: User, event: Event) -> EventPlace:
    """Cancel the actor's place (or their place on the waiting list). A place given up goes
    to the first on the waiting list."""
    promoted: list[EventPlace] = []
    with policy.writing(actor, Action.NETWORK_MEMBER, event.network, detail="event leave") as write:
        locked = Event.objects.select_for_update().get(pk=event.pk)
        place = EventPlace.objects.filter(event=locked, user=actor).first()
        if place is None or place.status == Status.CANCELLED:
            raise EventError("You don't have a place at this event.")
        had_place = place.status == Status.BOOKED
        place.status = Status.CANCELLED
        place.updated_at = timezone.now()
        place.save(update_fields=["status", "updated_at"])
        write.audit(AuditAction.CHANGE, place, detail="place cancelled")
        if had_place:
            promoted = _fill_places(locked)
            for each in promoted:
                write.audit(AuditAction.CHANGE, each, detail="waiting list to a place")
    _tell_promoted(event, promoted)
    return place

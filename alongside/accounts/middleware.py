"""Staff who must use two-factor sign-in get nowhere until they have given a code; sessions
nobody has used for a while are signed out."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from alongside.core import written

from .policy import is_person
from .selectors import requires_two_factor

# Open to anyone, so open to staff who have not yet given their code: the public directory and
# its Open Referral UK API serve only what is published (issue 15).
OPEN_PATHS = (
    "/healthz",
    "/static/",
    "/accounts/two-factor/",
    "/accounts/sign-out/",
    "/directory/",
    "/openreferral/",
)


class TwoFactorDeviceMiddleware(OTPMiddleware):
    """django-otp's middleware (which device, if any, verified this sign-in), reading the
    device with a query written once per connection (`core.written.one`): `.first()` put the
    query together on every request of staff who use two-factor, about 1,300 Python calls a
    page (issue 11). What counts as verified, and the checks on the device, are django-otp's."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        # Only what django-otp itself writes ("otp_totp.totpdevice/12") takes the short way;
        # anything else is django-otp's to read or refuse, as it always was.
        if not (device_id.isascii() and device_id.isdigit() and len(device_id) < 10):
            return super()._device_from_persistent_id(persistent_id)
        with suppress(ValueError, LookupError):
            model = apps.get_model(label)
            if issubclass(model, Device):
                return written.one(model, int(device_id))
        return None


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None:
            # This is the first to ask anything of the user, so they are read now anyway; what
            # follows (every template, the policy) then reads the user itself, not through
            # the two lazy wrappers auth and django-otp put round it, each attribute costing
            # several calls through each (issue 11).
            user = request.user = _unwrapped(user)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
            and requires_two_factor(user)
        ):
            return redirect(_two_factor_address(request))
        return self.get_response(request)


def _unwrapped(user: Any) -> Any:
    """The object inside however many lazy wrappers, read if it was not yet. Any attribute
    set on a wrapper went to this object, so it is the same user with the same fields."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


# Past this, the address would not survive the redirect (Django refuses a Location over
# 16,384 characters, and browsers and proxies balk long before).
LONGEST_NEXT = 2000


def _two_factor_address(request: HttpRequest) -> str:
    """The two-factor page, with where they were going to come back to after the code
    (two_factor checks `next`): the whole address if it is short enough, else the page
    without its query, else nothing (they land on their home page)."""
    page = reverse("accounts:two_factor")
    for going in (request.get_full_path(), request.path):
        quoted = quote(going)
        if len(quoted) <= LONGEST_NEXT:
            return f"{page}?next={quoted}"
    return page


IDLE_KEY = "alongside_last_seen"


class IdleTimeoutMiddleware:
    """Signs out a session nobody has used for a while, so a shared or lost phone does not
    stay signed in to someone's record. People get a shorter limit than staff, whose notes
    may take longer to write (settings SESSION_IDLE_MINUTES_PERSON / _STAFF)."""

    # Writing the session on every request costs a database write; a minute's slack is fine.
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY)
            if last_seen is not None and now - last_seen > _idle_limit_seconds(user):
                return _sign_out_idle(request)
            if last_seen is None or now - last_seen >= self.TOUCH_EVERY_SECONDS:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


def _idle_limit_seconds(user: object) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_PERSON
        if is_person(user)
        else settings.SESSION_IDLE_MINUTES_STAFF
    )
    return minutes * 60


def _sign_out_idle(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You were signed out because nobody used this for a while.")
    return redirect("accounts:sign_in")

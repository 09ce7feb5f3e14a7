"""Request ids (for tying audit rows and log lines together) and no-store caching."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes a well-formed X-Request-ID from a proxy, or makes one, and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Pages for a signed-in user may hold personal data: never keep them in a shared cache
    or in the back-button history of a phone someone else might pick up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


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
    from django.conf import settings

    from alongside.core.policy import is_person

    minutes = (
        settings.SESSION_IDLE_MINUTES_PERSON
        if is_person(user)
        else settings.SESSION_IDLE_MINUTES_STAFF
    )
    return minutes * 60


def _sign_out_idle(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django.contrib.auth import logout
    from django.shortcuts import redirect

    logout(request)
    messages.info(request, "You were signed out because nobody used this for a while.")
    return redirect("accounts:sign_in")

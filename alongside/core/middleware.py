"""Request ids (for tying audit rows and log lines together) and no-store caching."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import request_id as request_ids


class RequestIdMiddleware:
    """Takes a well-formed X-Request-ID from a proxy, or makes one, and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id, token = request_ids.begin(request.headers.get("X-Request-ID", ""))
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_ids.end(token)
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

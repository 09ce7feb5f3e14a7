"""Staff who must use two-factor sign-in get nowhere until they have given a code."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import requires_two_factor

OPEN_PATHS = ("/healthz", "/static/", "/accounts/two-factor/", "/accounts/sign-out/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
            and requires_two_factor(user)
        ):
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)

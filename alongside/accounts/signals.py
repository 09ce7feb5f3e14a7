"""Signing in starts the idle clock (accounts.middleware.IdleTimeoutMiddleware)."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import IDLE_KEY


@receiver(user_logged_in)
def start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())

"""Sign-ins, failed sign-ins and sign-outs go to the audit log (never to the app log)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record
from .models import AuditAction


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, AuditAction.SIGN_IN, user)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, AuditAction.SIGN_OUT, user)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict, request: Any = None, **kwargs: Any
) -> None:
    # The typed username is not stored: it may be a mistyped passphrase or someone's name.
    # When it matches an account, the entry points at that account instead.
    username = credentials.get("username") or ""
    target = get_user_model().objects.filter(username=username).first() if username else None
    record(target, AuditAction.SIGN_IN_FAILED, target)

"""Signing in with a username and a passphrase: Django's own backend, loading the signed-in
user together with their person record (if they have one) in the same query. Every page asks
whether the user is a person (policy.is_person); without this, that was a query of its own on
every page for every member of staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

PATH = "alongside.accounts.backends.UsernameBackend"


class UsernameBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("person")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

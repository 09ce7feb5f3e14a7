"""Organisations, areas, memberships and roles, sign-in, invite codes, and the policy: who
may do what to which object."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (signing in starts the idle clock)

"""Organisations, areas, memberships and roles, sign-in, invite codes."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

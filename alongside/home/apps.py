"""The top floor: each role's home page, the navigation, and the placeholders for modules
still to come. It may import any app; nothing imports it."""

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "alongside.home"
    label = "home"
    verbose_name = "Home"

"""The demo organisation (`seed_demo`) and its sign-ins. It sits at the top: it writes through
every feature app, and no app imports it."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "alongside.demo"
    label = "demo"
    verbose_name = "Demo"

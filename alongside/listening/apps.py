"""Listening exercises: one open question, many voices, an honest report."""

from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "alongside.listening"
    label = "listening"
    verbose_name = "Listening"

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the listening jobs)

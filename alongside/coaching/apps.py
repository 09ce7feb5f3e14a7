"""The person-led coaching record."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "alongside.coaching"
    label = "coaching"
    verbose_name = "Coaching"

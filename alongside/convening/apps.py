"""System themes, convening groups, experiments and recommendations."""

from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "alongside.convening"
    label = "convening"
    verbose_name = "Convening"

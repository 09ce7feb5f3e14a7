"""Directory, accreditation, events and resources."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alongside.network"
    label = "network"
    verbose_name = "Network"

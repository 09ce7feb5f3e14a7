"""Area equalities data, what good looks like, wellbeing across coaching."""

from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "alongside.insight"
    label = "insight"
    verbose_name = "Insight"

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the import job)

"""Directory, accreditation, events and resources."""

from datetime import timedelta

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "alongside.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from alongside.core import schedule

        from . import (
            jobs,  # noqa: F401  (registers the feed job, "network.feed")
            reminders,
        )
        from .services import feeds

        # Another directory's feed is brought in when its own interval has passed (checked
        # hourly); renewal reminders go out once a day.
        schedule.register("network.feeds", every=timedelta(hours=1), run=feeds.run_due_feeds)
        schedule.register(
            "network.renewal_reminders", every=timedelta(days=1), run=reminders.run_daily
        )

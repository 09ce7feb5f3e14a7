"""The person-led coaching record."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "alongside.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from alongside.core import backup

        from .services import erasure

        # A restore must not bring back a record erased since the backup was made.
        backup.keep_through_restore(
            "erasures",
            read=erasure.erasures_done,
            apply=lambda done: erasure.erasures_redo(done=done),
        )

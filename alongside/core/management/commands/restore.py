"""`manage.py restore FILE`: bring back a backup made by `manage.py backup` (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a backup made by `manage.py backup`. "
        "Everything checks out before anything changes; afterwards every table and file is "
        "checked against the backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The backup file (.tar.gz or .tar).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the data this site already holds (without it, restore refuses).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        say = self._say if options["verbosity"] >= 1 else self._silent
        try:
            summary = backup.restore_backup(archive, replace=options["yes"], say=say)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            # strerror, not the error itself, whose text can name an uploaded file.
            raise CommandError(
                f"The restore stopped: a file could not be written or read ({error.strerror}). "
                "Check the uploads folder and the database can be written to, then run the "
                "restore again."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {backup.contents(summary.rows, summary.tables, summary.files)} "
                f"from {archive}."
            )
        )
        for sentence in summary.kept:
            self.stdout.write(sentence)
        if summary.migrations_to_apply:
            self.stdout.write(
                f"The backup predates {summary.migrations_to_apply} of this version's database "
                "migrations: run `python manage.py migrate` before starting the site."
            )

    def _say(self, message: str) -> None:
        self.stdout.write(message)

    def _silent(self, message: str) -> None:
        pass

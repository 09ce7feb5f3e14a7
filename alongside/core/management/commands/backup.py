"""`manage.py backup`: one archive with the database and the uploaded files (core.backup)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core import backup


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the uploaded files to one archive, while the site "
        "keeps running. The archive holds personal data: keep it as safe as the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            metavar="DIR",
            help="Folder for the archive, named alongside-backup-<UTC time>.tar.gz "
            "(default: $BACKUP_DIR, or .local/backups/).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            metavar="FILE",
            help="Write exactly this file instead (.tar.gz, or .tar for no compression).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Afterwards, delete all but the newest N backups in the folder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] and (options["output_dir"] or options["keep"] is not None):
            raise CommandError("Give either --output FILE, or --output-dir DIR with --keep N.")
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be 1 or more: it never deletes the newest backup.")
        target = options["output"] or self._new_name(options["output_dir"])
        say = self._say if options["verbosity"] >= 1 else self._silent
        try:
            manifest = backup.create_backup(target, say=say)
        except backup.BackupError as error:
            raise CommandError(f"{error} No backup was written.") from error
        except OSError as error:
            # strerror, not the error itself, whose text can name an uploaded file.
            raise CommandError(
                f"Could not write the backup to {target.parent} ({error.strerror}). "
                "No backup was written."
            ) from error
        if options["verbosity"] >= 1:
            held = backup.contents(manifest.rows, len(manifest.tables), len(manifest.media))
            self.stdout.write(self.style.SUCCESS(f"Backed up {held} to {target}"))
        if options["keep"] is not None:
            backup.prune_backups(target, options["keep"], say=say)

    def _new_name(self, directory: Path | None) -> Path:
        directory = directory or backup.default_backup_dir()
        target = directory / backup.archive_name(datetime.now(UTC))
        # Two backups in one minute: never overwrite the first.
        n = 2
        while target.exists():
            target = directory / backup.archive_name(datetime.now(UTC)).replace(
                ".tar.gz", f"-{n}.tar.gz"
            )
            n += 1
        return target

    def _say(self, message: str) -> None:
        self.stdout.write(message)

    def _silent(self, message: str) -> None:
        pass

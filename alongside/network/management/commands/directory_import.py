"""`manage.py directory_import --network SLUG FILE`: bring an Open Referral UK (HSDS 3.0) JSON
document into a network's directory, all of it or none of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.network import hsds_import
from alongside.network.services import feeds

from .directory_export import network_from_slug

MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Bring an Open Referral UK (HSDS 3.0) JSON file into a network's directory: an export "
        "from directory_export, one record (a service, organisation, taxonomy...), a list of "
        "them, or a page of an API's list. Every record is checked first; if any needs "
        "fixing, each is named by its number and id and nothing is brought in. Records are "
        "matched to what is here by id, so bringing a file in again updates rather than "
        "duplicates. What is brought in is published at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--network", required=True, help="The network's slug (its web address name)."
        )
        parser.add_argument("file", help="The JSON file to bring in.")

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_slug(options["network"])
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path} is over {MAX_BYTES // (1024 * 1024)} MB.")
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as problem:
            raise CommandError(f"There is no file at {path}.") from problem
        except (UnicodeDecodeError, json.JSONDecodeError) as problem:
            raise CommandError(f"{path} is not JSON: {problem}.") from problem
        try:
            result = feeds.bring_in_document(network=network, data=data)
        except hsds_import.DocumentProblemError as problem:
            raise CommandError(str(problem)) from problem
        if not result.ok:
            for each in result.problems:
                self.stderr.write(str(each))
            count = len(result.problems)
            raise CommandError(
                f"Nothing was brought in: {count} problem{'s' if count != 1 else ''} to fix first."
            )
        self.stdout.write(
            f"Brought in {result.records} record{'s' if result.records != 1 else ''}: "
            f"{result.added} service{'s' if result.added != 1 else ''} added, "
            f"{result.updated} updated."
        )

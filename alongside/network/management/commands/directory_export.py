"""`manage.py directory_export --network SLUG [--out FILE]`: a network's published directory
as one Open Referral UK (HSDS 3.0) JSON document, which `directory_import` reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.accounts.models import Organisation
from alongside.network.selectors import openreferral


class Command(BaseCommand):
    help = (
        "Write a network's published directory (its taxonomies and terms, organisations and "
        "every published service in full) as Open Referral UK (HSDS 3.0) JSON. The same "
        "records /openreferral/ serves; directory_import reads the file back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--network", required=True, help="The network's slug (its web address name)."
        )
        parser.add_argument(
            "--out", help="The file to write. Without it, the JSON is written to the screen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = network_from_slug(options["network"])
        document = openreferral.directory_document(network.pk)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if not options.get("out"):
            self.stdout.write(text, ending="")
            return
        out = Path(options["out"])
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as problem:
            raise CommandError(f"Could not write {out}: {problem.strerror}.") from problem
        services = len(document["services"])  # type: ignore[arg-type]
        self.stdout.write(f"Wrote {services} service{'s' if services != 1 else ''} to {out}.")


def network_from_slug(slug: str) -> Organisation:
    network = Organisation.objects.filter(slug=slug).first()
    if network is None:
        raise CommandError(f"There is no organisation called {slug!r}.")
    if network.kind != Organisation.Kind.NETWORK:
        raise CommandError(f"{network.name} is not a network.")
    return network

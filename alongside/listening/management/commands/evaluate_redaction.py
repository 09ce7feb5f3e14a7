"""`manage.py evaluate_redaction --dataset FILE.jsonl`: how well the redaction engine finds
the identifying details labelled in FILE, as one JSON object on standard output.

Each line of FILE is {"text": ..., "spans": [{"start": int, "end": int, "label": str}]}, with
optional "extra_names" (the team's own list for that text) and "part" (e.g. "tune" or
"holdout": the report then breaks the figures down by part). How spans are matched is in
alongside/listening/redaction/evaluation.py and docs/listening-redaction.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.listening.redaction import find_identifying
from alongside.listening.redaction.evaluation import DatasetError, evaluate, read_dataset


class Command(BaseCommand):
    help = "Recall and precision of the redaction engine on a labelled JSON-lines file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, type=Path, help="labelled .jsonl file")
        parser.add_argument(
            "--part", default="", help='only the lines whose "part" is this (e.g. holdout)'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            examples = read_dataset(Path(options["dataset"]))
        except DatasetError as error:
            raise CommandError(str(error)) from error
        if options["part"]:
            examples = [e for e in examples if e.part == options["part"]]
            if not examples:
                raise CommandError(f"no lines with part {options['part']!r}")
        report = evaluate(examples, lambda text, names: find_identifying(text, names))
        self.stdout.write(json.dumps(report, indent=2))

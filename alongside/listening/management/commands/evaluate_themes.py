"""`manage.py evaluate_themes --dataset FILE.csv --text-column text --label-column label [--k K]
[--method minilm|static|tfidf] [--grouping spectral|kmeans] [--seed S] [--seeds N]`: how well
the suggested themes agree with hand labels, as one JSON object on standard output (nmi,
purity, n, k, seconds, method, grouping and counts; with --seeds, the spread over seeds and
their stability).

Without --method it measures what teams get: the sentence model's vectors (when installed) and
the default grouping, as an exercise's "Suggest themes" does.

"Didn't fit" is scored as a cluster of its own. The shipped sets are
alongside/listening/data/themes_eval.csv and themes_eval_holdout.csv; the figures and what they
mean are in docs/listening-themes.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.listening.themes import METHODS
from alongside.listening.themes.clustering import GROUPINGS
from alongside.listening.themes.evaluation import DatasetError, evaluate, read_dataset


class Command(BaseCommand):
    help = "NMI and purity of the suggested themes against the labels in a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, type=Path, help="labelled .csv file")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label")
        parser.add_argument("--k", type=int, default=None, help="themes wanted (default: chosen)")
        parser.add_argument("--method", choices=sorted(METHODS), default=None)
        parser.add_argument("--grouping", choices=GROUPINGS, default=None, help="default: spectral")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--seeds", type=int, default=1, help="also score this many seeds from --seed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["k"] is not None and options["k"] < 1:
            raise CommandError("--k must be at least 1")
        if not 1 <= options["seeds"] <= 100:
            raise CommandError("--seeds must be between 1 and 100")
        try:
            texts, labels = read_dataset(
                Path(options["dataset"]), options["text_column"], options["label_column"]
            )
        except DatasetError as error:
            raise CommandError(str(error)) from error
        report = evaluate(
            texts,
            labels,
            k=options["k"],
            seed=options["seed"],
            method=options["method"],
            grouping=options["grouping"],
            seeds=options["seeds"],
        )
        self.stdout.write(json.dumps(report))

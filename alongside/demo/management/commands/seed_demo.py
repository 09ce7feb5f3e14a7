"""`manage.py seed_demo`: build the synthetic demo and print its sign-ins."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from alongside.demo.seed import seed_demo, sign_in_table


class Command(BaseCommand):
    help = (
        "Build (or rebuild) the synthetic demo area, organisations, sign-ins and people. "
        "Everything is invented; never run this against a real deployment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=300, help="How many people (Sam included)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same demo.")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the demo's story is told from, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--first-time-only",
            action="store_true",
            help="If the demo is already there, only print the sign-ins.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo(
            people=options["people"],
            seed=options["seed"],
            first_time_only=options["first_time_only"],
            as_of=options["as_of"] or timezone.localdate(),
        )
        if report.skipped:
            self.stdout.write("The demo is already set up; left as it is.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo ready in {report.seconds:.1f}s: {report.people} people, "
                    f"{report.coaches} coaches, {report.conversations} conversations, "
                    f"{report.goals} goals, {report.check_ins} check-ins."
                )
            )
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (invented people; the passphrases are public):")
        self.stdout.write(sign_in_table())

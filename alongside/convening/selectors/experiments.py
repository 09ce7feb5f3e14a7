"""Reads for experiments: the list, and one experiment's page (hypothesis, measures before and
during, cycles in order, stories), in a fixed number of queries however much data there is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core.words import day_words

from ..models import ConveningGroup, Cycle, Experiment, Measure, Story, SystemTheme
from . import measures as measuring

STAGES = ("Plan", "Try", "Reflect", "Adapt")


def stage(cycle: Cycle) -> str:
    """Where a cycle is: planned → tried → reflected on → adapted (what changed written)."""
    if cycle.what_changed.strip():
        return "Adapt"
    if cycle.reflections.strip():
        return "Reflect"
    if cycle.tried.strip():
        return "Try"
    return "Plan"


def when_words(experiment: Experiment, today: date | None = None) -> str:
    today = today or timezone.localdate()
    start = day_words(experiment.starts_on, leave_out_year=today.year)
    end = day_words(experiment.ends_on, leave_out_year=today.year)
    if experiment.starts_on > today:
        return f"Starts {start}" + (f", until {end}" if end else "")
    if experiment.ends_on and experiment.ends_on < today:
        return f"Ran from {start} to {end}"
    return f"Running since {start}" + (f", until {end}" if end else "")


def experiments_for(user: Any) -> list[Experiment]:
    """Experiments of every organisation where the user convenes, newest first, each with
    `cycle_count` and its themes and group. Three queries."""
    orgs = policy.organisations_where(user, Role.CONVENER)
    return list(
        Experiment.objects.filter(organisation_id__in=orgs)
        .select_related("group", "organisation")
        .annotate(cycle_count=Count("cycles", distinct=True))
        .prefetch_related(Prefetch("themes", queryset=SystemTheme.objects.order_by("title")))
        .order_by("-starts_on", "-pk")
    )


@dataclass
class CycleRow:
    cycle: Cycle
    stage: str
    when: str


@dataclass
class ExperimentPage:
    experiment: Experiment
    when: str
    themes: list[SystemTheme]
    results: list[measuring.Result]
    windows: dict[str, Any]
    cycles: list[CycleRow]
    stories: list[tuple[str, Story]]
    measures: list[Measure]


def experiment_page(experiment: Experiment, today: date | None = None) -> ExperimentPage:
    """Needs `experiment.group` loaded (select_related). Four queries plus one for each
    measure that reads data, whatever the amount of data."""
    today = today or timezone.localdate()
    themes = list(experiment.themes.order_by("title", "pk"))
    measures = list(
        Measure.objects.filter(experiment=experiment)
        .select_related("theme__organisation")
        .order_by("pk")
    )
    cycles = list(Cycle.objects.filter(experiment=experiment).order_by("number"))
    told = list(Story.objects.filter(experiment=experiment).order_by("told_on", "pk"))
    year = today.year
    return ExperimentPage(
        experiment=experiment,
        when=when_words(experiment, today),
        themes=themes,
        results=measuring.results(experiment, measures, told, today),
        windows=measuring.window_words(experiment, today),
        cycles=[
            CycleRow(
                cycle=c,
                stage=stage(c),
                when=day_words(c.starts_on, leave_out_year=year)
                + (
                    f" to {day_words(c.ends_on, leave_out_year=year)}"
                    if c.ends_on and c.ends_on != c.starts_on
                    else ""
                ),
            )
            for c in cycles
        ],
        stories=[(day_words(s.told_on, leave_out_year=year), s) for s in reversed(told)],
        measures=measures,
    )


def group_choices(organisation: Organisation) -> QuerySet[ConveningGroup]:
    return ConveningGroup.objects.filter(organisation=organisation).order_by("name", "pk")


def next_plan(experiment: Experiment) -> str:
    """A new cycle starts from what the last one changed."""
    last = Cycle.objects.filter(experiment=experiment).order_by("-number").first()
    return last.what_changed if last is not None else ""

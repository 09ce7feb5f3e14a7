"""The convening home (issue 13, items 5 and 6): overdue answers first, then the four places
the learning lands with what has moved, then short lists of system themes (with live counts),
groups and experiments. A fixed number of queries, however many there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from alongside.accounts.models import Organisation

from ..models import ConveningGroup, Experiment, Recommendation
from .recommendations import (
    RecommendationRow,
    experiment_dates,
    of_organisations,
    row,
    theme_counts,
    themes_of,
)

SHORT_LIST = 8
RECOMMENDATIONS_SHOWN = 60

# Seed 002: bring the learning back into these four places.
LANDS_IN_WORDS = {
    Recommendation.LandsIn.SERVICE_DESIGN: "How services are designed and run.",
    Recommendation.LandsIn.WORKFORCE: "How people who do the work learn and are supported.",
    Recommendation.LandsIn.ORGANISATION: "How the organisation itself works and decides.",
    Recommendation.LandsIn.SYSTEM: "How the wider system is commissioned and joined up.",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    about: str
    rows: list[RecommendationRow] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeLine:
    pk: int
    title: str
    count: str


@dataclass(frozen=True)
class GroupLine:
    pk: int
    name: str
    purpose: str


@dataclass(frozen=True)
class ExperimentLine:
    pk: int
    title: str
    dates: str


@dataclass(frozen=True)
class ConveningHome:
    overdue: list[RecommendationRow]
    columns: list[Column]
    themes: list[ThemeLine]
    themes_total: int
    groups: list[GroupLine]
    groups_total: int
    experiments: list[ExperimentLine]
    experiments_total: int
    recommendations_total: int


def _overdue_since(one: RecommendationRow, recommendation: Recommendation) -> date:
    answers = list(recommendation.answers.all())
    if answers and answers[-1].follow_up_on:
        return answers[-1].follow_up_on
    return recommendation.answer_by or date.max


def convening_home(
    organisations: list[Organisation], *, today: date | None = None
) -> ConveningHome:
    """Everything the convener's home shows, for the organisations they convene in.

    Queries: the recommendations and their answers (2), the themes, their counts (one per
    organisation and area they gather from) and how many there are (2 + n), the groups and
    how many (2), the experiments and how many (2). And how many recommendations there are
    (1). The same however many there are."""
    today = today or timezone.localdate()
    ids = [o.pk for o in organisations]

    recommendations = list(
        of_organisations(ids).order_by("-created_at", "-id")[:RECOMMENDATIONS_SHOWN]
    )
    rows = [(row(r, today=today), r) for r in recommendations]
    overdue = [
        one
        for one, r in sorted(rows, key=lambda pair: _overdue_since(*pair))
        if one.standing.overdue
    ]
    columns = [
        Column(
            key=value,
            label=label,
            about=LANDS_IN_WORDS[Recommendation.LandsIn(value)],
            rows=[one for one, _ in rows if one.lands_in == value],
        )
        for value, label in Recommendation.LandsIn.choices
    ]

    theme_qs = themes_of(ids).order_by("title", "pk")
    themes = list(theme_qs[:SHORT_LIST])
    counts = theme_counts(themes)
    theme_lines = [ThemeLine(t.pk, t.title, counts[t.pk].words(exact_own=True)) for t in themes]
    groups_qs = ConveningGroup.objects.filter(organisation_id__in=ids).order_by("name", "pk")
    groups = [GroupLine(g.pk, g.name, g.purpose) for g in groups_qs[:SHORT_LIST]]
    experiments_qs = Experiment.objects.filter(organisation_id__in=ids).order_by(
        "-starts_on", "-pk"
    )
    experiments = [
        ExperimentLine(e.pk, e.title, experiment_dates(e)) for e in experiments_qs[:SHORT_LIST]
    ]
    return ConveningHome(
        overdue=overdue,
        columns=columns,
        themes=theme_lines,
        themes_total=theme_qs.count(),
        groups=groups,
        groups_total=groups_qs.count(),
        experiments=experiments,
        experiments_total=experiments_qs.count(),
        recommendations_total=Recommendation.objects.filter(organisation_id__in=ids).count(),
    )

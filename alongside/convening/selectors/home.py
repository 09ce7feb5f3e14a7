"""The convening home (issue 13, items 5 and 6): overdue answers first, then the four places
the learning lands with what has moved, then short lists of system themes (with live counts),
groups and experiments. A fixed number of queries, however many there are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Window
from django.utils import timezone

from alongside.accounts.models import Organisation
from alongside.core import written

from ..models import ConveningGroup, Experiment, Recommendation, SystemTheme
from .recommendations import (
    RecommendationRow,
    counts_of,
    dates_words,
    from_latest_answer,
    gathers_from,
    row,
    with_latest_answer,
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


# Each list is read with how many there are in all (a window over the same rows), so the
# home asks no separate count; and each query is written once per connection (`core.written`):
# building and compiling them was most of the page's Python (issue 11).
def _counted(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.annotate(total=Window(Count("pk")))


def _recommendations(ids: list[int]) -> QuerySet[Any]:
    mine = Recommendation.objects.filter(organisation_id__in=ids)
    return with_latest_answer(_counted(mine).order_by("-created_at", "-id"), "total")[
        :RECOMMENDATIONS_SHOWN
    ]


def _themes(ids: list[int]) -> QuerySet[Any]:
    return (
        _counted(SystemTheme.objects.filter(organisation_id__in=ids))
        .order_by("title", "pk")
        .values_list("total", "pk", "title", "organisation_id", "area_id", "organisation__area_id")[
            :SHORT_LIST
        ]
    )


def _groups(ids: list[int]) -> QuerySet[Any]:
    return (
        _counted(ConveningGroup.objects.filter(organisation_id__in=ids))
        .order_by("name", "pk")
        .values_list("total", "pk", "name", "purpose")[:SHORT_LIST]
    )


def _experiments(ids: list[int]) -> QuerySet[Any]:
    return (
        _counted(Experiment.objects.filter(organisation_id__in=ids))
        .order_by("-starts_on", "-pk")
        .values_list("total", "pk", "title", "starts_on", "ends_on")[:SHORT_LIST]
    )


def _read(build: Callable[[list[int]], QuerySet[Any]], ids: list[int]) -> tuple[int, list[Any]]:
    """How many there are in all, and the rows shown (without their count)."""
    found = written.rows_for_ids(build, ids) if ids else []
    return (found[0][0] if found else 0), [row[1:] for row in found]


def convening_home(
    organisations: list[Organisation], *, today: date | None = None
) -> ConveningHome:
    """Everything the convener's home shows, for the organisations they convene in.

    Queries: the recommendations with their latest answers and how many there are (1), the
    themes and how many (1), their counts (one per organisation and area they gather from),
    the groups and how many (1), the experiments and how many (1). The same however many
    there are."""
    today = today or timezone.localdate()
    ids = [o.pk for o in organisations]

    recommendations_total, found = _read(_recommendations, ids)
    rows = [(row(r, today=today), r) for r in from_latest_answer(found)]
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

    themes_total, themes = _read(_themes, ids)
    counts = counts_of({pk: gathers_from(o, a, oa) for pk, _, o, a, oa in themes})
    theme_lines = [
        ThemeLine(pk, title, counts[pk].words(exact_own=True)) for pk, title, *_ in themes
    ]
    groups_total, groups = _read(_groups, ids)
    experiments_total, experiments = _read(_experiments, ids)
    return ConveningHome(
        overdue=overdue,
        columns=columns,
        themes=theme_lines,
        themes_total=themes_total,
        groups=[GroupLine(*one) for one in groups],
        groups_total=groups_total,
        experiments=[
            ExperimentLine(pk, title, dates_words(starts_on, ends_on))
            for pk, title, starts_on, ends_on in experiments
        ],
        experiments_total=experiments_total,
        recommendations_total=recommendations_total,
    )

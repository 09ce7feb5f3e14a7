"""Reads for the themes pages. A fixed number of queries however many contributions there are.

Only redacted words leave here: the words as heard stay with the listener who captured them.
An excerpt whose words no longer stand in its contribution's redacted text (a reviewer removed
something after it was highlighted) is never shown; the team is told to highlight it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from alongside.core import jobs
from alongside.core.models import Job

from ..background import SUGGEST
from ..models import Contribution, Excerpt, Exercise, Theme

# The engine's most typical contributions kept per theme as candidate quotes, and shown.
MAX_REPRESENTATIVES = 20

# What a themes page reads of a contribution: never `text`, the words as heard.
CONTRIBUTION_FIELDS = (
    "id",
    "exercise",
    "redacted_text",
    "state",
    "consent_to_quote",
    "credit",
    "credit_name",
    "credit_place",
    "content_warnings",
    "theme",
    "placed_by_team",
    "channel",
    "place",
)


def excerpt_is_current(excerpt: Excerpt, contribution: Contribution | None = None) -> bool:
    """Do the excerpt's words still stand in the contribution's redacted text? If a reviewer
    removed something after it was highlighted, the old words must not be shown or quoted."""
    contribution = contribution or excerpt.contribution
    return contribution.redacted_text[excerpt.start : excerpt.end] == excerpt.text


def _contributions() -> QuerySet[Contribution]:
    return Contribution.objects.only(*CONTRIBUTION_FIELDS)


@dataclass(frozen=True)
class QuoteView:
    excerpt: Excerpt
    contribution: Contribution
    current: bool

    @property
    def text(self) -> str:
        return self.excerpt.text if self.current else ""

    @property
    def quotable(self) -> bool:
        return self.current and self.contribution.quotable

    @property
    def by_hand(self) -> bool:
        return self.excerpt.coded_by_id is not None


@dataclass
class ThemeCard:
    theme: Theme
    count: int
    quotes: list[QuoteView] = field(default_factory=list)
    members: list[Contribution] = field(default_factory=list)  # only for "didn't fit"


@dataclass
class ThemesPage:
    exercise: Exercise
    themes: list[ThemeCard]
    didnt_fit: ThemeCard | None
    unplaced: list[Contribution]
    unplaced_count: int
    total: int

    @property
    def placed(self) -> int:
        return self.total - self.unplaced_count


def themes_page(exercise: Exercise) -> ThemesPage:
    themes = list(
        exercise.themes.annotate(count=Count("contributions")).order_by(
            "is_didnt_fit", "position", "pk"
        )
    )
    by_theme = _excerpts_by_theme([t.pk for t in themes], limit=MAX_REPRESENTATIVES)
    cards = [ThemeCard(t, t.count, by_theme.get(t.pk, [])) for t in themes if not t.is_didnt_fit]
    didnt_fit = next((ThemeCard(t, t.count) for t in themes if t.is_didnt_fit), None)
    if didnt_fit is not None:
        didnt_fit.members = list(
            _contributions().filter(theme=didnt_fit.theme).order_by("pk")[:MAX_REPRESENTATIVES]
        )
    counts = exercise.contributions.aggregate(
        total=Count("pk"), unplaced=Count("pk", filter=Q(theme__isnull=True))
    )
    unplaced = []
    if counts["unplaced"]:
        unplaced = list(
            _contributions()
            .filter(exercise=exercise, theme__isnull=True)
            .order_by("pk")[:MAX_REPRESENTATIVES]
        )
    return ThemesPage(
        exercise=exercise,
        themes=cards,
        didnt_fit=didnt_fit,
        unplaced=unplaced,
        unplaced_count=counts["unplaced"],
        total=counts["total"],
    )


def _excerpts_by_theme(
    theme_ids: list[int], limit: int | None = None
) -> dict[int, list[QuoteView]]:
    """Each theme's excerpts, quotes first, then the engine's order, then the team's."""
    excerpts = (
        Excerpt.objects.filter(theme_id__in=theme_ids)
        .select_related("contribution")
        .only(
            "id",
            "theme",
            "start",
            "end",
            "text",
            "is_quote",
            "position",
            "coded_by",
            *(f"contribution__{name}" for name in CONTRIBUTION_FIELDS),
        )
        .order_by("theme_id", "-is_quote", "position", "pk")
    )
    grouped: dict[int, list[QuoteView]] = {}
    for excerpt in excerpts:
        views = grouped.setdefault(excerpt.theme_id, [])
        if limit is not None and len(views) >= limit:
            continue
        current = excerpt_is_current(excerpt, excerpt.contribution)
        if limit is not None and not current:
            continue
        views.append(QuoteView(excerpt, excerpt.contribution, current))
    return grouped


@dataclass
class ThemeDetail:
    theme: Theme
    members: list[Contribution]
    excerpts: list[QuoteView]
    others: list[Theme]  # the exercise's other themes, for merging and moving

    @property
    def quote_choices(self) -> list[QuoteView]:
        return [q for q in self.excerpts if q.quotable]

    @property
    def stale(self) -> list[QuoteView]:
        return [q for q in self.excerpts if not q.current]


def theme_detail(theme: Theme) -> ThemeDetail:
    members = list(_contributions().filter(theme=theme).order_by("pk"))
    excerpts = _excerpts_by_theme([theme.pk]).get(theme.pk, [])
    others = list(theme.exercise.themes.exclude(pk=theme.pk).order_by("is_didnt_fit", "position"))
    return ThemeDetail(theme=theme, members=members, excerpts=excerpts, others=others)


def theme_of(exercise: Exercise, theme_id: int) -> Theme:
    return get_object_or_404(
        Theme.objects.select_related("exercise", "headline"), pk=theme_id, exercise=exercise
    )


def contribution_of(exercise: Exercise, contribution_id: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("exercise", "theme"),
        pk=contribution_id,
        exercise=exercise,
    )


def excerpt_of(exercise: Exercise, excerpt_id: int) -> Excerpt:
    return get_object_or_404(
        Excerpt.objects.select_related("theme__exercise", "contribution"),
        pk=excerpt_id,
        theme__exercise=exercise,
    )


def choosable_themes(exercise: Exercise) -> list[Theme]:
    """Themes a contribution or excerpt can be put in, "didn't fit" last."""
    return list(exercise.themes.order_by("is_didnt_fit", "position", "pk"))


def suggestions_of(exercise: Exercise) -> QuerySet[Job]:
    return jobs.about(exercise, kind=SUGGEST).select_related("started_by")


def last_suggestion_unfinished(exercise: Exercise) -> Job | None:
    """The latest background suggestion, unless it is done: one under way is shown on the
    themes page, and so is one that failed, until the team asks again."""
    last = suggestions_of(exercise).defer("payload").first()
    return None if last is None or last.status == Job.Status.DONE else last


def suggests_in_the_background(exercise: Exercise) -> bool:
    """Whether suggesting themes for this exercise is a background job: above
    THEMES_INLINE_LIMIT contributions (2,000 take about half a second; 20,000 about seven,
    too long to hold a request and a web worker)."""
    return exercise.contributions.count() > settings.THEMES_INLINE_LIMIT

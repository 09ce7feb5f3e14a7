"""Reads for the themes pages. A fixed number of queries however many contributions there are.

Only redacted words leave here: the words as heard stay with the listener who captured them.
An excerpt whose words no longer stand in its contribution's redacted text (a reviewer removed
something after it was highlighted) is never shown; the team is told to highlight it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import add_truncation_text

from alongside.accounts.models import Area
from alongside.core import jobs
from alongside.core.models import Job
from alongside.core.paths import path_to
from alongside.core.written import columns, instances, person_rows, rows_by_values, rows_for_ids

from ..background import SUGGEST
from ..models import Contribution, Excerpt, Exercise, Theme, credit_line

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


def _exercise_query(exercise_id: int) -> QuerySet[Any]:
    # The area too, which the report names; the organisation is asked for by its id only.
    return Exercise.objects.filter(pk=exercise_id).values_list(
        *columns(Exercise), *(f"area__{name}" for name in columns(Area))
    )


def exercise_of(exercise_id: int) -> Exercise | None:
    """The exercise with its area, as `select_related("area")` reads it, in a query the ORM
    writes once per connection (core.written: `person_rows` takes any one id)."""
    if not 0 < exercise_id < 2**63:
        return None  # no such id: the ORM would ask nothing either
    found = person_rows(_exercise_query, exercise_id)
    if not found:
        return None
    n = len(columns(Exercise))
    exercise = instances(Exercise, [found[0][:n]])[0]
    area_row = found[0][n:]
    area = instances(Area, [area_row])[0] if area_row[0] is not None else None
    exercise._state.fields_cache["area"] = area
    return exercise


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


@dataclass(frozen=True)
class QuoteLine:
    """One of a theme's most typical excerpts on the themes page, in words."""

    words: str  # the excerpt, cut after 60 words
    hint: str  # "Sam, Oxford Street · chosen as a quote"


@dataclass(frozen=True)
class ContributionCard:
    """A contribution on the themes page (not placed yet, or didn't fit): its redacted words
    and what the status line needs, read as values, not as a model instance (issue 11)."""

    pk: int
    redacted_text: str
    credit_line: str
    state: str
    consent_to_quote: bool
    placed_by_team: bool
    content_warnings: str
    move_path: str


@dataclass
class ThemeCard:
    pk: int
    path: str
    title: str
    count: int
    status: str  # "12 contributions · shaped by your team"
    keywords: list[str]
    quotes: list[QuoteLine] = field(default_factory=list)
    members: list[ContributionCard] = field(default_factory=list)  # only for "didn't fit"


@dataclass
class ThemesPage:
    exercise: Exercise
    themes: list[ThemeCard]
    didnt_fit: ThemeCard | None
    unplaced: list[ContributionCard]
    unplaced_count: int
    total: int

    @property
    def placed(self) -> int:
        return self.total - self.unplaced_count


# What a card reads of a contribution (never `text`, the words as heard).
CARD_FIELDS = (
    "pk",
    "redacted_text",
    "credit",
    "credit_name",
    "credit_place",
    "state",
    "consent_to_quote",
    "placed_by_team",
    "content_warnings",
)
QUOTE_WORDS = 60


# The themes page's reads name the exercise (or a theme) by its id alone: each is written by
# the ORM once per connection (core.written; `person_rows` takes any one id).


def _themes_query(exercise_id: int) -> QuerySet[Any]:
    return (
        Theme.objects.filter(exercise_id=exercise_id)
        .order_by("is_didnt_fit", "position", "pk")
        .values_list("pk", "title", "keywords", "owned_by_team", "is_didnt_fit")
    )


def _counts_query(exercise_id: int) -> QuerySet[Any]:
    # One count of the contributions by theme gives each theme's count, those not placed yet
    # (no theme) and the total.
    return (
        Contribution.objects.filter(exercise_id=exercise_id)
        .values_list("theme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def themes_page(exercise: Exercise) -> ThemesPage:
    """The themes, each with its count and its most typical quotes, "didn't fit" and what is
    not placed yet: plain rows, a fixed number of queries however many contributions."""
    counts = dict(person_rows(_counts_query, exercise.pk))
    cards, didnt_fit = [], None
    for pk, title, keywords, owned, is_didnt_fit in person_rows(_themes_query, exercise.pk):
        count = counts.get(pk, 0)
        status = f"{count} contribution{'' if count == 1 else 's'} \u00b7 " + (
            "shaped by your team" if owned else "suggested, not yet changed by your team"
        )
        path = path_to("listening:theme", [exercise.pk, pk])
        card = ThemeCard(pk, path, title, count, status, keywords)
        if is_didnt_fit:
            didnt_fit = didnt_fit or card
        else:
            cards.append(card)
    if cards:
        quotes = _typical_quotes([card.pk for card in cards])
        for card in cards:
            card.quotes = quotes.get(card.pk, [])
    if didnt_fit is not None:
        didnt_fit.members = _cards(
            exercise, rows_for_ids(_didnt_fit_query, [exercise.pk, didnt_fit.pk])
        )
    unplaced_count = counts.get(None, 0)
    unplaced = []
    if unplaced_count:
        unplaced = _cards(exercise, person_rows(_unplaced_query, exercise.pk))
    return ThemesPage(
        exercise=exercise,
        themes=cards,
        didnt_fit=didnt_fit,
        unplaced=unplaced,
        unplaced_count=unplaced_count,
        total=sum(counts.values()),
    )


def _typical_quotes_query(theme_ids: list[int]) -> QuerySet[Any]:
    return (
        Excerpt.objects.filter(theme_id__in=theme_ids)
        .order_by("theme_id", "-is_quote", "position", "pk")
        .values_list(
            "theme_id",
            "start",
            "end",
            "text",
            "is_quote",
            "contribution__redacted_text",
            "contribution__state",
            "contribution__consent_to_quote",
            "contribution__credit",
            "contribution__credit_name",
            "contribution__credit_place",
        )
    )


def _typical_quotes(theme_ids: list[int]) -> dict[int, list[QuoteLine]]:
    """Each theme's first MAX_REPRESENTATIVES excerpts whose words still stand, quotes first,
    then the engine's order, then the team's: as _excerpts_by_theme, read as values."""
    rows = rows_for_ids(_typical_quotes_query, theme_ids)
    grouped: dict[int, list[QuoteLine]] = {}
    for theme_id, start, end, text, is_quote, redacted, state, consent, *credit in rows:
        lines = grouped.setdefault(theme_id, [])
        if len(lines) >= MAX_REPRESENTATIVES or redacted[start:end] != text:
            continue  # enough shown, or its words were taken out after it was highlighted
        hint = [credit_line(*credit)]
        if is_quote:
            hint.append("chosen as a quote")
        if not (consent and state == Contribution.State.REVIEWED):
            hint.append("cannot be quoted yet")
        lines.append(QuoteLine(_first_words(text), " \u00b7 ".join(hint)))
    return grouped


def _first_words(text: str) -> str:
    """The first QUOTE_WORDS words, as the template filter `truncatewords` cuts them
    (django.utils.text.Truncator.words, without its lazy wrapper for each quote)."""
    words = text.split()
    if len(words) > QUOTE_WORDS:
        return add_truncation_text(" ".join(words[:QUOTE_WORDS]), " \u2026")
    return " ".join(words)


def _didnt_fit_query(ids: list[int]) -> QuerySet[Any]:
    exercise_id, theme_id = ids
    return _first_cards(Contribution.objects.filter(exercise_id=exercise_id, theme_id=theme_id))


def _unplaced_query(exercise_id: int) -> QuerySet[Any]:
    return _first_cards(Contribution.objects.filter(exercise_id=exercise_id, theme__isnull=True))


def _first_cards(contributions: QuerySet[Contribution]) -> QuerySet[Any]:
    return contributions.order_by("pk").values_list(*CARD_FIELDS)[:MAX_REPRESENTATIVES]


def _cards(exercise: Exercise, rows: list[tuple[Any, ...]]) -> list[ContributionCard]:
    return [
        ContributionCard(
            pk=pk,
            redacted_text=redacted,
            credit_line=credit_line(credit, name, place),
            state=state,
            consent_to_quote=consent,
            placed_by_team=placed,
            content_warnings=warnings,
            move_path=path_to("listening:contribution_move", [exercise.pk, pk]),
        )
        for pk, redacted, credit, name, place, state, consent, placed, warnings in rows
    ]


def _excerpts_by_theme(theme_ids: list[int]) -> dict[int, list[QuoteView]]:
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
        current = excerpt_is_current(excerpt, excerpt.contribution)
        grouped.setdefault(excerpt.theme_id, []).append(
            QuoteView(excerpt, excerpt.contribution, current)
        )
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


def _last_suggestion_query(exercise_id: int) -> QuerySet[Any]:
    # Written once per connection: the job's subject id is a big integer, which the backend
    # hands psycopg wrapped, so by value (core.written.rows_by_values), not as a plain id.
    return jobs.about(Exercise(pk=exercise_id), kind=SUGGEST).values_list("pk", "status")[:1]


def last_suggestion_unfinished(exercise: Exercise) -> Job | None:
    """The latest background suggestion, unless it is done: one under way is shown on the
    themes page, and so is one that failed, until the team asks again."""
    # Mostly there is none, or it is done: ask that first, and read the job only if not.
    last = rows_by_values(_last_suggestion_query, exercise.pk)
    if not last or last[0][1] == Job.Status.DONE:
        return None
    return suggestions_of(exercise).defer("payload").get(pk=last[0][0])


def suggests_in_the_background(exercise: Exercise) -> bool:
    """Whether suggesting themes for this exercise is a background job: above
    THEMES_INLINE_LIMIT contributions (2,000 take about half a second; 20,000 about seven,
    too long to hold a request and a web worker)."""
    return exercise.contributions.count() > settings.THEMES_INLINE_LIMIT

"""Accreditation: the reads its pages need. Who may read what is the policy's to say
(PORTFOLIO_WORK, PORTFOLIO_VIEW, PORTFOLIO_ASSESS); these only fetch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core.written import rows_for_ids

from .. import evidence
from ..models import (
    Criterion,
    CriterionReview,
    Portfolio,
    PortfolioDocument,
    PortfolioEntry,
    RenewalReminder,
)

OPEN = (Portfolio.Status.DRAFT, Portfolio.Status.MORE_ASKED)
WITH_ASSESSOR = (Portfolio.Status.SUBMITTED, Portfolio.Status.IN_REVIEW)


def _portfolios() -> QuerySet[Portfolio]:
    return Portfolio.objects.select_related(
        "organisation", "network", "rubric", "level", "decided_by", "assessor"
    )


def portfolio_of(pk: int) -> Portfolio | None:
    return _portfolios().filter(pk=pk).first()


def entry_of(portfolio: Portfolio, pk: int) -> PortfolioEntry | None:
    return (
        PortfolioEntry.objects.select_related("criterion__theme", "portfolio")
        .filter(portfolio=portfolio, pk=pk)
        .first()
    )


def document_of(portfolio: Portfolio, pk: int) -> PortfolioDocument | None:
    return (
        PortfolioDocument.objects.select_related("entry__portfolio")
        .filter(entry__portfolio=portfolio, pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Startable:
    organisation: Organisation
    network: Organisation


def for_lead(user: Any) -> tuple[list[Portfolio], list[Startable]]:
    """The portfolios of the organisations this user leads, newest first, and each (member
    organisation, network) pair where they could start one (none open there yet)."""
    led = policy.organisations_where(user, Role.LEAD)
    portfolios = list(_portfolios().filter(organisation_id__in=led))
    open_pairs = {
        (p.organisation_id, p.network_id)
        for p in portfolios
        if p.status != Portfolio.Status.DECIDED
    }
    startable = []
    for organisation in (
        Organisation.objects.filter(pk__in=led)
        .exclude(kind=Organisation.Kind.NETWORK)
        .prefetch_related("networks")
        .order_by("name")
    ):
        for network in organisation.networks.all():
            if (organisation.pk, network.pk) not in open_pairs:
                startable.append(Startable(organisation, network))
    return portfolios, startable


@dataclass
class EntryRow:
    entry: PortfolioEntry
    criterion: Criterion
    written: bool
    documents: int
    review: CriterionReview | None


@dataclass
class ThemeRows:
    title: str
    description: str
    rows: list[EntryRow] = field(default_factory=list)


def latest_reviews(portfolio: Portfolio) -> dict[int, CriterionReview]:
    latest: dict[int, CriterionReview] = {}
    for review in portfolio.reviews.select_related("assessor").order_by("at", "id"):
        latest[review.criterion_id] = review
    return latest


def overview(portfolio: Portfolio) -> list[ThemeRows]:
    """Every criterion of the portfolio under its theme, with how far it has got."""
    latest = latest_reviews(portfolio)
    entries = (
        portfolio.entries.select_related("criterion__theme")
        .prefetch_related("documents")
        .order_by(
            "criterion__theme__order", "criterion__theme_id", "criterion__order", "criterion_id"
        )
    )
    themes: dict[int, ThemeRows] = {}
    for entry in entries:
        theme = entry.criterion.theme
        rows = themes.setdefault(theme.pk, ThemeRows(theme.title, theme.description))
        rows.rows.append(
            EntryRow(
                entry=entry,
                criterion=entry.criterion,
                written=bool(entry.narrative.strip()),
                documents=len(entry.documents.all()),
                review=latest.get(entry.criterion_id),
            )
        )
    return list(themes.values())


def asked_for(portfolio: Portfolio) -> list[CriterionReview]:
    """What the assessor asked for: the latest reviews that do not say "shown"."""
    if portfolio.status != Portfolio.Status.MORE_ASKED:
        return []
    return [
        review
        for review in latest_reviews(portfolio).values()
        if review.verdict != CriterionReview.Verdict.MET
    ]


def reviews_of(portfolio: Portfolio, criterion: Criterion) -> list[CriterionReview]:
    """Every review of one criterion, newest first: the first is the one that holds."""
    return list(
        portfolio.reviews.filter(criterion=criterion)
        .select_related("assessor")
        .order_by("-at", "-id")
    )


def live_figures(
    organisation: Organisation, *, today: date | None = None
) -> tuple[list[evidence.Result], date, date]:
    """Every figure, worked out now over the last twelve months."""
    since, until = evidence.last_twelve_months(today)
    results = [
        figure.compute(organisation, since=since, until=until)
        for figure in evidence.FIGURES.values()
    ]
    return results, since, until


def frozen_figures(entry: PortfolioEntry) -> list[dict[str, Any]]:
    """The figures as they stood when the portfolio was sent: only well-formed ones."""
    return [f for f in entry.figures_frozen or [] if isinstance(f, dict) and f.get("title")]


# A portfolio in the assessing queue, as the queue's page writes it: (pk, organisation's name,
# status, submitted at, assessor's id, first name, last name, username, outcome, level's id,
# level's name, decided at). Plain rows joined to only what the page shows (issue 11): the
# six-way join of `_portfolios` took the planner longer than the query took to run.
QueueRow = tuple[Any, ...]
_QUEUE_COLUMNS = (
    "pk",
    "organisation__name",
    "status",
    "submitted_at",
    "assessor_id",
    "assessor__first_name",
    "assessor__last_name",
    "assessor__username",
    "outcome",
    "level_id",
    "level__name",
    "decided_at",
)


def _waiting_query(network_ids: list[int]) -> QuerySet[Any]:
    mine = Portfolio.objects.filter(network_id__in=network_ids, status__in=WITH_ASSESSOR)
    return mine.order_by("submitted_at", "pk").values_list(*_QUEUE_COLUMNS)


def _others_query(network_ids: list[int]) -> QuerySet[Any]:
    mine = Portfolio.objects.filter(
        network_id__in=network_ids,
        status__in=(Portfolio.Status.MORE_ASKED, Portfolio.Status.DECIDED),
    )
    return mine.order_by("-decided_at", "-submitted_at", "-pk").values_list(*_QUEUE_COLUMNS)


def queue(user: Any) -> tuple[list[QueueRow], list[QueueRow]]:
    """For an assessor: the portfolios waiting in their networks (oldest sent first), and
    those handed back or decided, newest first."""
    ids = sorted(policy.network_ids_where(user, Role.ASSESSOR))
    if not ids:
        return [], []
    return rows_for_ids(_waiting_query, ids), rows_for_ids(_others_query, ids)


def reminders_of(portfolio: Portfolio) -> list[RenewalReminder]:
    return list(portfolio.reminders.order_by("sent_at", "pk"))

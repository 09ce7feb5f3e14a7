"""Accreditation from real practice (issue 15, item 3): the writes.

A member organisation's lead starts a portfolio against the network's default rubric, writes
for each criterion, chooses live figures and adds documents, then submits it: the chosen
figures are frozen as they stood (`PortfolioEntry.figures_frozen`), so the assessor reviews
what was sent, even as the live data moves on. While it is with the network the lead cannot
change it; when an assessor asks for more it opens again, and is submitted again.

An assessor of the network reviews criterion by criterion (every review kept, the latest
holds), asks for more, and decides: an outcome, a level, a note and a renewal date (by
default three years on).

Every write goes through `policy.writing`. Edits carry a `version`: an edit made from an older
page is refused (`PortfolioConflictError`), never written over what someone else saved.
Audit details carry no narrative or comment, only what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from .. import evidence
from ..models import (
    Criterion,
    CriterionReview,
    Level,
    Portfolio,
    PortfolioDocument,
    PortfolioEntry,
)
from ..portfolio_uploads import UploadProblemError, check_upload
from ..rubric_default import ensure_default_rubric
from ..selectors.accreditation import latest_reviews

Action = policy.Action
OPEN = (Portfolio.Status.DRAFT, Portfolio.Status.MORE_ASKED)
WITH_ASSESSOR = (Portfolio.Status.SUBMITTED, Portfolio.Status.IN_REVIEW)
RENEWAL_YEARS = 3
MAX_DOCUMENTS = 20


class PortfolioError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class PortfolioConflictError(Exception):
    """Someone else saved first. `current` is the row as they saved it."""

    def __init__(self, current: Any) -> None:
        super().__init__("changed by someone else")
        self.current = current


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_renewal(today: date | None = None) -> date:
    return _years_on(today or timezone.localdate(), RENEWAL_YEARS)


def _require_open(portfolio: Portfolio) -> None:
    if portfolio.status not in OPEN:
        if portfolio.status == Portfolio.Status.DECIDED:
            raise PortfolioError("This portfolio has been decided, so it can no longer change.")
        raise PortfolioError(
            "This portfolio is with the network now, so it can't be changed unless the "
            "assessor asks for more."
        )


# --- the organisation's lead ------------------------------------------------------------------


def portfolio_start(*, actor: User, network: Organisation, organisation: Organisation) -> Portfolio:
    """A new portfolio for `organisation` against the network's default rubric, with an empty
    entry for every criterion. One open portfolio at a time: one not yet decided is returned."""
    policy.require(actor, Action.NETWORK_MEMBER, network, detail="portfolio start")
    if not organisation.networks.filter(pk=network.pk).exists():
        raise PortfolioError(f"{organisation.name} is not a member of {network.name}.")
    unsaved = Portfolio(organisation=organisation, network=network)
    with policy.writing(actor, Action.PORTFOLIO_WORK, unsaved, detail="portfolio start") as write:
        existing = (
            Portfolio.objects.select_for_update()
            .filter(organisation=organisation, network=network)
            .exclude(status=Portfolio.Status.DECIDED)
            .first()
        )
        if existing is not None:
            raise PortfolioError("There is already a portfolio being put together.")
        rubric = ensure_default_rubric(network=network)
        portfolio = Portfolio.objects.create(
            organisation=organisation, network=network, rubric=rubric, created_by=actor
        )
        criteria = Criterion.objects.filter(theme__rubric=rubric)
        PortfolioEntry.objects.bulk_create(
            PortfolioEntry(portfolio=portfolio, criterion=c, updated_by=actor) for c in criteria
        )
        write.audit(AuditAction.CREATE, portfolio, detail="portfolio started")
    return portfolio


def entry_save(
    *,
    actor: User,
    entry: PortfolioEntry,
    version: int,
    narrative: str,
    figure_keys: list[str],
) -> PortfolioEntry:
    """Save what the organisation says for one criterion, from an edit that began at
    `version`."""
    unknown = [key for key in figure_keys if key not in evidence.FIGURES]
    if unknown:
        raise PortfolioError("One of the figures chosen is not one we can work out.")
    portfolio = entry.portfolio
    with policy.writing(actor, Action.PORTFOLIO_WORK, portfolio, detail="entry save") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        _require_open(locked)
        changed = PortfolioEntry.objects.filter(pk=entry.pk, version=version).update(
            narrative=_clean(narrative),
            figure_keys=[key for key in evidence.FIGURES if key in figure_keys],
            updated_at=timezone.now(),
            updated_by=actor,
            version=F("version") + 1,
        )
        if not changed:
            raise PortfolioConflictError(PortfolioEntry.objects.get(pk=entry.pk))
        entry.refresh_from_db()
        write.audit(AuditAction.CHANGE, entry, detail=f"entry saved, version {entry.version}")
    return entry


def document_add(*, actor: User, entry: PortfolioEntry, upload: Any) -> PortfolioDocument:
    try:
        name, content_type = check_upload(upload)
    except UploadProblemError as problem:
        raise PortfolioError(str(problem)) from problem
    portfolio = entry.portfolio
    with policy.writing(actor, Action.PORTFOLIO_WORK, portfolio, detail="document add") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        _require_open(locked)
        if entry.documents.count() >= MAX_DOCUMENTS:
            raise PortfolioError(
                f"A criterion can carry {MAX_DOCUMENTS} documents: take one away first."
            )
        upload.name = name
        document = PortfolioDocument.objects.create(
            entry=entry,
            file=upload,
            name=name,
            content_type=content_type,
            size=int(upload.size),
            added_by=actor,
        )
        write.audit(AuditAction.CREATE, document, detail="portfolio document added")
    return document


def document_remove(*, actor: User, document: PortfolioDocument) -> None:
    portfolio = document.entry.portfolio
    with policy.writing(actor, Action.PORTFOLIO_WORK, portfolio, detail="document remove") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        _require_open(locked)
        write.audit(
            AuditAction.CHANGE, portfolio, detail=f"portfolio document {document.pk} taken away"
        )
        storage, name = document.file.storage, document.file.name
        document.delete()
    # The file goes once the row is gone for good (a rolled-back delete keeps both).
    if name:
        storage.delete(name)


def missing_narrative(portfolio: Portfolio) -> list[Criterion]:
    return [
        entry.criterion
        for entry in portfolio.entries.select_related("criterion__theme").order_by(
            "criterion__theme__order", "criterion__order", "criterion_id"
        )
        if not entry.narrative.strip()
    ]


def portfolio_submit(
    *, actor: User, portfolio: Portfolio, version: int, today: date | None = None
) -> Portfolio:
    """Send the portfolio to the network. Each entry's chosen figures are worked out now, over
    the last twelve months, and frozen. Refused while any criterion has no narrative."""
    with policy.writing(
        actor, Action.PORTFOLIO_WORK, portfolio, detail="portfolio submit"
    ) as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        _require_open(locked)
        if locked.version != version:
            raise PortfolioConflictError(locked)
        missing = missing_narrative(locked)
        if missing:
            names = "; ".join(c.title for c in missing)
            raise PortfolioError(
                f"Write something for every criterion before sending it. Still to write: {names}."
            )
        since, until = evidence.last_twelve_months(today)
        organisation = locked.organisation
        for entry in locked.entries.all():
            entry.figures_frozen = [
                evidence.FIGURES[key].compute(organisation, since=since, until=until).as_frozen()
                for key in entry.figure_keys
                if key in evidence.FIGURES
            ]
            entry.save(update_fields=["figures_frozen"])
        Portfolio.objects.filter(pk=locked.pk).update(
            status=Portfolio.Status.SUBMITTED,
            submitted_at=timezone.now(),
            version=F("version") + 1,
        )
        portfolio.refresh_from_db()
        write.audit(AuditAction.CHANGE, portfolio, detail="portfolio submitted")
    return portfolio


# --- the network's assessors ------------------------------------------------------------------


def review_add(
    *,
    actor: User,
    portfolio: Portfolio,
    criterion: Criterion,
    verdict: str,
    comment: str,
) -> CriterionReview:
    """An assessor's word on one criterion. Kept beside every earlier one; the latest holds."""
    if verdict not in CriterionReview.Verdict.values:
        raise PortfolioError("Choose how well the criterion is shown.")
    if verdict != CriterionReview.Verdict.MET and not _clean(comment):
        raise PortfolioError("Say what is missing or what more you would like to see.")
    with policy.writing(actor, Action.PORTFOLIO_ASSESS, portfolio, detail="review") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.status not in WITH_ASSESSOR:
            raise PortfolioError("This portfolio is not waiting for a review.")
        if criterion.theme.rubric_id != locked.rubric_id:
            raise PortfolioError("That criterion is not part of this portfolio.")
        review = CriterionReview.objects.create(
            portfolio=locked,
            criterion=criterion,
            assessor=actor,
            verdict=verdict,
            comment=_clean(comment),
        )
        changes: dict[str, Any] = {}
        if locked.status == Portfolio.Status.SUBMITTED:
            changes["status"] = Portfolio.Status.IN_REVIEW
        if locked.assessor_id is None:
            changes["assessor"] = actor
        if changes:
            Portfolio.objects.filter(pk=locked.pk).update(**changes)
        write.audit(AuditAction.CREATE, review, detail=f"criterion reviewed: {verdict}")
    portfolio.refresh_from_db()
    return review


ASKING = (
    CriterionReview.Verdict.MORE,
    CriterionReview.Verdict.PARTLY,
    CriterionReview.Verdict.NOT_YET,
)


def ask_for_more(*, actor: User, portfolio: Portfolio, version: int) -> Portfolio:
    """Hand the portfolio back to the organisation. What was asked is in the latest reviews:
    at least one must say what more is wanted."""
    with policy.writing(actor, Action.PORTFOLIO_ASSESS, portfolio, detail="ask more") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.status not in WITH_ASSESSOR:
            raise PortfolioError("This portfolio is not waiting for a review.")
        if locked.version != version:
            raise PortfolioConflictError(locked)
        asking = [r for r in latest_reviews(locked).values() if r.verdict in ASKING]
        if not asking:
            raise PortfolioError(
                "Review at least one criterion as partly shown, not yet shown or \u201cplease "
                "show more\u201d, saying what you would like to see, before asking for more."
            )
        Portfolio.objects.filter(pk=locked.pk).update(
            status=Portfolio.Status.MORE_ASKED, version=F("version") + 1
        )
        portfolio.refresh_from_db()
        write.audit(AuditAction.CHANGE, portfolio, detail="more asked for")
    return portfolio


def portfolio_decide(
    *,
    actor: User,
    portfolio: Portfolio,
    version: int,
    outcome: str,
    level: Level | None,
    note: str,
    renewal_due_on: date | None,
    today: date | None = None,
) -> Portfolio:
    """The network's decision. Accredited needs a level of the portfolio's rubric and has a
    renewal date (three years on unless given); "not yet" has neither."""
    today = today or timezone.localdate()
    if outcome not in Portfolio.Outcome.values:
        raise PortfolioError("Choose the outcome.")
    accredited = outcome == Portfolio.Outcome.ACCREDITED
    if accredited:
        if level is None:
            raise PortfolioError("Choose the level it is accredited at.")
        if level.rubric_id != portfolio.rubric_id:
            raise PortfolioError("That level is not one of this rubric's.")
        renewal = renewal_due_on or default_renewal(today)
        if renewal <= today:
            raise PortfolioError("The renewal date must be after today.")
    else:
        level, renewal = None, None
    if not _clean(note):
        raise PortfolioError("Write a note on the decision: the organisation will read it.")
    with policy.writing(actor, Action.PORTFOLIO_ASSESS, portfolio, detail="decide") as write:
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.status not in WITH_ASSESSOR:
            raise PortfolioError("This portfolio is not waiting for a decision.")
        if locked.version != version:
            raise PortfolioConflictError(locked)
        Portfolio.objects.filter(pk=locked.pk).update(
            status=Portfolio.Status.DECIDED,
            outcome=outcome,
            level=level,
            decision_note=_clean(note),
            renewal_due_on=renewal,
            decided_at=timezone.now(),
            decided_by=actor,
            assessor=locked.assessor or actor,
            version=F("version") + 1,
        )
        portfolio.refresh_from_db()
        write.audit(AuditAction.CHANGE, portfolio, detail=f"decided: {outcome}")
    return portfolio


def portfolio_exported(*, actor: User, portfolio: Portfolio, what: str) -> None:
    """A download of the portfolio leaves Alongside: say so in the audit log."""
    with policy.writing(actor, Action.PORTFOLIO_VIEW, portfolio, detail=f"export {what}") as write:
        write.audit(AuditAction.EXPORT, portfolio, detail=f"portfolio exported as {what}")

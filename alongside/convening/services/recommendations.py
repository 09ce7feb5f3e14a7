"""Recommendations and their answers (issue 13, items 5 and 6).

A convener writes a recommendation (to leadership, a strategic group or a commissioner), links
its evidence (system themes, experiments, quotes from the linked themes), says where the
learning lands, and sends it. Once sent, whom it is addressed to answers in the product:
accepted, in progress, or declined with the reason. Answers are kept; the latest holds.

Every write asks the policy through `policy.writing` and is audited. An edit made from an older
page is refused (`RecommendationConflictError`), never silently overwrites: the form posts the
version it was read at. An answer bumps the recommendation's version too, so two people
answering at once never miss each other's answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from ..models import Answer, BarrierPlacement, Experiment, Recommendation, SystemTheme

Action = policy.Action


class RecommendationError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class RecommendationConflictError(Exception):
    """Someone else changed or answered the recommendation since this page was read.
    `current` is the recommendation as it is now."""

    def __init__(self, current: Recommendation) -> None:
        super().__init__("recommendation changed by someone else")
        self.current = current


def _check_addressee(to: str, addressed_to: Organisation) -> None:
    if to not in Recommendation.To.values:
        raise RecommendationError("Choose to whom the recommendation goes.")
    if to == Recommendation.To.COMMISSIONER:
        if addressed_to.kind != Organisation.Kind.LOCAL_AUTHORITY or addressed_to.area_id is None:
            raise RecommendationError(
                "A recommendation to a commissioner goes to a local authority with an area: "
                "its commissioners answer."
            )


def _check_evidence(
    organisation: Organisation,
    themes: list[SystemTheme],
    experiments: list[Experiment],
    quotes: list[BarrierPlacement],
) -> None:
    if any(t.organisation_id != organisation.pk for t in themes):
        raise RecommendationError("A system theme you chose is not one your organisation keeps.")
    if any(e.organisation_id != organisation.pk for e in experiments):
        raise RecommendationError("An experiment you chose is not one your organisation keeps.")
    theme_ids = {t.pk for t in themes}
    if any(q.theme_id not in theme_ids for q in quotes):
        raise RecommendationError(
            "A quote you chose is from a system theme you did not link: link its theme too, "
            "or leave the quote out."
        )


def recommendation_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    what: str,
    to: str,
    addressed_to: Organisation,
    lands_in: str,
    themes: Iterable[SystemTheme] = (),
    experiments: Iterable[Experiment] = (),
    quotes: Iterable[BarrierPlacement] = (),
    answer_by: date | None = None,
) -> Recommendation:
    """A new recommendation, not yet sent: only its conveners see it until it is."""
    themes, experiments, quotes = list(themes), list(experiments), list(quotes)
    _check_addressee(to, addressed_to)
    _check_evidence(organisation, themes, experiments, quotes)
    if lands_in not in Recommendation.LandsIn.values:
        raise RecommendationError("Choose where the learning lands.")
    with policy.writing(
        actor, Action.CONVENING_WORK, organisation, detail="recommendation add"
    ) as write:
        recommendation = Recommendation.objects.create(
            organisation=organisation,
            created_by=actor,
            title=title.strip(),
            what=what.strip(),
            to=to,
            addressed_to=addressed_to,
            lands_in=lands_in,
            answer_by=answer_by,
        )
        recommendation.themes.set(themes)
        recommendation.experiments.set(experiments)
        recommendation.quotes.set(quotes)
        write.audit(AuditAction.CREATE, recommendation, detail="recommendation added")
    return recommendation


def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    version: int,
    title: str,
    what: str,
    to: str,
    addressed_to: Organisation,
    lands_in: str,
    themes: Iterable[SystemTheme] = (),
    experiments: Iterable[Experiment] = (),
    quotes: Iterable[BarrierPlacement] = (),
    answer_by: date | None = None,
) -> Recommendation:
    """Save an edit that started from `version`. Once sent, what is asked and of whom stay as
    they were sent (the answers are to those words); its evidence, where it lands and the date
    wanted may still change."""
    themes, experiments, quotes = list(themes), list(experiments), list(quotes)
    _check_addressee(to, addressed_to)
    _check_evidence(recommendation.organisation, themes, experiments, quotes)
    if lands_in not in Recommendation.LandsIn.values:
        raise RecommendationError("Choose where the learning lands.")
    if recommendation.sent_at is not None and (
        title.strip() != recommendation.title
        or what.strip() != recommendation.what
        or to != recommendation.to
        or addressed_to.pk != recommendation.addressed_to_id
    ):
        raise RecommendationError(
            "It has been sent, so what it asks and whom it asks stay as they were sent. "
            "Write a new recommendation to ask something else."
        )
    with policy.writing(
        actor, Action.CONVENING_ITEM, recommendation, detail="recommendation edit"
    ) as write:
        changed = Recommendation.objects.filter(pk=recommendation.pk, version=version).update(
            title=title.strip(),
            what=what.strip(),
            to=to,
            addressed_to=addressed_to,
            lands_in=lands_in,
            answer_by=answer_by,
            version=F("version") + 1,
        )
        if not changed:
            raise RecommendationConflictError(Recommendation.objects.get(pk=recommendation.pk))
        recommendation.refresh_from_db()
        recommendation.themes.set(themes)
        recommendation.experiments.set(experiments)
        recommendation.quotes.set(quotes)
        write.audit(
            AuditAction.CHANGE,
            recommendation,
            detail=f"recommendation changed to version {recommendation.version}",
        )
    return recommendation


def recommendation_send(
    *, actor: User, recommendation: Recommendation, version: int
) -> Recommendation:
    """Send it: from now on whom it is addressed to sees it and may answer."""
    if recommendation.sent_at is not None:
        raise RecommendationError("It has already been sent.")
    with policy.writing(
        actor, Action.CONVENING_ITEM, recommendation, detail="recommendation send"
    ) as write:
        changed = Recommendation.objects.filter(
            pk=recommendation.pk, version=version, sent_at__isnull=True
        ).update(sent_at=timezone.now(), version=F("version") + 1)
        if not changed:
            raise RecommendationConflictError(Recommendation.objects.get(pk=recommendation.pk))
        recommendation.refresh_from_db()
        write.audit(AuditAction.CHANGE, recommendation, detail="recommendation sent")
    return recommendation


def answer_add(
    *,
    actor: User,
    recommendation: Recommendation,
    version: int,
    status: str,
    words: str = "",
    follow_up_on: date | None = None,
    what_changed: str = "",
) -> Answer:
    """Whom it is addressed to answers. A declined answer says why. The answer is kept beside
    any earlier ones; the latest is where the recommendation stands."""
    if status not in Answer.Status.values:
        raise RecommendationError("Choose an answer: accepted, in progress or declined.")
    words = words.strip()
    if status == Answer.Status.DECLINED and not words:
        raise RecommendationError(
            "Say why it is declined: the convener and the group need to know."
        )
    with policy.writing(
        actor, Action.RECOMMENDATION_ANSWER, recommendation, detail="recommendation answer"
    ) as write:
        if recommendation.sent_at is None:
            raise RecommendationError("It has not been sent yet, so there is nothing to answer.")
        changed = Recommendation.objects.filter(pk=recommendation.pk, version=version).update(
            version=F("version") + 1
        )
        if not changed:
            raise RecommendationConflictError(Recommendation.objects.get(pk=recommendation.pk))
        recommendation.refresh_from_db(fields=["version"])
        answer = Answer.objects.create(
            recommendation=recommendation,
            status=status,
            words=words,
            follow_up_on=follow_up_on,
            what_changed=what_changed.strip(),
            by=actor,
        )
        write.audit(
            AuditAction.CREATE,
            answer,
            detail=f"recommendation {recommendation.pk} answered: {status}",
            organisation_id=recommendation.organisation_id,
        )
    return answer


def briefing_exported(*, actor: User, item: SystemTheme | Recommendation, what: str) -> None:
    """Audit a briefing downloaded as Word or PDF (`what`: "docx", "pdf")."""
    if isinstance(item, Recommendation):
        action = Action.RECOMMENDATION_VIEW
        kind = "recommendation"
    else:
        action = Action.CONVENING_ITEM
        kind = "system theme"
    with policy.writing(actor, action, item, detail=f"briefing {what}") as write:
        write.audit(AuditAction.EXPORT, item, detail=f"{kind} {item.pk} briefing {what}")

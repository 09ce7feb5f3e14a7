"""What good looks like (issue 14, item 5): the writes.

Statements are co-produced and move from drafted, to being discussed, to agreed. Their edits
carry a `version`: an edit made from an older page is refused (`StatementConflictError`), never
written over what someone else saved. The people who took part are kept by name only when
they agree to be named; otherwise the name is never stored, only how they took part.

Every write goes through `policy.writing`: making a statement needs INSIGHT_WORK on its area,
anything about a statement INSIGHT_ITEM on it. Audit details never carry a name or words.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Area, User
from alongside.core.models import AuditAction
from alongside.listening.models import Exercise

from ..measures import MEASURES
from ..models import Statement, StatementPerson, Tracker, TrackerValue
from ..selectors.areas import keeping_organisation
from ..selectors.good import exercises_for_area

Action = policy.Action
LIVED_EXPERIENCE = "a person with lived experience"


class StatementError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class StatementConflictError(Exception):
    """Someone else saved the statement first. `current` is the statement as they saved it."""

    def __init__(self, current: Statement) -> None:
        super().__init__("statement changed by someone else")
        self.current = current


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def statement_create(
    *, actor: User, area: Area, voice: str, words: str, discussion: str = ""
) -> Statement:
    if voice not in Statement.Voice.values:
        raise StatementError("Choose whose voice the statement is in.")
    if not _clean(words):
        raise StatementError("Write the statement.")
    with policy.writing(actor, Action.INSIGHT_WORK, area, detail="statement add") as write:
        statement = Statement.objects.create(
            area=area,
            organisation=keeping_organisation(actor, area),
            created_by=actor,
            voice=voice,
            words=_clean(words),
            discussion=_clean(discussion),
        )
        write.audit(AuditAction.CREATE, statement, detail="statement drafted")
    return statement


def statement_update(
    *,
    actor: User,
    statement: Statement,
    version: int,
    words: str,
    voice: str,
    discussion: str = "",
) -> Statement:
    """Save an edit that started from `version`."""
    if voice not in Statement.Voice.values:
        raise StatementError("Choose whose voice the statement is in.")
    if not _clean(words):
        raise StatementError("Write the statement.")
    with policy.writing(actor, Action.INSIGHT_ITEM, statement, detail="statement edit") as write:
        changed = Statement.objects.filter(pk=statement.pk, version=version).update(
            words=_clean(words),
            voice=voice,
            discussion=_clean(discussion),
            version=F("version") + 1,
        )
        if not changed:
            raise StatementConflictError(Statement.objects.get(pk=statement.pk))
        statement.refresh_from_db()
        detail = f"statement changed to version {statement.version}"
        write.audit(AuditAction.CHANGE, statement, detail=detail)
    return statement


# The moves the buttons offer: from which statuses each may be made.
MOVES: dict[str, tuple[str, ...]] = {
    Statement.Status.DISCUSSED: (Statement.Status.DRAFT, Statement.Status.AGREED),
    Statement.Status.AGREED: (Statement.Status.DRAFT, Statement.Status.DISCUSSED),
}


def statement_set_status(
    *,
    actor: User,
    statement: Statement,
    status: str,
    version: int,
    today: date | None = None,
) -> Statement:
    """Mark a statement as being discussed, or agreed (on `today`). Taking an agreed statement
    back to discussion clears the day it was agreed."""
    if status not in MOVES:
        raise StatementError("That is not a step a statement can take.")
    if statement.status not in MOVES[status]:
        raise StatementError(f"It is already {statement.get_status_display().lower()}.")
    agreed_on = (today or timezone.localdate()) if status == Statement.Status.AGREED else None
    with policy.writing(
        actor, Action.INSIGHT_ITEM, statement, detail=f"statement status {status}"
    ) as write:
        changed = Statement.objects.filter(pk=statement.pk, version=version).update(
            status=status, agreed_on=agreed_on, version=F("version") + 1
        )
        if not changed:
            raise StatementConflictError(Statement.objects.get(pk=statement.pk))
        statement.refresh_from_db()
        write.audit(AuditAction.CHANGE, statement, detail=f"status {status}")
    return statement


def statement_person_add(
    *,
    actor: User,
    statement: Statement,
    name: str = "",
    role: str = "",
    consents_to_be_named: bool = False,
) -> StatementPerson:
    """Someone who took part. Their name is kept only if they agreed to be named; otherwise it
    is dropped here and never stored."""
    name = _clean(name) if consents_to_be_named else ""
    if consents_to_be_named and not name:
        raise StatementError("Write the name they would like shown, or leave the box unticked.")
    with policy.writing(
        actor, Action.INSIGHT_ITEM, statement, detail="statement person add"
    ) as write:
        person = StatementPerson.objects.create(
            statement=statement,
            name=name[:120],
            role=(_clean(role) or LIVED_EXPERIENCE)[:120],
            consents_to_be_named=consents_to_be_named,
        )
        write.audit(
            AuditAction.CREATE,
            statement,
            detail="person who took part added" + (", named" if name else ", not named"),
        )
    return person


def tracker_create(
    *,
    actor: User,
    statement: Statement,
    kind: str,
    title: str = "",
    measure: str = "",
    exercise: Exercise | None = None,
) -> Tracker:
    """A way to track a statement: a survey item (its title), a measure from Alongside
    (a key of `insight.measures.MEASURES`) or stories from a listening exercise of the area's
    organisations."""
    title = _clean(title)
    if kind == Tracker.Kind.SURVEY:
        if not title:
            raise StatementError("Write the survey question or item.")
        measure, exercise = "", None
    elif kind == Tracker.Kind.MEASURE:
        if measure not in MEASURES:
            raise StatementError("Choose one of the measures from Alongside.")
        title = title or MEASURES[measure].title
        exercise = None
    elif kind == Tracker.Kind.STORIES:
        if exercise is None or not exercises_for_area(statement.area).filter(pk=exercise.pk):
            raise StatementError("Choose a listening exercise of an organisation in the area.")
        title = title or exercise.title
        measure = ""
    else:
        raise StatementError("Choose how to track it.")
    with policy.writing(actor, Action.INSIGHT_ITEM, statement, detail="tracker add") as write:
        tracker = Tracker.objects.create(
            statement=statement,
            kind=kind,
            title=title[:200],
            measure=measure,
            exercise=exercise,
        )
        write.audit(
            AuditAction.CREATE,
            tracker,
            detail=f"tracker added ({kind})",
            organisation_id=statement.organisation_id,
        )
    return tracker


def tracker_value_add(
    *,
    actor: User,
    tracker: Tracker,
    period_start: date,
    value: float,
    respondents: int,
    note: str = "",
) -> TrackerValue:
    """A survey item's value for a period, with how many answered (shown only when 10 or more
    did)."""
    if tracker.kind != Tracker.Kind.SURVEY:
        raise StatementError("Only a survey item takes values; the others are worked out.")
    if respondents < 0:
        raise StatementError("How many answered cannot be below nought.")
    statement = tracker.statement
    with policy.writing(actor, Action.INSIGHT_ITEM, statement, detail="tracker value add") as write:
        value_row = TrackerValue.objects.create(
            tracker=tracker,
            period_start=period_start,
            value=value,
            respondents=respondents,
            note=_clean(note)[:300],
        )
        write.audit(
            AuditAction.CREATE,
            tracker,
            detail="survey value added",
            organisation_id=statement.organisation_id,
        )
    return value_row

"""Erasure: the person asks; a lead of the organisation approves or says why not.

Approving anonymises the record: names and free text go, the rows stay (so counts are
kept), and the audit trail stays (it holds ids, never names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action, Write
from alongside.core.models import AuditAction

from ..models import ConsentEvent, ErasureRequest, Person
from ..parts import all_holds

ERASED_NAME = "Erased record"


def _open_request(person: Person) -> ErasureRequest | None:
    return (
        ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.ASKED)
        .order_by("-asked_at")
        .first()
    )


def erasure_ask(*, actor: User, person: Person) -> ErasureRequest:
    """Only the person asks. Asking twice keeps the one open request."""
    with policy.writing(actor, Action.PERSON_SELF, person, detail="erasure ask") as write:
        existing = _open_request(person)
        if existing is not None:
            write.audit(AuditAction.VIEW, existing, detail="erasure asked again")
            return existing
        request = ErasureRequest.objects.create(person=person, organisation=person.organisation)
        write.audit(
            AuditAction.CREATE,
            request,
            detail="erasure asked",
            organisation_id=person.organisation_id,
        )
    return request


def _still_asked(request: ErasureRequest) -> None:
    """Locks the request: of two decisions at once, the second finds it decided."""
    current = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ErasureRequest.Status.ASKED:
        raise PermissionDenied


def erasure_decline(*, actor: User, request: ErasureRequest, reason: str) -> ErasureRequest:
    """Not now, and why (for example a legal hold). The person sees the reason."""
    if not reason.strip():
        raise ValueError("a reason is needed")
    manage = Action.ORGANISATION_MANAGE
    detail = f"erasure {request.pk} decline"
    with policy.writing(actor, manage, request.organisation, detail=detail) as write:
        _still_asked(request)
        _decided(write, request, ErasureRequest.Status.NOT_NOW, reason.strip(), "erasure not done")
    return request


def _decided(write: Write, request: ErasureRequest, status: str, reason: str, detail: str) -> None:
    request.status = status
    request.reason = reason
    request.decided_by = write.actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    write.audit(AuditAction.CHANGE, request, detail=detail, organisation_id=request.organisation_id)


def _anonymise(person: Person) -> None:
    """Blank every part's words and delete its files (coaching.parts says which), keeping
    the rows so counts stay true."""
    for holds in all_holds():
        rows = holds.model._default_manager.filter(**{holds.to_person: person})
        for file_field in holds.files:
            for row in rows.exclude(**{file_field: ""}):
                stored = getattr(row, file_field)
                stored.storage.delete(stored.name)
            rows.update(**{file_field: ""})
        if holds.blank:
            rows.update(**holds.blank)
    # Check-in answers are numbers on a scale: kept, for the counts and charts.
    # Consent events are append-only: a withdrawal is added so no choice holds any more.
    for choice in (ConsentEvent.Choice.QUOTE_IN_LISTENING, ConsentEvent.Choice.CREDIT_AS):
        ConsentEvent.objects.create(person=person, choice=choice, given=False)
    ConsentEvent.objects.create(
        person=person, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=False
    )

    user_id = person.user_id
    person.chosen_name = ERASED_NAME
    person.pronouns = ""
    person.user = None
    person.save(update_fields=["chosen_name", "pronouns", "user"])
    if user_id is not None:
        user = User.objects.get(pk=user_id)
        user.username = f"erased-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        User.objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)


def erasure_approve(*, actor: User, request: ErasureRequest) -> ErasureRequest:
    manage = Action.ORGANISATION_MANAGE
    detail = f"erasure {request.pk} approve"
    with policy.writing(actor, manage, request.organisation, detail=detail) as write:
        _still_asked(request)
        person = Person.objects.select_for_update().get(pk=request.person_id)
        _anonymise(person)
        _decided(write, request, ErasureRequest.Status.DONE, "", "record erased")
    return request


@dataclass(frozen=True)
class ErasureDone:
    """An approved erasure, as the database a restore replaces knew it. The person is found
    again by their record's number and the moment it was made, never the number alone: a
    backup of another site must not erase a stranger who happens to share a number."""

    person_id: int
    person_created_at: datetime
    asked_at: datetime
    decided_at: datetime | None


def erasures_done() -> list[ErasureDone]:
    """Every approved erasure in this database, for a restore to keep
    (`core.backup.keep_through_restore`, registered in `CoachingConfig.ready`)."""
    if ErasureRequest._meta.db_table not in connection.introspection.table_names():
        return []  # a new server's empty database
    rows = ErasureRequest.objects.filter(status=ErasureRequest.Status.DONE).values_list(
        "person_id", "person__created_at", "asked_at", "decided_at"
    )
    return [ErasureDone(*row) for row in rows]


def erasures_redo(*, done: list[ErasureDone]) -> str:
    """After a restore: erase again every record the restored database holds as it was before
    its person's erasure was approved, and mark the request done as it was. One transaction,
    audited; no user is acting, so the audit entries name none."""
    again: list[tuple[ErasureDone, Person]] = []
    for item in done:
        person = Person.objects.filter(pk=item.person_id, created_at=item.person_created_at).first()
        if person is None:  # not in the backup: made after it (or another site's person)
            continue
        if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.DONE).exists():
            continue  # erased before the backup: still erased
        again.append((item, person))
    if not again:
        return ""
    why = "a restore must not bring back a record its person had erased"
    with policy.writing_without_check(None, why=why) as write:
        for item, person in again:
            _anonymise(Person.objects.select_for_update().get(pk=person.pk))
            request = _open_request(person) or ErasureRequest(
                person=person, organisation_id=person.organisation_id, asked_at=item.asked_at
            )
            request.status = ErasureRequest.Status.DONE
            request.reason = ""
            request.decided_by = None  # the lead who decided may not be in the backup
            request.decided_at = item.decided_at or timezone.now()
            request.save()
            write.audit(
                AuditAction.CHANGE,
                request,
                detail="record erased again after a restore",
                organisation_id=request.organisation_id,
            )
    n = len(again)
    return (
        f"Erased again {n} record{'s' if n != 1 else ''} whose erasure was approved after this "
        "backup was made."
    )


def sign_out_everywhere(*, user: User) -> None:
    """End every session this user has, on every device: the session hash includes
    session_generation, so bumping it makes every old session stop working."""
    with policy.writing_without_check(user, why="anyone may end their own sessions") as write:
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        write.audit(AuditAction.SIGN_OUT, None, detail="signed out everywhere")

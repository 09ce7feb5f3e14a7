"""Writing the audit log. Every read or write of personal data calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditAction, AuditEntry
from .request_id import current_request_id


def _subject(obj: Any) -> tuple[str, str, Any, Any]:
    """Object type and id, plus the person and organisation the object belongs to."""
    if obj is None:
        return "", "", None, None
    object_type = obj._meta.label_lower if isinstance(obj, models.Model) else type(obj).__name__
    object_id = str(getattr(obj, "pk", "") or "")
    person_id = getattr(obj, "audit_person_id", None)
    organisation_id = getattr(obj, "audit_organisation_id", None)
    return object_type, object_id, person_id, organisation_id


def record(
    actor: Any,
    action: AuditAction | str,
    obj: Any = None,
    *,
    detail: str = "",
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one audit entry. `actor` may be anonymous (a failed sign-in)."""
    object_type, object_id, person_id, org_id = _subject(obj)
    actor_id = getattr(actor, "pk", None)  # AnonymousUser has no pk
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        organisation_id=organisation_id if organisation_id is not None else org_id,
        request_id=current_request_id(),
        detail=detail[:200],
    )

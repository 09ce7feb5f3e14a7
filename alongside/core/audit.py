"""Writing the audit log. Every read or write of personal data calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

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
    values = {
        "at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),  # AnonymousUser has no pk
        "action": str(action),
        "object_type": object_type,
        "object_id": object_id,
        "person_id": person_id,
        "organisation_id": organisation_id if organisation_id is not None else org_id,
        "request_id": current_request_id(),
        "detail": detail[:200],
    }
    connection = connections[DEFAULT_DB_ALIAS]
    params = [values[name] for name in _COLUMNS]
    params[0] = connection.ops.adapt_datetimefield_value(values["at"])
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection), params)
        (entry_id,) = cursor.fetchone()
    entry = AuditEntry(id=entry_id, **values)
    entry._state.adding = False
    entry._state.db = DEFAULT_DB_ALIAS
    return entry


# Every page about a person writes an entry: the INSERT is written here once, not put
# together by the ORM's save() each time (about 550 Python calls a page; issue 11). Entries
# are only ever added (AuditEntry.save refuses a change), so save()'s other paths never apply.
_COLUMNS = (
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "organisation_id",
    "request_id",
    "detail",
)


_INSERTS: dict[str, str] = {}


def _insert_sql(connection: Any) -> str:
    sql = _INSERTS.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        sql = _INSERTS[connection.vendor] = (
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - the model's names
            f"({', '.join(quote(name) for name in _COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) RETURNING {quote('id')}"
        )
    return sql

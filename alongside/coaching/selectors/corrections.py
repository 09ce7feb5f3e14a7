"""Reads for correction requests: what the person asked to change, for their coach."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alongside.core.written import person_rows

from ..models import Conversation, CorrectionRequest, Goal, Person, Strength

# (about_type, field_name) -> the model holding that words field.
SUPPORTED: dict[tuple[str, str], type[Conversation | Goal | Strength]] = {
    ("conversation", "notes"): Conversation,
    ("conversation", "place"): Conversation,
    ("goal", "words"): Goal,
    ("goal", "why_it_matters"): Goal,
    ("strength", "words"): Strength,
}


def find_subject(
    person: Person, about_type: str, about_id: int, field_name: str
) -> Conversation | Goal | Strength:
    """The entry a correction is about, only from this person's own record. LookupError
    when it can't be corrected or is not in this record."""
    model = SUPPORTED.get((about_type, field_name))
    if model is None:
        raise LookupError("that can't be corrected here")
    obj = model.objects.filter(pk=about_id, person=person).first()
    if obj is None:
        raise LookupError("not in this record")
    return obj


def _open_query(person_id: int) -> QuerySet[CorrectionRequest, tuple[Any, ...]]:
    return (
        CorrectionRequest.objects.filter(person_id=person_id, status=CorrectionRequest.Status.ASKED)
        .order_by("created_at")
        .values_list("pk", "created_at", "as_written")
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_open_query,)


def for_record(person: Any) -> dict[str, Any]:
    """Requests still waiting for an answer, shown at the top of the person page: what the
    partial reads of each, as plain values (the query written once, `written`)."""
    return {
        "open_corrections": [
            {"pk": pk, "created_at": created_at, "as_written": as_written}
            for pk, created_at, as_written in person_rows(_open_query, person.pk)
        ]
    }

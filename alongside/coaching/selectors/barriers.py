"""Reads for barriers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from alongside.core.words import day_month_year
from alongside.core.written import person_rows

from ..models import Barrier
from .shaping import part_paths

RESPONSES = dict(Barrier.Response.choices)


@dataclass
class BarrierRow:
    """One barrier on the person page, its day and what we did already in words."""

    service: str
    happened_on: str  # "3 November 2026", or ""
    what_happened: str
    response: str  # "Made a complaint", or ""
    what_we_did: str
    outcome: str
    share_with_convening: bool
    edit_url: str


def _barriers_query(person_id: int) -> QuerySet[Barrier, tuple[Any, ...]]:
    return (
        Barrier.objects.filter(person_id=person_id)
        .order_by("-happened_on", "-id")
        .values_list(
            "pk",
            "service",
            "happened_on",
            "what_happened",
            "response",
            "what_we_did",
            "outcome",
            "share_with_convening",
        )
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_barriers_query,)


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record)."""
    edit_path = part_paths("coaching:barrier_edit", person.pk)
    barriers = person_rows(_barriers_query, person.pk)
    return {
        "barriers": [
            BarrierRow(
                service=service,
                happened_on=day_month_year(happened_on),
                what_happened=what_happened,
                response=RESPONSES.get(response, response),
                what_we_did=what_we_did,
                outcome=outcome,
                share_with_convening=shared,
                edit_url=edit_path(pk),
            )
            for pk, service, happened_on, what_happened, response, what_we_did, outcome, shared in (
                barriers
            )
        ]
    }

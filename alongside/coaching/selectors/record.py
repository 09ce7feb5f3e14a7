"""Reads for coaching pages, shaped to a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alongside.core.written import together

from ..models import Person


def person_record(person: Person) -> dict[str, Any]:
    """Everything the person page shows. Each part of the record (coaching.parts) adds its
    own reads, and names the sections of the page it fills."""
    from ..parts import PARTS, person_partials

    context = _base_record(person)
    selectors = [s for s in (part.selector_module() for part in PARTS) if s is not None]
    reads = [build for s in selectors for build in getattr(s, "RECORD_READS", ())]
    with together(reads, person.pk):
        for selector in selectors:
            context.update(selector.for_record(person))
    context["record_sections"] = person_partials()
    context["current_relationship"] = _current(context.get("relationships", []))
    context["today"] = timezone.localdate()
    return context


def _current(relationships: list[Any]) -> Any:
    """The relationship the page's summary describes: the newest that has not ended, else the
    newest (relationships come newest first)."""
    return next((r for r in relationships if r["state"] != "ended"), None) or next(
        iter(relationships), None
    )


def _base_record(person: Person) -> dict[str, Any]:
    """What no part of the record supplies itself; the parts add the rest (the goals part
    gives the strengths, the budget part the spend requests)."""
    return {"person": person}

"""Reads for coaching pages, shaped to a fixed number of queries."""

from __future__ import annotations

from typing import Any

from ..models import Person


def person_record(person: Person) -> dict[str, Any]:
    """Everything the person page shows. Each part of the record (coaching.parts) adds its
    own reads, and names the sections of the page it fills."""
    from ..parts import PARTS, person_partials

    context = _base_record(person)
    for part in PARTS:
        selector = part.selector_module()
        if selector is not None:
            context.update(selector.for_record(person))
    context["record_sections"] = person_partials()
    return context


def _base_record(person: Person) -> dict[str, Any]:
    """What no part of the record supplies itself; the parts add the rest (the goals part
    gives the strengths)."""
    return {
        "person": person,
        "spend_requests": list(person.spend_requests.select_related("goal")),
        "barriers": list(person.barriers.all()),
    }

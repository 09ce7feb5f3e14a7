"""Reads for barriers."""

from __future__ import annotations

from typing import Any


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record)."""
    return {"barriers": list(person.barriers.order_by("-happened_on", "-id"))}

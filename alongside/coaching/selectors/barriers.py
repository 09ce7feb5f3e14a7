"""Reads for barriers. The person page's list comes from the base record
(selectors.record: `barriers`); this part adds nothing more to it."""

from __future__ import annotations

from typing import Any


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record)."""
    return {}

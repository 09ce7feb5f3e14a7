"""Reads for correction requests: what the person asked to change, for their coach."""

from __future__ import annotations

from typing import Any

from ..models import CorrectionRequest


def for_record(person: Any) -> dict[str, Any]:
    """Requests still waiting for an answer, shown at the top of the person page."""
    return {
        "open_corrections": list(
            person.corrections.filter(status=CorrectionRequest.Status.ASKED).order_by("created_at")
        )
    }

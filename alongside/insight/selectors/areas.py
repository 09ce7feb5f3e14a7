"""Which areas a user works on in insight, and which of their organisations keeps what they
make there."""

from __future__ import annotations

from typing import Any

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role
from alongside.accounts.policy import INSIGHT_ROLES

# The same reading the policy's insight rules make.
area_ids_for = policy.insight_area_ids


def areas_for(user: Any) -> list[Area]:
    """The areas where this user is an analyst or a commissioner, by name."""
    ids = area_ids_for(user)
    return list(Area.objects.filter(pk__in=ids).order_by("name")) if ids else []


def keeping_organisation(user: Any, area: Area) -> Organisation:
    """The organisation that keeps what this user makes for the area: the one where they are
    an analyst (or else a commissioner) in that area."""
    held = sorted(
        (h for h in policy.held_roles(user) if h.area_id == area.pk and h.role in INSIGHT_ROLES),
        key=lambda h: (h.role != Role.ANALYST, h.organisation_id),
    )
    if not held:
        raise ValueError("This user works on no insight in this area.")
    return Organisation.objects.get(pk=held[0].organisation_id)

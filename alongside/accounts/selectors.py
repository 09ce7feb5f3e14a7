from __future__ import annotations

from typing import Any

from alongside.accounts import policy

from .models import Organisation, Role


def led_organisations(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=policy.organisations_where(user, Role.LEAD)).order_by(
            "name"
        )
    )


def requires_two_factor(user: Any) -> bool:
    """Leads always; everyone on the staff of an organisation that asks for it."""
    if policy.is_person(user):
        return False
    held = policy.held_roles(user)
    return any(h.role == Role.LEAD or h.two_factor for h in held)

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from alongside.accounts import policy
from alongside.core import written

from .models import Organisation, Role


def led_organisations(user: Any) -> list[Organisation]:
    return organisations_by_name(policy.organisations_where(user, Role.LEAD))


def _organisations_query(ids: list[int]) -> QuerySet[Any]:
    return (
        Organisation.objects.filter(pk__in=ids)
        .order_by("name", "pk")
        .values_list(*written.columns(Organisation))
    )


def organisations_by_name(ids: Iterable[int]) -> list[Organisation]:
    """The organisations with these ids, by name: every page a lead manages asks, so the
    query is written once per connection (for each number of ids), not put together by the
    ORM each time (about 1,200 Python calls; issue 11)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    return written.instances(Organisation, written.rows_for_ids(_organisations_query, ids))


def requires_two_factor(user: Any) -> bool:
    """Leads always; everyone on the staff of an organisation that asks for it."""
    if policy.is_person(user):
        return False
    held = policy.held_roles(user)
    return any(h.role == Role.LEAD or h.two_factor for h in held)

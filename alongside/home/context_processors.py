"""Navigation shows only what the signed-in user's roles may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.paths import path_to

# (label, url name, who sees it)
NAV_ITEMS: list[tuple[str, str, set[str]]] = [
    ("People I work alongside", "coaching:people", {Role.COACH}),
    ("My organisation", "accounts:organisation", {Role.LEAD}),
    ("Audit trail", "audit:trail", {Role.LEAD}),
    ("Area picture", "home:area", {Role.COMMISSIONER}),
    ("Area insight", "insight:home", {Role.COMMISSIONER, Role.ANALYST}),
    ("Listening", "listening:exercises", {Role.LISTENER}),
    ("Convening", "convening:home", {Role.CONVENER}),
]


def nav_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    if policy.is_person(user):
        return [{"label": "My space", "url": path_to("home:home")}]
    held = policy.roles(user)
    # Every page builds this: each address is worked out once (core.paths), not per request.
    items = [{"label": "Home", "url": path_to("home:home")}]
    items += [
        {"label": label, "url": path_to(name)} for label, name, who in NAV_ITEMS if held & who
    ]
    # The network is for its staff and the staff of its member organisations, whatever
    # their role.
    if policy.in_a_network(user):
        items.append({"label": "Network", "url": path_to("network:home")})
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": nav_for(getattr(request, "user", None))}

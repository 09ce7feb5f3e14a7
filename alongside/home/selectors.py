"""Reads for the landing pages. Aggregates leave here already disclosure-controlled."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role
from alongside.coaching.models import Person, Relationship
from alongside.core.disclosure import protect, protect_table


def person_home(request: HttpRequest) -> dict[str, Any]:
    """A person's home is their own space: the same as /me/ (coaching.selectors.me)."""
    from alongside.coaching.selectors.me import home

    person = request.user.person
    policy.authorize(request, policy.Action.PERSON_VIEW, person, detail="my space")
    return home(person)


def coach_summary(user: Any) -> dict[str, Any]:
    """The coach's block on the home page: how many people, and gentle keep-in-touch prompts."""
    from alongside.coaching.selectors.relationships import prompts_for_coach

    return prompts_for_coach(user)


def _state_counts(organisation_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Relationship.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id", "state")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["organisation_id"], {})[row["state"]] = row["n"]
    return counts


def lead_organisations(user: Any) -> list[dict[str, Any]]:
    org_ids = sorted(policy.organisations_where(user, Role.LEAD))
    organisations = Organisation.objects.filter(pk__in=org_ids).annotate(
        people_count=Count("people", distinct=True)
    )
    counts = _state_counts(org_ids)
    labels = dict(Relationship.State.choices)
    result = []
    for organisation in organisations:
        by_state = counts.get(organisation.pk, {})
        cells, total = protect_table({labels[s]: by_state.get(s, 0) for s in labels})
        result.append(
            {
                "organisation": organisation,
                "people": protect(organisation.people_count),
                "states": cells,
                "total": total,
            }
        )
    return result


def commissioned_areas(user: Any) -> list[dict[str, Any]]:
    area_ids = {
        held.area_id
        for held in policy.held_roles(user)
        if held.role == Role.COMMISSIONER and held.area_id is not None
    }
    result = []
    for area in Area.objects.filter(pk__in=area_ids).order_by("name"):
        providers = (
            Organisation.objects.filter(area=area, kind=Organisation.Kind.PROVIDER)
            .annotate(
                working=Count(
                    "relationships",
                    filter=~Q(relationships__state=Relationship.State.ENDED),
                )
            )
            .order_by("name")
        )
        cells, total = protect_table({org.name: org.working for org in providers})
        people = protect(Person.objects.filter(organisation__area=area).count())
        result.append({"area": area, "cells": cells, "total": total, "people": people})
    return result

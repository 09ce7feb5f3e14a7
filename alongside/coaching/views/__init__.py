"""Coaching pages, one module per part of the record. Views stay thin: they ask the policy,
call a service or selector, and render."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.accounts.selectors import organisations_by_name
from alongside.core.forms import record_id
from alongside.core.written import columns, person_rows

from ..models import ErasureRequest, Person

M = TypeVar("M", bound=Model)


@functools.cache
def _people() -> QuerySet[Person]:
    """People with their organisation and `erased_at`: the query put together once (every
    coaching page asks for one person, and building the subquery each time cost about as much
    Python as running it). Only ever filtered, which copies it; never evaluated itself, so it
    holds no one's data."""
    erased_at = ErasureRequest.objects.filter(
        person=OuterRef("pk"), status=ErasureRequest.Status.DONE
    ).values("decided_at")[:1]
    return Person.objects.select_related("organisation").annotate(erased_at=Subquery(erased_at))


_PERSON_COLUMNS = tuple(columns(Person))
_ORGANISATION_COLUMNS = tuple(columns(Organisation))


def _person_query(person_id: int) -> QuerySet[Any]:
    """`_people()`'s row for one person, as plain values, written by the ORM once per
    connection (core.written): building and compiling it took about 1,500 Python calls on
    every page about a person (issue 11)."""
    return (
        _people()
        .filter(pk=person_id)
        .values_list(
            *_PERSON_COLUMNS,
            *(f"organisation__{name}" for name in _ORGANISATION_COLUMNS),
            "erased_at",
        )
    )


def _person_from(row: tuple[Any, ...]) -> Person:
    """The person and their organisation as `_people()` gives them (the organisation cached
    as select_related leaves it, `erased_at` set as the annotation sets it)."""
    split = len(_PERSON_COLUMNS)
    person = Person.from_db(DEFAULT_DB_ALIAS, _PERSON_COLUMNS, row[:split])
    organisation = Organisation.from_db(
        DEFAULT_DB_ALIAS, _ORGANISATION_COLUMNS, row[split : split + len(_ORGANISATION_COLUMNS)]
    )
    Person._meta.get_field("organisation").set_cached_value(person, organisation)
    person.erased_at = row[-1]
    return person


def person_or_404(person_id: int, *, erased_too: bool = False) -> Person:
    """The person a coaching page is about, with what the policy and the page header read
    (their organisation; `user_id`, not the sign-in itself), and `erased_at` (when their
    record was erased at their request, or None). An erased record has nothing left to read
    or change: only its own page (`erased_too`) answers."""
    found = person_rows(_person_query, person_id)
    if not found:
        raise Http404("No Person matches the given query.")
    person = _person_from(found[0])
    if person.erased_at is not None and not erased_too:
        raise Http404("This record was erased.")
    return person


def person_for(request: HttpRequest, person_id: int, action: policy.Action, detail: str) -> Person:
    """The person, once the policy allows this action on their record (audited either way)."""
    person = person_or_404(person_id)
    policy.authorize(request, action, person, detail=detail)
    return person


def part_for(
    request: HttpRequest,
    person: Person,
    parts: QuerySet[M],
    part_id: Any,
    *,
    action: policy.Action,
    detail: str,
    through: str = "person",
) -> M:
    """One part of a person's record (a goal, a note) named in the URL. The policy is asked
    first (a refusal is audited as one); a part that is not this person's is audited as a
    refusal and answered 404; only then is the page audited as a read of the record."""
    policy.require(request.user, action, person, detail=detail)
    part = parts.filter(**{through: person}, pk=part_id).first()
    if part is None:
        policy.refuse_not_found(request, person, detail=f"{detail} {part_id}")
    policy.audit_allowed(request, action, person, detail=detail)
    return part


def led_organisation(request: HttpRequest, detail: str) -> tuple[Organisation, list[Organisation]]:
    """The organisation a lead is managing a list for, and every organisation they lead.

    A lead of several organisations picks one with `organisation=<id>` (a link in the page's
    chooser, or a hidden field in its forms); without it, the first by name. Anyone who
    leads none is refused, and asking for an organisation they don't lead is refused by
    the policy (both audited)."""
    led_ids = policy.organisations_where(request.user, Role.LEAD)
    if not led_ids:
        policy.record_denied(request, detail)
    led = organisations_by_name(led_ids)
    wanted = record_id(request.POST.get("organisation") or request.GET.get("organisation"))
    organisation = led[0] if wanted is None else get_object_or_404(Organisation, pk=wanted)
    policy.authorize(request, policy.Action.ORGANISATION_MANAGE, organisation, detail=detail)
    return organisation, led


def organisation_query(organisation: Organisation, led: list[Organisation]) -> str:
    """`?organisation=<id>` to stay on the same organisation after a save, when it matters."""
    return f"?organisation={organisation.pk}" if len(led) > 1 else ""

"""Alongside's own practice vocabulary: words for how a service works with people, in
strengths-based terms, so a directory can be searched by the way help is offered and not only by
what is "wrong".

It is data: groups (parent terms) and their terms, each with a line saying what it means. The
ids are uuid5 of a fixed namespace and the term's name, so every directory that uses the
vocabulary gives a term the same id, and an export brought back in matches what is there.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import Organisation

from .models import Taxonomy, TaxonomyTerm

# Fixed for ever: changing it would give every term a new id.
NAMESPACE = uuid.UUID("6f1d2c3a-8b4e-5a7f-9c0d-1e2f3a4b5c6d")
TAXONOMY_NAME = "Alongside practice vocabulary"
TAXONOMY_DESCRIPTION = (
    "How a service works alongside people: strengths-based words of our own, so people can "
    "find help by the way it is offered."
)
VERSION_LABEL = "1"

# (group, its line, [(term, its line), ...])
GROUPS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "How we work with people",
        "The way the service walks alongside someone.",
        [
            ("Person-led coaching", "The person sets the goals, in their own words."),
            ("Strengths-based conversations", "We start from what is going well and who helps."),
            ("Personal budgets", "Money the person decides how to spend on their own goals."),
            ("Peer support", "Help from people who have been through something similar."),
            ("Circles of support", "Bringing together the people who matter to someone."),
        ],
    ),
    (
        "Who leads it",
        "Whose knowledge shapes the service.",
        [
            (
                "Lived experience leadership",
                "People with lived experience lead the service and its decisions.",
            ),
            ("Made with the people who use it", "Designed and changed together with them."),
            ("Run by the community", "Run by local people, for local people."),
        ],
    ),
    (
        "Times of change",
        "Help through a particular time in someone's life.",
        [
            ("Leaving prison", "Support before and after release, for as long as it helps."),
            ("Leaving care", "For young people moving on from care, and those around them."),
            ("Housing first", "A home first, with support that stays as long as it is wanted."),
            ("Recovery community", "A community around recovery from drink or drugs."),
            ("Bereavement", "Company and support after someone has died."),
            ("Living with domestic abuse", "Safe support for people living with abuse."),
            ("Money worries", "Help with debt, benefits and making ends meet."),
        ],
    ),
    (
        "Getting in",
        "How easy it is to start.",
        [
            ("Walk-in, no referral needed", "Come along; nobody needs to refer you."),
            ("Help in other languages", "Support in languages other than English."),
            ("Evenings and weekends", "Open outside working hours."),
            ("Online or by phone", "Help without needing to travel."),
            ("Step-free access", "The building can be reached without steps."),
        ],
    ),
]


def term_names() -> list[str]:
    """Every term's name, groups first then their terms."""
    names: list[str] = []
    for group, _line, terms in GROUPS:
        names.append(group)
        names.extend(name for name, _ in terms)
    return names


def stable_id(name: str, *, scope: str = "") -> uuid.UUID:
    """The id of a term (or, with the taxonomy's own name, the taxonomy)."""
    return uuid.uuid5(NAMESPACE, f"{scope}{name}")


def _scope_for(network: Organisation) -> str:
    # The ids are the same in every directory. Only when one database holds two networks,
    # each with its own copy, does the second copy need ids of its own: it takes them from
    # the network's slug, which stays the same from one run to the next as well.
    existing = Taxonomy.objects.filter(pk=stable_id(TAXONOMY_NAME)).values_list(
        "network_id", flat=True
    )
    owner = next(iter(existing), None)
    if owner is None or owner == network.pk:
        return ""
    return f"{network.slug}/"


def ensure_own_taxonomy(*, network: Organisation) -> Taxonomy:
    """The network's copy of the practice vocabulary, made if missing and brought up to date
    (names and lines) if not. Safe to call again and again."""
    scope = _scope_for(network)
    with transaction.atomic():
        taxonomy, _ = Taxonomy.objects.update_or_create(
            pk=stable_id(TAXONOMY_NAME, scope=scope),
            defaults={
                "network": network,
                "name": TAXONOMY_NAME,
                "description": TAXONOMY_DESCRIPTION,
                "version_label": VERSION_LABEL,
                "is_own": True,
            },
        )
        have = {term.pk: term for term in taxonomy.terms.all()}
        for group, line, terms in GROUPS:
            parent = _term(taxonomy, have, group, line, None, scope)
            for name, term_line in terms:
                _term(taxonomy, have, name, term_line, parent, scope)
    return taxonomy


def _term(
    taxonomy: Taxonomy,
    have: dict[Any, TaxonomyTerm],
    name: str,
    line: str,
    parent: TaxonomyTerm | None,
    scope: str,
) -> TaxonomyTerm:
    pk = stable_id(name, scope=scope)
    term = have.get(pk)
    wanted = {"name": name, "description": line, "parent": parent, "code": name}
    if term is None:
        return TaxonomyTerm.objects.create(
            pk=pk, network=taxonomy.network, taxonomy=taxonomy, **wanted
        )
    if any(getattr(term, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(term, field, value)
        term.last_modified = timezone.now()
        term.save(update_fields=[*wanted, "last_modified"])
    return term

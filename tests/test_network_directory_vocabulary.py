"""Alongside's own practice vocabulary (issue 15, item 1): a taxonomy of our own, in a few
groups, with stable ids so imports and exports repeat, made idempotently."""

from __future__ import annotations

import uuid

import pytest

from alongside.network import practice_vocabulary as vocabulary
from alongside.network.models import Taxonomy, TaxonomyTerm

from . import factories

pytestmark = pytest.mark.django_db


def test_vocabulary_is_our_own_in_groups_with_a_line_each():
    network = factories.organisation("network")
    taxonomy = vocabulary.ensure_own_taxonomy(network=network)
    assert taxonomy.is_own and taxonomy.network == network
    groups = taxonomy.terms.filter(parent__isnull=True)
    terms = taxonomy.terms.filter(parent__isnull=False)
    assert 3 <= groups.count() <= 5
    assert 15 <= terms.count() <= 25
    assert all(term.description for term in taxonomy.terms.all())
    names = set(terms.values_list("name", flat=True))
    for wanted in (
        "Person-led coaching",
        "Peer support",
        "Leaving prison",
        "Housing first",
        "Walk-in, no referral needed",
        "Help in other languages",
    ):
        assert wanted in names


def test_ids_are_stable_and_calling_again_changes_nothing():
    network = factories.organisation("network")
    first = vocabulary.ensure_own_taxonomy(network=network)
    ids = set(first.terms.values_list("pk", "last_modified"))
    again = vocabulary.ensure_own_taxonomy(network=network)
    assert again.pk == first.pk == uuid.uuid5(vocabulary.NAMESPACE, vocabulary.TAXONOMY_NAME)
    assert set(again.terms.values_list("pk", "last_modified")) == ids
    peer = TaxonomyTerm.objects.get(name="Peer support")
    assert peer.pk == uuid.uuid5(vocabulary.NAMESPACE, "Peer support")
    assert Taxonomy.objects.count() == 1


def test_a_renamed_line_is_put_right_and_a_second_network_gets_its_own_copy():
    network = factories.organisation("network")
    vocabulary.ensure_own_taxonomy(network=network)
    TaxonomyTerm.objects.filter(name="Peer support").update(description="changed by hand")
    vocabulary.ensure_own_taxonomy(network=network)
    assert TaxonomyTerm.objects.get(name="Peer support").description != "changed by hand"

    second = factories.organisation("network")
    theirs = vocabulary.ensure_own_taxonomy(network=second)
    assert theirs.network == second and theirs.terms.count() == len(vocabulary.term_names())
    assert vocabulary.ensure_own_taxonomy(network=second).pk == theirs.pk
    assert TaxonomyTerm.objects.filter(network=network).count() == len(vocabulary.term_names())

"""Who may do what in the network (issue 15): the rules in accounts.policy, with their
negatives. Pages are tested in their own files; these are the rules they all ask."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.accounts.policy import Action
from tests import factories

pytestmark = pytest.mark.django_db


def _entry(world: dict[str, Any], member: Organisation | None) -> Any:
    return SimpleNamespace(member_id=member.pk if member else None, network_id=world["network"].pk)


def _portfolio(world: dict[str, Any], org: Organisation) -> Any:
    return SimpleNamespace(organisation_id=org.pk, network_id=world["network"].pk)


def test_network_staff_are_its_leads_and_assessors(world: dict[str, Any]) -> None:
    network = world["network"]
    assert policy.can(world["network_lead"], Action.NETWORK_STAFF, network)
    assert policy.can(world["assessor"], Action.NETWORK_STAFF, network)
    for who in ("lead", "coach", "other_lead", "commissioner", "analyst"):
        assert not policy.can(world[who], Action.NETWORK_STAFF, network), who
    assert not policy.can(world["sam"].user, Action.NETWORK_STAFF, network)


def test_a_lead_of_a_provider_is_not_staff_of_a_network_by_kind(world: dict[str, Any]) -> None:
    # A lead role at an organisation that is not a network never counts as network staff.
    assert not policy.can(world["lead"], Action.NETWORK_STAFF, world["home"])


def test_members_are_the_staff_of_member_organisations(world: dict[str, Any]) -> None:
    network = world["network"]
    for who in ("lead", "coach", "listener", "assessor", "network_lead"):
        assert policy.can(world[who], Action.NETWORK_MEMBER, network), who
    for who in ("other_lead", "other_coach", "commissioner"):
        assert not policy.can(world[who], Action.NETWORK_MEMBER, network), who
    assert not policy.can(world["sam"].user, Action.NETWORK_MEMBER, network)
    # Joining makes them members.
    world["other"].networks.add(network)
    fresh = type(world["other_lead"]).objects.get(pk=world["other_lead"].pk)
    assert policy.can(fresh, Action.NETWORK_MEMBER, network)


def test_another_network_is_not_mine(world: dict[str, Any]) -> None:
    elsewhere = factories.organisation(Organisation.Kind.NETWORK)
    assert not policy.can(world["lead"], Action.NETWORK_MEMBER, elsewhere)
    assert not policy.can(world["assessor"], Action.NETWORK_STAFF, elsewhere)
    assert policy.network_ids_of_member(world["lead"]) == {world["network"].pk}


def test_a_directory_entry_is_kept_by_its_members_leads_and_network_staff(
    world: dict[str, Any],
) -> None:
    mine = _entry(world, world["home"])
    assert policy.can(world["lead"], Action.DIRECTORY_KEEP, mine)
    assert policy.can(world["network_lead"], Action.DIRECTORY_KEEP, mine)
    for who in ("coach", "other_lead", "commissioner"):
        assert not policy.can(world[who], Action.DIRECTORY_KEEP, mine), who
    theirs = _entry(world, world["other"])
    assert not policy.can(world["lead"], Action.DIRECTORY_KEEP, theirs)
    from_a_feed = _entry(world, None)
    assert not policy.can(world["lead"], Action.DIRECTORY_KEEP, from_a_feed)
    assert policy.can(world["assessor"], Action.DIRECTORY_KEEP, from_a_feed)


def test_a_portfolio_is_built_by_its_leads_and_assessed_by_the_networks_assessors(
    world: dict[str, Any],
) -> None:
    portfolio = _portfolio(world, world["home"])
    assert policy.can(world["lead"], Action.PORTFOLIO_WORK, portfolio)
    assert policy.can(world["lead"], Action.PORTFOLIO_VIEW, portfolio)
    assert not policy.can(world["lead"], Action.PORTFOLIO_ASSESS, portfolio)
    assert policy.can(world["assessor"], Action.PORTFOLIO_ASSESS, portfolio)
    assert policy.can(world["assessor"], Action.PORTFOLIO_VIEW, portfolio)
    assert not policy.can(world["assessor"], Action.PORTFOLIO_WORK, portfolio)
    # The network's lead runs the network; assessing is the assessors' own.
    assert not policy.can(world["network_lead"], Action.PORTFOLIO_ASSESS, portfolio)
    for who in ("coach", "other_lead", "commissioner", "convener"):
        assert not policy.can(world[who], Action.PORTFOLIO_VIEW, portfolio), who
    other_assessor = factories.staff(
        Role.ASSESSOR, factories.organisation(Organisation.Kind.NETWORK)
    )
    assert not policy.can(other_assessor, Action.PORTFOLIO_VIEW, portfolio)


def test_a_resource_is_removed_by_whoever_added_it_or_the_networks_staff(
    world: dict[str, Any],
) -> None:
    network = world["network"]
    added_by_coach = SimpleNamespace(created_by_id=world["coach"].pk, network=network)
    assert policy.can(world["coach"], Action.RESOURCE_REMOVE, added_by_coach)
    assert policy.can(world["network_lead"], Action.RESOURCE_REMOVE, added_by_coach)
    assert policy.can(world["assessor"], Action.RESOURCE_REMOVE, added_by_coach)
    for who in ("lead", "listener", "other_lead", "commissioner"):
        assert not policy.can(world[who], Action.RESOURCE_REMOVE, added_by_coach), who
    # Someone who added it and has since left the network may no longer take it out.
    added_by_outsider = SimpleNamespace(created_by_id=world["other_lead"].pk, network=network)
    assert not policy.can(world["other_lead"], Action.RESOURCE_REMOVE, added_by_outsider)


def test_an_entry_from_another_directorys_feed_is_kept_there(world: dict[str, Any]) -> None:
    # Its feed's next run would overwrite a change made here, so nobody here may change it.
    from_a_feed = SimpleNamespace(member_id=None, network_id=world["network"].pk, source_feed_id=7)
    for who in ("network_lead", "assessor", "lead"):
        assert not policy.can(world[who], Action.DIRECTORY_KEEP, from_a_feed), who

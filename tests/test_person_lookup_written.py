"""The person a coaching page is about, and "does this user coach them?", are read from
queries the ORM writes once per connection (issue 11). Each gives what the ORM's own query
gave: the same person and organisation, `erased_at`, the same answers and refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Membership, Role
from alongside.coaching.models import ErasureRequest, Person, Relationship
from alongside.coaching.views import _people, person_or_404

from .factories import person

pytestmark = pytest.mark.django_db


def _fields(someone: Person) -> dict:
    return {f.attname: getattr(someone, f.attname) for f in Person._meta.concrete_fields}


def test_the_person_is_the_one_the_orm_gives(world):
    for someone in (world["sam"], world["jo"]):
        expected = _people().get(pk=someone.pk)
        found = person_or_404(someone.pk)
        assert _fields(found) == _fields(expected)
        assert found.erased_at is None
        with CaptureQueriesContext(connection) as asked:
            organisation = found.organisation  # cached, as select_related leaves it
        assert len(asked) == 0
        assert {
            f.attname: getattr(organisation, f.attname)
            for f in type(organisation)._meta.concrete_fields
        } == {
            f.attname: getattr(expected.organisation, f.attname)
            for f in type(organisation)._meta.concrete_fields
        }
        assert found._state.adding is False and found._state.db == "default"


def test_nobody_and_an_erased_record_are_not_found(world):
    with pytest.raises(Http404):
        person_or_404(Person.objects.order_by("-pk").first().pk + 1000)
    gone = person(world["home"], world["coach"], "Gone")
    ErasureRequest.objects.create(
        person=gone,
        organisation=world["home"],
        status=ErasureRequest.Status.DONE,
        decided_at=timezone.now(),
    )
    with pytest.raises(Http404):
        person_or_404(gone.pk)
    assert person_or_404(gone.pk, erased_too=True).erased_at is not None


def test_coaches_answers_as_the_orms_exists_did(world):
    coach, sam, jo = world["coach"], world["sam"], world["jo"]

    def orm(user, someone) -> bool:
        orgs = policy.organisations_where(user, Role.COACH)
        return (
            bool(orgs)
            and someone.relationships.filter(coach=user, organisation_id__in=orgs).exists()
        )

    # A coach of a second organisation too: the query is written for each number of them.
    Membership.objects.create(user=coach, organisation=world["other"], role=Role.COACH)
    Relationship.objects.filter(person=sam).update(state=Relationship.State.ENDED)
    for user in (coach, world["second_coach"], world["other_coach"], world["lead"]):
        user.__dict__.pop("_alongside_held", None)
        for someone in (sam, world["alex"], jo):
            assert policy.coaches(user, someone) == orm(user, someone), (user, someone)
    assert policy.coaches(coach, sam)  # an ended relationship still counts: they did coach
    assert not policy.coaches(coach, jo)  # another organisation's person, not theirs
    assert not policy.coaches(world["other_coach"], sam)


def test_the_networks_of_a_member_are_the_orms(world):
    from alongside.accounts.models import Organisation

    def orm(user) -> set[int]:
        held = policy.held_roles(user)
        own = {h.organisation_id for h in held if h.kind == Organisation.Kind.NETWORK}
        through = Organisation.networks.through.objects.filter(
            from_organisation_id__in={h.organisation_id for h in held}
        ).values_list("to_organisation_id", flat=True)
        return own | set(through)

    second = Organisation.objects.create(name="Second network", kind=Organisation.Kind.NETWORK)
    world["home"].networks.add(second)
    for user in ("coach", "other_coach", "network_lead", "assessor", "lead", "commissioner"):
        assert policy.network_ids_of_member(world[user]) == orm(world[user]), user
    assert policy.network_ids_of_member(world["coach"]) == {world["network"].pk, second.pk}
    assert policy.network_ids_of_member(world["other_coach"]) == set()


def test_in_a_listening_team_answers_as_the_orm_did(world):
    from alongside.listening.models import Exercise

    listener, lead, coach = world["listener"], world["lead"], world["coach"]
    mine = Exercise.objects.create(organisation=world["home"], title="Ours", question="?")
    other = Exercise.objects.create(organisation=world["home"], title="Not ours", question="?")
    mine.team.add(listener)
    for user in (listener, lead, coach):
        for exercise in (mine, other):
            expected = bool(policy._listening_roles(user, exercise.organisation_id)) and (
                exercise.team.filter(pk=user.pk).exists()
            )
            assert policy._in_team(user, exercise) == expected, (user, exercise)
    assert policy._in_team(listener, mine) and not policy._in_team(listener, other)

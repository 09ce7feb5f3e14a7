"""OrganisationNumber, an organisation's numbers at a glance (people, their own allocations,
relationships in each state), is kept by database triggers (coaching migration 0009). Whatever
changes people and relationships (a service, a plain save, a bulk load, a delete), the numbers
stay what counting every row gives, and the lead's home shows them."""

import importlib
import random
from collections import Counter

import pytest
from django.apps import apps

from alongside.coaching.models import OrganisationNumber, Person, Relationship
from alongside.home import selectors

pytestmark = pytest.mark.django_db

STATES = Relationship.State.values


def counted() -> dict[tuple[int, str], int]:
    """The numbers worked out from every person and relationship, as the home did before."""
    numbers: Counter[tuple[int, str]] = Counter()
    for person in Person.objects.all():
        numbers[(person.organisation_id, OrganisationNumber.PEOPLE)] += 1
        numbers[(person.organisation_id, OrganisationNumber.OWN_ALLOCATIONS)] += (
            person.budget_allocation_pence
        )
        numbers[(person.organisation_id, OrganisationNumber.WITHOUT_OWN_ALLOCATION)] += (
            person.budget_allocation_pence == 0
        )
    for relationship in Relationship.objects.all():
        name = OrganisationNumber.RELATIONSHIPS + relationship.state
        numbers[(relationship.organisation_id, name)] += 1
    return {key: n for key, n in numbers.items() if n}


def kept() -> dict[tuple[int, str], int]:
    return {
        (n.organisation_id, n.name): n.number for n in OrganisationNumber.objects.all() if n.number
    }


def test_numbers_follow_every_kind_of_change(world):
    rng = random.Random(11)
    organisations = [world["home"], world["other"]]
    coaches = {world["home"].pk: world["coach"], world["other"].pk: world["other_coach"]}
    people = list(Person.objects.all())
    relationships = list(Relationship.objects.all())
    assert kept() == counted() != {}  # the world's own people were counted as they came
    for step in range(120):
        action = rng.choice(["add", "add", "allocate", "move", "stage", "start", "drop", "end"])
        if action == "add" or not people:
            people.append(
                Person.objects.create(
                    organisation=rng.choice(organisations),
                    chosen_name=f"Someone {step}",
                    budget_allocation_pence=rng.choice([0, 0, 2500, 10000]),
                )
            )
        elif action == "allocate":
            person = rng.choice(people)
            person.budget_allocation_pence = rng.choice([0, 1500, 30000])
            person.save()
        elif action == "move":
            person = rng.choice(people)
            person.organisation = rng.choice(organisations)
            person.save()
        elif action == "start":
            person = rng.choice(people)
            relationships.append(
                Relationship.objects.create(
                    person=person,
                    coach=coaches[person.organisation_id],
                    organisation_id=person.organisation_id,
                    state=rng.choice(STATES),
                )
            )
        elif action == "stage" and relationships:
            relationship = rng.choice(relationships)
            relationship.state = rng.choice(STATES)
            relationship.save()
        elif action == "end" and relationships:
            relationships.pop(rng.randrange(len(relationships))).delete()
        elif action == "drop":
            person = people.pop(rng.randrange(len(people)))
            relationships = [r for r in relationships if r.person_id != person.pk]
            person.delete()  # takes its relationships with it
        assert kept() == counted(), f"after step {step}: {action}"


def test_bulk_loads_and_updates_keep_the_numbers(world):
    home = world["home"]
    made = Person.objects.bulk_create(
        Person(organisation=home, chosen_name=f"Bulk {i}", budget_allocation_pence=100 * (i % 2))
        for i in range(6)
    )
    Relationship.objects.bulk_create(
        Relationship(person=p, coach=world["coach"], organisation=home) for p in made
    )
    Relationship.objects.filter(person__in=made).update(state=Relationship.State.WORKING_TOGETHER)
    Person.objects.filter(pk__in=[p.pk for p in made]).update(budget_allocation_pence=50)
    assert kept() == counted()
    Person.objects.filter(pk__in=[p.pk for p in made]).delete()
    assert kept() == counted()


def test_the_migration_adds_up_what_was_there_before(world):
    Person.objects.create(organisation=world["home"], chosen_name="Kim", budget_allocation_pence=9)
    before = kept()
    OrganisationNumber.objects.all().delete()
    migration = importlib.import_module("alongside.coaching.migrations.0009_organisation_numbers")
    migration.add_up_existing(apps)
    assert kept() == before == counted()


def test_the_lead_sees_the_kept_numbers(world):
    home = world["home"]
    home.budget_allocation_pence = 20000
    home.save()
    Person.objects.create(organisation=home, chosen_name="Kim", budget_allocation_pence=5000)
    Relationship.objects.filter(person=world["alex"]).update(
        state=Relationship.State.WORKING_TOGETHER
    )
    queue = selectors.lead_queue(world["lead"])
    (numbers,) = [o["numbers"] for o in queue["organisations"]]
    # Sam and Alex take the organisation's £200 each; Kim has £50 of her own.
    assert (str(numbers["people"]), numbers["allocation"]) == ("3", "£450")
    by_state = {row["state"]: str(row["cell"]) for row in numbers["stages"]}
    assert by_state[Relationship.State.WORKING_TOGETHER] == "1"
    assert by_state[Relationship.State.GETTING_TO_KNOW] == "1"
    assert str(numbers["relationships"]) == "2"
    # Another organisation's people are not this lead's numbers.
    Person.objects.create(organisation=world["other"], chosen_name="Elsewhere")
    again = selectors.lead_queue(world["lead"])["organisations"][0]["numbers"]
    assert str(again["people"]) == "3"

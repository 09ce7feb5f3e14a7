"""Each barrier keeps its person's organisation (issue 11, eighth pass), so convening reads
shared barriers without joining every person in the area; and the consent check asks for a
standing withdrawal instead of each barrier's latest choice. Both must change no answer: the
copy is filled however a barrier is made and follows the person if they ever move, and the
withdrawal rule is the latest-choice rule on any history of choices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.coaching.models import Barrier, ConsentEvent, Person
from alongside.coaching.selectors.me_rights import barriers_for_convening

from .factories import person

pytestmark = pytest.mark.django_db

SHARE = ConsentEvent.Choice.SHARE_BARRIERS
START = datetime(2026, 6, 1, 9, tzinfo=UTC)


def made(who: Person, **more: object) -> Barrier:
    return Barrier(person=who, service="Job centre", what_happened="Waited.", **more)


def test_a_saved_barrier_takes_its_persons_organisation(world):
    sam = person(world["home"])
    barrier = made(sam)
    barrier.save()
    assert barrier.organisation_id == world["home"].pk
    barrier.refresh_from_db()
    assert barrier.organisation_id == world["home"].pk


def test_bulk_made_barriers_take_theirs_whether_or_not_the_person_is_loaded(world):
    sam, kit = person(world["home"]), person(world["other"], name="Kit")
    by_id = Barrier(person_id=kit.pk, service="Benefits", what_happened="Sanctioned.")
    Barrier.objects.bulk_create([made(sam), by_id])
    found = dict(Barrier.objects.values_list("person_id", "organisation_id"))
    assert found == {sam.pk: world["home"].pk, kit.pk: world["other"].pk}


def test_a_person_who_moves_takes_their_barriers_with_them(world):
    sam, kit = person(world["home"]), person(world["home"], name="Kit")
    made(sam).save()
    made(kit).save()
    Person.objects.filter(pk=sam.pk).update(organisation=world["other"])
    found = dict(Barrier.objects.values_list("person_id", "organisation_id"))
    assert found == {sam.pk: world["other"].pk, kit.pk: world["home"].pk}
    assert list(barriers_for_convening(world["home"])) == []


def latest_choice_holds(barrier: Barrier, events: list[ConsentEvent]) -> bool:
    """The rule as people understand it: the latest choice about this barrier, or about all
    of them, is what holds; no choice yet means shared."""
    about = [e for e in events if e.scope in ("", str(barrier.pk))]
    return not about or max(about, key=lambda e: (e.at, e.pk)).given


# (which barrier the choice is about: None for all of them, given, minutes after the start;
# few distinct minutes, so choices at the same moment happen and the later id must win).
CHOICES = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 2)), st.booleans(), st.integers(0, 3)),
    max_size=7,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choices=CHOICES)
def test_the_withdrawal_rule_is_the_latest_choice_rule(world, choices):
    # Each example has a person of its own: the database is not emptied between examples.
    who = person(world["home"], name="Ren")
    barriers = [made(who, share_with_convening=True) for _ in range(3)]
    Barrier.objects.bulk_create(barriers)
    ConsentEvent.objects.bulk_create(
        ConsentEvent(
            person=who,
            choice=SHARE,
            scope="" if which is None else str(barriers[which].pk),
            given=given,
            at=START + timedelta(minutes=minutes),
        )
        for which, given, minutes in choices
    )
    events = list(ConsentEvent.objects.filter(person=who, choice=SHARE))
    usable = set(
        barriers_for_convening(world["home"]).filter(person=who).values_list("pk", flat=True)
    )
    assert usable == {b.pk for b in barriers if latest_choice_holds(b, events)}

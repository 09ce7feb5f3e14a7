"""The convening home's theme counts (issue 11): the consent check asks for a withdrawal no
later choice undid (read once and joined), not for each barrier's latest choice; and the
barrier's organisation is read from the barrier, not its person. The answers must stay the
rule's: checked here against the rule worked out in Python, and against the old
"latest choice IS NULL OR true" form, on awkward data: consent withdrawn and given again (for
one barrier and for all), barriers not shared, an organisation in another area, one that does
not share, and people who moved organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from alongside.accounts.models import Area, Organisation
from alongside.coaching.models import Barrier, ConsentEvent, Person
from alongside.coaching.selectors.me_rights import barriers_for_convening
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.convening.selectors.home import convening_home
from alongside.convening.selectors.recommendations import counts_of, gathers, theme_counts

from .factories import person

pytestmark = pytest.mark.django_db

SHARE = ConsentEvent.Choice.SHARE_BARRIERS


def old_rule(where: Q) -> set[int]:
    """The consent check as it was written before: the latest choice looked up twice."""
    latest = (
        ConsentEvent.objects.filter(person_id=OuterRef("person_id"), choice=SHARE)
        .filter(Q(scope="") | Q(scope=Cast(OuterRef("pk"), output_field=CharField())))
        .order_by("-at", "-id")
        .values("given")[:1]
    )
    return set(
        Barrier.objects.filter(where, share_with_convening=True)
        .annotate(latest_choice=Subquery(latest))
        .filter(Q(latest_choice__isnull=True) | Q(latest_choice=True))
        .values_list("pk", flat=True)
    )


def consent_holds(barrier: Barrier) -> bool:
    """The rule in Python: the latest choice for this barrier or for all, if any, is given."""
    events = [
        e
        for e in ConsentEvent.objects.filter(person_id=barrier.person_id, choice=SHARE)
        if e.scope in ("", str(barrier.pk))
    ]
    if not events:
        return True
    return max(events, key=lambda e: (e.at, e.pk)).given


def expected_counts(theme: SystemTheme) -> tuple[int, int]:
    """(own, others) for a theme, worked out placement by placement."""
    organisation_id, area_id = gathers(theme)
    own = others = 0
    for placement in BarrierPlacement.objects.filter(theme=theme).select_related(
        "barrier__person__organisation"
    ):
        barrier = placement.barrier
        if not barrier.share_with_convening or not consent_holds(barrier):
            continue
        organisation = barrier.person.organisation
        if organisation.pk == organisation_id:
            own += 1
        elif (
            area_id is not None
            and organisation.area_id == area_id
            and organisation.shares_barriers_in_area
        ):
            others += 1
    return own, others


def barrier(who: Person, *, shared: bool = True) -> Barrier:
    return Barrier.objects.create(
        person=who, service="Job centre", what_happened="Waited.", share_with_convening=shared
    )


def choose(who: Person, given: bool, at: Any, scope: Any = "") -> None:
    ConsentEvent.objects.create(person=who, choice=SHARE, scope=str(scope), given=given, at=at)


def awkward(world: dict[str, Any]) -> list[SystemTheme]:
    home, other = world["home"], world["other"]
    other.shares_barriers_in_area = True
    other.save()
    elsewhere = Area.objects.create(name="Elsewhere", slug="elsewhere")
    away = Organisation.objects.create(
        name="Away", slug="away", area=elsewhere, shares_barriers_in_area=True
    )
    quiet = Organisation.objects.create(name="Quiet", slug="quiet", area=world["area"])
    across = SystemTheme.objects.create(organisation=home, title="Across", area=world["area"])
    ours = SystemTheme.objects.create(organisation=home, title="Ours")
    moved_area = SystemTheme.objects.create(organisation=home, title="Moved", area=elsewhere)
    empty = SystemTheme.objects.create(organisation=home, title="Empty", area=world["area"])

    now = timezone.now()
    people = [person(org, None, f"P{i}") for i, org in enumerate([home] * 6 + [other] * 3)]
    people += [person(away, None, "Far"), person(quiet, None, "Hush")]
    p = people
    # A barrier sits in one theme of an organisation: each theme gets its own, two a person.
    mine: dict[int, list[list[Barrier]]] = {}
    for theme in (across, ours, moved_area):
        mine[theme.pk] = [[barrier(who), barrier(who)] for who in people]
        mine[theme.pk][0].append(barrier(p[0], shared=False))
        mine[theme.pk][6].append(barrier(p[6], shared=False))
        for one in (b for of_one in mine[theme.pk] for b in of_one):
            BarrierPlacement.objects.create(
                theme=theme, barrier=one, organisation=home, by_convener=True
            )
    # Withdrawn for all, then given again: counts.
    choose(p[0], False, now - timedelta(days=3))
    choose(p[0], True, now - timedelta(days=1))
    # Given, then withdrawn for all: nothing counts.
    choose(p[1], True, now - timedelta(days=3))
    choose(p[1], False, now - timedelta(days=1))
    # The same moment: the later event (by id) holds.
    choose(p[4], True, now)
    choose(p[4], False, now)
    for of_theme in mine.values():
        # One barrier withdrawn; all given earlier: the other still counts.
        choose(p[2], True, now - timedelta(days=5))
        choose(p[2], False, now - timedelta(days=2), scope=of_theme[2][0].pk)
        # One barrier given again after a withdrawal for all: only that one counts.
        choose(p[3], False, now - timedelta(days=4))
        choose(p[3], True, now - timedelta(days=2), scope=of_theme[3][1].pk)
        # Someone else's organisation, withdrawn for one barrier.
        choose(p[6], False, now - timedelta(days=1), scope=of_theme[6][0].pk)
    # A person of ours moved to the other organisation; one of theirs left the area.
    Person.objects.filter(pk=p[5].pk).update(organisation=other)
    Person.objects.filter(pk=p[7].pk).update(organisation=world["network"])
    return [
        SystemTheme.objects.select_related("organisation").get(pk=t.pk)
        for t in (across, ours, moved_area, empty)
    ]


def test_the_counts_are_the_rules(world):
    found = awkward(world)
    counts = theme_counts(found)
    for theme in found:
        assert (counts[theme.pk].own, counts[theme.pk].others) == expected_counts(theme), (
            theme.title
        )
    across, ours, moved_area, empty = (counts[t.pk] for t in found)
    # Enough happened for the check to mean something.
    assert across.own and across.others
    assert ours.own and not ours.others
    assert (moved_area.own, moved_area.others) == (ours.own, 0)
    assert (empty.own, empty.others) == (0, 0)


def test_written_once_and_run_again_the_answers_hold(world):
    found = awkward(world)
    themes = {t.pk: gathers(t) for t in found}
    first = counts_of(themes)
    one = Barrier.objects.filter(person__chosen_name="P0", share_with_convening=True).first()
    assert one is not None
    Barrier.objects.filter(pk=one.pk).update(share_with_convening=False)
    choose(Person.objects.get(chosen_name="P1"), True, timezone.now() + timedelta(days=1))
    again = counts_of(themes)
    assert again != first
    for theme in found:
        assert (again[theme.pk].own, again[theme.pk].others) == expected_counts(theme)


def test_the_home_shows_the_same_counts(world):
    found = awkward(world)
    counts = theme_counts(found)
    lines = {line.pk: line.count for line in convening_home([world["home"]]).themes}
    for theme in found:
        assert lines[theme.pk] == counts[theme.pk].words(exact_own=True)


def test_usable_barriers_are_the_old_forms(world):
    awkward(world)
    for where in (
        Q(person__organisation=world["home"]),
        Q(person__organisation=world["other"]),
        Q(person__organisation__area=world["area"]),
        Q(person__organisation__area__slug="elsewhere"),
    ):
        assert old_rule(where)
    assert set(barriers_for_convening(world["home"]).values_list("pk", flat=True)) == old_rule(
        Q(person__organisation=world["home"])
    )
    assert set(barriers_for_convening(world["other"]).values_list("pk", flat=True)) == old_rule(
        Q(person__organisation=world["other"])
    )
    assert set(barriers_for_convening(world["area"]).values_list("pk", flat=True)) == old_rule(
        Q(person__organisation__area=world["area"])
    )
    elsewhere = Area.objects.get(slug="elsewhere")
    assert set(barriers_for_convening(elsewhere).values_list("pk", flat=True)) == old_rule(
        Q(person__organisation__area=elsewhere)
    )


def test_a_standing_withdrawal_is_looked_for_and_no_person_joined():
    sql = str(barriers_for_convening(Organisation(pk=1)).query)
    # A withdrawal, and no later choice about the same barrier (or all of them).
    assert sql.count('FROM "coaching_consentevent"') == 2
    assert sql.count("NOT EXISTS") == 2
    assert "COALESCE(" not in sql
    assert '"coaching_person"' not in sql
    assert '"coaching_barrier"."organisation_id" = 1' in sql

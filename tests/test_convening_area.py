"""Across an area (issue 13, item 2): barriers from every organisation in an area that agrees
to share join the same system themes; an organisation that does not share gives nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from alongside.accounts.models import Organisation, Role
from alongside.coaching.models import Barrier, Person
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.convening.selectors import evidence
from alongside.convening.selectors import themes as selectors

from .factories import organisation, person, staff, text_of

pytestmark = pytest.mark.django_db


def shared(who: Person, service: str, words: str, on: date | None = None, **extra: Any) -> Barrier:
    return Barrier.objects.create(
        person=who,
        service=service,
        what_happened=words,
        happened_on=on,
        share_with_convening=True,
        **extra,
    )


def theme_of(org: Organisation, title: str = "The council's rule", *, across: bool) -> SystemTheme:
    return SystemTheme.objects.create(
        organisation=org, title=title, area=org.area if across else None
    )


def place(theme: SystemTheme, barrier: Barrier, *, by_convener: bool = True) -> BarrierPlacement:
    return BarrierPlacement.objects.create(
        theme=theme, barrier=barrier, organisation=theme.organisation, by_convener=by_convener
    )


def test_shared_barriers_are_our_own_and_the_sharing_organisations_of_our_area(world):
    home, other = world["home"], world["other"]
    ours = shared(world["sam"], "Housing register", "Told to wait a year.")
    theirs = shared(world["jo"], "Housing register", "Told to wait a year too.")
    away = organisation(area_obj=None, shares_barriers_in_area=True)
    shared(person(away), "Housing register", "Somewhere else entirely.")

    assert set(evidence.shared_barriers(convening=home)) == {ours}
    other.shares_barriers_in_area = True
    other.save()
    assert set(evidence.shared_barriers(convening=home)) == {ours, theirs}
    # Sharing in the area is the other organisation's choice, not ours: our barriers reach
    # their convening only when we share too.
    assert set(evidence.shared_barriers(convening=other)) == {theirs}


def test_the_same_council_rule_at_two_providers_is_one_theme_with_both_counts(world, login):
    home, other = world["home"], world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = theme_of(home, across=True)
    for n in range(3):
        place(theme, shared(world["sam"], "Council tax", f"Summons number {n}.", date(2026, 5, 3)))
    for n in range(12):
        place(theme, shared(world["jo"], "Council tax", f"Bailiffs came {n}.", date(2026, 5, 9)))
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)

    counts = selectors.monthly_counts(theme=theme, start=date(2026, 4, 1), end=date(2026, 6, 30))
    assert counts == [(date(2026, 4, 1), 0), (date(2026, 5, 1), 15), (date(2026, 6, 1), 0)]
    quoted = selectors.quotes(theme=theme, limit=20)
    assert {q.organisation for q in quoted} == {home.name, other.name}

    page = text_of(login(world["convener"]).get(f"/convening/themes/{theme.pk}/"))
    assert home.name in page and other.name in page


def test_an_organisation_that_stops_sharing_contributes_nothing(world):
    home, other = world["home"], world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = theme_of(home, across=True)
    place(theme, shared(world["sam"], "Council tax", "Ours."))
    place(theme, shared(world["jo"], "Council tax", "Theirs."))
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    assert selectors.counted(theme).count() == 2

    Organisation.objects.filter(pk=other.pk).update(shares_barriers_in_area=False)
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    assert selectors.counted(theme).count() == 1
    assert [q.organisation for q in selectors.quotes(theme=theme)] == [home.name]


def test_a_theme_kept_to_our_organisation_leaves_the_area_out(world):
    other = world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = theme_of(world["home"], across=False)
    place(theme, shared(world["sam"], "Council tax", "Ours."))
    place(theme, shared(world["jo"], "Council tax", "Theirs."))
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    assert selectors.counted(theme).count() == 1


def test_another_areas_organisation_never_joins_even_when_it_shares(world):
    elsewhere = organisation(area_obj=None, shares_barriers_in_area=True)
    elsewhere_person = person(elsewhere, staff(Role.COACH, elsewhere))
    theme = theme_of(world["home"], across=True)
    place(theme, shared(world["sam"], "Council tax", "Ours."))
    place(theme, shared(elsewhere_person, "Council tax", "Not in this area."))
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    assert selectors.counted(theme).count() == 1


def test_a_lead_switches_sharing_in_the_area_on_and_off(world, login):
    from alongside.core.models import AuditAction, AuditEntry

    other = world["other"]
    client = login(world["other_lead"])
    page = text_of(client.get("/accounts/organisation/"))
    assert "Barriers shared across the area" in page and "used by your own conveners only" in page
    answer = client.post(f"/accounts/organisation/{other.pk}/share-barriers/", {"shares": "yes"})
    assert answer.status_code == 302
    other.refresh_from_db()
    assert other.shares_barriers_in_area
    assert AuditEntry.objects.filter(
        actor_id=world["other_lead"].pk,
        action=AuditAction.CHANGE,
        detail="shares barriers in area: yes",
        organisation_id=other.pk,
    ).exists()
    theirs = shared(world["jo"], "Council tax", "Theirs.")
    assert theirs in evidence.shared_barriers(convening=world["home"])

    client.post(f"/accounts/organisation/{other.pk}/share-barriers/", {"shares": "no"})
    other.refresh_from_db()
    assert not other.shares_barriers_in_area
    assert theirs not in evidence.shared_barriers(convening=world["home"])


@pytest.mark.parametrize("who", ["lead", "coach", "convener", "commissioner", "other_coach"])
def test_only_the_organisations_own_lead_switches_sharing(world, login, who):
    from alongside.core.models import AuditAction, AuditEntry

    other = world["other"]
    answer = login(world[who]).post(
        f"/accounts/organisation/{other.pk}/share-barriers/", {"shares": "yes"}
    )
    assert answer.status_code == 403
    other.refresh_from_db()
    assert not other.shares_barriers_in_area
    assert AuditEntry.objects.filter(actor_id=world[who].pk, action=AuditAction.DENIED).exists()


def test_a_nonsense_choice_changes_nothing(world, login):
    other = world["other"]
    login(world["other_lead"]).post(
        f"/accounts/organisation/{other.pk}/share-barriers/", {"shares": "maybe"}
    )
    other.refresh_from_db()
    assert not other.shares_barriers_in_area


def test_other_organisations_counts_are_disclosure_controlled_ours_exact(world, login):
    other = world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = theme_of(world["home"], across=True)
    for n in range(3):
        place(theme, shared(world["sam"], "Council tax", f"Ours {n}."))
    for n in range(4):
        place(theme, shared(world["jo"], "Council tax", f"Theirs {n}."))
    client = login(world["convener"])
    listing = " ".join(text_of(client.get("/convening/themes/")).split())
    assert "3 barriers from us, and fewer than 10 from 1 other organisation" in listing
    page = " ".join(text_of(client.get(f"/convening/themes/{theme.pk}/")).split())
    assert "fewer than 10" in page and '<td class="num">4</td>' not in page
    assert f"{other.name}: fewer than 10 barriers" in page
    assert f"{world['home'].name}: 3 barriers" in page

    for n in range(8):
        place(theme, shared(world["jo"], "Council tax", f"More of theirs {n}."))
    listing = " ".join(text_of(client.get("/convening/themes/")).split())
    assert "and 10 from 1 other organisation" in listing  # 12, rounded to the nearest 5


def test_a_theme_no_longer_across_the_area_hands_back_other_organisations_barriers(world, login):
    other = world["other"]
    other.shares_barriers_in_area = True
    other.save()
    theme = theme_of(world["home"], across=True)
    ours = place(theme, shared(world["sam"], "Council tax", "Ours."))
    place(theme, shared(world["jo"], "Council tax", "Theirs."))
    client = login(world["convener"])
    client.post(
        f"/convening/themes/{theme.pk}/edit/", {"title": "Council tax", "version": theme.version}
    )
    theme.refresh_from_db()
    assert theme.area is None
    assert list(BarrierPlacement.objects.all()) == [ours]
    body = " ".join(text_of(client.get("/convening/themes/")).split())
    assert "Not yet in a theme (1)" in body and "Theirs." in body

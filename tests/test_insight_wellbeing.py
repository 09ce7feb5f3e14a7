"""Wellbeing across coaching (issue 14, item 7): the change in each ONS4 measure from first to
latest check-in, for the organisations of an area that share, with intervals, the UK averages
and the WELLBY value; nothing from an organisation that does not share, nothing under 10."""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.accounts.models import Organisation, Role
from alongside.coaching.models import CheckIn, Person
from alongside.core.models import AuditEntry
from alongside.insight.selectors import wellbeing
from alongside.insight.selectors.wellbeing import t95

from .factories import area, organisation, person, staff, text_of

pytestmark = pytest.mark.django_db

KEYS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
START = date(2026, 1, 5)


def check_ins(who: Person, *answers: dict[str, int]) -> None:
    CheckIn.objects.bulk_create(
        CheckIn(person=who, taken_on=START + timedelta(days=30 * i), answers=given)
        for i, given in enumerate(answers)
    )


def people_with_changes(org: Organisation, firsts: list[int], lasts: list[int]) -> None:
    """One person for each pair, every measure moving from first to last (anxiety the other
    way), with a middle check-in that must not count."""
    for i, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
        who = person(org, name=f"Quillon{i}")
        check_ins(
            who,
            {k: (10 - first if k == "anxiety" else first) for k in KEYS},
            {k: 5 for k in KEYS},
            {k: (10 - last if k == "anxiety" else last) for k in KEYS},
        )


FIRSTS = [3, 4, 5, 2, 6, 4, 3, 5, 4, 6, 2, 5]
LASTS = [6, 6, 5, 5, 7, 6, 4, 8, 4, 7, 5, 6]


@pytest.fixture
def shared_world(world):
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    people_with_changes(home, FIRSTS, LASTS)
    return world


def test_the_figures_are_the_hand_worked_means_of_people_who_checked_in_twice(shared_world):
    changes = [b - a for a, b in zip(FIRSTS, LASTS, strict=True)]
    n = len(changes)
    mean = statistics.fmean(changes)
    half = t95(n - 1) * statistics.stdev(changes) / math.sqrt(n)

    page = wellbeing.summary(shared_world["area"])

    life = next(m for m in page.measures if m.key == "life_satisfaction")
    assert life.shown
    assert str(life.people) == "10"  # 12 people, rounded to the nearest 5
    assert life.first == pytest.approx(statistics.fmean(FIRSTS))
    assert life.latest == pytest.approx(statistics.fmean(LASTS))
    assert life.change == pytest.approx(mean)
    assert life.ci_low == pytest.approx(mean - half)
    assert life.ci_high == pytest.approx(mean + half)
    assert life.uk_mean == pytest.approx(7.45)
    anxiety = next(m for m in page.measures if m.key == "anxiety")
    assert anxiety.change == pytest.approx(-mean) and not anxiety.higher_is_better
    # t with 11 degrees of freedom, from the tables.
    assert t95(11) == pytest.approx(2.201, abs=0.001)
    assert page.sharing == [shared_world["home"].name]
    assert page.not_sharing == 1


def test_the_wellby_value_is_mean_change_times_people_times_13000(shared_world):
    changes = [b - a for a, b in zip(FIRSTS, LASTS, strict=True)]
    points = statistics.fmean(changes) * len(changes)

    found = wellbeing.summary(shared_world["area"]).wellby

    assert found is not None
    assert found.points == pytest.approx(points)
    assert found.central == pytest.approx(points * 13_000)
    assert found.low == pytest.approx(points * 10_000)
    assert found.high == pytest.approx(points * 16_000)
    assert found.central_text == f"£{round(points * 13_000, -3):,.0f}" == "£260,000"
    life = next(m for m in wellbeing.summary(shared_world["area"]).measures if m.key == KEYS[0])
    assert found.interval_low == pytest.approx(life.ci_low * len(changes) * 13_000)


def test_a_skipped_item_uses_the_first_and_latest_check_ins_that_answered_it(world):
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    for i in range(10):
        who = person(home, name=f"S{i}")
        # Life satisfaction skipped at the first check-in and the last: 4 then 7 count.
        check_ins(
            who,
            {"worthwhile": 5},
            {"life_satisfaction": 4},
            {"life_satisfaction": 7},
            {"worthwhile": 6},
        )

    page = wellbeing.summary(world["area"])

    life = next(m for m in page.measures if m.key == "life_satisfaction")
    assert (life.first, life.latest, life.change) == (4, 7, 3)
    assert life.ci_low == pytest.approx(3) and life.ci_high == pytest.approx(3)
    happiness = next(m for m in page.measures if m.key == "happiness")
    assert not happiness.shown and happiness.change is None


def test_nothing_comes_from_an_organisation_that_does_not_share(shared_world):
    # The other organisation's people all moved a long way: if counted, the mean would jump.
    people_with_changes(shared_world["other"], [0] * 12, [10] * 12)

    life = next(m for m in wellbeing.summary(shared_world["area"]).measures if m.key == KEYS[0])

    assert life.change == pytest.approx(statistics.fmean(LASTS) - statistics.fmean(FIRSTS))
    # And an organisation in another area that shares gives nothing either.
    away = organisation(area_obj=area("Away"), shares_coaching_figures_in_area=True)
    people_with_changes(away, [0] * 12, [10] * 12)
    again = next(m for m in wellbeing.summary(shared_world["area"]).measures if m.key == KEYS[0])
    assert again.change == life.change


def test_nothing_is_shown_for_fewer_than_10_people(world, login):
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    people_with_changes(home, [3] * 9, [9] * 9)
    # Someone with a single check-in does not make ten.
    check_ins(person(home, name="Once"), {k: 3 for k in KEYS})

    page = wellbeing.summary(world["area"])

    assert not page.shown and page.wellby is None
    assert all(not m.shown and m.first is None and m.change is None for m in page.measures)
    assert str(page.people) == "fewer than 10"
    text = text_of(login(world["analyst"]).get(reverse("insight:wellbeing")))
    assert "6.00" not in text and "9.00" not in text and "£" not in text.split("How these")[0]
    assert "fewer than 10 people checked in twice" in text


def test_each_organisation_is_shown_only_when_every_one_has_10(shared_world):
    other = shared_world["other"]
    other.shares_coaching_figures_in_area = True
    other.save()
    people_with_changes(other, [5] * 9, [6] * 9)

    page = wellbeing.summary(shared_world["area"])
    assert page.organisations == []
    assert page.not_sharing == 0

    people_with_changes(other, [5], [6])
    page = wellbeing.summary(shared_world["area"])
    assert [o.name for o in page.organisations] == sorted([shared_world["home"].name, other.name])
    theirs = next(o for o in page.organisations if o.name == other.name)
    assert theirs.measures[0].change == pytest.approx(1)


def test_the_page_shows_the_figures_the_chart_the_method_and_who_shares(shared_world, login):
    response = login(shared_world["commissioner"]).get(reverse("insight:wellbeing"))

    assert response.status_code == 200
    text = text_of(response)
    life = next(m for m in wellbeing.summary(shared_world["area"]).measures if m.key == KEYS[0])
    assert life.change_text in text and life.interval_text in text
    assert "7.45" in text  # the UK average beside
    assert "<svg" in text and "<table" in text
    assert shared_world["home"].name in text
    assert shared_world["other"].name not in text  # not sharing: counted, never named
    assert "One other in the area does not" in text
    assert "not cash" in text and "lasts one year" in text and "WELLBY" in text
    assert "two check-ins or more" in text
    # No person: none of the chosen names of the people counted.
    assert "Quillon" not in text and "Sam" not in text


@pytest.mark.parametrize("who", ["coach", "lead", "sam"])
def test_coaches_leads_and_people_are_refused(shared_world, login, who):
    user = shared_world[who] if who != "sam" else shared_world["sam"].user
    before = AuditEntry.objects.filter(action="denied").count()

    response = login(user).get(reverse("insight:wellbeing"))

    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="denied").count() == before + 1


def test_a_commissioner_of_another_area_sees_only_their_own(shared_world, login):
    far = area("Farley")
    far_council = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=far)
    far_commissioner = staff(Role.COMMISSIONER, far_council)
    client = login(far_commissioner)

    asked = client.get(reverse("insight:wellbeing") + f"?area={shared_world['area'].pk}")
    own = client.get(reverse("insight:wellbeing"))

    assert asked.status_code == 403
    assert own.status_code == 200
    assert shared_world["home"].name not in text_of(own)


score = st.one_of(st.none(), st.integers(min_value=0, max_value=10))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.lists(score, min_size=4, max_size=4)),
        max_size=40,
    )
)
def test_the_sums_match_a_person_by_person_count(check_ins_drawn):
    """However answers are skipped, each person counts for a measure with their first and
    latest answers to it, once they have two."""
    rows = sorted(
        ((who, who % 2, *answers) for who, answers in check_ins_drawn), key=lambda r: r[0]
    )
    totals, people = wellbeing.sum_people(rows, list(KEYS))

    expected: dict[tuple[int, str], list[tuple[int, int]]] = {}
    counted: dict[int, set[int]] = {}
    for who in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == who]
        for index, key in enumerate(KEYS):
            answered = [r[2 + index] for r in mine if r[2 + index] is not None]
            if len(answered) >= 2:
                expected.setdefault((who % 2, key), []).append((answered[0], answered[-1]))
                counted.setdefault(who % 2, set()).add(who)
    assert people == {org: len(who) for org, who in counted.items()}
    for org, by_key in totals.items():
        for key, sums in by_key.items():
            pairs = expected.get((org, key), [])
            assert sums.n == len(pairs)
            assert sums.first == sum(a for a, _ in pairs)
            assert sums.latest == sum(b for _, b in pairs)
            assert sums.change_squared == sum((b - a) ** 2 for a, b in pairs)

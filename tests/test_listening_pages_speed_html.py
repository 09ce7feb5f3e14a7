"""The exercise overview and the contributions list made cheaper without changing a byte
(issue 11): the overview's counts and team, and the list's count and page, are read by
queries written once per connection (core/written.py), and the team comes as names rather
than user instances. Each is compared here with what the old code gave, kept below, on
awkward data (markup and quotes in names and places, a person with a blank chosen name, a
user with no first name, more places than are shown, every filter and page number)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.template import engines
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import User
from alongside.coaching.models import Person
from alongside.listening.models import Exercise
from alongside.listening.selectors import exercises as selectors

from .factories import person_with_sign_in
from .test_listening_themes import add_contribution, make_exercise

AWKWARD = "<b>&\"'</b>"


def old_overview(exercise: Exercise) -> dict[str, Any]:
    """selectors.exercises.overview as it was, building its querysets on every request."""
    by_state: dict[str, int] = {}
    per_channel: dict[str, int] = {}
    grouped = exercise.contributions.values_list("state", "channel").annotate(n=Count("id"))
    for state, channel, n in grouped.order_by():
        by_state[state] = by_state.get(state, 0) + n
        per_channel[channel] = per_channel.get(channel, 0) + n
    by_channel = [
        {"label": selectors.CHANNEL_LABELS.get(channel, channel), "count": n}
        for channel, n in sorted(per_channel.items(), key=lambda item: (-item[1], item[0]))
    ]
    places = list(
        exercise.contributions.values_list("place").annotate(n=Count("id")).order_by("-n", "place")
    )
    by_place = [{"label": place or "Place not given", "count": n} for place, n in places]
    shown, rest = by_place[: selectors.PLACES_SHOWN], by_place[selectors.PLACES_SHOWN :]
    if len(rest) == 1:
        shown += rest
    elif rest:
        shown.append({"label": f"{len(rest)} other places", "count": sum(p["count"] for p in rest)})
    return {
        "total": sum(by_state.values()),
        "waiting": by_state.get(selectors.DRAFT, 0),
        "checked": by_state.get(selectors.REVIEWED, 0),
        "by_channel": by_channel,
        "by_place": shown,
    }


def old_team(exercise: Exercise) -> list[Any]:
    return list(
        exercise.team.select_related("person")
        .only("first_name", "username", "person__chosen_name")
        .order_by("first_name", "username")
    )


OLD_TEAM = (
    "{% for member in team %}{{ member.display_name }}{% if not forloop.last %}, {% endif %}"
    "{% empty %}Nobody yet{% endfor %}"
)
NEW_TEAM = (
    "{% for member in team %}{{ member }}{% if not forloop.last %}, {% endif %}"
    "{% empty %}Nobody yet{% endfor %}"
)


def _render(source: str, team: list[Any]) -> str:
    return engines["django"].from_string(source).render({"team": team})


@pytest.fixture
def awkward(world: dict[str, Any]) -> Exercise:
    exercise = make_exercise(world)
    world["listener"].first_name = AWKWARD
    world["listener"].save()
    named = person_with_sign_in(world["home"], name=f"Ama {AWKWARD}")
    blank = person_with_sign_in(world["home"], name="x")
    Person.objects.filter(pk=blank.pk).update(chosen_name="")
    plain = User.objects.create_user(username=f"u{AWKWARD}", password="a long test passphrase")
    exercise.team.add(named.user, blank.user, plain)
    places = ["", AWKWARD, "Cowley", "cowley", "Über", *(f"Place {n}" for n in range(12))]
    for n, place in enumerate(places):
        for _ in range(1 + n % 3):
            add_contribution(
                exercise,
                f"words {n}",
                place=place,
                reviewed=bool(n % 2),
                channel=("phone", "whatsapp", "face_to_face")[n % 3],
            )
    return exercise


def test_overview_counts_as_before(awkward: Exercise) -> None:
    assert selectors.overview(awkward) == old_overview(awkward)


def test_overview_with_one_place_over_and_none(world: dict[str, Any]) -> None:
    empty = make_exercise(world)
    assert selectors.overview(empty) == old_overview(empty)
    for n in range(selectors.PLACES_SHOWN + 1):
        add_contribution(empty, "words", place=f"{AWKWARD} {n}")
    assert selectors.overview(empty) == old_overview(empty)


def test_team_names_as_before(awkward: Exercise, world: dict[str, Any]) -> None:
    new = _render(NEW_TEAM, selectors.team(awkward))
    assert new == _render(OLD_TEAM, old_team(awkward))
    assert "&lt;b&gt;" in new and "Nobody" not in new
    empty = make_exercise(world)
    empty.team.clear()
    assert _render(NEW_TEAM, selectors.team(empty)) == _render(OLD_TEAM, old_team(empty))


def test_overview_and_team_ask_one_query_each(awkward: Exercise) -> None:
    selectors.overview(awkward)
    selectors.team(awkward)  # written once for this connection
    with CaptureQueriesContext(connection) as queries:
        selectors.overview(awkward)
        selectors.team(awkward)
    assert len(queries) == 3


def old_contributions(exercise: Exercise, show: str, page_number: Any) -> dict[str, Any]:
    """selectors.exercises.contributions as it was, paginating a queryset built each time."""
    show = show if show in selectors.FILTERS else "waiting"
    queryset = (
        exercise.contributions.filter(selectors.FILTERS[show][1])
        .order_by("-captured_at", "-pk")
        .values(*selectors.ROW_FIELDS)
    )
    page = Paginator(queryset, selectors.PER_PAGE).get_page(page_number)
    base = f"/listening/{exercise.pk}/contributions/"
    return {"page": page, "rows": [selectors._row(values, base) for values in page.object_list]}


def _page_facts(listing: dict[str, Any]) -> tuple[Any, ...]:
    page = listing["page"]
    return (
        listing["rows"],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_other_pages(),
        page.has_previous(),
        page.has_next(),
    )


def _asked(call: Any, *args: Any) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        answer = call(*args)
        _page_facts(answer)
    return answer, len(queries)


@pytest.mark.parametrize("show", ["waiting", "checked", "all", "<b>"])
def test_contributions_pages_as_before(world: dict[str, Any], show: str) -> None:
    exercise = make_exercise(world)
    for n in range(2 * selectors.PER_PAGE + 7):
        add_contribution(
            exercise,
            f"{AWKWARD} {n} " + "word " * (n % 60),
            reviewed=bool(n % 3),
            place=AWKWARD if n % 2 else "",
            content_warnings=AWKWARD if n % 5 == 0 else "",
            credit_name=AWKWARD if n % 4 == 0 else "",
        )
    for number in [None, "1", "2", "3", "99", "x", "-1", "0"]:
        new, new_asked = _asked(selectors.contributions, exercise, show, number)
        old, old_asked = _asked(old_contributions, exercise, show, number)
        assert _page_facts(new) == _page_facts(old), number
        assert new_asked <= old_asked, number
        assert new["rows"], number


def test_contributions_empty_as_before(world: dict[str, Any]) -> None:
    exercise = make_exercise(world)
    for show in selectors.FILTERS:
        new, new_asked = _asked(selectors.contributions, exercise, show, None)
        old, old_asked = _asked(old_contributions, exercise, show, None)
        assert _page_facts(new) == _page_facts(old) and new["rows"] == []
        assert new_asked == old_asked == 1  # the count; an empty page asks nothing

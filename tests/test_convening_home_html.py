"""The convening home and a system theme's page read their rows from queries written once per
connection, with each list's total from a window over the same rows, and count a theme's
barriers from its placements (issue 11). What they show must not move: the old readings are
kept here, as they were, and compared with the new on data with every branch (overdue and
answered recommendations, more themes, groups and experiments than the short lists hold, an
area theme, a theme whose organisation left its area, withdrawn consent, linked listening)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest
from django.db.models import Count, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from alongside.coaching.models import ConsentEvent
from alongside.convening.models import (
    Answer,
    BarrierPlacement,
    ConveningGroup,
    Experiment,
    Recommendation,
    SystemTheme,
)
from alongside.convening.selectors import home, themes
from alongside.convening.selectors.evidence import shared_barriers, usable_barriers
from alongside.convening.selectors.recommendations import (
    ThemeCount,
    experiment_dates,
    of_organisations,
    row,
    theme_counts,
    themes_of,
)
from alongside.listening.models import Exercise, Theme

from .factories import person
from .test_convening_recommendations import recommendation, shared_barrier, theme_with

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


# --- the old readings, as they were ------------------------------------------------------------


def old_theme_counts(themes_: Sequence[SystemTheme]) -> dict[int, ThemeCount]:
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for theme in themes_:
        area_id = theme.area_id if theme.area_id == theme.organisation.area_id else None
        groups[(theme.organisation_id, area_id)].append(theme.pk)
    counts = {t.pk: ThemeCount(t.pk, 0, 0) for t in themes_}
    for (organisation_id, area_id), ids in groups.items():
        usable = usable_barriers(organisation_id=organisation_id, area_id=area_id)
        rows_ = (
            BarrierPlacement.objects.filter(
                theme_id__in=ids, barrier__in=Subquery(usable.values("pk"))
            )
            .values("theme_id", "barrier__person__organisation_id")
            .annotate(n=Count("pk"))
        )
        for found in rows_:
            before = counts[found["theme_id"]]
            if found["barrier__person__organisation_id"] == organisation_id:
                counts[found["theme_id"]] = ThemeCount(
                    before.theme_id, before.own + found["n"], before.others
                )
            else:
                counts[found["theme_id"]] = ThemeCount(
                    before.theme_id, before.own, before.others + found["n"]
                )
    return counts


def _overdue_since(one: Any, recommendation_: Recommendation) -> datetime.date:
    answers = list(recommendation_.answers.all())
    if answers and answers[-1].follow_up_on:
        return answers[-1].follow_up_on
    return recommendation_.answer_by or datetime.date.max


def old_convening_home(organisations: list[Any], *, today: datetime.date) -> home.ConveningHome:
    ids = [o.pk for o in organisations]
    recommendations = list(
        of_organisations(ids).order_by("-created_at", "-id")[: home.RECOMMENDATIONS_SHOWN]
    )
    rows = [(row(r, today=today), r) for r in recommendations]
    overdue = [
        one
        for one, r in sorted(rows, key=lambda pair: _overdue_since(*pair))
        if one.standing.overdue
    ]
    columns = [
        home.Column(
            key=value,
            label=label,
            about=home.LANDS_IN_WORDS[Recommendation.LandsIn(value)],
            rows=[one for one, _ in rows if one.lands_in == value],
        )
        for value, label in Recommendation.LandsIn.choices
    ]
    theme_qs = themes_of(ids).order_by("title", "pk")
    themes_ = list(theme_qs[: home.SHORT_LIST])
    counts = old_theme_counts(themes_)
    theme_lines = [
        home.ThemeLine(t.pk, t.title, counts[t.pk].words(exact_own=True)) for t in themes_
    ]
    groups_qs = ConveningGroup.objects.filter(organisation_id__in=ids).order_by("name", "pk")
    groups = [home.GroupLine(g.pk, g.name, g.purpose) for g in groups_qs[: home.SHORT_LIST]]
    experiments_qs = Experiment.objects.filter(organisation_id__in=ids).order_by(
        "-starts_on", "-pk"
    )
    experiments = [
        home.ExperimentLine(e.pk, e.title, experiment_dates(e))
        for e in experiments_qs[: home.SHORT_LIST]
    ]
    return home.ConveningHome(
        overdue=overdue,
        columns=columns,
        themes=theme_lines,
        themes_total=theme_qs.count(),
        groups=groups,
        groups_total=groups_qs.count(),
        experiments=experiments,
        experiments_total=experiments_qs.count(),
        recommendations_total=Recommendation.objects.filter(organisation_id__in=ids).count(),
    )


def old_themes_page_counts(organisation: Any, themes_: list[SystemTheme]) -> list[Any]:
    placements = BarrierPlacement.objects.filter(
        organisation=organisation,
        barrier__in=Subquery(shared_barriers(convening=organisation).values("pk")),
    )
    return sorted(
        placements.values_list("theme_id", "barrier__person__organisation_id", "by_convener")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- a world with every branch -----------------------------------------------------------------


def _recommendations(world: dict[str, Any]) -> None:
    recommendation(world, title="Late and unanswered", answer_by=LAST_WEEK)
    recommendation(world, title="Not due yet", answer_by=NEXT_MONTH)
    recommendation(world, title="A draft", sent=False, answer_by=LAST_WEEK)
    followed = recommendation(world, title="Follow-up missed", answer_by=LAST_WEEK)
    Answer.objects.create(
        recommendation=followed, status="accepted", words="Yes.", by=world["lead"]
    )
    Answer.objects.create(
        recommendation=followed,
        status="in_progress",
        words="We will look.",
        follow_up_on=LAST_WEEK,
        by=world["lead"],
    )
    coming = recommendation(
        world, title="Follow-up to come", lands_in=Recommendation.LandsIn.WORKFORCE
    )
    Answer.objects.create(
        recommendation=coming,
        status="accepted",
        words="Yes.",
        follow_up_on=NEXT_MONTH,
        what_changed="Two training days booked. " * 30,
        by=world["lead"],
    )
    declined = recommendation(world, title="Declined", lands_in=Recommendation.LandsIn.SYSTEM)
    Answer.objects.create(
        recommendation=declined, status="declined", words="Not ours to change.", by=world["lead"]
    )
    recommendation(
        world,
        title="To the council",
        to=Recommendation.To.COMMISSIONER,
        lands_in=Recommendation.LandsIn.ORGANISATION,
    )


def _themes(world: dict[str, Any]) -> list[SystemTheme]:
    home_org, other = world["home"], world["other"]
    other.shares_barriers_in_area = True
    other.save()
    sam, jo = world["sam"], world["jo"]
    ours = [shared_barrier(sam, "Housing", f"Waited {n} months.") for n in range(3)]
    theirs = [shared_barrier(jo, "Housing", f"Told to wait {n}.") for n in range(2)]
    withdrawn = shared_barrier(sam, "Housing", "Said no later.")
    ConsentEvent.objects.create(
        person=sam,
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(withdrawn.pk),
        given=False,
    )
    across = theme_with(home_org, [*ours, *theirs, withdrawn], title="Across the area")
    across.area = home_org.area
    across.save()
    # Not across the area: the other organisation's barrier placed here does not count.
    own_only = theme_with(
        home_org,
        [shared_barrier(sam, "Buses", "No bus."), shared_barrier(jo, "Buses", "None here.")],
        title="Ours only",
    )
    BarrierPlacement.objects.filter(theme=own_only).update(by_convener=False)
    made = [across, own_only]
    for i in range(9):
        someone = person(home_org, world["coach"], f"P{i}")
        made.append(
            theme_with(home_org, [shared_barrier(someone, "Benefits", f"Story {i}.")], f"T{i}")
        )
        ConveningGroup.objects.create(
            organisation=home_org, name=f"Group {i}", purpose="Meet. " * (i * 5)
        )
        Experiment.objects.create(
            organisation=home_org,
            title=f"Try {i}",
            if_we="a",
            then="b",
            starts_on=TODAY - datetime.timedelta(days=i),
            ends_on=NEXT_MONTH if i % 2 else None,
        )
    exercise = Exercise.objects.create(organisation=home_org, title="Listening in spring")
    linked = Theme.objects.create(exercise=exercise, title="Waiting", keywords=["wait"] * 8)
    across.listening_themes.add(linked)
    return made


def _convener_organisations(world: dict[str, Any]) -> list[Any]:
    return [world["home"]]


def test_the_home_reads_what_it_read(world, login):
    _recommendations(world)
    _themes(world)
    organisations = _convener_organisations(world)
    new = home.convening_home(organisations, today=TODAY)
    old = old_convening_home(organisations, today=TODAY)
    assert new == old
    assert new.themes_total > len(new.themes) and new.groups_total > len(new.groups)
    assert new.overdue and any("here" in t.count for t in new.themes)
    # And the page, byte for byte, as the old reading drew it in the same request.
    response = login(world["convener"]).get("/convening/")
    assert response.status_code == 200
    drawn = render(
        response.wsgi_request,
        "convening/home.html",
        {"organisations": organisations, "page": old},
    )
    assert _masked(response.content.decode()) == _masked(drawn.content.decode())


def test_an_empty_home_reads_what_it_read(world):
    organisations = _convener_organisations(world)
    new = home.convening_home(organisations, today=TODAY)
    assert new == old_convening_home(organisations, today=TODAY)
    assert new.themes_total == new.groups_total == new.recommendations_total == 0


def test_theme_counts_are_what_they_were(world):
    made = _themes(world)
    loaded = list(SystemTheme.objects.select_related("organisation").order_by("pk"))
    assert theme_counts(loaded) == old_theme_counts(loaded)
    assert any(c.others for c in theme_counts(loaded).values())
    # A theme whose organisation left its area gathers only its own.
    moved = SystemTheme.objects.create(
        organisation=world["other"], title="Moved", area=world["home"].area
    )
    BarrierPlacement.objects.create(
        theme=moved,
        barrier=shared_barrier(world["jo"], "Housing", "Waited."),
        organisation=world["other"],
        by_convener=True,
    )
    world["other"].area = None
    world["other"].save()
    loaded = list(SystemTheme.objects.select_related("organisation").order_by("pk"))
    assert theme_counts(loaded) == old_theme_counts(loaded)
    organisation = world["home"]
    cards = themes.theme_counts(organisation, made)
    new = sorted(
        (pk, c.count.ours, c.count.others, c.count.other_organisations, c.suggested)
        for pk, c in cards.items()
    )
    old_rows = old_themes_page_counts(organisation, made)
    for pk, ours, others, _orgs, suggested in new:
        mine = [r for r in old_rows if r[0] == pk]
        assert ours + others == sum(n for *_, n in mine)
        assert suggested == sum(n for _, _, by_convener, n in mine if not by_convener)


def _masked(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_theme_page_reads_what_it_read(world, login):
    made = _themes(world)
    across = made[0]
    old_theme = get_object_or_404(SystemTheme.objects.select_related("organisation"), pk=across.pk)
    new_theme = themes.theme_of(across.pk)
    assert new_theme is not None
    assert [getattr(new_theme, f.attname) for f in SystemTheme._meta.concrete_fields] == [
        getattr(old_theme, f.attname) for f in SystemTheme._meta.concrete_fields
    ]
    assert new_theme.organisation.__dict__.keys() >= {"name", "area_id"}
    assert new_theme.organisation.name == old_theme.organisation.name
    assert themes.theme_of(10**9) is None
    detail = themes.theme_detail(new_theme)
    assert detail.listening == themes.listening_links(
        old_theme.organisation, old_theme.listening_themes.all()
    )
    assert detail.listening
    assert [(t.pk, t.title) for t in detail.move_to] == [
        (t.pk, t.title) for t in themes.themes_of(old_theme.organisation) if t.pk != across.pk
    ]
    client = login(world["convener"])
    first = client.get(f"/convening/themes/{across.pk}/")
    assert first.status_code == 200
    # Written once: the second reading (the same SQL, run again) draws the same page.
    assert _masked(client.get(f"/convening/themes/{across.pk}/").content.decode()) == _masked(
        first.content.decode()
    )
    assert client.get("/convening/themes/999999999/").status_code == 404

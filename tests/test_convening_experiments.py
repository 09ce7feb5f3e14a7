"""Experiments: "if we …, then …", what we'll watch shown before and during, plan → try →
reflect → adapt cycles kept in order (the next starting from what changed), stories redacted
before they are saved, edits that never silently overwrite, who may open them, and a fixed
number of queries on the experiment page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.coaching.models import Barrier, CheckIn
from alongside.convening.models import (
    BarrierPlacement,
    Cycle,
    Experiment,
    Measure,
    Story,
    SystemTheme,
)
from alongside.convening.services import experiments as services
from alongside.convening.services import groups as group_services
from alongside.core.models import AuditAction, AuditEntry

from . import factories
from .factories import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(world):
    return SystemTheme.objects.create(organisation=world["home"], title="Local connection rule")


@pytest.fixture
def experiment(world, theme):
    return services.experiment_create(
        actor=world["convener"],
        organisation=world["home"],
        title="Keep your coach",
        if_we="let people keep their coach when they move into a hostel",
        then="fewer people will lose touch",
        co_designed_with="The Tuesday group",
        starts_on=timezone.localdate() - timedelta(days=60),
        themes=[theme],
        measure_kinds=["stories", "check_in_change"],
        watched_themes=[theme],
    )


def test_a_convener_sets_up_an_experiment_with_what_to_watch(world, login, theme):
    group = group_services.group_create(
        actor=world["convener"], organisation=world["home"], name="Tuesday group", themes=[theme]
    )
    client = login(world["convener"])
    page = client.get(f"/convening/experiments/new/?group={group.pk}")
    assert page.status_code == 200
    response = client.post(
        "/convening/experiments/new/",
        {
            "organisation": world["home"].pk,
            "title": "Keep your coach",
            "if_we": "let people keep their coach",
            "then": "fewer people lose touch",
            "co_designed_with": "The Tuesday group",
            "group": group.pk,
            "themes": [theme.pk],
            "starts_on": "2026-04-01",
            "ends_on": "2026-09-30",
            "watched_themes": [theme.pk],
            "measure_kinds": ["relationships_restarted", "stories"],
        },
    )
    experiment = Experiment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/convening/experiments/{experiment.pk}/"
    assert experiment.group == group
    assert sorted((m.kind, m.theme_id) for m in experiment.measures.all()) == [
        ("relationships_restarted", None),
        ("stories", None),
        ("theme_barriers", theme.pk),
    ]
    assert AuditEntry.objects.filter(
        actor=world["convener"], action=AuditAction.CREATE, object_type="convening.experiment"
    ).exists()
    words = text_of(client.get(f"/convening/experiments/{experiment.pk}/"))
    assert "If we let people keep their coach, then fewer people lose touch" in words
    assert "Barriers of \u201cLocal connection rule\u201d" in words
    assert "Relationships restarted" in words
    listing = text_of(client.get("/convening/experiments/"))
    assert "Keep your coach" in listing and "Tuesday group" in listing


def test_the_form_keeps_what_was_typed_and_says_what_to_change(world, login, theme):
    client = login(world["convener"])
    response = client.post(
        "/convening/experiments/new/",
        {
            "organisation": world["home"].pk,
            "title": "Typed title",
            "if_we": "try a thing",
            "then": "",
            "starts_on": "2026-04-01",
            "ends_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    words = text_of(response)
    assert "Typed title" in words and "try a thing" in words
    assert "The end comes before the start." in words
    assert "Choose at least one thing to watch" in words
    assert not Experiment.objects.exists()


def test_the_page_shows_each_measure_before_and_during_in_words(world, login, experiment, theme):
    today = timezone.localdate()
    person = factories.person(world["home"], name="Casey")
    for days_ago in (100, 90, 80, 10):  # three before, one during
        barrier = Barrier.objects.create(
            person=person,
            service="Housing",
            what_happened="Turned away",
            happened_on=today - timedelta(days=days_ago),
            share_with_convening=True,
        )
        BarrierPlacement.objects.create(theme=theme, barrier=barrier, organisation=world["home"])
    client = login(world["convener"])
    response = client.get(f"/convening/experiments/{experiment.pk}/")
    page = response.content.decode()
    words = text_of(response)
    assert "1.5 a month before, 0.5 a month during." in words
    assert "<svg" in page and "<table>" in page
    assert "Fewer than 10 people had a check-in both before and during" in words
    assert "Casey" not in words


def test_cycles_are_kept_in_order_and_the_next_starts_from_what_changed(world, login, experiment):
    client = login(world["convener"])
    client.post(
        f"/convening/experiments/{experiment.pk}/cycles/new/",
        {"plan": "Ask hostels to let coaches in", "starts_on": "2026-04-01"},
    )
    first = Cycle.objects.get()
    assert first.number == 1
    response = client.post(
        f"/convening/experiments/{experiment.pk}/cycles/1/",
        {
            "plan": first.plan,
            "tried": "Two hostels said yes",
            "reflections": "Night staff didn't know",
            "what_changed": "Brief the night staff too",
            "starts_on": "2026-04-01",
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/convening/experiments/{experiment.pk}/cycles/new/")
    assert "Brief the night staff too" in text_of(page)  # the next plan starts from it
    client.post(
        f"/convening/experiments/{experiment.pk}/cycles/new/",
        {"plan": "Brief the night staff too", "starts_on": "2026-05-01"},
    )
    first.refresh_from_db()
    assert first.ends_on == date(2026, 4, 30)
    assert list(Cycle.objects.values_list("number", flat=True)) == [1, 2]
    words = text_of(client.get(f"/convening/experiments/{experiment.pk}/"))
    assert words.index('id="cycle-1"') < words.index('id="cycle-2"')
    assert "Night staff didn't know" in words
    assert "Adapt" in words and "Plan" in words


def test_a_cycle_written_up_by_two_people_at_once_never_silently_overwrites(
    world, login, experiment
):
    services.cycle_start(actor=world["convener"], experiment=experiment, plan="Plan A")
    url = f"/convening/experiments/{experiment.pk}/cycles/1/"
    today = timezone.localdate().isoformat()
    second = login(factories.staff(Role.CONVENER, world["home"]))
    second.post(url, {"plan": "Plan A", "tried": "Theirs", "starts_on": today, "version": 1})
    mine = login(world["convener"])
    response = mine.post(url, {"plan": "Plan A", "tried": "Mine", "starts_on": today, "version": 1})
    assert response.status_code == 409
    words = text_of(response)
    assert "Theirs" in words and "Mine" in words
    assert Cycle.objects.get().tried == "Theirs"


def test_an_experiment_edit_from_an_old_page_is_refused(world, login, experiment, theme):
    url = f"/convening/experiments/{experiment.pk}/edit/"
    form = {
        "title": "Keep your coach",
        "if_we": "x",
        "then": "y",
        "starts_on": "2026-04-01",
        "measure_kinds": ["stories"],
        "version": 1,
    }
    client = login(world["convener"])
    assert client.post(url, {**form, "title": "First save"}).status_code == 302
    response = client.post(url, {**form, "title": "Second from the old page"})
    assert response.status_code == 409
    experiment.refresh_from_db()
    assert experiment.title == "First save"
    # The first save took the theme measure away and kept the stories one.
    assert [m.kind for m in experiment.measures.all()] == [Measure.Kind.STORIES]


def test_a_story_is_redacted_before_it_is_saved(world, login, experiment, theme):
    group = group_services.group_create(
        actor=world["convener"], organisation=world["home"], name="G", themes=[theme]
    )
    group_services.member_add(
        actor=world["convener"],
        group=group,
        kind="lived_experience",
        guest_name="Morwenna",
        agreed_to_be_named=True,
    )
    experiment.group = group
    experiment.save()
    client = login(world["convener"])
    response = client.post(
        f"/convening/experiments/{experiment.pk}/stories/add/",
        {
            "words": "Morwenna said her coach came to the hostel. Ring her on 07700 900123.",
            "told_on": "2026-05-01",
        },
    )
    assert response.status_code == 302
    saved = Story.objects.get().words
    assert "07700" not in saved and "Morwenna" not in saved
    assert "coach came to the hostel" in saved
    words = text_of(client.get(f"/convening/experiments/{experiment.pk}/"))
    assert "coach came to the hostel" in words and "07700" not in words


@pytest.mark.parametrize("who", ["other_convener", "coach", "lead", "sam", "commissioner"])
def test_nobody_but_its_conveners_opens_an_experiment(world, login, experiment, who):
    world["other_convener"] = factories.staff(Role.CONVENER, world["other"])
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    for url in (
        f"/convening/experiments/{experiment.pk}/",
        f"/convening/experiments/{experiment.pk}/edit/",
        f"/convening/experiments/{experiment.pk}/cycles/new/",
        f"/convening/experiments/{experiment.pk}/stories/add/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Keep your coach" not in text_of(response)
    response = client.post(
        f"/convening/experiments/{experiment.pk}/stories/add/",
        {"words": "Sneaky", "told_on": "2026-05-01"},
    )
    assert response.status_code == 403
    assert not Story.objects.exists()
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).count() >= 5


@pytest.mark.parametrize("who", ["coach", "lead", "sam", "commissioner"])
def test_the_experiment_list_and_new_are_for_conveners(world, login, who):
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    assert client.get("/convening/experiments/").status_code == 403
    assert client.get("/convening/experiments/new/").status_code == 403
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).count() >= 2


def test_a_group_or_theme_of_another_organisation_cannot_be_used(world, theme):
    other_theme = SystemTheme.objects.create(organisation=world["other"], title="Theirs")
    other_convener = factories.staff(Role.CONVENER, world["other"])
    their_group = group_services.group_create(
        actor=other_convener, organisation=world["other"], name="Their group", themes=[other_theme]
    )
    with pytest.raises(ValueError):
        services.experiment_create(
            actor=world["convener"],
            organisation=world["home"],
            title="T",
            if_we="a",
            then="b",
            starts_on=date(2026, 4, 1),
            group=their_group,
        )
    experiment = services.experiment_create(
        actor=world["convener"],
        organisation=world["home"],
        title="T",
        if_we="a",
        then="b",
        starts_on=date(2026, 4, 1),
        themes=[other_theme, theme],
        watched_themes=[other_theme],
        measure_kinds=["stories"],
    )
    assert list(experiment.themes.all()) == [theme]
    assert [m.kind for m in experiment.measures.all()] == [Measure.Kind.STORIES]


def test_a_cycle_of_another_experiment_is_not_found_under_this_one(world, login, experiment):
    services.cycle_start(actor=world["convener"], experiment=experiment, plan="Plan")
    response = login(world["convener"]).get(f"/convening/experiments/{experiment.pk}/cycles/7/")
    assert response.status_code == 404


# --- a fixed number of queries ------------------------------------------------------------


def _fill(world, experiment, theme, size: int) -> None:
    today = timezone.localdate()
    for n in range(size):
        person = factories.person(world["home"], world["coach"], name=f"P{n}")
        barrier = Barrier.objects.create(
            person=person,
            service="Housing",
            what_happened="Turned away",
            happened_on=today - timedelta(days=n * 7 % 110),
            share_with_convening=True,
        )
        BarrierPlacement.objects.create(theme=theme, barrier=barrier, organisation=world["home"])
        for days_ago in (90, 10):
            CheckIn.objects.create(
                person=person,
                taken_on=today - timedelta(days=days_ago),
                answers={"life_satisfaction": n % 11, "anxiety": 3},
            )
        Story.objects.create(experiment=experiment, words=f"Story {n}", told_on=today)
    for n in range(min(size, 3)):
        services.cycle_start(actor=world["convener"], experiment=experiment, plan=f"Plan {n}")


@pytest.mark.parametrize("size", [2, 15])
def test_the_experiment_page_reads_a_fixed_number_of_queries(
    world, login, experiment, theme, size, django_assert_max_num_queries
):
    Measure.objects.create(experiment=experiment, kind=Measure.Kind.RELATIONSHIPS_RESTARTED)
    _fill(world, experiment, theme, size)
    client = login(world["convener"])
    client.get(f"/convening/experiments/{experiment.pk}/")
    # Session, user, person, memberships, the experiment; themes, measures, cycles, stories;
    # one read for each of the four measures that reads data.
    with django_assert_max_num_queries(14):
        response = client.get(f"/convening/experiments/{experiment.pk}/")
    assert response.status_code == 200
    assert f"Story {size - 1}" in text_of(response)


@pytest.mark.parametrize("size", [1, 5])
def test_the_experiment_list_reads_a_fixed_number_of_queries(
    world, login, theme, size, django_assert_max_num_queries
):
    for n in range(size):
        services.experiment_create(
            actor=world["convener"],
            organisation=world["home"],
            title=f"E{n}",
            if_we="a",
            then="b",
            starts_on=date(2026, 4, 1),
            themes=[theme],
            measure_kinds=["stories"],
        )
    client = login(world["convener"])
    client.get("/convening/experiments/")
    with django_assert_max_num_queries(8):
        response = client.get("/convening/experiments/")
    assert response.status_code == 200
    assert "E0" in text_of(response)


@pytest.mark.parametrize(
    "junk",
    ["abc", "99999999999999999999999", "-1", "\x00", "0001-01-01", "9999-12-31", ""],
)
def test_hostile_input_is_refused_with_a_message_never_a_crash(world, login, experiment, junk):
    services.cycle_start(actor=world["convener"], experiment=experiment, plan="Plan")
    client = login(world["convener"])
    base = f"/convening/experiments/{experiment.pk}"
    fields = {
        "organisation": junk,
        "title": junk,
        "if_we": junk,
        "then": junk,
        "group": junk,
        "themes": [junk],
        "starts_on": junk,
        "ends_on": junk,
        "watched_themes": [junk],
        "measure_kinds": [junk],
        "version": junk,
    }
    posts = {
        "/convening/experiments/new/": fields,
        f"{base}/edit/": fields,
        f"{base}/cycles/new/": {"plan": junk, "starts_on": junk},
        f"{base}/cycles/1/": {"plan": junk, "starts_on": junk, "ends_on": junk, "version": junk},
        f"{base}/stories/add/": {"words": junk, "told_on": junk},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert client.get(f"/convening/experiments/new/?group={junk}").status_code == 200
    assert client.get(f"{base}/").status_code == 200

"""System themes with live evidence (issue 13, item 1): a convener makes and shapes themes,
places the barriers people agreed to share, and reads each theme's evidence."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from alongside.coaching.models import Barrier, Person
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.convening.selectors import themes as selectors
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Theme

from .factories import demo_exercise, organisation, person, staff, text_of

pytestmark = pytest.mark.django_db


def words(response) -> str:
    """The page's words with the tags taken out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def shared(who: Person, service: str, words: str, **extra) -> Barrier:
    return Barrier.objects.create(
        person=who, service=service, what_happened=words, share_with_convening=True, **extra
    )


def theme_of(org, title="Council tax", **extra) -> SystemTheme:
    return SystemTheme.objects.create(organisation=org, title=title, **extra)


def place(theme, barrier, by_convener=True) -> BarrierPlacement:
    return BarrierPlacement.objects.create(
        theme=theme, barrier=barrier, organisation=theme.organisation, by_convener=by_convener
    )


def test_the_themes_page_shows_each_theme_with_its_live_count(world, login):
    theme = theme_of(world["home"], summary="Summonses and bailiffs")
    for n in range(3):
        place(theme, shared(world["sam"], "Council tax", f"A summons came, number {n}."))
    page = text_of(login(world["convener"]).get("/convening/themes/"))
    assert "Council tax" in page and "3 barriers" in page
    # Withdrawing one takes it out of the count at once.
    Barrier.objects.filter(pk=theme.placements.first().barrier_id).update(
        share_with_convening=False
    )
    page = text_of(login(world["convener"]).get("/convening/themes/"))
    assert "2 barriers" in page


def test_not_yet_in_a_theme_suggests_the_closest_theme_and_puts_it_there(world, login):
    tax = theme_of(world["home"], "Council tax summons and bailiffs")
    housing = theme_of(world["home"], "Waiting for the housing register")
    barrier = shared(world["sam"], "Council", "The council sent bailiffs about council tax.")
    client = login(world["convener"])
    body = words(client.get("/convening/themes/"))
    assert "Not yet in a theme (1)" in body
    assert "The council sent bailiffs about council tax." in body
    assert "Suggested: Council tax summons and bailiffs" in body
    assert housing.title in body  # a choice of any theme

    answer = client.post("/convening/themes/place/", {"barrier": barrier.pk, "theme": tax.pk})
    assert answer.status_code == 302
    placement = BarrierPlacement.objects.get(barrier=barrier)
    assert placement.theme == tax and placement.by_convener
    assert "Not yet in a theme (0)" in text_of(client.get("/convening/themes/"))
    assert AuditEntry.objects.filter(
        actor_id=world["convener"].pk, object_type="convening.barrierplacement"
    ).exists()


def test_a_convener_makes_a_theme_that_gathers_across_the_area(world, login):
    client = login(world["convener"])
    assert client.get("/convening/themes/new/").status_code == 200
    answer = client.post(
        "/convening/themes/new/",
        {"title": "  Council   tax ", "summary": "Summonses", "across_area": "on"},
    )
    theme = SystemTheme.objects.get()
    assert answer.status_code == 302 and answer.url == f"/convening/themes/{theme.pk}/"
    assert theme.title == "Council tax" and theme.area == world["area"]
    assert theme.owned_by_convener and theme.organisation == world["home"]
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="convening.systemtheme", object_id=str(theme.pk)
    ).exists()


def test_a_form_with_a_mistake_keeps_what_was_typed(world, login):
    answer = login(world["convener"]).post(
        "/convening/themes/new/", {"title": "   ", "summary": "What I wrote about it"}
    )
    assert answer.status_code == 400
    body = text_of(answer)
    assert "What I wrote about it" in body and "Give the theme a title" in body
    assert not SystemTheme.objects.exists()


def test_an_edit_from_an_older_page_never_overwrites(world, login):
    theme = theme_of(world["home"], owned_by_convener=False)
    client = login(world["convener"])
    first = {"title": "Council tax bailiffs", "summary": "Mine", "version": theme.version}
    assert client.post(f"/convening/themes/{theme.pk}/edit/", first).status_code == 302
    theme.refresh_from_db()
    assert theme.title == "Council tax bailiffs" and theme.owned_by_convener
    assert theme.version == 2

    stale = {"title": "Someone else's title", "summary": "Theirs", "version": 1}
    answer = client.post(f"/convening/themes/{theme.pk}/edit/", stale)
    assert answer.status_code == 409
    body = text_of(answer)
    assert "Someone else changed this theme" in body
    assert "Someone else's title" in body and "Council tax bailiffs" in body
    theme.refresh_from_db()
    assert theme.title == "Council tax bailiffs"
    # Saving again, knowingly, replaces it.
    again = dict(stale, version=2)
    assert client.post(f"/convening/themes/{theme.pk}/edit/", again).status_code == 302
    theme.refresh_from_db()
    assert theme.title == "Someone else's title"


def test_move_and_take_out_are_a_conveners_choice(world, login):
    tax = theme_of(world["home"], "Council tax")
    other = theme_of(world["home"], "Benefits")
    barrier = shared(world["sam"], "DWP", "My payments stopped.")
    suggested = place(tax, barrier, by_convener=False)
    client = login(world["convener"])
    body = text_of(client.get(f"/convening/themes/{tax.pk}/"))
    assert "Suggested" in body and "Keep it here" in body

    client.post(
        "/convening/themes/place/", {"barrier": barrier.pk, "theme": other.pk, "back": "theme"}
    )
    moved = BarrierPlacement.objects.get(pk=suggested.pk)
    assert moved.theme == other and moved.by_convener

    client.post(f"/convening/themes/placements/{moved.pk}/remove/")
    taken_out = BarrierPlacement.objects.get(barrier=barrier)
    assert taken_out.theme is None and taken_out.by_convener
    assert "My payments stopped." in text_of(client.get("/convening/themes/"))
    assert "My payments stopped." not in text_of(client.get(f"/convening/themes/{other.pk}/"))

    # Taking it out was a convener's choice: a suggestion does not put it back.
    client.post("/convening/themes/suggest/")
    assert BarrierPlacement.objects.get(barrier=barrier).theme is None


def test_keeping_a_suggestion_makes_it_the_conveners(world, login):
    tax = theme_of(world["home"])
    placement = place(tax, shared(world["sam"], "Council", "Bailiffs."), by_convener=False)
    login(world["convener"]).post(f"/convening/themes/placements/{placement.pk}/keep/")
    placement.refresh_from_db()
    assert placement.by_convener


def test_the_theme_page_shows_its_evidence(world, login):
    theme = theme_of(world["home"], summary="Summonses and bailiffs")
    today = timezone.localdate()
    place(
        theme,
        shared(
            world["sam"],
            "Council tax team",
            "They sent a summons without asking.",
            happened_on=today,
            response=Barrier.Response.CHALLENGE,
            outcome="The council took the fee off.",
        ),
    )
    place(theme, shared(world["alex"], "council tax team", "Bailiffs came.", happened_on=today))
    body = text_of(login(world["convener"]).get(f"/convening/themes/{theme.pk}/"))
    assert "Summonses and bailiffs" in body
    assert "2 barriers" in body
    assert f"{today:%B %Y}" in body and "<svg" in body  # the chart with its table
    assert "Council tax team" in body  # services, grouped however they were typed
    assert "Challenged it" in body and "Not recorded" in body
    assert "The council took the fee off." in body
    assert "They sent a summons without asking." in body
    assert world["home"].name in body


def test_listening_themes_of_our_organisation_link_to_a_theme(world, login):
    exercise = demo_exercise(world["home"], [world["listener"]])
    listening = exercise.themes.exclude(is_didnt_fit=True).first()
    theme = theme_of(world["home"])
    client = login(world["convener"])
    assert listening.title in text_of(client.get(f"/convening/themes/{theme.pk}/listening/"))
    client.post(f"/convening/themes/{theme.pk}/listening/", {"listening_themes": [listening.pk]})
    assert list(theme.listening_themes.all()) == [listening]
    body = text_of(client.get(f"/convening/themes/{theme.pk}/"))
    assert listening.title in body and "contribution" in body


def test_another_areas_unpublished_listening_cannot_be_linked(world, login):
    elsewhere = organisation()
    exercise = demo_exercise(elsewhere, [staff("listener", elsewhere)])
    foreign = exercise.themes.exclude(is_didnt_fit=True).first()
    theme = theme_of(world["home"])
    answer = login(world["convener"]).post(
        f"/convening/themes/{theme.pk}/listening/", {"listening_themes": [foreign.pk]}
    )
    assert answer.status_code == 400
    assert not theme.listening_themes.exists()
    assert Theme.objects.filter(pk=foreign.pk).exists()


def test_a_barrier_from_another_organisation_goes_only_in_a_theme_across_the_area(world, login):
    world["other"].shares_barriers_in_area = True
    world["other"].save()
    ours_only = theme_of(world["home"], "Ours only")
    barrier = shared(world["jo"], "Council tax", "Theirs.")
    client = login(world["convener"])
    client.post("/convening/themes/place/", {"barrier": barrier.pk, "theme": ours_only.pk})
    assert not BarrierPlacement.objects.exists()


def test_a_barrier_we_may_not_use_cannot_be_placed(world, login):
    theme = theme_of(world["home"])
    hidden = Barrier.objects.create(person=world["sam"], service="x", what_happened="Private.")
    theirs = shared(world["jo"], "Council tax", "Another organisation that does not share.")
    client = login(world["convener"])
    for barrier in (hidden, theirs):
        client.post("/convening/themes/place/", {"barrier": barrier.pk, "theme": theme.pk})
    assert not BarrierPlacement.objects.exists()


# Session, user, memberships; then the page's own: the theme, the audit entry, its barriers,
# its listening themes, the themes it may move to. The list: the organisation, the audit
# entry, the themes, their counts, the unplaced count and rows, the themes' words.
BUDGETS = {"theme": 8, "themes": 10}


def _grow(world, theme, n: int) -> None:
    other = world["other"]
    coach = world["other_coach"]
    for i in range(n):
        who = person(world["home"], world["coach"], f"Person {i}")
        place(
            theme,
            shared(who, f"Service {i % 4}", f"Words {i}", happened_on=date(2026, 1 + i % 11, 2)),
        )
        them = person(other, coach, f"Them {i}")
        place(theme, shared(them, f"Service {i % 3}", f"Their words {i}"))


@pytest.mark.parametrize("size", [3, 30])
def test_the_theme_page_has_a_fixed_query_count(world, login, size, django_assert_max_num_queries):
    world["other"].shares_barriers_in_area = True
    world["other"].save()
    theme = theme_of(world["home"], area=world["area"])
    _grow(world, theme, size)
    client = login(world["convener"])
    client.get(f"/convening/themes/{theme.pk}/")  # warm the session
    with django_assert_max_num_queries(BUDGETS["theme"]):
        answer = client.get(f"/convening/themes/{theme.pk}/")
    assert answer.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_themes_page_has_a_fixed_query_count(world, login, size, django_assert_max_num_queries):
    theme = theme_of(world["home"], area=world["area"])
    theme_of(world["home"], "Benefits")
    _grow(world, theme, size)
    for i in range(size):
        shared(world["sam"], "Housing", f"Unplaced words {i}")
    client = login(world["convener"])
    client.get("/convening/themes/")
    with django_assert_max_num_queries(BUDGETS["themes"]):
        answer = client.get("/convening/themes/")
    assert answer.status_code == 200


def test_months_in_the_chart_are_counted_by_when_it_happened(world):
    theme = theme_of(world["home"])
    place(theme, shared(world["sam"], "x", "a", happened_on=date(2026, 3, 31)))
    written = shared(world["sam"], "x", "b")
    Barrier.objects.filter(pk=written.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 4, 15, 12))
    )
    place(theme, written)
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    counts = selectors.monthly_counts(theme=theme, start=date(2026, 3, 5), end=date(2026, 4, 1))
    assert counts == [(date(2026, 3, 1), 1), (date(2026, 4, 1), 1)]
    assert selectors.last_months(date(2026, 2, 10)) == (date(2025, 3, 1), date(2026, 2, 10))
    assert len(selectors.months_between(*selectors.last_months(date.today()))) == 12


def test_the_barriers_listed_on_a_theme_page_are_bounded(world, login, monkeypatch):
    monkeypatch.setattr(selectors, "BARRIERS_SHOWN", 4)
    theme = theme_of(world["home"])
    for n in range(9):
        place(theme, shared(world["sam"], "x", f"Suggested {n}."), by_convener=False)
        place(theme, shared(world["alex"], "x", f"Placed {n}."))
    body = text_of(login(world["convener"]).get(f"/convening/themes/{theme.pk}/"))
    assert body.count("Keep it here") == 4 and body.count("Take it out") == 8
    assert "9 were put here by the suggestion" in body
    assert "18 barriers" in body


def test_a_convener_of_two_organisations_chooses_which(world, login):
    from alongside.accounts.models import Membership, Role

    convener = world["convener"]
    Membership.objects.create(user=convener, organisation=world["other"], role=Role.CONVENER)
    theirs = theme_of(world["other"], "Other organisation's theme")
    ours = theme_of(world["home"], "Home theme")
    client = login(convener)
    default = text_of(client.get("/convening/themes/"))
    first = min([world["home"], world["other"]], key=lambda o: (o.name, o.pk))
    assert (ours.title in default) == (first == world["home"])
    chosen = text_of(client.get(f"/convening/themes/?organisation={world['other'].pk}"))
    assert theirs.title in chosen and ours.title not in chosen
    assert client.get(f"/convening/themes/{theirs.pk}/").status_code == 200


def test_a_published_listening_report_in_our_area_can_be_linked_its_counts_protected(world, login):
    from alongside.listening.models import Report

    exercise = demo_exercise(world["other"], [staff("listener", world["other"])])
    listening = exercise.themes.exclude(is_didnt_fit=True).first()
    theme = theme_of(world["home"])
    client = login(world["convener"])
    client.post(f"/convening/themes/{theme.pk}/listening/", {"listening_themes": [listening.pk]})
    assert list(theme.listening_themes.all()) == [listening]
    shown = selectors.theme_detail(
        SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
    ).listening[0]
    real = listening.contributions.count()
    assert shown.contributions.startswith(
        "fewer than 10" if real < 10 else str(5 * round(real / 5))
    )
    # Unpublished, another organisation's listening is not ours to link.
    Report.objects.filter(exercise=exercise).update(published_at=None)
    answer = client.post(
        f"/convening/themes/{theme.pk}/listening/", {"listening_themes": [listening.pk]}
    )
    assert answer.status_code == 400


def test_numbers_no_record_could_have_are_refused_not_a_crash(world, login):
    theme = theme_of(world["home"])
    client = login(world["convener"])
    huge = str(2**63)
    answer = client.post(f"/convening/themes/{theme.pk}/listening/", {"listening_themes": [huge]})
    assert answer.status_code == 400
    answer = client.post("/convening/themes/place/", {"barrier": huge, "theme": huge})
    assert answer.status_code == 302 and not BarrierPlacement.objects.exists()
    answer = client.get(f"/convening/themes/?organisation={huge}")
    assert answer.status_code == 200

"""Suggesting where shared barriers belong (issue 13, item 1): the listening theme engine puts
each unplaced barrier in the closest system theme, never moves a convener's choice, and offers
new themes when there are none."""

from __future__ import annotations

import pytest

from alongside.coaching.models import Barrier, Person
from alongside.convening import suggesting
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.core.models import AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db

TAX = [
    "The council sent bailiffs over council tax arrears.",
    "A council tax summons came with court costs added.",
    "Council tax reduction was stopped and bailiffs wrote.",
]
BENEFITS = [
    "Universal Credit sanctioned for missing a jobcentre appointment.",
    "Universal Credit payments stopped after the jobcentre lost the form.",
    "The jobcentre sanction left no money for food.",
]


def shared(who: Person, words: str, service: str = "") -> Barrier:
    return Barrier.objects.create(
        person=who, service=service, what_happened=words, share_with_convening=True
    )


def test_the_engine_finds_the_closest_theme():
    themes = [
        suggesting.ThemeWords("Council tax summons and bailiffs"),
        suggesting.ThemeWords("Benefit sanctions", ["Universal Credit stopped my payments"]),
    ]
    found = suggesting.closest([TAX[0], BENEFITS[0]], themes)
    assert [f.theme for f in found] == [0, 1]
    assert all(0 < f.closeness <= 1 for f in found)
    # A barrier may be kept from a theme it may not go in.
    limited = suggesting.closest([TAX[0]], themes, allowed=[[1]])
    assert limited[0] is None or limited[0].theme == 1
    assert suggesting.closest([TAX[0]], themes, allowed=[[]]) == [None]


def test_suggest_places_puts_each_unplaced_barrier_in_the_closest_theme(world, login):
    tax = SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    benefits = SystemTheme.objects.create(
        organisation=world["home"], title="Universal Credit sanctions at the jobcentre"
    )
    tax_ids = [shared(world["sam"], words).pk for words in TAX]
    benefit_ids = [shared(world["alex"], words).pk for words in BENEFITS]
    answer = login(world["convener"]).post("/convening/themes/suggest/", follow=True)
    assert "Suggested places for 6 barriers" in text_of(answer)
    for pk in tax_ids:
        placement = BarrierPlacement.objects.get(barrier_id=pk)
        assert placement.theme == tax and not placement.by_convener
        assert placement.closeness is not None and placement.closeness > 0
    assert {p.theme for p in BarrierPlacement.objects.filter(barrier_id__in=benefit_ids)} == {
        benefits
    }
    assert AuditEntry.objects.filter(detail__startswith="placements suggested").exists()


def test_a_suggestion_never_moves_a_barrier_a_convener_placed(world, login):
    tax = SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    benefits = SystemTheme.objects.create(
        organisation=world["home"], title="Universal Credit sanctions"
    )
    barrier = shared(world["sam"], TAX[0])
    # A convener decided this one belongs with benefits; the engine would say tax.
    BarrierPlacement.objects.create(
        theme=benefits, barrier=barrier, organisation=world["home"], by_convener=True
    )
    engine_placed = shared(world["alex"], BENEFITS[1])
    BarrierPlacement.objects.create(
        theme=tax, barrier=engine_placed, organisation=world["home"], by_convener=False
    )
    login(world["convener"]).post("/convening/themes/suggest/")
    kept = BarrierPlacement.objects.get(barrier=barrier)
    assert kept.theme == benefits and kept.by_convener
    # The engine's own earlier placement may move to a closer theme.
    assert BarrierPlacement.objects.get(barrier=engine_placed).theme == benefits


def test_another_organisations_barrier_is_suggested_only_into_a_theme_across_the_area(world, login):
    world["other"].shares_barriers_in_area = True
    world["other"].save()
    SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    across = SystemTheme.objects.create(
        organisation=world["home"], title="Benefits", area=world["area"]
    )
    theirs = shared(world["jo"], TAX[0])
    login(world["convener"]).post("/convening/themes/suggest/")
    placement = BarrierPlacement.objects.filter(barrier=theirs).first()
    assert placement is None or placement.theme == across


def test_suggesting_is_bounded(world, login, monkeypatch):
    monkeypatch.setattr(suggesting, "MAX_AT_ONCE", 2)
    SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    for words in TAX + TAX:
        shared(world["sam"], words)
    login(world["convener"]).post("/convening/themes/suggest/")
    assert BarrierPlacement.objects.count() == 2


def test_with_no_themes_yet_the_engine_offers_new_ones_to_accept(world, login):
    for words in TAX + BENEFITS:
        shared(world["sam"], words)
        shared(world["alex"], words.replace(".", " again."))
    client = login(world["convener"])
    assert "let the engine suggest themes" in text_of(client.get("/convening/themes/"))
    page = client.get("/convening/themes/suggested/")
    assert page.status_code == 200
    proposals = page.context["proposals"]
    assert len(proposals) >= 2
    proposal, form = proposals[0]
    answer = client.post(
        "/convening/themes/suggested/",
        {"title": proposal.label, "barriers": form.initial["barriers"], "across_area": "on"},
    )
    theme = SystemTheme.objects.get()
    assert answer.status_code == 302 and theme.title == proposal.label
    assert not theme.owned_by_convener and theme.area == world["area"]
    placed = BarrierPlacement.objects.filter(theme=theme)
    assert sorted(p.barrier_id for p in placed) == sorted(proposal.barrier_ids)
    assert not any(p.by_convener for p in placed)


def test_accepting_skips_barriers_no_longer_shared_or_already_placed(world, login):
    barriers = [shared(world["sam"], words) for words in TAX]
    Barrier.objects.filter(pk=barriers[0].pk).update(share_with_convening=False)
    other = SystemTheme.objects.create(organisation=world["home"], title="Elsewhere")
    BarrierPlacement.objects.create(
        theme=other, barrier=barriers[1], organisation=world["home"], by_convener=True
    )
    login(world["convener"]).post(
        "/convening/themes/suggested/",
        {"title": "Council tax", "barriers": ",".join(str(b.pk) for b in barriers)},
    )
    theme = SystemTheme.objects.get(title="Council tax")
    assert [p.barrier_id for p in theme.placements.all()] == [barriers[2].pk]
    assert BarrierPlacement.objects.get(barrier=barriers[1]).theme == other


def test_a_broken_accept_form_changes_nothing(world, login):
    client = login(world["convener"])
    for bad in ({"title": "", "barriers": "1"}, {"title": "x", "barriers": "1,two"}):
        client.post("/convening/themes/suggested/", bad)
    assert not SystemTheme.objects.exists()


def test_a_barrier_close_to_no_theme_stays_not_yet_in_a_theme(world, login):
    SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    barrier = shared(world["sam"], "I could not get a GP appointment")
    answer = login(world["convener"]).post("/convening/themes/suggest/", follow=True)
    assert not BarrierPlacement.objects.filter(barrier=barrier).exists()
    assert "1 is not close to any theme yet" in text_of(answer)


def test_without_the_word_vectors_tfidf_suggests_all_the_same(world, login, monkeypatch):
    from alongside.listening.themes import static

    monkeypatch.setattr(static, "available", lambda: False)
    assert suggesting.method() == "tfidf"
    tax = SystemTheme.objects.create(organisation=world["home"], title="Council tax bailiffs")
    SystemTheme.objects.create(organisation=world["home"], title="Universal Credit sanctions")
    barrier = shared(world["sam"], TAX[0])
    login(world["convener"]).post("/convening/themes/suggest/")
    assert BarrierPlacement.objects.get(barrier=barrier).theme == tax
    groups = suggesting.new_themes(TAX + BENEFITS + TAX + BENEFITS)
    assert groups and all(g.label for g in groups)


def test_a_suggested_theme_kept_to_our_organisation_takes_only_our_barriers(world, login):
    world["other"].shares_barriers_in_area = True
    world["other"].save()
    ours = shared(world["sam"], TAX[0])
    theirs = shared(world["jo"], TAX[1])
    login(world["convener"]).post(
        "/convening/themes/suggested/",
        {"title": "Council tax", "barriers": f"{ours.pk},{theirs.pk}"},
    )
    theme = SystemTheme.objects.get()
    assert theme.area is None
    assert [p.barrier_id for p in theme.placements.all()] == [ours.pk]

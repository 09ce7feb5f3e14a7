"""A convener never sees a person's name, a barrier that is not shared, or unredacted words,
on any system theme page; withdrawing takes a barrier out at once; and nobody but the
organisation's conveners opens these pages (issue 13, items 1 and 8; principles 1, 8, 9)."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Barrier, ConsentEvent, Person
from alongside.convening.models import BarrierPlacement, SystemTheme
from alongside.core.models import AuditAction, AuditEntry

from .factories import staff, text_of

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
SECRET = "Marguerite Okonkwo-Blythe"  # a full name in a barrier's words


def words_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def shared(who: Person, words: str, **extra) -> Barrier:
    return Barrier.objects.create(
        person=who,
        service=extra.pop("service", "Council tax"),
        what_happened=words,
        share_with_convening=extra.pop("share", True),
        **extra,
    )


@pytest.fixture
def setting(world):
    """A theme across the area with a barrier naming people, and one of each kind a
    convener must never see."""
    world["sam"].chosen_name = "Sam Quennell"
    world["sam"].save()
    theme = SystemTheme.objects.create(
        organisation=world["home"], title="Summonses theme", area=world["area"]
    )
    named = shared(
        world["sam"],
        f"Sam Quennell and {SECRET} rang {PHONE} and were told to wait.",
        service="Sam Quennell's council tax office",
        outcome=f"{SECRET} got a letter.",
    )
    BarrierPlacement.objects.create(
        theme=theme, barrier=named, organisation=world["home"], by_convener=True
    )
    unshared = shared(world["alex"], "Not shared: the unshared words.", share=False)
    withdrawn_all = shared(world["alex"], "Withdrawn for everything: withdrawn words.")
    withdrawn_one = shared(world["sam"], "Withdrawn for this one: scoped words.")
    ConsentEvent.objects.create(
        person=world["alex"], choice=ConsentEvent.Choice.SHARE_BARRIERS, scope="", given=False
    )
    ConsentEvent.objects.create(
        person=world["sam"],
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(withdrawn_one.pk),
        given=False,
    )
    not_sharing_org = shared(world["jo"], "From an organisation that does not share.")
    for barrier in (unshared, withdrawn_all, not_sharing_org):
        BarrierPlacement.objects.create(
            theme=theme, barrier=barrier, organisation=world["home"], by_convener=True
        )
    return {"theme": theme, "named": named}


NEVER = [
    "Quennell",
    SECRET,
    "Okonkwo",
    PHONE,
    "900123",
    "the unshared words",
    "withdrawn words",
    "scoped words",
    "does not share",
]


def pages(theme: SystemTheme) -> list[str]:
    return [
        "/convening/themes/",
        f"/convening/themes/{theme.pk}/",
        f"/convening/themes/{theme.pk}/edit/",
        f"/convening/themes/{theme.pk}/listening/",
        "/convening/themes/suggested/",
    ]


def test_no_name_no_unshared_barrier_no_unredacted_words_on_any_page(world, login, setting):
    client = login(world["convener"])
    for url in pages(setting["theme"]):
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = text_of(answer)
        for secret in NEVER:
            assert secret not in body, (url, secret)
        assert not re.search(r"\bSam\b", words_of(answer)), url
    body = text_of(client.get(f"/convening/themes/{setting['theme'].pk}/"))
    # The words are there, redacted: the reader learns what happened, not who.
    assert "[phone]" in body and "[name]" in body and "were told to wait" in body
    assert "1 barrier" in body


def test_unplaced_barriers_are_redacted_and_only_shared_ones_are_listed(world, login, setting):
    BarrierPlacement.objects.all().delete()
    body = text_of(login(world["convener"]).get("/convening/themes/"))
    assert "Not yet in a theme (1)" in words_of(login(world["convener"]).get("/convening/themes/"))
    for secret in NEVER:
        assert secret not in body
    assert "[phone]" in body


def test_withdrawing_takes_a_barrier_out_at_once(world, login, setting):
    client = login(world["convener"])
    url = f"/convening/themes/{setting['theme'].pk}/"
    assert "were told to wait" in text_of(client.get(url))
    ConsentEvent.objects.create(
        person=world["sam"],
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(setting["named"].pk),
        given=False,
    )
    body = text_of(client.get(url))
    assert "were told to wait" not in body and "No barriers yet" in body
    assert "were told to wait" not in text_of(client.get("/convening/themes/"))


def test_turning_the_barriers_own_flag_off_takes_it_out_at_once(world, login, setting):
    Barrier.objects.filter(pk=setting["named"].pk).update(share_with_convening=False)
    body = text_of(login(world["convener"]).get(f"/convening/themes/{setting['theme'].pk}/"))
    assert "were told to wait" not in body


def _refused(client, theme, placement) -> list[tuple[str, int]]:
    answers = [(url, client.get(url).status_code) for url in pages(theme)]
    answers.append(("/convening/themes/new/", client.get("/convening/themes/new/").status_code))
    posts = {
        "/convening/themes/new/": {"title": "Mine now"},
        "/convening/themes/place/": {"barrier": placement.barrier_id, "theme": theme.pk},
        "/convening/themes/suggest/": {},
        "/convening/themes/suggested/": {"title": "x", "barriers": str(placement.barrier_id)},
        f"/convening/themes/{theme.pk}/edit/": {"title": "Taken", "version": theme.version},
        f"/convening/themes/{theme.pk}/listening/": {},
        f"/convening/themes/placements/{placement.pk}/keep/": {},
        f"/convening/themes/placements/{placement.pk}/remove/": {},
    }
    answers += [(url, client.post(url, data).status_code) for url, data in posts.items()]
    return answers


@pytest.mark.parametrize(
    "who", ["coach", "lead", "listener", "commissioner", "assessor", "sam", "other_convener"]
)
def test_only_the_organisations_conveners_open_these_pages(world, login, setting, who):
    if who == "other_convener":
        user = staff(Role.CONVENER, world["other"])
    elif who == "sam":
        user = world["sam"].user
    else:
        user = world[who]
    placement = BarrierPlacement.objects.get(barrier=setting["named"])
    before = AuditEntry.objects.filter(actor_id=user.pk, action=AuditAction.DENIED).count()
    client = login(user)
    answers = _refused(client, setting["theme"], placement)
    for url, status in answers:
        if who == "other_convener" and url in (
            "/convening/themes/",
            "/convening/themes/new/",
            "/convening/themes/suggested/",
            "/convening/themes/suggest/",
        ):
            continue  # their own organisation's pages: checked below
        assert status in (403, 404), (who, url, status)
    refused = AuditEntry.objects.filter(actor_id=user.pk, action=AuditAction.DENIED).count()
    assert refused - before >= (8 if who == "other_convener" else 10)
    theme = SystemTheme.objects.get(pk=setting["theme"].pk)
    assert theme.title == "Summonses theme" and theme.version == 1
    assert BarrierPlacement.objects.filter(pk=placement.pk, by_convener=True).exists()
    assert not SystemTheme.objects.filter(title="Mine now").exists() or who == "other_convener"


def test_another_organisations_convener_sees_only_their_own(world, login, setting):
    user = staff(Role.CONVENER, world["other"])
    client = login(user)
    body = text_of(client.get("/convening/themes/"))
    assert "Summonses theme" not in body and "were told to wait" not in body
    # Asking for our organisation by its id gets them their own, never ours.
    body = text_of(client.get(f"/convening/themes/?organisation={world['home'].pk}"))
    assert "were told to wait" not in body and "Summonses theme" not in body
    client.post("/convening/themes/new/", {"title": "Theirs", "organisation": world["home"].pk})
    assert SystemTheme.objects.get(title="Theirs").organisation == world["other"]


def test_an_erased_record_leaves_every_theme(world, login, setting):
    from alongside.coaching.services.erasure import erasure_approve, erasure_ask

    request = erasure_ask(actor=world["sam"].user, person=world["sam"])
    erasure_approve(actor=world["lead"], request=request)
    client = login(world["convener"])
    body = text_of(client.get(f"/convening/themes/{setting['theme'].pk}/"))
    assert "were told to wait" not in body and "No barriers yet" in body
    assert "Not yet in a theme (0)" in words_of(client.get("/convening/themes/"))


def test_part_of_the_chosen_name_is_taken_out_too(world, login):
    """Coaches often write only a first name: each word of the chosen name goes, wherever the
    convener could read it."""
    world["alex"].chosen_name = "Rutendo Moyo"
    world["alex"].save()
    theme = SystemTheme.objects.create(organisation=world["home"], title="Housing register")
    barrier = shared(
        world["alex"],
        "Was told Rutendo couldn't join the register; Moyo's letter went unanswered.",
        service="Housing register",
    )
    BarrierPlacement.objects.create(
        theme=theme, barrier=barrier, organisation=world["home"], by_convener=True
    )
    client = login(world["convener"])
    for url in pages(theme):
        words = words_of(client.get(url))
        assert "Rutendo" not in words and "Moyo" not in words, url
    assert "couldn't join the register" in text_of(client.get(f"/convening/themes/{theme.pk}/"))

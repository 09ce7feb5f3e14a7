"""Issue 13, item 8, as the people in it would do it: Priya records something that got in
Sam's way, with his agreement to share it; Dee, the convener, finds it waiting (his name and
number taken out), puts it in a system theme and recommends a change to Harbour Lane's
leadership; Morag answers it from her home page; Dee sees the answer on the convening home.
axe checks every page on the way."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Barrier, Person
from alongside.convening.models import Answer, BarrierPlacement, Recommendation, SystemTheme

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

SERVICE = "Library: computers only with a library card"
PHONE = "07700 900555"
WHAT_HAPPENED = (
    f"Sam needed a computer for his claim but the library wanted a card, and a card needed "
    f"proof of address. He left his number, {PHONE}, and nobody rang."
)
THEME = "Proof of who you are before any help"
TITLE = "Library cards without proof of address"
CHANGED = "From January the library issues a card with a letter from any coach."


def test_from_a_newly_shared_barrier_to_an_answered_recommendation(demo, page, new_context):
    sam = Person.objects.get(user__username="sam")

    # Priya records what got in Sam's way; Sam is happy for it to be shared without his name.
    sign_in(page, account_for(Role.COACH))
    page.goto(f"/people/{sam.pk}/barriers/add/")
    page.get_by_label("Which service or rule got in the way?").fill(SERVICE)
    page.get_by_label("What happened?").fill(WHAT_HAPPENED)
    page.get_by_label("You're happy for this to be shared").check()
    follow(page, page.get_by_role("button", name="Add it"))
    barrier = Barrier.objects.get(person=sam, service=SERVICE)
    assert barrier.share_with_convening

    # Dee finds it waiting to be placed: the words are there, Sam's name and number are not.
    dee = new_context().new_page()
    sign_in(dee, account_for(Role.CONVENER))
    dee.goto("/convening/")
    assert_accessible(dee, "the convening home")
    follow(dee, dee.get_by_role("link", name="System themes, and shared barriers not yet in one"))
    assert path_of(dee) == "/convening/themes/"
    assert_accessible(dee, "system themes")
    waiting = dee.locator("section", has=dee.get_by_role("heading", name="Not yet in a theme"))
    card = waiting.locator("li.card", has_text="the library wanted a card")
    assert card.count() == 1
    words = card.inner_text()
    assert "Sam" not in words and PHONE not in words
    assert "needed a computer for" in words
    assert "Sam" not in dee.locator("main").inner_text()

    # Dee puts it in the theme about proof of who you are.
    theme = SystemTheme.objects.get(title=THEME)
    card.locator("select").select_option(label=THEME)
    follow(dee, card.get_by_role("button", name="Put it there"))
    placement = BarrierPlacement.objects.get(barrier=barrier)
    assert placement.theme == theme and placement.by_convener
    dee.goto(f"/convening/themes/{theme.pk}/")
    assert_accessible(dee, "the system theme with the new barrier")
    body = dee.locator("main").inner_text()
    assert PHONE not in body and "Sam" not in body

    # ...and recommends a change to Harbour Lane's leadership, drawing on the theme.
    dee.goto("/convening/")
    follow(dee, dee.get_by_role("link", name="Write a recommendation"))
    assert_accessible(dee, "writing a recommendation")
    dee.get_by_label("A short title").fill(TITLE)
    dee.get_by_label("What we recommend").fill(
        "Ask the library to take a letter from a coach instead of proof of address."
    )
    dee.get_by_role("group", name="To whom").get_by_label("Leadership").check()
    dee.get_by_label("Which organisation answers").select_option(label="Harbour Lane Coaching")
    dee.get_by_role("group", name="Where the learning lands").get_by_label("Service design").check()
    dee.get_by_role("group", name="System themes it draws on").get_by_label(THEME).check()
    follow(dee, dee.get_by_role("button", name="Save"))
    recommendation = Recommendation.objects.get(title=TITLE)
    assert path_of(dee) == f"/convening/recommendations/{recommendation.pk}/"
    assert list(recommendation.themes.all()) == [theme]
    follow(dee, dee.get_by_role("button", name="Send it"))
    recommendation.refresh_from_db()
    assert recommendation.sent_at is not None
    assert_accessible(dee, "the sent recommendation")

    # Morag, Harbour Lane's lead, finds it on her home page and accepts it.
    morag = new_context().new_page()
    sign_in(morag, account_for(Role.LEAD))
    morag.goto("/")
    follow(morag, morag.get_by_role("link", name=f"Read and answer {TITLE}"))
    assert path_of(morag) == f"/convening/recommendations/{recommendation.pk}/"
    assert_accessible(morag, "a recommendation to answer")
    assert "Sam" not in morag.locator("main").inner_text()
    morag.get_by_label("Accepted", exact=True).check()
    morag.get_by_label("Your answer in words").fill("Yes: I have written to the library.")
    morag.get_by_label("What changed").fill(CHANGED)
    follow(morag, morag.get_by_role("button", name="Send your answer"))
    answer = Answer.objects.get(recommendation=recommendation)
    assert answer.status == Answer.Status.ACCEPTED and answer.by.username == "morag"

    # Dee sees the answer on the convening home, under where the learning lands.
    dee.goto("/convening/")
    column = dee.locator("li.card", has=dee.get_by_role("heading", name="Service design"))
    entry = column.locator("li", has=dee.get_by_role("link", name=TITLE))
    assert entry.count() == 1
    assert "Accepted" in entry.inner_text()
    assert CHANGED in entry.inner_text()
    assert_accessible(dee, "the convening home with the answer")

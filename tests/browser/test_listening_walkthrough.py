"""Issue 5, item 7, as a listening team would do it: start an exercise, add three
contributions (one with a phone number that must appear taken out), suggest themes, rename
one, publish, and open the report by its link without signing in. axe checks every page."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.listening.models import Contribution, Exercise, Report, Theme

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

PHONE = "07700 900123"
STORIES = [
    "The housing office lost my forms twice and the damp in the flat made my son ill.",
    "We waited months for housing repairs. Ring me on " + PHONE + " if you want to know more.",
    "The bus to the job centre stopped running, so I walk an hour each way.",
]
QUESTION = "What gets in the way of a good life here?"


def add_contribution(page, words: str, *, last: bool) -> None:
    page.get_by_role("group", name="How did you hear it?").get_by_label("Face to face").check()
    page.get_by_label("What they said").fill(words)
    page.get_by_label("No name: anonymous").check()
    page.get_by_label("Yes, they said we may quote their words").check()
    button = "Save" if last else "Save and add another"
    follow(page, page.get_by_role("button", name=button, exact=True))


def test_a_listening_exercise_from_question_to_published_report(demo, page, new_context):
    sign_in(page, account_for(Role.LISTENER))

    # Start an exercise: one open question.
    page.goto("/listening/")
    assert_accessible(page, "listening exercises")
    follow(page, page.get_by_role("link", name="Start a listening exercise"))
    assert_accessible(page, "start an exercise")
    page.get_by_label("A short name for this exercise").fill("What gets in the way")
    page.get_by_label("The one open question").fill(QUESTION)
    follow(page, page.get_by_role("button", name="Start listening"))
    exercise = Exercise.objects.get(question=QUESTION)
    assert path_of(page) == f"/listening/{exercise.pk}/"
    assert_accessible(page, "the new exercise")

    # Three contributions, one with a phone number in it.
    follow(page, page.get_by_role("link", name="Add what someone said"))
    assert_accessible(page, "add what someone said")
    for number, words in enumerate(STORIES):
        add_contribution(page, words, last=number == len(STORIES) - 1)
    assert exercise.contributions.count() == 3
    planted = exercise.contributions.get(text__contains=PHONE)
    assert PHONE not in planted.redacted_text and "[phone]" in planted.redacted_text

    # Suggest themes: every contribution lands in a theme or in "didn't fit".
    page.goto(f"/listening/{exercise.pk}/")
    follow(page, page.get_by_role("link", name="Themes"))
    assert path_of(page) == f"/listening/{exercise.pk}/themes/"
    assert_accessible(page, "themes before a suggestion")
    follow(page, page.get_by_role("button", name="Suggest themes"))
    assert page.get_by_text(re.compile(r"^Suggested themes:")).is_visible()
    assert not exercise.contributions.filter(theme__isnull=True).exists()
    assert_accessible(page, "themes after a suggestion")
    # The team reads redacted words only: the number shows as taken out wherever it landed.
    planted.refresh_from_db()
    page.goto(f"/listening/{exercise.pk}/themes/{planted.theme_id}/")
    assert_accessible(page, "the theme holding the planted number")
    body = page.locator("main").inner_text()
    assert "Ring me on [phone] if you want to know more." in body
    assert PHONE not in body
    page.goto(f"/listening/{exercise.pk}/themes/")
    themed = Theme.objects.filter(exercise=exercise, is_didnt_fit=False).order_by("position")
    assert themed.exists(), "the suggestion made no theme to rename"

    # Rename a theme.
    first = themed.first()
    follow(page, page.get_by_role("link", name=first.title, exact=True).first)
    assert_accessible(page, "a theme")
    page.get_by_label("Title", exact=True).fill("Somewhere safe to live")
    page.get_by_label("What we heard (synthesis)").fill("People told us about damp and repairs.")
    follow(page, page.get_by_role("button", name="Save the theme"))
    first.refresh_from_db()
    assert first.title == "Somewhere safe to live" and first.owned_by_team
    assert page.get_by_role("heading", name="Somewhere safe to live", level=1).is_visible()

    # Publish.
    page.goto(f"/listening/{exercise.pk}/report/")
    assert_accessible(page, "the report preview")
    follow(page, page.get_by_role("link", name="Write the introduction and publish"))
    assert_accessible(page, "writing the report")
    page.get_by_label("How we listened").fill("We listened face to face in the library.")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    follow(page, page.get_by_role("link", name="Write the introduction and publish"))
    follow(page, page.get_by_role("button", name="Publish the report"))
    report = Report.objects.get(exercise=exercise)
    assert report.is_published
    public_link = page.locator('main a[href*="/listening/reports/"]')
    public_path = path_of_url(public_link.get_attribute("href"))
    assert public_path == f"/listening/reports/{report.public_token}/"

    # Open the report by its link, signed out.
    reader = new_context().new_page()
    reader.goto(public_path)
    assert reader.get_by_role("heading", name="What gets in the way", level=1).is_visible()
    parts = themed.count() + (1 if _didnt_fit_has_anyone(exercise) else 0)
    assert reader.get_by_role(
        "heading", name=f"Part 1 of {parts}: Somewhere safe to live"
    ).is_visible()
    assert reader.get_by_text("We listened face to face in the library.").is_visible()
    assert PHONE not in reader.locator("main").inner_text()
    assert_accessible(reader, "the published report")


def path_of_url(url: str | None) -> str:
    return re.sub(r"^[a-z]+://[^/]+", "", url or "")


def _didnt_fit_has_anyone(exercise: Exercise) -> bool:
    return Contribution.objects.filter(exercise=exercise, theme__is_didnt_fit=True).exists()

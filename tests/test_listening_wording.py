"""Listening pages speak in words a listening team uses (issue 12, item 7): proper plurals,
"National Insurance number" (never "Ni number"), a plain name for the suggestion's number,
and no "---------" in a select."""

from __future__ import annotations

import pytest

from alongside.listening import themes as engine
from alongside.listening.models import Channel
from alongside.listening.selectors.exercises import PLACES_SHOWN
from alongside.listening.services.contributions import ContributionFields, contribution_create

from .factories import text_of
from .test_listening_themes import add_contribution, keyword_engine, make_exercise

pytestmark = pytest.mark.django_db

NI_WORDS = "My NI number is AB 12 34 56 C and they still lost my claim."


def test_suggesting_one_theme_says_one_theme(world, login, monkeypatch):
    exercise = make_exercise(world)
    for words in ("housing one", "housing two", "the dog next door"):
        add_contribution(exercise, words)
    monkeypatch.setattr(engine, "suggest", keyword_engine({"housing": "Housing"}))

    response = login(world["listener"]).post(
        f"/listening/{exercise.pk}/themes/suggest/", {"seed": "1"}, follow=True
    )

    page = text_of(response)
    assert "Suggested themes: 1 theme, and 1 contribution that didn't fit any of them." in page
    assert "1 themes" not in page and "1 contributions" not in page
    assert "1 theme</h2>" in page  # the themes page's own count


def test_the_kind_of_detail_reads_national_insurance_number(world, login):
    exercise = make_exercise(world)
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text=NI_WORDS),
    )
    assert contribution.redactions.filter(label="ni_number").exists()

    page = text_of(
        login(world["listener"]).get(
            f"/listening/{exercise.pk}/contributions/{contribution.pk}/review/"
        )
    )

    assert "(National Insurance number)" in page
    assert ">National Insurance number</option>" in page  # "What kind of detail is it?"
    assert ">Phone number</option>" in page and ">Date of birth</option>" in page
    assert "Ni number" not in page and "(ni number" not in page


def test_the_suggestion_number_is_named_in_plain_words(world, login):
    exercise = make_exercise(world)
    page = text_of(login(world["listener"]).get(f"/listening/{exercise.pk}/themes/"))
    assert "Which way of sorting (a number)" in page
    assert "Grouping number" not in page


@pytest.mark.parametrize("path", ["/listening/add/", "/listening/{pk}/edit/"])
def test_the_exercise_form_has_no_dashes_for_an_empty_choice(world, login, path):
    exercise = make_exercise(world)
    page = text_of(login(world["listener"]).get(path.format(pk=exercise.pk)))
    assert "Area" in page
    assert "---------" not in page
    assert '<option value="" selected>Not one area in particular</option>' in page


@pytest.mark.parametrize(("extra", "shown"), [(1, "Place 12"), (3, "3 other places")])
def test_the_overview_never_says_one_other_places(world, login, extra, shown):
    exercise = make_exercise(world)
    for n in range(PLACES_SHOWN + extra):
        add_contribution(exercise, f"words {n}", place=f"Place {n:02d}")
    page = text_of(login(world["listener"]).get(f"/listening/{exercise.pk}/"))
    assert shown in page
    assert "1 other place" not in page

"""The person page: a summary beside the sections, long notes folded, the latest spends."""

from __future__ import annotations

import re

import pytest

from alongside.coaching.models import Conversation, Goal, SpendRequest
from alongside.coaching.selectors.conversations import FOLD_AT, fold

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_fold_keeps_short_text_whole_and_splits_long_text_at_a_space():
    assert fold("A short note.") == ("A short note.", "")
    words = "word " * 2000
    shown, rest = fold(words)
    assert len(shown) <= FOLD_AT and rest
    assert (shown + " " + rest).split() == words.split(), "nothing lost at the fold"
    assert not shown.endswith(" ") and not rest.startswith(" ")
    # One enormous word is cut where it must be.
    shown, rest = fold("x" * 5000)
    assert len(shown) == FOLD_AT and shown + rest == "x" * 5000


def test_a_long_note_is_folded_with_read_all(world, login):
    sam = world["sam"]
    long_note = ("We talked about the flat and what a good week looks like. " * 900).strip()
    assert len(long_note) > 50_000
    Conversation.objects.create(person=sam, happened_on="2026-11-20", notes=long_note)
    body = login(world["coach"]).get(f"/people/{sam.pk}/").content.decode()
    folded = re.search(r'<details class="read-all"><summary>Read all', body)
    assert folded, "the rest of a long note opens with Read all"
    # What shows before "Read all" is the note's beginning only.
    before = body[: folded.start()]
    assert before.count("what a good week looks like") <= FOLD_AT // 50
    # Nothing is lost: every word is on the page, inside the fold.
    assert text_of(login(world["coach"]).get(f"/people/{sam.pk}/")).count(
        "what a good week looks like"
    ) == long_note.count("what a good week looks like")


def test_the_summary_beside_the_sections(world, login):
    sam = world["sam"]
    Goal.objects.create(person=sam, words="get my licence back")
    Goal.objects.create(person=sam, words="see my sister", status="achieved")
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    summary = body[body.index("At a glance") :]
    assert "Working on" in summary and "1 goal; 1 achieved" in summary
    assert "Budget left" in summary and "£500 of £500" in summary
    assert "Read or print Sam's whole record" in summary


def test_the_person_page_lists_the_latest_five_spends_and_links_to_all(world, login):
    sam = world["sam"]
    for i in range(7):
        SpendRequest.objects.create(
            person=sam, what_for=f"Bus pass {i}", amount_pence=1000 + i, requested_by=world["coach"]
        )
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    shown = [i for i in range(7) if f"Bus pass {i}:" in body]
    assert shown == [2, 3, 4, 5, 6], "the five latest"
    assert "See all 7 requests, with the payments" in body


def test_a_next_meeting_that_has_passed_is_not_shown_as_next(world, login):
    import datetime

    from django.utils import timezone

    sam = world["sam"]
    relationship = sam.relationships.get()
    today = timezone.localdate()
    relationship.next_meeting_on = today - datetime.timedelta(days=3)
    relationship.save()
    summary = text_of(login(world["coach"]).get(f"/people/{sam.pk}/")).split("At a glance")[1]
    assert "No date yet (the last one planned was" in summary
    relationship.next_meeting_on = today + datetime.timedelta(days=2)
    relationship.save()
    summary = text_of(login(world["coach"]).get(f"/people/{sam.pk}/")).split("At a glance")[1]
    expected = relationship.next_meeting_on
    assert f"{expected:%A} {expected.day} {expected:%B}" in summary

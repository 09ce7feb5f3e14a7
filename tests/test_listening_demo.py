"""The demo listening exercise: about forty varied contributions, every one checked, every
planted name and number taken out, the same for the same seed, and no audit trail of a
thing nobody did."""

from __future__ import annotations

import random

import pytest

from alongside.accounts.models import Role
from alongside.core.models import AuditEntry
from alongside.demo.listening import PLANTED, VOICES, seed_listening
from alongside.listening.models import Contribution, Exercise

from .factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    team = [world["listener"], staff(Role.LISTENER, world["home"])]
    return seed_listening(world["home"], team, random.Random(7)), team


def test_one_exercise_with_varied_contributions_all_checked(seeded):
    exercise, team = seeded
    contributions = list(exercise.contributions.all())
    assert 35 <= len(contributions) == len(VOICES) <= 45
    assert set(exercise.team.all()) == set(team)
    assert all(c.state == Contribution.State.REVIEWED for c in contributions)
    assert len({c.channel for c in contributions}) == 7
    assert len({c.place for c in contributions}) >= 6
    credits = {c.credit for c in contributions}
    assert credits == {Contribution.Credit.NAMED, Contribution.Credit.ANONYMOUS}
    assert any(not c.consent_to_quote for c in contributions)
    assert any(c.content_warnings for c in contributions)
    assert {c.captured_by for c in contributions} == set(team)
    for c in contributions:
        assert exercise.starts_on <= c.heard_on <= exercise.ends_on


def test_every_planted_detail_is_taken_out(seeded):
    exercise, _ = seeded
    planted_in = 0
    for contribution in exercise.contributions.all():
        for words, _label in PLANTED:
            if words.lower() in contribution.text.lower():
                planted_in += 1
                assert words.lower() not in contribution.redacted_text.lower(), words
    assert planted_in >= 10


def test_seeding_again_replaces_it_and_the_same_seed_gives_the_same_words(world, seeded):
    exercise, team = seeded
    first = list(exercise.contributions.values_list("redacted_text", "heard_on"))
    again = seed_listening(world["home"], team, random.Random(7))
    assert Exercise.objects.filter(organisation=world["home"]).count() == 1
    assert list(again.contributions.values_list("redacted_text", "heard_on")) == first


def test_seeding_writes_no_audit_entries(seeded):
    assert not AuditEntry.objects.filter(object_type__startswith="listening.").exists()


def test_the_demo_report_is_finished_published_and_places_everyone(seeded, client):
    from alongside.demo.listening_report import THEMES, finish_demo_report
    from alongside.listening.selectors.reports import publish_problems

    exercise, _ = seeded
    report = finish_demo_report(exercise)

    assert report.is_published
    assert publish_problems(exercise) == []
    assert not exercise.contributions.filter(theme__isnull=True).exists()
    assert exercise.themes.filter(is_didnt_fit=True).get().contributions.count() >= 1
    for spec in THEMES:
        theme = exercise.themes.get(title=spec.title)
        assert theme.headline is not None and theme.headline.is_quote
        assert all(e.contribution.quotable for e in theme.excerpts.filter(is_quote=True))
    page = client.get(f"/listening/reports/{report.public_token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Part 1 of {len(THEMES) + 1}" in body
    assert THEMES[0].title in body
    assert "07700 900412" not in body


def test_suggesting_again_keeps_the_demo_teams_themes(seeded):
    from alongside.demo.listening_report import THEMES, finish_demo_report
    from alongside.listening.services.themes import themes_suggest

    exercise, team = seeded
    finish_demo_report(exercise)
    placed = dict(exercise.contributions.values_list("pk", "theme__title"))

    themes_suggest(actor=team[0], exercise=exercise)

    assert dict(exercise.contributions.values_list("pk", "theme__title")) == placed
    assert {t.title for t in THEMES} <= set(exercise.themes.values_list("title", flat=True))

"""Finding themes in a big exercise is a background job (issue 11): the request queues it and
shows its progress, the worker suggests, and a failure is shown to the team."""

from __future__ import annotations

import pytest

from alongside.core.models import AuditEntry, Job
from alongside.listening import themes as engine
from alongside.listening.background import SUGGEST

from .factories import text_of
from .test_listening_themes import (
    HOUSING,
    OTHER,
    TWO_THEMES,
    WAITING,
    add_contribution,
    keyword_engine,
    make_exercise,
    suggest_as,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(world, settings, monkeypatch):
    """An exercise "too big" to suggest in the request: the limit is lowered to 3."""
    settings.THEMES_INLINE_LIMIT = 3
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES))
    exercise = make_exercise(world)
    for words in HOUSING + WAITING + OTHER:
        add_contribution(exercise, words)
    return exercise


def test_a_big_exercise_is_suggested_by_a_job_with_its_progress_shown(world, login, big, run_jobs):
    client = login(world["listener"])
    response = suggest_as(client, big)
    job = Job.objects.get(kind=SUGGEST)
    assert response.status_code == 302
    assert response["Location"] == f"/listening/{big.pk}/themes/suggestions/{job.pk}/"
    assert not big.themes.exists(), "nothing is suggested in the request"
    assert AuditEntry.objects.filter(detail=f"themes suggestion asked: job {job.pk}").exists()

    waiting = text_of(client.get(response["Location"]))
    assert "Waiting to start" in waiting and "Check again" in waiting
    themes_page = text_of(client.get(f"/listening/{big.pk}/themes/"))
    assert "Finding themes in the background" in themes_page

    # Asking again meanwhile goes to the same job rather than queueing another.
    assert suggest_as(client, big)["Location"] == response["Location"]
    assert Job.objects.filter(kind=SUGGEST).count() == 1

    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (
        job.message == "Suggested themes: 2 themes, and 1 contribution that didn't fit any of them."
    )
    assert {t.title for t in big.themes.all()} == {"Housing", "Waiting", "Didn't fit"}
    done = text_of(client.get(response["Location"]))
    assert (
        "Suggested themes: 2 themes, and 1 contribution that didn't fit any of them." in done
        and "See the themes" in done
    )
    assert "Finding themes in the background" not in text_of(
        client.get(f"/listening/{big.pk}/themes/")
    )
    # htmx asks for the progress alone.
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert f'id="job-{job.pk}"' in partial and "<html" not in partial


def test_a_failed_suggestion_is_shown_to_the_team(world, login, big, run_jobs, monkeypatch):
    def broken(*args, **kwargs):
        raise NotImplementedError

    monkeypatch.setattr(engine, "suggest", broken)
    client = login(world["listener"])
    location = suggest_as(client, big)["Location"]
    run_jobs()
    job = Job.objects.get(kind=SUGGEST)
    assert job.status == Job.Status.FAILED
    page = text_of(client.get(location))
    assert "Finding themes stopped." in page and "Theme suggestion is not available yet." in page
    themes_page = text_of(client.get(f"/listening/{big.pk}/themes/"))
    assert "The last suggestion stopped." in themes_page


def test_someone_who_has_left_the_team_gets_nothing_suggested(world, login, big, run_jobs):
    client = login(world["listener"])
    suggest_as(client, big)
    big.team.remove(world["listener"])
    run_jobs()
    job = Job.objects.get(kind=SUGGEST)
    assert job.status == Job.Status.FAILED
    assert "no longer works on this exercise" in job.message
    assert not big.themes.exists()


def test_only_the_team_sees_a_suggestion_s_progress(world, login, big):
    location = suggest_as(login(world["listener"]), big)["Location"]
    for who in ("coach", "lead", "other_lead", "commissioner", "sam"):
        user = world[who].user if who == "sam" else world[who]
        assert login(user).get(location).status_code == 403, who


def test_a_small_exercise_is_still_suggested_in_the_request(world, login, big, settings):
    settings.THEMES_INLINE_LIMIT = 100
    response = suggest_as(login(world["listener"]), big)
    assert response["Location"] == f"/listening/{big.pk}/themes/"
    assert not Job.objects.filter(kind=SUGGEST).exists()
    assert big.themes.count() == 3

"""Listening exercises: one open question, who asked, the team, and an overview in counts."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Channel, Contribution, Exercise
from alongside.listening.services.contributions import (
    ContributionFields,
    contribution_create,
    contribution_review,
)
from alongside.listening.services.exercises import exercise_create, exercise_update

from .factories import staff, text_of

pytestmark = pytest.mark.django_db


def _new(world, **extra) -> Exercise:
    fields = {"title": "Voices from the bus station", "question": "What's it like here?"}
    fields.update(extra)
    return exercise_create(actor=world["listener"], organisation=world["home"], **fields)


def _heard(world, exercise, text: str, channel=Channel.PHONE, place="") -> Contribution:
    return contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=channel, text=text, place=place),
    )


def _words(response) -> str:
    """The page's words with the markup taken away, as one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def test_the_navigation_leads_a_listener_to_their_exercises(world, login):
    body = login(world["listener"]).get("/").content.decode()
    assert 'href="/listening/"' in body


def test_a_listener_starts_an_exercise_and_is_its_first_team_member(world, login):
    client = login(world["listener"])
    form = client.get("/listening/add/")
    assert form.status_code == 200
    assert "We're listening to as many people as we can" in text_of(form), "a kind default script"
    response = client.post(
        "/listening/add/",
        {
            "organisation": world["home"].pk,
            "title": "Voices from the bus station",
            "question": "What's it like when you need help here?",
            "asked_by": "The people's panel",
            "area": world["area"].pk,
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-30",
            "target_groups": "People sleeping rough",
            "channels": [Channel.FACE_TO_FACE, Channel.LETTER],
            "consent_script": "You can stop at any time.",
        },
    )
    exercise = Exercise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/listening/{exercise.pk}/"
    assert exercise.organisation == world["home"]
    assert list(exercise.team.all()) == [world["listener"]]
    assert exercise.channels == [Channel.FACE_TO_FACE, Channel.LETTER]
    assert exercise.asked_by == "The people's panel"
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="listening.exercise", object_id=str(exercise.pk)
    ).exists()


def test_the_form_shows_what_was_typed_when_something_needs_changing(world, login):
    response = login(world["listener"]).post(
        "/listening/add/",
        {
            "organisation": world["home"].pk,
            "title": "Voices",
            "question": "What gets in the way?",
            "starts_on": "2026-04-30",
            "ends_on": "2026-03-01",
            "channels": [Channel.PHONE],
            "consent_script": "You can stop at any time.",
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "The end comes before the start." in page
    assert "What gets in the way?" in page
    assert not Exercise.objects.exists()


def test_a_listener_cannot_start_one_for_another_organisation(world, login):
    response = login(world["listener"]).post(
        "/listening/add/",
        {
            "organisation": world["other"].pk,
            "title": "Voices",
            "question": "Why?",
            "channels": [Channel.PHONE],
            "consent_script": "x",
        },
    )
    assert response.status_code == 200
    assert not Exercise.objects.exists()


def test_my_exercises_are_the_ones_whose_team_i_am_in(world, login):
    mine = _new(world, title="Mine")
    theirs = exercise_create(
        actor=staff(Role.LISTENER, world["home"]),
        organisation=world["home"],
        title="Not mine",
        question="Why?",
    )
    page = text_of(login(world["listener"]).get("/listening/"))
    assert "Mine" in page and "Not mine" not in page
    lead_page = text_of(login(world["lead"]).get("/listening/"))
    assert mine.title in lead_page and theirs.title in lead_page
    assert "you're not in the team" in lead_page


@pytest.mark.parametrize("who", ["coach", "commissioner", "convener", "assessor"])
def test_roles_that_do_not_listen_are_refused_and_audited(world, login, who):
    response = login(world[who]).get("/listening/")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=world[who], action=AuditAction.DENIED).exists()


def test_a_person_is_refused(world, login):
    assert login(world["sam"].user).get("/listening/").status_code == 403


def test_the_overview_counts_by_channel_and_place_and_shows_no_words(world, login):
    exercise = _new(world)
    _heard(world, exercise, "The bus never comes.", Channel.PHONE, "Oxford Street")
    _heard(world, exercise, "Nobody rang back.", Channel.PHONE, "Oxford Street")
    checked = _heard(world, exercise, "The library helped.", Channel.LETTER, "")
    contribution_review(actor=world["listener"], contribution=checked, decisions={}, extra_words=[])
    response = login(world["listener"]).get(f"/listening/{exercise.pk}/")
    assert response.status_code == 200
    page = _words(response)
    assert "3 contributions: 1 checked, 2 waiting" in page
    assert "Phone 2" in page
    assert "Letter 1" in page
    assert "Oxford Street 2" in page
    assert "Place not given 1" in page
    assert "The bus never comes." not in page
    body = response.content.decode()
    assert f'href="/listening/{exercise.pk}/add/"' in body
    assert f'href="/listening/{exercise.pk}/import/"' in body
    assert f'href="/listening/{exercise.pk}/contributions/?show=waiting"' in body


def test_a_lead_outside_the_team_sees_counts_but_no_way_in(world, login):
    exercise = _new(world)
    _heard(world, exercise, "The bus never comes.")
    response = login(world["lead"]).get(f"/listening/{exercise.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 contribution" in text_of(response)
    assert f"/listening/{exercise.pk}/contributions/" not in body
    assert f"/listening/{exercise.pk}/add/" not in body
    assert login(world["lead"]).get(f"/listening/{exercise.pk}/contributions/").status_code == 403


def test_the_team_and_names_to_take_out_are_changed_together(world, login):
    exercise = _new(world)
    teammate = staff(Role.LISTENER, world["home"])
    contribution = _heard(world, exercise, "the lad they call smiler kept my post for a year.")
    contribution_review(
        actor=world["listener"], contribution=contribution, decisions={}, extra_words=[]
    )
    client = login(world["listener"])
    response = client.post(
        f"/listening/{exercise.pk}/edit/",
        {
            "title": exercise.title,
            "question": exercise.question,
            "channels": [Channel.PHONE],
            "consent_script": "You can stop at any time.",
            "team": [world["listener"].pk, teammate.pk],
            "names_to_redact": "Smiler",
        },
    )
    assert response.status_code == 302
    assert set(exercise.team.all()) == {world["listener"], teammate}
    contribution.refresh_from_db()
    assert "smiler" not in contribution.redacted_text
    assert contribution.state == Contribution.State.DRAFT, "a new name means a new check"
    follow = client.get(f"/listening/{exercise.pk}/")
    assert "The new names were found in 1 contribution." in text_of(follow)


def test_only_listeners_and_leads_of_the_organisation_can_join_the_team(world):
    exercise = _new(world)
    other_listener = staff(Role.LISTENER, world["other"])
    exercise_update(
        actor=world["listener"],
        exercise=exercise,
        team=[world["listener"], world["coach"], other_listener, world["lead"]],
    )
    assert set(exercise.team.all()) == {world["listener"], world["lead"]}
    with pytest.raises(ValueError, match="at least one person"):
        exercise_update(actor=world["listener"], exercise=exercise, team=[world["coach"]])


def test_the_edit_page_offers_only_people_who_may_be_in_the_team(world, login):
    exercise = _new(world)
    body = login(world["listener"]).get(f"/listening/{exercise.pk}/edit/").content.decode()
    assert f'value="{world["lead"].pk}"' in body
    assert f'name="team" value="{world["coach"].pk}"' not in body


def test_the_themes_link_appears_once_the_themes_page_exists(world, login):
    from django.urls import NoReverseMatch, reverse

    exercise = _new(world)
    body = login(world["listener"]).get(f"/listening/{exercise.pk}/").content.decode()
    try:
        themes = reverse("listening:themes", args=[exercise.pk])
    except NoReverseMatch:
        assert ">Themes<" not in body
    else:
        assert f'href="{themes}"' in body

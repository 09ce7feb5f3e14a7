"""Asking to correct what a coach wrote: the coach sees the request, both versions are kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from alongside.coaching.models import Conversation, CorrectionRequest, Goal, Strength
from alongside.coaching.services.corrections import correction_ask, correction_decide
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of


@pytest.fixture
def talk(world):
    return Conversation.objects.create(
        person=world["sam"], notes="Sam was late again.", written_by=world["coach"]
    )


def ask(client, talk, words="The bus was late, so I was late."):
    return client.post(
        f"/me/correct/conversation/{talk.pk}/notes/",
        {"asked_for": words, "why": "It was the bus"},
    )


def test_the_person_asks_and_the_coach_accepts(world, login, talk):
    sam, coach = world["sam"], world["coach"]
    page = text_of(login(sam.user).get(f"/me/correct/conversation/{talk.pk}/notes/"))
    assert "Sam was late again." in page
    assert ask(login(sam.user), talk).status_code == 302
    correction = CorrectionRequest.objects.get(person=sam)
    assert correction.as_written == "Sam was late again."
    assert correction.status == CorrectionRequest.Status.ASKED
    home = text_of(login(sam.user).get("/me/"))
    assert "Your coach has not answered yet" in home

    url = f"/me/corrections/{correction.pk}/decide/"
    person_page = login(coach).get(f"/people/{sam.pk}/").content.decode()
    assert "Sam asked to change something" in person_page and url in person_page
    coach_page = text_of(login(coach).get(url))
    assert "Sam was late again." in coach_page and "The bus was late" in coach_page
    response = login(coach).post(url, {"accept": "yes", "reply": "Sorry, changed."})
    assert response.status_code == 302
    talk.refresh_from_db()
    correction.refresh_from_db()
    assert talk.notes == "The bus was late, so I was late."
    assert talk.version == 2
    assert correction.status == CorrectionRequest.Status.CHANGED
    assert correction.as_written == "Sam was late again."  # the first version is kept
    everything = text_of(login(sam.user).get("/me/record/"))
    assert "Sam was late again." in everything and "The bus was late" in everything
    assert "Changed as you asked" in everything
    assert "asked to change something" not in text_of(login(coach).get(f"/people/{sam.pk}/"))
    entry = AuditEntry.objects.filter(actor=coach, action=AuditAction.CHANGE).last()
    assert "late" not in entry.detail  # no free text in the audit


def test_the_coach_keeps_it_with_a_reason(world, login, talk):
    ask(login(world["sam"].user), talk)
    correction = CorrectionRequest.objects.get()
    url = f"/me/corrections/{correction.pk}/decide/"
    response = login(world["coach"]).post(url, {"accept": "no", "reply": ""})
    assert response.status_code == 200  # a reason is needed; nothing saved
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.ASKED
    login(world["coach"]).post(url, {"accept": "no", "reply": "That is what we agreed."})
    correction.refresh_from_db()
    talk.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.NOT_CHANGED
    assert talk.notes == "Sam was late again."
    assert "That is what we agreed." in text_of(login(world["sam"].user).get("/me/record/"))


def test_goal_and_strength_words_can_be_corrected(world):
    sam, coach = world["sam"], world["coach"]
    goal = Goal.objects.create(person=sam, words="stop drinking", suggested_by=coach)
    strength = Strength.objects.create(
        person=sam, kind="skill", words="ok at maths", added_by=coach
    )
    for about_type, obj, words in [
        ("goal", goal, "have more good days"),
        ("strength", strength, "great at maths"),
    ]:
        c = correction_ask(
            actor=sam.user,
            person=sam,
            about_type=about_type,
            about_id=obj.pk,
            field_name="words",
            asked_for=words,
        )
        correction_decide(actor=coach, correction=c, accept=True, reply="")
        obj.refresh_from_db()
        assert obj.words == words


def test_nobody_else_can_ask_or_decide(world, login, talk):
    sam, coach = world["sam"], world["coach"]
    # Another person cannot ask about Sam's notes, by URL or by id.
    assert ask(login(world["alex"].user), talk).status_code == 404
    assert ask(login(world["jo"].user), talk).status_code == 404
    # Staff cannot ask as if they were the person.
    with pytest.raises(PermissionDenied):
        correction_ask(
            actor=coach,
            person=sam,
            about_type="conversation",
            about_id=talk.pk,
            field_name="notes",
            asked_for="x",
        )
    assert (
        login(coach)
        .post(f"/me/correct/conversation/{talk.pk}/notes/", {"asked_for": "x"})
        .status_code
        == 403
    )
    # Unsupported fields are not offered.
    assert login(sam.user).get(f"/me/correct/conversation/{talk.pk}/written_by/").status_code == 404
    ask(login(sam.user), talk)
    correction = CorrectionRequest.objects.get()
    url = f"/me/corrections/{correction.pk}/decide/"
    for key in ["other_coach", "other_lead", "commissioner", "convener"]:
        assert login(world[key]).get(url).status_code == 403, key
        assert login(world[key]).post(url, {"accept": "yes"}).status_code == 403, key
    # The person cannot decide their own request.
    assert login(sam.user).post(url, {"accept": "yes"}).status_code == 403
    assert login(world["alex"].user).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        correction_decide(actor=sam.user, correction=correction, accept=True)
    talk.refresh_from_db()
    assert talk.notes == "Sam was late again."
    # The organisation's lead may decide.
    assert login(world["lead"]).post(url, {"accept": "yes"}).status_code == 302
    talk.refresh_from_db()
    assert talk.notes.startswith("The bus was late")


def test_a_decided_request_cannot_be_decided_again(world, login, talk):
    ask(login(world["sam"].user), talk)
    correction = CorrectionRequest.objects.get()
    correction_decide(actor=world["coach"], correction=correction, accept=False, reply="No")
    with pytest.raises(ValueError):
        correction_decide(actor=world["coach"], correction=correction, accept=True)

"""Asking to correct what a coach wrote: the coach sees the request, both versions are kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from alongside.coaching.models import Conversation, CorrectionRequest, Goal, Strength
from alongside.coaching.services.corrections import (
    CorrectionAlreadyDecidedError,
    correction_ask,
    correction_decide,
)
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


def test_a_second_decision_on_a_stale_request_is_refused_and_changes_nothing(world, talk):
    sam, coach, lead = world["sam"], world["coach"], world["lead"]
    asked = correction_ask(
        actor=sam.user,
        person=sam,
        about_type="conversation",
        about_id=talk.pk,
        field_name="notes",
        asked_for="The bus was late, so I was late.",
    )
    stale = CorrectionRequest.objects.select_related("person").get(pk=asked.pk)
    correction_decide(actor=coach, correction=asked, accept=True, reply="Changed.")
    with pytest.raises(CorrectionAlreadyDecidedError) as refused:
        correction_decide(actor=lead, correction=stale, accept=False, reply="No, keep it.")
    first = refused.value.correction
    assert (first.status, first.decided_by, first.reply) == (
        CorrectionRequest.Status.CHANGED,
        coach,
        "Changed.",
    )
    asked.refresh_from_db()
    talk.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.reply) == (
        CorrectionRequest.Status.CHANGED,
        coach,
        "Changed.",
    )
    assert talk.notes == "The bus was late, so I was late." and talk.version == 2
    assert not AuditEntry.objects.filter(actor=lead, action=AuditAction.CHANGE).exists()


def test_deciding_at_the_same_moment_shows_an_already_decided_page(world, login, talk, monkeypatch):
    """The lead's page loaded while the request was still open; the coach's answer is saved
    between that and the lead's own save (as when both press Save at once)."""
    from alongside.coaching import forms_me

    sam, coach, lead = world["sam"], world["coach"], world["lead"]
    ask(login(sam.user), talk)
    correction = CorrectionRequest.objects.get()
    url = f"/me/corrections/{correction.pk}/decide/"
    is_valid = forms_me.DecideCorrectionForm.is_valid

    def coach_answers_first(form):
        monkeypatch.setattr(forms_me.DecideCorrectionForm, "is_valid", is_valid)
        mine = CorrectionRequest.objects.select_related("person").get(pk=correction.pk)
        correction_decide(actor=coach, correction=mine, accept=True, reply="Sorry, changed.")
        return is_valid(form)

    monkeypatch.setattr(forms_me.DecideCorrectionForm, "is_valid", coach_answers_first)
    response = login(lead).post(url, {"accept": "no", "reply": "That is what we agreed."})
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone has already answered this" in page
    assert coach.username in page and "changed as Sam asked" in page
    assert "Sorry, changed." in page and "Your answer was not saved" in page
    assert f'href="{url}"' in response.content.decode()
    assert f'href="/people/{sam.pk}/"' in response.content.decode()
    correction.refresh_from_db()
    talk.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.CHANGED
    assert correction.decided_by == coach and correction.reply == "Sorry, changed."
    assert talk.notes == "The bus was late, so I was late."

    # Posting again later, once the page knows it is decided, says the same.
    again = login(lead).post(url, {"accept": "no", "reply": "Still no."})
    assert again.status_code == 409 and "Someone has already answered this" in text_of(again)
    correction.refresh_from_db()
    assert correction.reply == "Sorry, changed."

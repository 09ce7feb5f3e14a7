"""Conversations: written up with the person, always visible to them, never overwritten."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alongside.coaching.models import Conversation, Goal, LanguagePromptEvent
from alongside.coaching.services.conversations import (
    ConversationConflictError,
    conversation_create,
    conversation_update,
)
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def _add_url(person) -> str:
    return f"/people/{person.pk}/conversations/add/"


def _conversation(world, **extra) -> Conversation:
    fields = {"happened_on": date(2026, 3, 2), "place": "The park café", "notes": "We walked."}
    fields.update(extra)
    return conversation_create(actor=world["coach"], person=world["sam"], **fields)


def test_the_form_says_there_are_no_private_notes(world, login):
    response = login(world["coach"]).get(_add_url(world["sam"]))
    assert response.status_code == 200
    assert "There are no private notes" in text_of(response)


def test_coach_writes_up_a_conversation_linked_to_a_goal(world, login):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="Get my bike licence")
    response = login(world["coach"]).post(
        _add_url(sam),
        {
            "happened_on": "2026-03-02",
            "place": "The park café",
            "notes": "We talked about the bike shop.",
            "reflection": "Felt good to plan.",
            "goals": [goal.pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{sam.pk}/"
    conversation = Conversation.objects.get(person=sam)
    assert conversation.place == "The park café"
    assert conversation.written_by == world["coach"]
    assert conversation.relationship.coach == world["coach"]
    assert list(conversation.goals.all()) == [goal]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(conversation.pk))
    assert entry.person_id == sam.pk
    assert "bike" not in entry.detail

    page = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "We talked about the bike shop." in page
    assert "Felt good to plan." in page


def test_the_person_can_read_and_write_their_own_conversations(world, login):
    sam = world["sam"]
    _conversation(world, notes="Talked about the allotment.")
    client = login(sam.user)
    assert "Talked about the allotment." in text_of(client.get(f"/people/{sam.pk}/"))
    response = client.post(_add_url(sam), {"happened_on": "2026-03-03", "notes": "My turn."})
    assert response.status_code == 302
    assert Conversation.objects.filter(person=sam, written_by=sam.user).exists()


def test_bad_input_reshows_what_was_typed_and_writes_nothing(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        _add_url(sam), {"happened_on": "not a date", "place": "Library steps", "notes": "Hello"}
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Something needs changing" in body
    assert 'value="Library steps"' in body and "Hello" in body
    assert not Conversation.objects.exists()


def test_a_goal_of_someone_else_cannot_be_linked(world, login):
    sam, alex = world["sam"], world["alex"]
    theirs = Goal.objects.create(person=alex, words="Alex's goal")
    response = login(world["coach"]).post(
        _add_url(sam), {"happened_on": "2026-03-02", "notes": "x", "goals": [theirs.pk]}
    )
    assert response.status_code == 200
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "alex", "commissioner"])
def test_others_are_refused_and_audited(world, login, who):
    sam = world["sam"]
    user = world[who].user if who == "alex" else world[who]
    existing = _conversation(world)
    client = login(user)
    for url in (_add_url(sam), f"/people/{sam.pk}/conversations/{existing.pk}/edit/"):
        assert client.get(url).status_code == 403
        response = client.post(url, {"happened_on": "2026-03-02", "notes": "sneaky", "version": 1})
        assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 4
    assert Conversation.objects.count() == 1
    assert not Conversation.objects.filter(notes="sneaky").exists()


def test_service_refuses_and_audits_outside_the_transaction(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        conversation_create(
            actor=world["other_coach"], person=world["sam"], happened_on=date(2026, 1, 1)
        )
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=world["sam"].pk).exists()


def test_edit_saves_and_moves_the_version_on(world, login):
    sam = world["sam"]
    conversation = _conversation(world)
    url = f"/people/{sam.pk}/conversations/{conversation.pk}/edit/"
    client = login(world["coach"])
    form = text_of(client.get(url))
    assert 'name="version" value="1"' in form
    response = client.post(
        url, {"happened_on": "2026-03-02", "notes": "We walked far.", "version": 1}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "We walked far."
    assert conversation.version == 2
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE, object_id=str(conversation.pk)
    ).exists()


def test_concurrent_edit_never_overwrites_silently(world, login):
    sam = world["sam"]
    conversation = _conversation(world, notes="Original")
    url = f"/people/{sam.pk}/conversations/{conversation.pk}/edit/"
    # The person saves first, from version 1.
    assert (
        login(sam.user)
        .post(url, {"happened_on": "2026-03-02", "notes": "Sam's words", "version": 1})
        .status_code
        == 302
    )
    # The coach started from version 1 too.
    response = login(world["coach"]).post(
        url, {"happened_on": "2026-03-02", "notes": "Coach's words", "version": 1}
    )
    assert response.status_code == 409
    body = text_of(response)
    assert "Someone else changed this note while you were editing" in body
    assert "Here is their version and yours" in body
    assert "Sam's words" in body and "Coach's words" in body
    assert 'name="version" value="2"' in body
    conversation.refresh_from_db()
    assert conversation.notes == "Sam's words"
    # Saving again from their version knowingly replaces it.
    response = login(world["coach"]).post(
        url, {"happened_on": "2026-03-02", "notes": "Both of ours", "version": 2}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "Both of ours" and conversation.version == 3


def test_the_service_refuses_a_stale_version(world):
    conversation = _conversation(world)
    with pytest.raises(ConversationConflictError) as raised:
        conversation_update(
            actor=world["coach"],
            conversation=conversation,
            version=7,
            happened_on=date(2026, 1, 1),
            notes="x",
        )
    assert raised.value.current.notes == "We walked."
    conversation.refresh_from_db()
    assert conversation.notes == "We walked." and conversation.version == 1


def test_the_language_prompt_offers_kinder_words_and_lets_the_coach_keep_theirs(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    typed = {"happened_on": "2026-03-02", "notes": "Sam failed to attend on Monday."}
    response = client.post(_add_url(sam), typed)
    assert response.status_code == 200
    body = text_of(response)
    assert "didn't come: what got in the way?" in body
    assert "Change my words" in body and "Keep my words and save" in body
    assert "Sam failed to attend on Monday." in body
    assert not Conversation.objects.exists()
    event = LanguagePromptEvent.objects.get()
    assert event.phrase == "failed to attend" and not event.kept_words
    assert event.organisation == world["home"]

    token = response.context["prompt"]["token"]
    response = client.post(_add_url(sam), {**typed, "keep_words": "1", "prompt_token": token})
    assert response.status_code == 302
    assert Conversation.objects.get().notes == "Sam failed to attend on Monday."
    assert LanguagePromptEvent.objects.get().kept_words is True


def test_changing_the_words_saves_without_a_second_prompt(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    client.post(_add_url(sam), {"happened_on": "2026-03-02", "reflection": "I was so chaotic"})
    response = client.post(
        _add_url(sam), {"happened_on": "2026-03-02", "reflection": "I had a lot going on"}
    )
    assert response.status_code == 302
    event = LanguagePromptEvent.objects.get()
    assert event.phrase == "chaotic" and not event.kept_words


def test_the_prompt_also_fires_on_an_edit_and_keeps_the_version(world, login):
    sam = world["sam"]
    conversation = _conversation(world)
    url = f"/people/{sam.pk}/conversations/{conversation.pk}/edit/"
    client = login(world["coach"])
    typed = {"happened_on": "2026-03-02", "notes": "Sam seemed in denial", "version": 1}
    response = client.post(url, typed)
    assert response.status_code == 200
    body = text_of(response)
    assert "not ready to talk about it yet" in body and 'name="version" value="1"' in body
    conversation.refresh_from_db()
    assert conversation.notes == "We walked."
    token = response.context["prompt"]["token"]
    response = client.post(url, {**typed, "keep_words": "1", "prompt_token": token})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.notes == "Sam seemed in denial" and conversation.version == 2
    assert LanguagePromptEvent.objects.get().kept_words


# --- last in touch, the next meeting, notes and goals in words (issue 12) -------------------


def _relationship(world):
    return world["sam"].relationships.get(coach=world["coach"])


def test_the_goals_are_listed_in_their_own_words(world, login):
    goal = Goal.objects.create(person=world["sam"], words="Get my bike licence")
    body = text_of(login(world["coach"]).get(_add_url(world["sam"])))
    assert 'for="id_goals_0">Get my bike licence</label>' in body
    assert "Goal object" not in body
    assert goal.pk


def test_saving_a_conversation_moves_last_in_touch_on_and_sets_the_next_meeting(world, login):
    from django.utils import timezone

    sam = world["sam"]
    today = timezone.localdate()
    rel = _relationship(world)
    rel.last_contact_on = today - timedelta(weeks=10)
    rel.save()
    form = text_of(login(world["coach"]).get(_add_url(sam)))
    assert "When do you next meet? (optional)" in form
    next_meeting = today + timedelta(days=9)
    response = login(world["coach"]).post(
        _add_url(sam),
        {
            "happened_on": today.isoformat(),
            "notes": "Walked by the river.",
            "next_meeting_on": next_meeting.isoformat(),
        },
        follow=True,
    )
    rel.refresh_from_db()
    assert rel.last_contact_on == today and rel.next_meeting_on == next_meeting
    said = text_of(response)
    assert "Conversation saved. Last in touch:" in said and "Next meeting:" in said
    entry = AuditEntry.objects.filter(object_type="coaching.relationship").latest("id")
    assert entry.action == AuditAction.CHANGE and entry.object_id == str(rel.pk)
    # The keep-in-touch prompt on the coach's home is gone.
    assert "keep in touch with" not in text_of(login(world["coach"]).get("/"))


def test_last_in_touch_never_moves_back_or_into_the_future(world):
    from django.utils import timezone

    today = timezone.localdate()
    rel = _relationship(world)
    rel.last_contact_on = today - timedelta(days=2)
    rel.save()
    _conversation(world, happened_on=today - timedelta(days=30))
    rel.refresh_from_db()
    assert rel.last_contact_on == today - timedelta(days=2)
    _conversation(world, happened_on=today + timedelta(days=3))
    rel.refresh_from_db()
    assert rel.last_contact_on == today - timedelta(days=2)


def test_a_planned_meeting_that_happened_is_cleared_unless_a_new_one_is_given(world):
    from django.utils import timezone

    today = timezone.localdate()
    rel = _relationship(world)
    rel.next_meeting_on = today
    rel.save()
    _conversation(world, happened_on=today)
    rel.refresh_from_db()
    assert rel.next_meeting_on is None and rel.last_contact_on == today
    rel.next_meeting_on = today + timedelta(days=14)
    rel.save()
    _conversation(world, happened_on=today)  # an extra talk: the planned one still stands
    rel.refresh_from_db()
    assert rel.next_meeting_on == today + timedelta(days=14)


def test_an_edit_to_a_later_day_moves_last_in_touch_on(world, login):
    from django.utils import timezone

    today = timezone.localdate()
    conversation = _conversation(world, happened_on=today - timedelta(days=10))
    rel = _relationship(world)
    assert rel.last_contact_on == today - timedelta(days=10)
    conversation_update(
        actor=world["coach"],
        conversation=conversation,
        version=conversation.version,
        happened_on=today - timedelta(days=1),
        notes="We walked.",
    )
    rel.refresh_from_db()
    assert rel.last_contact_on == today - timedelta(days=1)


def test_the_next_meeting_cannot_come_before_the_meeting(world, login):
    rel = _relationship(world)
    response = login(world["coach"]).post(
        _add_url(world["sam"]),
        {"happened_on": "2026-03-10", "notes": "Hello", "next_meeting_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "Choose a day on or after the day you met." in text_of(response)
    assert not Conversation.objects.exists()
    rel.refresh_from_db()
    assert rel.next_meeting_on is None


def test_no_next_meeting_for_someone_without_a_relationship(world, login):
    sam = world["sam"]
    assert "When do you next meet?" not in text_of(login(sam.user).get(_add_url(sam)))
    assert "When do you next meet?" not in text_of(login(world["lead"]).get(_add_url(sam)))
    response = login(sam.user).post(
        _add_url(sam),
        {"happened_on": "2026-03-03", "notes": "Mine", "next_meeting_on": "2026-04-01"},
    )
    assert response.status_code == 302
    rel = _relationship(world)
    assert rel.next_meeting_on is None and rel.last_contact_on is None


def test_send_a_note_keeps_in_touch_and_the_person_reads_it(world, login):
    from django.utils import timezone

    sam = world["sam"]
    page = text_of(login(world["coach"]).get(_add_url(sam) + "?note=1"))
    assert "Send Sam a note" in page and "Your note" in page
    assert "When do you next meet?" not in page
    today = timezone.localdate().isoformat()
    response = login(world["coach"]).post(
        _add_url(sam),
        {"note": "1", "happened_on": today, "place": "A note", "notes": "Thinking of you."},
        follow=True,
    )
    assert "Note saved: Sam can read it in their own space." in text_of(response)
    note = Conversation.objects.get(person=sam)
    assert note.place == "A note" and note.notes == "Thinking of you."
    assert _relationship(world).last_contact_on == timezone.localdate()
    assert "Thinking of you." in text_of(login(sam.user).get("/me/record/"))

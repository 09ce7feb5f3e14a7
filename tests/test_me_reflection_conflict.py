"""A person's thoughts on a talk are never lost when their coach saves the talk meanwhile."""

from __future__ import annotations

from datetime import date

import pytest

from alongside.coaching.models import Conversation
from alongside.coaching.services.conversations import conversation_update

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_the_coach_saving_first_gives_the_conflict_page_with_the_persons_words(world, login):
    sam, coach = world["sam"], world["coach"]
    talk = Conversation.objects.create(
        person=sam, happened_on=date(2026, 11, 2), notes="We walked.", written_by=coach
    )
    person = login(sam.user)
    form_page = text_of(person.get(f"/me/talks/{talk.pk}/my-thoughts/"))
    assert 'name="version"' in form_page and 'value="1"' in form_page

    # The coach saves the talk while Sam is still typing.
    conversation_update(
        actor=coach,
        conversation=talk,
        version=1,
        happened_on=talk.happened_on,
        notes="We walked by the river.",
    )
    response = person.post(
        f"/me/talks/{talk.pk}/my-thoughts/", {"reflection": "It helped to talk", "version": "1"}
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "changed while you were writing" in page
    assert "It helped to talk" in page  # their words are kept in the form
    talk.refresh_from_db()
    assert talk.notes == "We walked by the river." and talk.reflection == ""

    # Saving again from the conflict page keeps both.
    again = person.post(
        f"/me/talks/{talk.pk}/my-thoughts/", {"reflection": "It helped to talk", "version": "2"}
    )
    assert again.status_code == 302
    talk.refresh_from_db()
    assert talk.notes == "We walked by the river." and talk.reflection == "It helped to talk"

"""Consent is a history of choices: each one appended, none changed or removed."""

import pytest

from alongside.coaching.models import ConsentEvent
from alongside.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_a_choice_cannot_be_edited_or_deleted(world):
    event = ConsentEvent.objects.create(
        person=world["sam"], choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
    )
    event.given = False
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(given=False)
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).delete()
    assert ConsentEvent.objects.get(pk=event.pk).given is True


def test_withdrawing_is_a_new_event(world):
    sam = world["sam"]
    ConsentEvent.objects.create(person=sam, choice="share_barriers", given=True)
    ConsentEvent.objects.create(person=sam, choice="share_barriers", given=False)
    latest = ConsentEvent.objects.filter(person=sam, choice="share_barriers").last()
    assert latest.given is False
    assert ConsentEvent.objects.filter(person=sam).count() == 2

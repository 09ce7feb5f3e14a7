"""Capturing a contribution on a phone in under a minute: one page, details taken out at
once, "Save and add another", and edits that never silently overwrite someone else's."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Channel, Contribution, Redaction
from alongside.listening.services.contributions import (
    ContributionConflictError,
    ContributionFields,
    contribution_create,
    contribution_update,
)
from alongside.listening.services.exercises import exercise_create

from .factories import staff, text_of

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"


@pytest.fixture
def exercise(world):
    made = exercise_create(
        actor=world["listener"],
        organisation=world["home"],
        title="Voices from the bus station",
        question="What's it like when you need help here?",
        channels=[Channel.FACE_TO_FACE, Channel.PHONE, Channel.WHATSAPP],
        consent_script="You can stop at any time.",
        names_to_redact="Gary",
    )
    return made


@pytest.fixture
def teammate(world, exercise):
    user = staff(Role.LISTENER, world["home"])
    exercise.team.add(user)
    return user


def _add_url(exercise) -> str:
    return f"/listening/{exercise.pk}/add/"


def _post(**extra) -> dict[str, str]:
    data = {
        "channel": Channel.FACE_TO_FACE,
        "place": "Oxford Street",
        "heard_on": "2026-03-02",
        "text": f"Gary rang me on {PHONE} and that was the first time anyone rang back.",
        "credit": "named",
        "credit_name": "Sam",
        "credit_place": "Oxford Street",
        "consent_to_quote": "yes",
        "content_warnings": "",
    }
    data.update(extra)
    return data


def test_the_page_is_one_form_with_the_consent_script_and_todays_date(world, login, exercise):
    response = login(world["listener"]).get(_add_url(exercise))
    assert response.status_code == 200
    body = response.content.decode()
    assert "You can stop at any time." in text_of(response)
    assert f'value="{timezone.localdate().isoformat()}"' in body
    # Only the channels this exercise uses are offered, as radio buttons.
    assert body.count('type="radio" name="channel"') == 3
    assert 'value="letter"' not in body
    assert "Save and add another" in body


def test_saving_takes_out_the_phone_number_and_name_before_anyone_else_sees_it(
    world, login, exercise
):
    response = login(world["listener"]).post(_add_url(exercise), _post())
    contribution = Contribution.objects.get(exercise=exercise)
    assert response.status_code == 302
    assert response["Location"] == f"/listening/{exercise.pk}/contributions/{contribution.pk}/"
    assert contribution.captured_by == world["listener"]
    assert contribution.state == Contribution.State.DRAFT
    assert PHONE in contribution.text
    assert PHONE not in contribution.redacted_text
    assert "Gary" not in contribution.redacted_text
    assert "first time anyone rang back" in contribution.redacted_text
    labels = sorted(contribution.redactions.values_list("label", flat=True))
    assert labels == ["name", "phone"]
    assert set(contribution.redactions.values_list("decision", flat=True)) == {
        Redaction.Decision.SUGGESTED
    }
    assert contribution.credit_line == "Sam, Oxford Street"
    assert contribution.consent_to_quote is True
    assert not contribution.quotable, "a quote cannot leave draft until it is checked"
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE,
        object_type="listening.contribution",
        object_id=str(contribution.pk),
    )
    assert entry.organisation_id == world["home"].pk
    assert PHONE not in entry.detail and "Gary" not in entry.detail


def test_save_and_add_another_starts_the_next_one_from_the_same_channel_and_place(
    world, login, exercise
):
    client = login(world["listener"])
    response = client.post(
        _add_url(exercise), _post(channel=Channel.WHATSAPP, place="Canal Street", another="1")
    )
    assert response.status_code == 302
    assert response["Location"] == _add_url(exercise)
    following = client.get(_add_url(exercise))
    body = following.content.decode()
    assert "Ready for the next one" in text_of(following)
    assert 'value="Canal Street"' in body
    checked = re.findall(r'<input type="radio" name="channel" value="(\w+)"[^>]*checked', body)
    assert checked == ["whatsapp"]
    assert 'name="text"' in body and "first time anyone rang back" not in body


def test_anonymous_credit_keeps_no_name(world, login, exercise):
    login(world["listener"]).post(
        _add_url(exercise), _post(credit="anonymous", credit_name="Sam", credit_place="Leeds")
    )
    contribution = Contribution.objects.get()
    assert (contribution.credit_name, contribution.credit_place) == ("", "")
    assert contribution.credit_line == "Anonymous"


def test_mistakes_are_named_and_what_was_typed_is_kept(world, login, exercise):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = login(world["listener"]).post(
        _add_url(exercise),
        _post(credit_name="", heard_on=tomorrow, text="The bus never comes on a Sunday."),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Write the name they chose, or choose anonymous." in page
    assert "That date hasn't happened yet." in page
    assert "The bus never comes on a Sunday." in page
    assert not Contribution.objects.exists()


def test_consent_must_be_answered(world, login, exercise):
    data = _post()
    del data["consent_to_quote"]
    response = login(world["listener"]).post(_add_url(exercise), data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_channel_the_exercise_does_not_use_is_refused(world, login, exercise):
    response = login(world["listener"]).post(_add_url(exercise), _post(channel=Channel.LETTER))
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_someone_outside_the_team_cannot_capture(world, login, exercise):
    outsider = staff(Role.LISTENER, world["home"])
    response = login(outsider).post(_add_url(exercise), _post())
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    assert AuditEntry.objects.filter(actor=outsider, action=AuditAction.DENIED).exists()


def _saved(world, exercise) -> Contribution:
    return contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(
            channel=Channel.PHONE,
            text=f"Call me on {PHONE}. The hostel was kind.",
            place="Canal Street",
        ),
    )


def test_a_teammate_changes_details_but_never_sees_or_changes_the_words(
    world, login, exercise, teammate
):
    contribution = _saved(world, exercise)
    client = login(teammate)
    form = client.get(f"/listening/{exercise.pk}/contributions/{contribution.pk}/edit/")
    assert form.status_code == 200
    assert 'name="text"' not in form.content.decode()
    assert PHONE not in form.content.decode()
    response = client.post(
        f"/listening/{exercise.pk}/contributions/{contribution.pk}/edit/",
        _post(
            channel=Channel.PHONE,
            place="Market Square",
            text="I replaced the words",
            version=str(contribution.version),
        ),
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.place == "Market Square"
    assert contribution.text == f"Call me on {PHONE}. The hostel was kind."
    with pytest.raises(PermissionDenied):
        contribution_update(
            actor=teammate,
            contribution=contribution,
            fields=ContributionFields(channel=Channel.PHONE, text="new words"),
            version=contribution.version,
        )


def test_the_listener_changes_the_words_and_they_are_checked_again(world, exercise):
    contribution = _saved(world, exercise)
    contribution.redactions.update(decision=Redaction.Decision.REMOVE)
    Contribution.objects.filter(pk=contribution.pk).update(state=Contribution.State.REVIEWED)
    contribution.refresh_from_db()
    contribution_update(
        actor=world["listener"],
        contribution=contribution,
        fields=ContributionFields(channel=Channel.PHONE, text="Gary was kind. Ring 07700 900456."),
        version=contribution.version,
    )
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.DRAFT
    assert contribution.redacted_text == "[name] was kind. Ring [phone]."
    assert contribution.redactions.count() == 2


def test_an_edit_from_an_old_version_is_not_saved_and_says_so(world, login, exercise, teammate):
    contribution = _saved(world, exercise)
    url = f"/listening/{exercise.pk}/contributions/{contribution.pk}/edit/"
    old_version = contribution.version
    login(teammate).post(url, _post(channel=Channel.PHONE, place="Queensway", version=old_version))
    response = login(world["listener"]).post(
        url, _post(channel=Channel.PHONE, place="Riverside", version=old_version)
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else changed this contribution while you were editing" in page
    assert "Queensway" in page and 'value="Riverside"' in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.place == "Queensway"
    with pytest.raises(ContributionConflictError):
        contribution_update(
            actor=world["listener"],
            contribution=contribution,
            fields=ContributionFields(channel=Channel.PHONE, text=contribution.text),
            version=old_version,
        )


def test_leaving_the_organisation_ends_capture_even_if_still_listed_in_the_team(world, exercise):
    Membership.objects.filter(user=world["listener"]).delete()
    world["listener"].__dict__.pop("_alongside_held", None)
    with pytest.raises(PermissionDenied):
        _saved(world, exercise)

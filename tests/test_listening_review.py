"""Anonymous by default (DESIGN.md principle 8): the words as heard stay with the listener
who heard them; the team reads them with identifying details taken out; a person checks
each one before it can be quoted; nobody outside the team reads anything."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Channel, Contribution, Redaction
from alongside.listening.services.contributions import (
    ContributionConflictError,
    ContributionFields,
    WordsNotFoundError,
    contribution_create,
    contribution_review,
)
from alongside.listening.services.exercises import exercise_create

from .factories import staff, text_of

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
WORDS = f"Ring Gary on {PHONE}, he's at the Blue Door hostel. Nobody else rang back."


@pytest.fixture
def exercise(world):
    return exercise_create(
        actor=world["listener"],
        organisation=world["home"],
        title="Voices",
        question="What's it like when you need help here?",
        names_to_redact="Gary",
    )


@pytest.fixture
def teammate(world, exercise):
    user = staff(Role.LISTENER, world["home"])
    exercise.team.add(user)
    return user


@pytest.fixture
def contribution(world, exercise):
    return contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text=WORDS, consent_to_quote=True),
    )


def _url(contribution, part: str = "") -> str:
    return f"/listening/{contribution.exercise_id}/contributions/{contribution.pk}/{part}"


def _views(contribution, detail: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.VIEW,
            object_type="listening.contribution",
            object_id=str(contribution.pk),
            detail__endswith=detail,
        )
    )


def test_a_planted_phone_number_is_not_in_the_redacted_text(contribution):
    assert PHONE not in contribution.redacted_text
    assert "Gary" not in contribution.redacted_text
    assert "[phone]" in contribution.redacted_text
    assert "Nobody else rang back." in contribution.redacted_text


def test_only_the_listener_who_heard_it_sees_the_original(world, login, contribution, teammate):
    mine = login(world["listener"]).get(_url(contribution))
    assert mine.status_code == 200
    assert PHONE in text_of(mine)
    assert len(_views(contribution, "original")) == 1

    theirs = login(teammate).get(_url(contribution))
    assert theirs.status_code == 200
    page = text_of(theirs)
    assert PHONE not in page and "Gary" not in page
    assert "[phone]" in page and "Nobody else rang back." in page
    assert len(_views(contribution, "redacted")) == 1


@pytest.mark.parametrize("who", ["outside_listener", "other_listener", "coach", "commissioner"])
def test_outsiders_are_refused_and_the_refusal_is_audited(world, login, contribution, who):
    users = {
        "outside_listener": lambda: staff(Role.LISTENER, world["home"]),
        "other_listener": lambda: staff(Role.LISTENER, world["other"]),
        "coach": lambda: world["coach"],
        "commissioner": lambda: world["commissioner"],
    }
    user = users[who]()
    for part in ("", "review/", "edit/"):
        response = login(user).get(_url(contribution, part))
        assert response.status_code == 403
        assert PHONE not in text_of(response) and "rang back" not in text_of(response)
    denied = AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED)
    assert denied.count() == 3
    assert all(entry.object_id == str(contribution.pk) for entry in denied)


def test_a_lead_outside_the_team_reads_no_contribution(world, login, contribution):
    response = login(world["lead"]).get(_url(contribution))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=world["lead"], action=AuditAction.DENIED).exists()


def test_a_contribution_under_the_wrong_exercise_is_not_found(world, login, contribution):
    other = exercise_create(
        actor=world["listener"], organisation=world["home"], title="Other", question="Why?"
    )
    url = f"/listening/{other.pk}/contributions/{contribution.pk}/"
    assert login(world["listener"]).get(url).status_code == 404
    assert login(world["listener"]).get("/listening/999999/contributions/1/").status_code == 404


def test_the_listener_reviews_with_the_words_highlighted(world, login, contribution):
    response = login(world["listener"]).get(_url(contribution, "review/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<mark class="redaction redaction-suggested">{PHONE}</mark>' in body
    assert 'data-pick-into="id_extra_words"' in body
    assert "pick-words.js" in body


def test_a_teammate_reviews_with_the_suggested_parts_already_masked(login, contribution, teammate):
    response = login(teammate).get(_url(contribution, "review/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert PHONE not in body and "Gary" not in body
    assert "redaction-masked" in body
    assert "pick-words.js" not in body


def _decisions(contribution, **by_label) -> dict[str, str]:
    return {
        f"decision_{row.pk}": by_label.get(row.label, "remove")
        for row in contribution.redactions.all()
    }


def test_checking_keeps_what_a_person_keeps_and_marks_it_checked(world, login, contribution):
    data = {"version": contribution.version, "finish": "1", **_decisions(contribution, name="keep")}
    response = login(world["listener"]).post(_url(contribution, "review/"), data)
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.REVIEWED
    assert contribution.reviewed_by == world["listener"]
    assert contribution.quotable
    assert "Gary" in contribution.redacted_text
    assert PHONE not in contribution.redacted_text
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="listening.contribution")
    assert entry.detail == "contribution checked: 1 removed, 1 kept"


def test_checked_with_nothing_decided_removes_every_suggestion(world, contribution):
    contribution_review(
        actor=world["listener"], contribution=contribution, decisions={}, extra_words=[]
    )
    assert set(contribution.redactions.values_list("decision", flat=True)) == {
        Redaction.Decision.REMOVE
    }
    assert PHONE not in contribution.redacted_text
    assert contribution.state == Contribution.State.REVIEWED


def test_the_listener_takes_out_words_the_engine_missed_everywhere_they_appear(
    world, login, contribution
):
    data = {"version": contribution.version, "add_words": "1", "extra_words": "blue  door"}
    data.update(extra_label="address", **_decisions(contribution))
    response = login(world["listener"]).post(_url(contribution, "review/"), data)
    assert response.status_code == 302
    assert response["Location"] == _url(contribution, "review/")
    contribution.refresh_from_db()
    assert "Blue Door" not in contribution.redacted_text
    assert "[address] hostel" in contribution.redacted_text
    assert contribution.state == Contribution.State.DRAFT, "adding words is not the final check"
    added = contribution.redactions.get(added_by_team=True)
    assert (added.label, added.decision) == ("address", Redaction.Decision.REMOVE)


def test_a_teammate_can_take_out_words_they_can_see(contribution, teammate):
    contribution_review(
        actor=teammate, contribution=contribution, decisions={}, extra_words=["hostel"]
    )
    assert "hostel" not in contribution.redacted_text
    assert PHONE not in contribution.redacted_text


def test_a_teammate_cannot_probe_the_words_that_were_taken_out(contribution, teammate):
    before = (contribution.redacted_text, contribution.version)
    with pytest.raises(WordsNotFoundError):
        contribution_review(
            actor=teammate, contribution=contribution, decisions={}, extra_words=[PHONE]
        )
    with pytest.raises(WordsNotFoundError):
        contribution_review(
            actor=teammate, contribution=contribution, decisions={}, extra_words=["Gary"]
        )
    contribution.refresh_from_db()
    assert (contribution.redacted_text, contribution.version) == before
    assert contribution.state == Contribution.State.DRAFT


def test_words_not_found_are_named_on_the_page_and_nothing_is_saved(login, contribution, teammate):
    data = {"version": contribution.version, "finish": "1", "extra_words": "Gary"}
    response = login(teammate).post(_url(contribution, "review/"), data)
    assert response.status_code == 400
    assert "We couldn't find those exact words in the text you can see" in text_of(response)
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.DRAFT


def test_a_check_from_an_old_version_is_not_saved(world, login, contribution, teammate):
    old = contribution.version
    contribution_review(actor=teammate, contribution=contribution, decisions={}, extra_words=[])
    response = login(world["listener"]).post(
        _url(contribution, "review/"),
        {"version": old, "finish": "1", **_decisions(contribution, name="keep")},
    )
    assert response.status_code == 409
    assert "Someone else changed this contribution" in text_of(response)
    contribution.refresh_from_db()
    assert "Gary" not in contribution.redacted_text
    with pytest.raises(ContributionConflictError):
        contribution_review(
            actor=world["listener"],
            contribution=contribution,
            decisions={},
            extra_words=[],
            version=old,
        )


def test_words_that_look_like_html_are_shown_as_words(world, login, exercise):
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(
            channel=Channel.EMAIL, text="<script>alert(1)</script> Gary said hi"
        ),
    )
    for user in (world["listener"],):
        body = login(user).get(_url(contribution)).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_checked_goes_on_to_the_next_one_waiting(world, login, exercise, contribution):
    following = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text="More words."),
    )
    response = login(world["listener"]).post(
        _url(contribution, "review/"), {"version": contribution.version, "finish": "1"}
    )
    assert response["Location"] == _url(following, "review/")

"""The language prompt: kinder words offered, never forced; the organisation's own list."""

from __future__ import annotations

import datetime

import pytest

from alongside.coaching import language
from alongside.coaching.models import LanguagePromptEvent, LanguageWord
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_find_matches_whole_words_case_insensitively(world):
    org = world["home"]
    phrases = [m.phrase for m in language.find("Sam FAILED  TO ATTEND; no Complex Needs", org)]
    assert phrases == ["failed to attend", "complex needs"]
    assert language.find("a showcase of staircases", org) == []
    assert language.find("", org) == []


def test_every_default_has_a_kinder_alternative():
    assert len(language.DEFAULTS) >= 17
    assert all(suggestion.strip() for _, suggestion in language.DEFAULTS)


def test_an_organisation_adds_and_switches_off_words(world):
    org = world["home"]
    LanguageWord.objects.create(organisation=org, phrase="vulnerable", active=False)
    LanguageWord.objects.create(organisation=org, phrase="kicked off", suggestion="was upset")
    found = language.find("They were vulnerable and kicked off", org)
    assert [(m.phrase, m.suggestion) for m in found] == [("kicked off", "was upset")]
    # Another organisation keeps the defaults.
    assert [m.phrase for m in language.find("vulnerable", world["other"])] == ["vulnerable"]


def test_lead_sees_monthly_counts_without_names_and_edits_the_list(world, login):
    org = world["home"]
    LanguagePromptEvent.objects.create(
        organisation=org, on=datetime.date(2026, 3, 4), phrase="chaotic", kept_words=True
    )
    LanguagePromptEvent.objects.create(
        organisation=org, on=datetime.date(2026, 3, 9), phrase="chaotic"
    )
    LanguagePromptEvent.objects.create(organisation=world["other"], phrase="chaotic")
    client = login(world["lead"])
    response = client.get("/people/language/")
    assert response.status_code == 200
    table = response.context["counts"]
    assert table == [
        {"month": datetime.date(2026, 3, 1), "phrase": "chaotic", "fired": 2, "kept": 1}
    ]
    body = text_of(response)
    assert "March 2026" in body and "Sam" not in body

    assert (
        client.post(
            "/people/language/", {"phrase": "Kicked Off", "suggestion": "was upset"}
        ).status_code
        == 302
    )
    assert LanguageWord.objects.get(organisation=org, phrase="kicked off").suggestion == "was upset"
    assert (
        client.post("/people/language/", {"phrase": "chaotic", "switch": "off"}).status_code == 302
    )
    assert not LanguageWord.objects.get(organisation=org, phrase="chaotic").active
    assert language.find("chaotic", org) == []
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, organisation_id=org.pk).count() == 2

    bad = client.post("/people/language/", {"phrase": "lost cause", "suggestion": ""})
    assert bad.status_code == 200 and 'value="lost cause"' in text_of(bad)
    assert not LanguageWord.objects.filter(phrase="lost cause").exists()


@pytest.mark.parametrize("who", ["coach", "other_coach", "second_coach", "commissioner"])
def test_only_leads_open_the_language_page(world, login, who):
    client = login(world[who])
    assert client.get("/people/language/").status_code == 403
    assert client.post("/people/language/", {"phrase": "x", "suggestion": "y"}).status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=world[who]).count() == 2
    assert not LanguageWord.objects.exists()


def test_a_person_cannot_open_the_language_page(world, login):
    assert login(world["alex"].user).get("/people/language/").status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() == 1


def test_a_forged_keep_token_marks_nothing(world):
    from alongside.coaching.services.conversations import (
        language_prompt_offered,
        language_words_kept,
    )

    sam, jo = world["sam"], world["jo"]
    event = LanguagePromptEvent.objects.create(organisation=world["home"], phrase="chaotic")
    kept = {"actor": world["coach"], "person": sam, "text": "chaotic"}
    assert language_words_kept(token="forged", **kept) == 0
    matches = language.find("chaotic", world["other"])
    token = language_prompt_offered(actor=world["other_coach"], person=jo, matches=matches)
    assert language_words_kept(token=token, **kept) == 0
    event.refresh_from_db()
    assert not event.kept_words


def test_the_prompt_is_counted_through_a_service_that_checks_and_audits(world):
    from django.core.exceptions import PermissionDenied

    from alongside.coaching.services.conversations import language_prompt_offered

    matches = language.find("chaotic", world["home"])
    with pytest.raises(PermissionDenied):
        language_prompt_offered(actor=world["other_coach"], person=world["sam"], matches=matches)
    assert not LanguagePromptEvent.objects.exists()
    language_prompt_offered(actor=world["coach"], person=world["sam"], matches=matches)
    assert LanguagePromptEvent.objects.filter(phrase="chaotic").count() == 1
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, actor=world["coach"], detail__startswith="language prompt"
    ).exists()

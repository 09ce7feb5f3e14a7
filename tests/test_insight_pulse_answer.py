"""The system-health pulse answered through a private link (issue 14, item 6): no account,
one answer per link, nothing kept about who answered, calm pages for a used, unknown, closed
or not-yet-open link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEntry
from alongside.insight.models import Pulse, PulseAnswer, PulseLink
from alongside.insight.pulse_items import items_for
from alongside.insight.services import pulses as services


def _pulse(world, audience=Pulse.Audience.WORKERS) -> Pulse:
    return services.pulse_create(
        actor=world["analyst"],
        area=world["area"],
        audience=audience,
        title="How working here feels",
        item_keys=[item.key for item in items_for(audience)],
    )


def _round(world, pulse=None, links=3, opens_on=None, closes_on=None):
    return services.round_create(
        actor=world["analyst"],
        pulse=pulse or _pulse(world),
        title="Spring 2027",
        opens_on=opens_on or timezone.localdate(),
        closes_on=closes_on,
        links=links,
    )


def _url(token: str) -> str:
    return reverse("pulse:answer", args=[token])


def test_an_anonymous_phone_answers_once_and_the_answer_has_no_link(world):
    one, tokens = _round(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url(tokens[0]))
    assert page.status_code == 200
    body = page.content.decode()
    # Each statement is a fieldset with the statement as its legend and five choices.
    assert body.count("<fieldset") == 6
    assert "<legend>I feel valued.</legend>" in body
    assert body.count('type="radio"') == 30
    assert "Strongly agree" in body and "Strongly disagree" in body
    # No sign-in, and no cookie but the CSRF token.
    assert set(client.cookies) == {"csrftoken"}
    assert "no-store" in page["Cache-Control"]
    csrf = client.cookies["csrftoken"].value

    sent = client.post(
        _url(tokens[0]),
        {"csrfmiddlewaretoken": csrf, "item_1": "5", "item_2": "4", "item_4": "1"},
    )
    assert sent.status_code == 302 and sent["Location"] == reverse("pulse:thanks")
    assert set(client.cookies) == {"csrftoken"}
    assert client.get(sent["Location"]).status_code == 200

    (answer,) = PulseAnswer.objects.all()
    assert answer.round_id == one.pk
    # Skipped items are left out; the answer holds no link, time or person.
    assert answer.answers == {"workers.empathy": 5, "workers.valued": 4, "workers.happy": 1}
    assert {f.name for f in PulseAnswer._meta.get_fields()} == {"id", "round", "answers"}
    assert PulseLink.objects.get(token_hash=services.hash_token(tokens[0])).used
    assert PulseLink.objects.filter(used=True).count() == 1

    # The audit says only that a pulse was answered: no actor, no object, no link.
    entry = AuditEntry.objects.filter(detail="a pulse answer").get()
    assert entry.actor_id is None and entry.object_id == "" and entry.person_id is None
    assert tokens[0] not in entry.detail

    # The second use of the same link is refused calmly, and nothing more is kept.
    again = client.post(_url(tokens[0]), {"csrfmiddlewaretoken": csrf, "item_1": "1"})
    assert again.status_code == 200
    assert "Thank you, this link has already been used" in again.content.decode()
    assert PulseAnswer.objects.count() == 1
    assert "already been used" in client.get(_url(tokens[0])).content.decode()


def test_a_signed_in_user_answering_is_not_named_in_the_audit(world, login):
    _, tokens = _round(world)
    client = login(world["coach"])
    assert client.post(_url(tokens[1]), {"item_1": "3"}).status_code == 302
    entry = AuditEntry.objects.filter(detail="a pulse answer").get()
    assert entry.actor_id is None


def test_the_link_is_used_once_even_when_two_submissions_race(world, monkeypatch):
    """The link is marked used only if it still is unused, so a second submission that read
    the link before the first committed gives no second answer."""
    _, tokens = _round(world)
    real_check = services.check_open

    def the_other_submission_commits_first(link):
        real_check(link)
        PulseLink.objects.filter(pk=link.pk).update(used=True)

    monkeypatch.setattr(services, "check_open", the_other_submission_commits_first)
    with pytest.raises(services.LinkUsedError):
        services.answer_submit(token=tokens[0], answers={"workers.valued": 4})
    assert PulseAnswer.objects.count() == 0


def test_an_unknown_link_is_a_calm_not_found(world):
    _round(world)
    client = Client()
    for token in ("not-a-real-token-at-all", "x" * 300):
        page = client.get(_url(token))
        assert page.status_code == 404
        assert "This link does not work" in page.content.decode()
    assert client.post(_url("not-a-real-token-at-all"), {"item_1": "5"}).status_code == 404
    assert PulseAnswer.objects.count() == 0


def test_a_closed_round_and_one_not_open_yet(world):
    today = timezone.localdate()
    pulse = _pulse(world)
    _, closed = _round(
        world, pulse, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    _, later = _round(world, pulse, opens_on=today + timedelta(days=7))
    client = Client()
    page = client.get(_url(closed[0]))
    assert page.status_code == 200 and "This pulse has closed" in page.content.decode()
    sent = client.post(_url(closed[0]), {"item_1": "5"})
    assert "This pulse has closed" in sent.content.decode()
    waiting = client.post(_url(later[0]), {"item_1": "5"})
    assert "This pulse opens on" in waiting.content.decode()
    assert PulseAnswer.objects.count() == 0
    assert not PulseLink.objects.filter(used=True).exists()


def test_answers_outside_the_scale_or_the_pulse_are_not_kept(world):
    _, tokens = _round(world)
    kept = services.clean_answers(
        PulseLink.objects.select_related("round__pulse").first().round.pulse,
        {"workers.valued": "9", "workers.happy": "2", "power.valued": 5, "x": "y"},
    )
    assert kept == {"workers.happy": 2}
    # A value off the scale in the form is refused with the answers kept as typed.
    page = Client().post(_url(tokens[0]), {"item_1": "9", "item_2": "4"})
    assert page.status_code == 200
    assert "Choose one of the five answers, or leave this one out." in page.content.decode()
    assert 'value="4" id="id_item_2_3" checked' in page.content.decode()
    assert PulseAnswer.objects.count() == 0


def test_the_answer_page_shows_no_other_answers_and_no_script(world):
    _, tokens = _round(world)
    services.answer_submit(token=tokens[0], answers={"workers.valued": 1})
    page = Client().get(_url(tokens[1]))
    body = page.content.decode()
    assert "<script>" not in body and "style=" not in body
    assert "checked" not in body
    assert "script-src 'self'" in page["Content-Security-Policy"]

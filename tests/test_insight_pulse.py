"""The system-health pulse's staff pages (issue 14, item 6): starting a pulse from seed 002's
items, rounds and their private links (shown once, downloadable as a safe CSV), results over
time that show only from 10 answers, and who may see any of it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Organisation, Role
from alongside.core.models import AuditEntry
from alongside.insight.models import Pulse, PulseLink, PulseRound
from alongside.insight.pulse_items import ITEMS, MAX_ITEMS, items_for
from alongside.insight.selectors import pulses as selectors
from alongside.insight.services import pulses as services

from . import factories


def _pulse(world, audience=Pulse.Audience.CITIZENS) -> Pulse:
    return services.pulse_create(
        actor=world["analyst"],
        area=world["area"],
        audience=audience,
        title="Living here",
        item_keys=[item.key for item in items_for(audience)],
    )


def _round(world, pulse, links=3, title="Spring 2027"):
    return services.round_create(
        actor=world["analyst"],
        pulse=pulse,
        title=title,
        opens_on=timezone.localdate(),
        closes_on=None,
        links=links,
    )


def _answer(tokens, values):
    """One answer per token: `values` is what each says to the first two items."""
    for token, (first, second) in zip(tokens, values, strict=False):
        services.answer_submit(
            token=token, answers={"citizens.empathy": first, "citizens.valued": second}
        )


def test_items_come_from_seed_002_for_each_audience_and_are_few():
    assert set(ITEMS) == {"power", "workers", "citizens"}
    keys = [item.key for items in ITEMS.values() for item in items]
    assert len(keys) == len(set(keys))
    for audience, items in ITEMS.items():
        assert 1 <= len(items) <= MAX_ITEMS
        assert all(item.key.startswith(audience + ".") for item in items)
    assert "I feel valued." in [item.words for item in ITEMS["citizens"]]


def test_an_analyst_starts_a_pulse_choosing_its_statements(world, login):
    client = login(world["analyst"])
    chooser = client.get(reverse("insight:pulse_new"))
    assert chooser.status_code == 200 and "Who is this pulse for?" in chooser.content.decode()
    form = client.get(reverse("insight:pulse_new"), {"audience": "workers"})
    body = form.content.decode()
    assert body.count('type="checkbox"') == len(ITEMS["workers"])
    assert body.count("checked") == len(ITEMS["workers"])  # all ticked to start with

    # Nothing ticked: refused, with what was typed shown again.
    refused = client.post(
        reverse("insight:pulse_new"), {"audience": "workers", "title": "Our team", "items": []}
    )
    assert "Choose at least one statement to ask." in refused.content.decode()
    assert 'value="Our team"' in refused.content.decode()
    assert not Pulse.objects.exists()

    made = client.post(
        reverse("insight:pulse_new"),
        {
            "audience": "workers",
            "title": "Our team",
            "items": ["workers.valued", "workers.happy", "power.valued"],
        },
    )
    assert made.status_code == 200  # power.valued is not a workers' item: refused
    assert not Pulse.objects.exists()
    made = client.post(
        reverse("insight:pulse_new"),
        {"audience": "workers", "title": "Our team", "items": ["workers.happy", "workers.valued"]},
    )
    pulse = Pulse.objects.get()
    assert made["Location"] == reverse("insight:pulse", args=[pulse.pk])
    assert pulse.area == world["area"] and pulse.organisation == world["council"]
    # In the pulse's own order, whatever order they were sent in.
    assert [i["key"] for i in pulse.items] == ["workers.valued", "workers.happy"]
    assert client.get(reverse("insight:pulses")).content.decode().count("Our team") == 1


def test_a_round_shows_its_links_once_and_keeps_only_hashes(world, login):
    pulse = _pulse(world)
    client = login(world["analyst"])
    bad = client.post(
        reverse("insight:pulse_round_new", args=[pulse.pk]),
        {"title": "Spring", "opens_on": "2027-03-01", "links": "2001"},
    )
    assert "Make at most 2,000 links in one round." in bad.content.decode()
    assert not PulseRound.objects.exists()

    made = client.post(
        reverse("insight:pulse_round_new", args=[pulse.pk]),
        {"title": '=HYPERLINK("http://x")', "opens_on": "2027-03-01", "links": "4"},
    )
    one = PulseRound.objects.get()
    links_url = reverse("insight:pulse_round_links", args=[pulse.pk, one.pk])
    assert made["Location"] == links_url
    page = client.get(links_url)
    body = page.content.decode()
    tokens = page.context["tokens"].split()
    assert len(tokens) == 4 and len(page.context["links"]) == 4
    assert "shown only this once" in body
    for token in tokens:
        assert reverse("pulse:answer", args=[token]) in body
        assert PulseLink.objects.filter(round=one, token_hash=services.hash_token(token)).exists()
        # Only the hash is kept anywhere in the database.
        assert not PulseLink.objects.filter(token_hash=token).exists()

    # A second look shows nothing: the tokens are gone from the session too.
    again = client.get(links_url)
    assert "are not kept anywhere" in again.content.decode()
    assert not again.context["links"]

    # The CSV of the links just shown: one row each, the typed title made safe.
    download = client.post(links_url, {"tokens": " ".join(tokens)})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Pulse", "Round", "Private link"]
    assert len(rows) == 5
    assert all(row[1] == '\'=HYPERLINK("http://x")' for row in rows[1:])
    assert {row[2].rsplit("/", 2)[-2] for row in rows[1:]} == set(tokens)
    assert AuditEntry.objects.filter(detail="pulse links downloaded (4)").exists()

    # Tokens that are not this round's are refused: nothing else gets into the file.
    assert client.post(links_url, {"tokens": "=cmd|calc"}).status_code == 404
    assert client.post(links_url, {"tokens": tokens[0] + " =1+1"}).status_code == 404


def test_results_are_hidden_under_10_answers_and_rounded_from_10(world, login):
    pulse = _pulse(world)
    _, early = _round(world, pulse, links=12, title="Autumn 2026")
    _answer(early, [(5, 5)] * 9)
    client = login(world["commissioner"])
    page = client.get(reverse("insight:pulse", args=[pulse.pk]))
    body = page.content.decode()
    assert "fewer than 10 answers so far" in body
    assert "<svg" not in body
    assert "%" not in body.split('id="results-title"')[1].split("</section>")[0].replace("100%", "")

    _answer(early[9:], [(1, 2), (2, None), (4, 5)])  # 12 answers; the 11th skips an item
    page = client.get(reverse("insight:pulse", args=[pulse.pk]))
    body = page.content.decode()
    results = page.context["page"]
    (first,) = results.rounds
    assert first.shown and str(first.answers) == "10"  # 12, rounded to 5
    empathy = results.items[0]
    assert empathy.shares[0].text == "83%"  # 10 of 12 agree
    assert str(empathy.shares[0].answered) == "10"
    valued = results.items[1]
    assert valued.shares[0].text == "91%"  # 10 of the 11 who answered it
    assert "<svg" in body and "83%" in body and "fewer than 10 answers so far" not in body
    listed = client.get(reverse("insight:pulses")).content.decode()
    assert "about 10 answers" in listed and "83%" in listed and "91%" in listed

    # A later round with few answers stays hidden, beside the earlier one.
    _, later = _round(world, pulse, links=3, title="Spring 2027")
    _answer(later, [(1, 1)] * 3)
    results = selectors.results(pulse)
    assert [r.shown for r in results.rounds] == [True, False]
    assert results.items[0].shares[1].percent is None
    assert str(results.rounds[1].answers) == "fewer than 10"

    (power, workers, citizens) = selectors.summary(world["area"])
    assert power.round is None and workers.items == []
    # The latest round with answers, hidden because it has fewer than 10.
    assert citizens.round.title == "Spring 2027" and citizens.answers.suppressed
    assert citizens.items[0].percent is None
    assert citizens.items[0].text == "fewer than 10 answers so far"


@pytest.mark.parametrize("who", ["coach", "lead", "convener", "sam"])
def test_people_without_an_insight_role_are_refused_every_page(world, login, who):
    pulse = _pulse(world)
    one, tokens = _round(world, pulse)
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    for url in (
        reverse("insight:pulses"),
        reverse("insight:pulse_new"),
        reverse("insight:pulse", args=[pulse.pk]),
        reverse("insight:pulse_round_new", args=[pulse.pk]),
        reverse("insight:pulse_round_links", args=[pulse.pk, one.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("insight:pulse_round_links", args=[pulse.pk, one.pk]), {"tokens": tokens[0]}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("insight:pulse_round_new", args=[pulse.pk]),
            {"title": "Mine", "opens_on": "2027-03-01", "links": "5"},
        ).status_code
        == 403
    )
    assert PulseRound.objects.count() == 1
    assert AuditEntry.objects.filter(action="denied", actor_id=user.pk).exists()


def test_another_areas_analyst_and_commissioner_are_refused(world, login):
    pulse = _pulse(world)
    one, _ = _round(world, pulse)
    elsewhere = factories.area("Elsewhere")
    council = factories.organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=elsewhere)
    for role in (Role.ANALYST, Role.COMMISSIONER):
        stranger = factories.staff(role, council)
        client = login(stranger)
        assert "Living here" not in client.get(reverse("insight:pulses")).content.decode()
        for url in (
            reverse("insight:pulse", args=[pulse.pk]),
            reverse("insight:pulse_round_new", args=[pulse.pk]),
            reverse("insight:pulse_round_links", args=[pulse.pk, one.pk]),
        ):
            assert client.get(url).status_code == 403, url
        with pytest.raises(PermissionDenied):
            services.pulse_create(
                actor=stranger,
                area=world["area"],
                audience="power",
                title="Theirs",
                item_keys=["power.valued"],
            )
    assert Pulse.objects.count() == 1


def test_a_round_under_another_pulse_is_not_found(world, login):
    first, second = _pulse(world), _pulse(world, Pulse.Audience.POWER)
    one, _ = _round(world, first)
    client = login(world["analyst"])
    url = reverse("insight:pulse_round_links", args=[second.pk, one.pk])
    assert client.get(url).status_code == 404


def test_every_pulse_page_sends_strict_headers_and_no_inline_script_or_style(world, login):
    pulse = _pulse(world)
    one, tokens = _round(world, pulse, links=2)
    analyst = login(world["analyst"])
    pages = [
        (analyst, reverse("insight:pulses"), 200),
        (analyst, reverse("insight:pulse_new"), 200),
        (analyst, reverse("insight:pulse_new") + "?audience=power", 200),
        (analyst, reverse("insight:pulse", args=[pulse.pk]), 200),
        (analyst, reverse("insight:pulse_round_new", args=[pulse.pk]), 200),
        (analyst, reverse("insight:pulse_round_links", args=[pulse.pk, one.pk]), 200),
        (Client(), reverse("pulse:answer", args=[tokens[0]]), 200),
        (Client(), reverse("pulse:answer", args=["no-such-link"]), 404),
        (Client(), reverse("pulse:thanks"), 200),
    ]
    for client, url, status in pages:
        response = client.get(url)
        assert response.status_code == status, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert "no-store" in response["Cache-Control"], url
        body = response.content.decode()
        assert "style=" not in body and "<script>" not in body and "onclick" not in body, url
        # Dates in words, never ISO dates, on the staff pages.
        # (a date input's value is ISO, as the browser's picker needs)
        shown = re.sub(r'value="[^"]*"', "", body)
        assert timezone.localdate().isoformat() not in shown, url


def test_a_round_must_close_after_it_opens_and_have_1_to_2000_links(world, login):
    pulse = _pulse(world)
    today = timezone.localdate()
    for links, closes in ((0, None), (2001, None), (5, today.replace(year=today.year - 1))):
        with pytest.raises(ValueError):
            services.round_create(
                actor=world["analyst"],
                pulse=pulse,
                title="Spring",
                opens_on=today,
                closes_on=closes,
                links=links,
            )
    page = login(world["analyst"]).post(
        reverse("insight:pulse_round_new", args=[pulse.pk]),
        {"title": "Spring", "opens_on": "2027-03-01", "closes_on": "2027-02-01", "links": "5"},
    )
    body = page.content.decode()
    assert "Choose a day on or after the day it opens." in body
    assert 'value="Spring"' in body and 'value="2027-02-01"' in body
    assert not PulseRound.objects.exists() and not PulseLink.objects.exists()


def test_an_analyst_of_two_areas_chooses_which_and_only_their_own(world, login):
    from alongside.accounts.models import Membership

    second = factories.area("Second")
    council = factories.organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=second)
    Membership.objects.create(user=world["analyst"], organisation=council, role=Role.ANALYST)
    third = factories.area("Third")
    client = login(world["analyst"])
    url = reverse("insight:pulse_new")
    assert "Which area" in client.get(url, {"audience": "power"}).content.decode()
    sent = {"audience": "power", "title": "Leaders", "items": ["power.valued"]}
    refused = client.post(url, {**sent, "area": str(third.pk)})
    assert refused.status_code == 200 and not Pulse.objects.exists()
    client.post(url, {**sent, "area": str(second.pk)})
    made = Pulse.objects.get()
    assert made.area == second and made.organisation == council

"""The pieces of the listening pages built in Python rather than by a template loop
(listening/templatetags/listening_pages.py): escaped as the template escaped them, line breaks
kept, and each link the address Django gives for it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from alongside.listening.models import Channel, Contribution
from alongside.listening.selectors.reports import WebBlock
from alongside.listening.selectors.themes import ContributionCard, QuoteLine
from alongside.listening.services.contributions import ContributionFields, contribution_create
from alongside.listening.services.exercises import exercise_create
from alongside.listening.templatetags.listening_pages import (
    cards_didnt_fit,
    cards_to_place,
    count_rows,
    quote_items,
    report_sections,
)

pytestmark = pytest.mark.django_db


def test_a_card_on_the_contributions_list_is_escaped_and_links_to_the_contribution(world, login):
    exercise = exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(
            channel=Channel.WHATSAPP,
            text="The <b>hostel</b> & the café were kind.",
            place="Canal & <Co>",
            heard_on=date(2026, 9, 3),
            credit=Contribution.Credit.NAMED,
            credit_name="Sam 'O'",
            credit_place="Oxford Street",
            consent_to_quote=True,
            content_warnings="loss & grief",
        ),
    )
    page = login(world["listener"]).get(f"/listening/{exercise.pk}/contributions/").content.decode()
    path = reverse("listening:contribution", args=[exercise.pk, contribution.pk])
    review = reverse("listening:contribution_review", args=[exercise.pk, contribution.pk])
    assert (
        f'<h2 class="card-title"><a href="{path}">WhatsApp, Canal &amp; &lt;Co&gt;, 3 Sep 2026'
        "</a></h2>" in page
    )
    assert "<p>The &lt;b&gt;hostel&lt;/b&gt; &amp; the café were kind.</p>" in page
    assert (
        '<p class="status">Waiting for someone to check what was removed · Sam &#x27;O&#x27;, '
        "Oxford Street · may be quoted · content warning: loss &amp; grief</p>" in page
    )
    assert f'<a href="{review}">Check what was taken out' in page


def test_the_report_keeps_its_line_breaks_and_escapes_every_word():
    html = report_sections(
        [
            [WebBlock("heading", "Rent & <repairs>", level=2), WebBlock("heading", "x", level=5)],
            [
                WebBlock("paragraph", "One\r\ntwo\rthree\nfour"),
                WebBlock("quote", "I'd <ask>", credit="Sam & Jo", warning="loss"),
                WebBlock("quote", "No credit"),
                WebBlock("list", items=["a & b"]),
                WebBlock("facts", items=[("Asked by", "The <panel>")]),
            ],
        ]
    )
    assert html.count('<section class="report-part">') == 2
    assert "<h2>Rent &amp; &lt;repairs&gt;</h2>" in html and "<h4>x</h4>" in html
    assert "<p>One<br>two<br>three<br>four</p>" in html
    assert "<p><strong>Content warning: loss</strong></p>" in html
    assert "<blockquote><p>“I&#x27;d &lt;ask&gt;”</p></blockquote>" in html
    assert "<figcaption>— Sam &amp; Jo</figcaption>" in html
    assert html.count("<figcaption>") == 1
    assert "<ul><li>a &amp; b</li></ul>" in html
    assert '<dl class="facts"><dt>Asked by</dt><dd>The &lt;panel&gt;</dd></dl>' in html


def _card(**changes) -> ContributionCard:
    fields = {
        "pk": 7,
        "redacted_text": "We <waited>\nfor hours",
        "credit_line": "Anonymous",
        "state": "reviewed",
        "consent_to_quote": True,
        "placed_by_team": False,
        "content_warnings": "",
        "move_path": "/listening/1/themes/contributions/7/move/",
    }
    return ContributionCard(**{**fields, **changes})


def test_a_contribution_on_the_themes_page_says_whether_it_can_be_quoted():
    html = cards_to_place(
        [
            _card(),
            _card(pk=8, state="draft", redacted_text="", placed_by_team=True),
            _card(pk=9, consent_to_quote=False, content_warnings="self <harm>"),
        ]
    )
    assert "<p>We &lt;waited&gt;<br>for hours</p>" in html
    assert "Waiting for someone to check what was removed before anyone else reads it." in html
    assert "\n · can be quoted\n" in html
    assert "\n · waiting for a check of what was removed\n · placed by your team\n" in html
    assert "\n · no consent to quote\n\n · content warning: self &lt;harm&gt;</p>" in html
    assert "this contribution (3)</span>" in html
    assert "(didn't fit, 1)</span>" in cards_didnt_fit([_card()])


def test_quotes_and_counts_are_escaped():
    assert "<p>Rent &amp; &lt;damp&gt;</p>" in quote_items([QuoteLine("Rent & <damp>", "Sam")])
    assert count_rows([{"label": "Canal & <Co>", "count": 12}]) == (
        '<tr><th scope="row">Canal &amp; &lt;Co&gt;</th><td class="num">12</td></tr>'
    )


def test_the_report_names_each_place_once_as_first_written(world):
    from alongside.listening.selectors.reports import _places

    exercise = exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )
    for place in ["the Hub", "canal  street", "Canal Street", "", "Market Square", "the Hub"]:
        contribution_create(
            actor=world["listener"],
            exercise=exercise,
            fields=ContributionFields(channel=Channel.PHONE, text="Hello.", place=place),
        )
    assert _places(exercise.contributions.all()) == ["canal street", "Market Square", "the Hub"]
    # Captured the other way round, the other spelling is kept.
    first = exercise.contributions.order_by("captured_at", "pk").first()
    Contribution.objects.filter(exercise=exercise, place="Canal Street").update(
        captured_at=first.captured_at
    )
    assert _places(exercise.contributions.all()) == ["Canal Street", "Market Square", "the Hub"]
    assert _places(Contribution.objects.filter(place="the Hub")) == ["the Hub"]

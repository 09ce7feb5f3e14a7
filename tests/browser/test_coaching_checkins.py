"""Check-ins in a real browser on a small screen: the form, the charts, loading a file."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.coaching import instruments
from alongside.coaching.models import CheckIn, Instrument, Person

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

LIFE = "Overall, how satisfied are you with your life nowadays?"
ANXIETY = (
    "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, "
    "how anxious did you feel yesterday?"
)


def test_coach_adds_a_check_in_and_sees_the_charts(demo, new_context):
    # A small phone. (axe needs script to run, so JavaScript stays on here; the pages
    # themselves have none of their own.)
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    sign_in(page, account_for(Role.COACH))
    sam = Person.objects.get(user__username="sam")
    before = CheckIn.objects.filter(person=sam).count()

    page.goto(f"/people/{sam.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Check-ins"))
    assert "The latest, on" in section.inner_text()
    follow(
        page,
        section.get_by_role(
            "link", name="All of Sam's check-ins, with where the averages come from"
        ),
    )
    assert path_of(page) == f"/people/{sam.pk}/check-ins/"
    assert page.get_by_role("img", name="Life satisfaction").count() == 1
    assert page.locator("svg[role=img]").count() == 4
    assert page.locator("table").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "Sam's check-ins")

    follow(page, page.get_by_role("link", name="Add a check-in"))
    assert path_of(page) == f"/people/{sam.pk}/check-ins/add/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "the check-in form")
    life = page.get_by_role("group", name=LIFE)
    assert life.get_by_label("Skip this one").is_checked()
    life.get_by_label("8", exact=True).check()
    page.get_by_role("group", name=ANXIETY).get_by_label("2", exact=True).check()
    # A date in the future is refused, and the answers chosen are kept.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.get_by_label("Date of this check-in").fill(tomorrow)
    follow(page, page.get_by_role("button", name="Save this check-in"))
    assert "The date can't be in the future." in page.locator(".error-summary").inner_text()
    assert page.get_by_role("group", name=LIFE).get_by_label("8", exact=True).is_checked()
    assert_accessible(page, "the check-in form with an error")
    assert CheckIn.objects.filter(person=sam).count() == before

    page.get_by_label("Date of this check-in").fill(timezone.localdate().isoformat())
    follow(page, page.get_by_role("button", name="Save this check-in"))
    assert path_of(page) == f"/people/{sam.pk}/check-ins/"
    assert "Check-in saved" in page.locator(".messages").inner_text()
    latest = CheckIn.objects.filter(person=sam).order_by("-id").first()
    assert latest.answers == {"life_satisfaction": 8, "anxiety": 2}
    assert CheckIn.objects.filter(person=sam).count() == before + 1


def test_lead_loads_an_instrument_file(demo, page, tmp_path):
    sign_in(page, account_for(Role.LEAD))
    page.goto("/people/instruments/")
    assert page.get_by_role("heading", name="ONS personal well-being (ONS4)").is_visible()
    assert_accessible(page, "the instruments page")
    follow(page, page.get_by_role("link", name="Load an instrument file"))
    assert_accessible(page, "the load page")

    bad = dict(instruments.shipped()[0].raw, key="our-check", version="1")
    del bad["licence"]
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad))
    page.get_by_label("Instrument file").set_input_files(str(bad_file))
    follow(page, page.get_by_role("button", name="Check and load"))
    assert "licence is missing" in page.locator(".error-summary").inner_text()
    assert_accessible(page, "the load page with problems")
    assert not Instrument.objects.exists()

    good_file = tmp_path / "good.json"
    good = dict(bad, licence={"name": "Our licence", "url": "", "holder": "Someone"})
    good_file.write_text(json.dumps(good))
    page.get_by_label("Instrument file").set_input_files(str(good_file))
    follow(page, page.get_by_role("button", name="Check and load"))
    assert path_of(page) == "/people/instruments/"
    assert "Loaded" in page.locator(".messages").inner_text()
    assert Instrument.objects.get().key == "our-check"

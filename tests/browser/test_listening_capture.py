"""A listener on a phone, with JavaScript off, adds what someone said and checks what was
taken out; every listening page passes axe (axe itself needs JavaScript, so it runs in a
separate test); with JavaScript on, selecting words in the
text fills in "Another detail to take out"."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.models import Organisation, Role, User
from alongside.demo.listening import seed_listening
from alongside.listening.models import Contribution, Exercise

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

PHONE_SIZE = {"width": 360, "height": 740}
PHONE = "07700 900321"


@pytest.fixture
def exercise(demo) -> Exercise:
    listener = User.objects.get(username=account_for(Role.LISTENER).username)
    organisation = Organisation.objects.get(slug=account_for(Role.LISTENER).organisation_slug)
    return seed_listening(organisation, [listener], random.Random(1))


def test_capture_and_check_on_a_phone_without_javascript(exercise, new_context):
    page = new_context(java_script_enabled=False, viewport=PHONE_SIZE).new_page()
    sign_in(page, account_for(Role.LISTENER))
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Listening"))
    follow(page, page.get_by_role("link", name=exercise.title))
    follow(page, page.get_by_role("link", name="Add what someone said"))

    page.get_by_label("WhatsApp").check()
    page.get_by_label("Where, in general").fill("Canal Street")
    page.get_by_label("What they said").fill(f"Text me on {PHONE}. The café let me stay warm.")
    page.get_by_label("A first name or a made-up name, and a place").check()
    page.get_by_label("The name they chose").fill("Tamsin")
    page.get_by_label("The place they chose").fill("Canal Street")
    page.get_by_label("Yes, they said we may quote their words").check()
    follow(page, page.get_by_role("button", name="Save", exact=True))

    contribution = Contribution.objects.get(exercise=exercise, credit_name="Tamsin")
    assert path_of(page) == f"/listening/{exercise.pk}/contributions/{contribution.pk}/"
    assert page.locator("mark.redaction").first.inner_text() == PHONE

    follow(page, page.get_by_role("link", name="Check what was taken out"))
    page.get_by_label("Another detail to take out").fill("café")
    follow(page, page.get_by_role("button", name="Take these words out"))
    follow(page, page.get_by_role("button", name="Checked"))
    contribution.refresh_from_db()
    assert contribution.state == Contribution.State.REVIEWED
    assert PHONE not in contribution.redacted_text and "café" not in contribution.redacted_text

    # Wide enough for a thumb, and nothing wider than the screen.
    page.goto(f"/listening/{exercise.pk}/add/")
    box = page.locator("label.big-choice").first.bounding_box()
    assert box is not None and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]


def test_every_listening_page_is_accessible(exercise, page):
    sign_in(page, account_for(Role.LISTENER))
    contribution = exercise.contributions.first()
    base = f"/listening/{exercise.pk}"
    paths = [
        "/listening/",
        "/listening/add/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/import/",
        f"{base}/contributions/?show=all",
        f"{base}/contributions/{contribution.pk}/",
        f"{base}/contributions/{contribution.pk}/review/",
        f"{base}/contributions/{contribution.pk}/edit/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page, path)


def test_selecting_words_fills_in_the_detail_to_take_out(exercise, page):
    sign_in(page, account_for(Role.LISTENER))
    contribution = exercise.contributions.first()
    page.goto(f"/listening/{exercise.pk}/contributions/{contribution.pk}/review/")
    words = page.locator("#contribution-words")
    first_word = re.search(r"[A-Za-z]{4,}", words.inner_text()).group()
    page.evaluate(
        """(word) => {
            const el = document.getElementById("contribution-words");
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(word);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                    return;
                }
            }
        }""",
        first_word,
    )
    assert page.get_by_label("Another detail to take out").input_value() == first_word


CSV = (
    "channel,place,date,text,credit_name,credit_place,consent_to_quote,content_warnings\n"
    "phone,Leeds,2026-03-02,Ring me on 07700 900888 about the hostel.,,,no,\n"
    "face to face,Leeds,,The day centre was the only warm place.,,,no,\n"
)


def test_a_file_brought_in_shows_its_progress_then_what_came_in(
    exercise, new_context, tmp_path, run_jobs
):
    """Without JavaScript on a phone: the page answers at once, a job does the work, and
    "Check again" shows how it went. With JavaScript, the same page passes axe."""
    before = exercise.contributions.count()
    upload = tmp_path / "heard-in-leeds.csv"
    upload.write_text(CSV)
    page = new_context(java_script_enabled=False, viewport=PHONE_SIZE).new_page()
    sign_in(page, account_for(Role.LISTENER))
    page.goto(f"/listening/{exercise.pk}/import/")
    page.get_by_label("The file").set_input_files(str(upload))
    follow(page, page.get_by_role("button", name="Check and bring in"))
    assert re.fullmatch(rf"/listening/{exercise.pk}/imports/\d+/", path_of(page))
    body = page.locator("main").inner_text()
    assert "Bringing in heard-in-leeds.csv (2 contributions)" in body
    assert "Waiting to start" in body
    assert exercise.contributions.count() == before
    page.screenshot(path=str(tmp_path / "waiting-360.png"), full_page=True)

    run_jobs()
    follow(page, page.get_by_role("link", name="Check again"))
    assert "Brought in 2 contributions." in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "done-360.png"), full_page=True)
    assert exercise.contributions.count() == before + 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]

    # With JavaScript, the page follows the job by itself.
    js = new_context().new_page()
    sign_in(js, account_for(Role.LISTENER))
    js.goto(f"/listening/{exercise.pk}/import/")
    assert "heard-in-leeds.csv" in js.locator("main").inner_text(), "listed under lately"
    assert_accessible(js, "import page with an import listed")
    upload.write_text(CSV.replace("hostel", "shelter").replace("warm", "dry"))
    js.get_by_label("The file").set_input_files(str(upload))
    follow(js, js.get_by_role("button", name="Check and bring in"))
    assert_accessible(js, "import progress, waiting")
    run_jobs()
    expect(js.get_by_text("Brought in 2 contributions.")).to_be_visible(timeout=8000)
    assert exercise.contributions.count() == before + 4

"""Issue 12, items 5 and 7, in a real browser on a 320 px phone: the demo report is published;
the team renames a theme, sees that readers still have the published version, publishes
again, and reads the earlier version. Nothing is wider than the screen (the public link on
the team's page made it 609 px wide), and axe checks every page."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.demo.listening import TITLE
from alongside.listening.models import Exercise, ReportVersion
from alongside.listening.services.themes import theme_update

from .helpers import account_for, assert_accessible, follow, sign_in

pytestmark = pytest.mark.browser

WIDTH = 320
NEW_TITLE = "Passed from desk to desk, again and again"


def assert_fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{where} is {width}px wide at a {WIDTH}px viewport"


def test_the_team_publishes_again_and_readers_see_only_what_was_published(demo, new_context):
    from alongside.accounts.models import User

    exercise = Exercise.objects.get(title=TITLE)
    token = exercise.report.public_token
    page = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    sign_in(page, account_for(Role.LISTENER))

    page.goto(f"/listening/{exercise.pk}/report/")
    assert page.get_by_text("Published: readers see this report as it is here").is_visible()
    assert_fits(page, "the team's report page with its public link")
    assert_accessible(page, "the team's report page")

    # The team renames a theme: the working copy changes, the published report does not.
    first = exercise.themes.filter(is_didnt_fit=False).order_by("position").first()
    old_title = first.title
    theme_update(
        actor=User.objects.get(username=account_for(Role.LISTENER).username),
        theme=first,
        title=NEW_TITLE,
        synthesis=first.synthesis,
        recommendations=first.recommendations,
        content_warnings=first.content_warnings,
        headline=first.headline,
        quotes=list(first.excerpts.filter(is_quote=True)),
    )
    reader = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    reader.goto(f"/listening/reports/{token}/")
    assert old_title in reader.locator("main").inner_text()
    assert NEW_TITLE not in reader.locator("main").inner_text()

    page.reload()
    assert page.get_by_text("You have changed the report since you published it").is_visible()
    assert_fits(page, "the report page with changes to publish")
    assert_accessible(page, "the report page with changes to publish")
    follow(page, page.get_by_role("button", name="Publish the changes as version 2"))
    assert page.get_by_text("Published as version 2.").is_visible()
    assert ReportVersion.objects.filter(report__exercise=exercise).count() == 2

    reader.reload()
    assert NEW_TITLE in reader.locator("main").inner_text()
    assert_fits(reader, "the public report")
    assert_accessible(reader, "the public report")

    # The earlier version stays readable by the team.
    follow(page, page.get_by_role("link", name="Version 1", exact=True))
    body = page.locator("main").inner_text()
    assert old_title in body and NEW_TITLE not in body
    assert "A later version has replaced it" in body
    assert_fits(page, "an earlier version")
    assert_accessible(page, "an earlier version")

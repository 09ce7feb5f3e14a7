"""The audit trail on a phone with JavaScript off: a lead finds who did what to a record, in
words, pages back through every entry, and nothing scrolls sideways. (axe checks the page
with every other lead page: tests/test_security_headers.PAGES.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.accounts.models import Role, User
from alongside.coaching.models import Person
from alongside.core.models import AuditAction, AuditEntry
from alongside.home.audit.selectors import PER_PAGE

from .helpers import account_for, follow, path_of, sign_in

pytestmark = pytest.mark.browser

WIDTH = 360


def _history(count: int) -> Person:
    """Priya reading Sam's budget, once a minute, back from now, all on one day: the trail
    writes a run of the same thing as one line within a day, so a run that crossed midnight
    (a test run just after it) would be two lines; then they come closer together."""
    sam = Person.objects.get(user__username="sam")
    priya = User.objects.get(username=account_for(Role.COACH).username)
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    step = min(timedelta(minutes=1), (now - midnight) / (count + 2))
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now - step * (i + 1),
            actor=priya,
            action=AuditAction.VIEW if i % 2 else AuditAction.CHANGE,
            object_type="coaching.person",
            object_id=str(sam.pk),
            person_id=sam.pk,
            organisation_id=sam.organisation_id,
            detail="budget" if i % 2 else "spend approved",
        )
        for i in range(count)
    )
    return sam


def test_a_lead_reads_the_trail_on_a_phone_without_javascript(demo, new_context):
    _history(PER_PAGE * 3)
    page = new_context(
        viewport={"width": WIDTH, "height": 720}, java_script_enabled=False
    ).new_page()
    sign_in(page, account_for(Role.LEAD))
    follow(page, page.get_by_role("link", name="Audit trail"))
    assert path_of(page) == "/audit/"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert page.get_by_text("Priya read Sam's budget").first.is_visible()

    page.get_by_label("Person").fill("Sam")
    page.get_by_label("What was done").select_option(label="Changing something")
    follow(page, page.get_by_role("button", name="Show entries"))
    whats = page.locator('td[data-label="What happened"]').all_inner_texts()
    # Fifty approvals in a row are one line: "… (50 times, 08:05 to 09:43)".
    assert len(whats) == 1 and whats[0].startswith("Priya approved a spend from Sam's budget (50")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    follow(page, page.get_by_role("link", name="Older entries"))
    assert "after=" in page.url
    older = page.locator('td[data-label="What happened"]').all_inner_texts()
    assert len(older) == 1 and older[0].startswith("Priya approved a spend from Sam's budget (25")
    follow(page, page.get_by_role("link", name="Newer entries"))
    assert page.locator('td[data-label="What happened"]').all_inner_texts() == whats

"""Issue 3's walk through the coaching record, as the people who use it would do it:
a coach starts with a name, writes up a first conversation, the person accepts a goal,
a check-in with skipped questions, a spend above the coach's limit approved by a lead,
a pause in the person's words and a restart. axe checks every page on the way."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import (
    CheckIn,
    Conversation,
    Goal,
    Person,
    Relationship,
    RelationshipChange,
    SpendRequest,
)

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    follow(page, page.get_by_role("button", name="Sign out", exact=True))


def test_a_coaching_relationship_from_first_name_to_restart(demo, page):
    sign_in(page, account_for(Role.COACH))

    # Start with a name, nothing else.
    page.goto("/people/start/")
    assert_accessible(page, "start with a name")
    page.get_by_label("The name they'd like to use").fill("Robin")
    follow(page, page.get_by_role("button", name="Start getting to know each other"))
    robin = Person.objects.get(chosen_name="Robin")
    record = f"/people/{robin.pk}/"
    assert path_of(page) == record
    assert_accessible(page, "Robin's new record")

    # First conversation, written with Robin.
    follow(page, page.get_by_role("link", name="Write up a conversation"))
    page.get_by_label("Where we met").fill("The park café")
    page.get_by_label("What we talked about").fill("Robin told me about the allotment.")
    follow(page, page.get_by_role("button", name="Save"))
    assert path_of(page) == record
    assert Conversation.objects.filter(person=robin, place="The park café").exists()

    # A check-in: one answer, the rest skipped (nothing is assumed).
    page.goto(f"/people/{robin.pk}/check-ins/add/?instrument=ons4")
    assert_accessible(page, "check-in form")
    page.get_by_role("group", name=re.compile("how satisfied")).get_by_label(
        "7", exact=True
    ).check()
    follow(page, page.get_by_role("button", name="Save this check-in"))
    assert CheckIn.objects.get(person=robin).answers == {"life_satisfaction": 7}
    page.goto(f"/people/{robin.pk}/check-ins/")
    assert page.locator("svg[role=img]").count() >= 1
    assert_accessible(page, "check-in charts")

    # A spend above the coach's limit (£100): asked for here, approved by a lead.
    page.goto(f"/people/{robin.pk}/budget/ask/")
    page.get_by_label("What is it for?").fill("Forklift licence course")
    page.get_by_label("How much?").fill("£300")
    follow(page, page.get_by_role("button", name="Ask"))
    spend = SpendRequest.objects.get(person=robin)
    assert spend.amount_pence == 30000 and spend.status == SpendRequest.Status.REQUESTED

    # Pause, in Robin's words, then start again: one relationship, its history kept.
    relationship = Relationship.objects.get(person=robin)
    page.goto(record)
    follow(page, page.get_by_role("link", name="Pause for now"))
    assert_accessible(page, "pausing")
    page.get_by_label(re.compile("How they'd like us to keep in touch")).fill("A text now and then")
    follow(page, page.get_by_role("button", name="Pause for now"))
    relationship.refresh_from_db()
    assert relationship.state == Relationship.State.PAUSED
    assert relationship.keep_in_touch == "A text now and then"
    follow(page, page.get_by_role("link", name="Start again"))
    follow(page, page.get_by_role("button", name="Start again"))
    relationship.refresh_from_db()
    assert relationship.state == Relationship.State.WORKING_TOGETHER
    states = list(
        RelationshipChange.objects.filter(relationship=relationship).values_list(
            "to_state", flat=True
        )
    )
    assert states[-2:] == [Relationship.State.PAUSED, Relationship.State.WORKING_TOGETHER]

    # The coach suggests a goal to Sam; it stays a suggestion until Sam accepts it.
    sam = Person.objects.get(user__username="sam")
    page.goto(f"/people/{sam.pk}/goals/add/")
    page.get_by_label("The goal, in the person's own words").fill("Grow my own tomatoes")
    follow(page, page.get_by_role("button", name="Add the goal"))
    goal = Goal.objects.get(person=sam, words="Grow my own tomatoes")
    assert goal.is_suggestion
    sign_out(page)

    # The lead approves the spend the coach could not.
    sign_in(page, account_for(Role.LEAD))
    page.goto(f"/people/{robin.pk}/budget/{spend.pk}/decide/")
    assert_accessible(page, "a lead deciding a spend")
    follow(page, page.get_by_role("button", name="Approve £300"))
    spend.refresh_from_db()
    assert spend.status == SpendRequest.Status.APPROVED
    sign_out(page)

    # Sam accepts the goal: now it is his.
    sign_in(page, account_for("person"))
    page.goto(f"/people/{sam.pk}/goals/{goal.pk}/")
    assert_accessible(page, "Sam's suggested goal")
    follow(page, page.get_by_role("button", name="Make this goal mine"))
    goal.refresh_from_db()
    assert goal.accepted_at is not None and not goal.is_suggestion

"""A coach walks conversations, the language prompt, goals, strengths and milestones through
the real forms, and every page passes axe."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Conversation, Goal, Milestone, Person, Strength

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_coach_writes_up_a_conversation_and_works_on_goals(demo, page):
    # No page here needs JavaScript (test_without_javascript.py checks that in general);
    # axe itself runs as script, so this walk keeps it on.
    sign_in(page, account_for(Role.COACH))
    sam = Person.objects.get(user__username="sam")
    record = f"/people/{sam.pk}/"
    page.goto(record)
    assert_accessible(page, "Sam's record")

    # A conversation, with a word the prompt gently questions; the coach keeps their words.
    follow(page, page.get_by_role("link", name="Write up a conversation"))
    assert path_of(page) == f"/people/{sam.pk}/conversations/add/"
    assert page.get_by_text("There are no private notes").first.is_visible()
    assert_accessible(page, "conversation form")
    page.get_by_label("Where we met").fill("The bike workshop")
    page.get_by_label("What we talked about").fill(
        "Sam was chaotic this week, then we fixed a bike."
    )
    follow(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("going through a lot right now").is_visible()
    assert page.get_by_role("link", name="Change my words").is_visible()
    assert_accessible(page, "the language prompt")
    follow(page, page.get_by_role("button", name="Keep my words and save"))
    assert path_of(page) == record
    conversation = Conversation.objects.filter(person=sam, place="The bike workshop").get()

    # Change it.
    page.goto(f"/people/{sam.pk}/conversations/{conversation.pk}/edit/")
    assert_accessible(page, "conversation edit form")
    page.get_by_label("What we talked about").fill("We fixed a bike together.")
    follow(page, page.get_by_role("button", name="Save"))
    assert path_of(page) == record
    assert page.get_by_text("We fixed a bike together.").is_visible()

    # A goal, suggested by the coach, with a step ticked done, then achieved.
    follow(page, page.get_by_role("link", name="Add a goal"))
    assert_accessible(page, "goal form")
    page.get_by_label("The goal, in the person's own words").fill("Open my own bike stall")
    page.get_by_label("Why it matters").fill("Doing what I'm good at")
    follow(page, page.get_by_role("button", name="Add the goal"))
    assert re.fullmatch(rf"/people/{sam.pk}/goals/[0-9]+/", path_of(page)), page.url
    assert page.get_by_text("suggested, not yet accepted").is_visible()
    assert_accessible(page, "goal detail")
    page.get_by_label("A small step").fill("Ask the market about a pitch")
    follow(page, page.get_by_role("button", name="Add the step"))
    assert page.get_by_text("Ask the market about a pitch").first.is_visible()
    follow(page, page.get_by_role("button", name=re.compile(r"^Done\b.*Ask the market")))
    assert page.get_by_role("button", name=re.compile(r"^Not done yet")).is_visible()
    follow(page, page.get_by_role("link", name="Where this goal is now"))
    assert_accessible(page, "goal status form")
    page.get_by_role("radio", name="Achieved").check()
    follow(page, page.get_by_role("button", name="Save"))
    goal = Goal.objects.get(person=sam, words="Open my own bike stall")
    assert goal.status == Goal.Status.ACHIEVED and goal.achieved_on is not None

    # Strengths: the page and the add form.
    page.goto(f"/people/{sam.pk}/strengths/")
    assert_accessible(page, "strengths page")
    follow(page, page.get_by_role("link", name="Add a strength"))
    assert_accessible(page, "strength form")
    page.get_by_role("radio", name="A quality").check()
    page.get_by_label("In the person's words").fill("Patient with fiddly things")
    follow(page, page.get_by_role("button", name="Add the strength"))
    assert page.get_by_text("Patient with fiddly things").is_visible()
    assert Strength.objects.filter(person=sam, words="Patient with fiddly things").exists()

    # A milestone.
    page.goto(f"/people/{sam.pk}/milestones/add/")
    assert_accessible(page, "milestone form")
    page.get_by_label("What happened").select_option("Started volunteering")
    page.get_by_label("In the person's words (optional)").fill("At the repair café")
    follow(page, page.get_by_role("button", name="Record the milestone"))
    assert path_of(page) == record
    assert Milestone.objects.filter(person=sam, kind="Started volunteering").exists()
    assert page.get_by_role("heading", name="Achieved").is_visible()
    assert_accessible(page, "Sam's record after the changes")


def test_lead_pages_for_the_language_list_and_milestones(demo, page):
    sign_in(page, account_for(Role.LEAD))
    page.goto("/people/language/")
    assert page.get_by_role("heading", level=1).inner_text() == "Words we gently question"
    assert_accessible(page, "language list")
    page.get_by_label("Word or phrase").fill("kicked off")
    page.get_by_label("What might be said instead").fill("was upset: what happened?")
    follow(page, page.get_by_role("button", name="Add to the list"))
    assert page.get_by_role("cell", name="was upset: what happened?").is_visible()
    page.goto("/people/milestones/")
    assert_accessible(page, "milestone list")

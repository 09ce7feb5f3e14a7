"""The person's own space: everything about them, the passphrase note, and what is theirs
to change (issue 4, items 1 to 3)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from alongside.accounts.services import invite_issue, invite_redeem
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    CircleMember,
    Conversation,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of


def one_of_everything(sam, coach):
    goal = Goal.objects.create(person=sam, words="get my licence back", why_it_matters="kids")
    GoalStep.objects.create(goal=goal, words="book the theory test")
    talk = Conversation.objects.create(
        person=sam, notes="We walked by the river.", reflection="Felt good", written_by=coach
    )
    talk.goals.add(goal)
    Strength.objects.create(person=sam, kind="skill", words="fixing bikes")
    CheckIn.objects.create(person=sam, answers={"life_satisfaction": 6, "anxiety": 4})
    Milestone.objects.create(person=sam, kind="own home", words="keys on Friday")
    spend = SpendRequest.objects.create(
        person=sam, goal=goal, what_for="theory test fee", amount_pence=2300, status="paid"
    )
    Payment.objects.create(spend_request=spend, amount_pence=2300, paid_on=date(2026, 10, 1))
    # Shared with nobody: the person still sees their own plan.
    SafetyPlan.objects.create(person=sam, version=1, keeps_me_safe="my sister's number")
    CircleMember.objects.create(person=sam, name="Job centre", kind="service")
    Barrier.objects.create(person=sam, service="Housing register", what_happened="local rule")


EVERY_KIND = [
    "get my licence back",
    "book the theory test",
    "We walked by the river.",
    "Felt good",
    "fixing bikes",
    "Life satisfaction",
    "UK average",
    "keys on Friday",
    "theory test fee",
    "£23",
    "Paid £23",
    "my sister's number",
    "Job centre",
    "Housing register",
    "local rule",
]


def test_the_person_sees_every_kind_of_entry(world, login):
    sam = world["sam"]
    one_of_everything(sam, world["coach"])
    response = login(sam.user).get("/me/record/")
    assert response.status_code == 200
    page = text_of(response)
    missing = [words for words in EVERY_KIND if words not in page]
    assert not missing, f"missing from the person's view: {missing}"
    assert AuditEntry.objects.filter(
        actor=sam.user, action=AuditAction.VIEW, person_id=sam.pk, detail="my space everything"
    ).exists()


def test_another_persons_entries_never_show(world, login):
    one_of_everything(world["alex"], world["coach"])
    page = text_of(login(world["sam"].user).get("/me/record/"))
    for words in ["get my licence back", "We walked by the river.", "my sister's number"]:
        assert words not in page


def test_staff_have_no_me_space(world, login):
    for key in ["coach", "lead", "commissioner", "other_coach"]:
        assert login(world[key]).get("/me/").status_code == 403, key
        assert login(world[key]).get("/me/record/").status_code == 403, key
    assert login(world["coach"]).get("/me/record/").status_code == 403
    assert AuditEntry.objects.filter(actor=world["coach"], action=AuditAction.DENIED).exists()


def test_signed_out_goes_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_home_says_when_the_passphrase_was_changed_and_by_whose_code(world, login):
    sam, coach = world["sam"], world["coach"]
    coach.first_name = "Priya"
    coach.save()
    # Sam set up their sign-in weeks ago and has now forgotten the passphrase.
    sam.user.date_joined = timezone.now() - timedelta(days=30)
    sam.user.save()
    old_hash = sam.user.password
    code = invite_issue(actor=coach, person=sam)
    invite_redeem(code=code, username=sam.user.username, passphrase="a brand new long passphrase")
    sam.user.refresh_from_db()
    assert sam.user.password != old_hash
    for url in ["/", "/me/"]:
        page = text_of(login(sam.user).get(url))
        assert "Your passphrase was changed on" in page, url
        assert "using a code from Priya" in page
    # Another person's home says nothing about it.
    assert "passphrase was changed" not in text_of(login(world["alex"].user).get("/me/"))


def test_a_person_adds_a_goal_and_a_step(world, login):
    sam = world["sam"]
    client = login(sam.user)
    response = client.post("/me/goals/add/", {"words": "", "why_it_matters": "for me"})
    assert response.status_code == 200
    assert "for me" in text_of(response)  # what was typed is shown again
    response = client.post("/me/goals/add/", {"words": "learn to swim"})
    goal = Goal.objects.get(person=sam, words="learn to swim")
    assert response["Location"] == f"/me/goals/{goal.pk}/"
    assert not goal.is_suggestion
    client.post(f"/me/goals/{goal.pk}/", {"words": "find the pool"})
    assert goal.steps.get().words == "find the pool"
    client.post(f"/me/goals/{goal.pk}/edit/", {"words": "swim a length"})
    goal.refresh_from_db()
    assert goal.words == "swim a length"


def test_a_person_cannot_touch_another_persons_goal(world, login):
    alex_goal = Goal.objects.create(person=world["alex"], words="alex's goal")
    client = login(world["sam"].user)
    assert client.get(f"/me/goals/{alex_goal.pk}/").status_code == 404
    assert client.post(f"/me/goals/{alex_goal.pk}/", {"words": "x"}).status_code == 404
    assert client.post(f"/me/goals/{alex_goal.pk}/edit/", {"words": "x"}).status_code == 404
    assert client.post(f"/me/goals/{alex_goal.pk}/accept/").status_code == 404
    assert client.post(f"/me/goals/{alex_goal.pk}/decline/").status_code == 404
    alex_goal.refresh_from_db()
    assert alex_goal.words == "alex's goal" and not alex_goal.steps.exists()


def test_accept_and_decline_suggested_goals(world, login):
    sam, coach = world["sam"], world["coach"]
    yes = Goal.objects.create(person=sam, words="try the choir", suggested_by=coach)
    no = Goal.objects.create(person=sam, words="go to the gym", suggested_by=coach)
    client = login(sam.user)
    home = text_of(client.get("/me/"))
    assert "try the choir" in home and "go to the gym" in home
    client.post(f"/me/goals/{yes.pk}/accept/")
    client.post(f"/me/goals/{no.pk}/decline/")
    yes.refresh_from_db()
    no.refresh_from_db()
    assert yes.accepted_at is not None
    assert no.status == Goal.Status.CHANGED_MY_MIND and no.accepted_at is None
    assert "go to the gym" not in text_of(client.get("/me/"))
    # A coach cannot decline for the person.
    other = Goal.objects.create(person=sam, words="walk more", suggested_by=coach)
    assert login(coach).post(f"/me/goals/{other.pk}/decline/").status_code == 403


def test_a_person_adds_a_strength_and_a_reflection(world, login):
    sam = world["sam"]
    talk = Conversation.objects.create(person=sam, notes="We met", written_by=world["coach"])
    client = login(sam.user)
    client.post("/me/strengths/add/", {"kind": "skill", "words": "good listener"})
    assert Strength.objects.filter(person=sam, words="good listener").exists()
    client.post(f"/me/talks/{talk.pk}/my-thoughts/", {"reflection": "It helped"})
    talk.refresh_from_db()
    assert talk.reflection == "It helped" and talk.notes == "We met"
    alex_talk = Conversation.objects.create(person=world["alex"], notes="private")
    response = client.post(f"/me/talks/{alex_talk.pk}/my-thoughts/", {"reflection": "x"})
    assert response.status_code == 404


def test_a_person_does_a_check_in_with_an_item_skipped(world, login):
    sam = world["sam"]
    client = login(sam.user)
    page = text_of(client.get("/me/check-in/"))
    assert "How are things for you?" in page
    response = client.post(
        "/me/check-in/?instrument=ons4",
        {
            "item_life_satisfaction": "7",
            "item_worthwhile": "6",
            "item_happiness": "skip",
            "item_anxiety": "3",
            "taken_on": "2026-01-05",
        },
    )
    assert response.status_code == 302, text_of(response)[:2000]
    check_in = CheckIn.objects.get(person=sam)
    assert check_in.answers.get("life_satisfaction") == 7
    assert "happiness" not in check_in.answers


def test_a_persons_check_in_with_every_question_skipped_is_not_saved(world, login):
    """Sam may skip any question, but not all of them: he is told plainly, nothing is saved,
    and the date he chose is still in the form."""
    sam = world["sam"]
    client = login(sam.user)
    response = client.post(
        "/me/check-in/?instrument=ons4",
        {
            "item_life_satisfaction": "skip",
            "item_worthwhile": "skip",
            "item_happiness": "skip",
            "item_anxiety": "skip",
            "taken_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Every question was skipped, so there is nothing to save yet." in page
    assert "you can still skip the others" in page
    assert 'value="2026-01-05"' in page
    assert not CheckIn.objects.filter(person=sam).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE, person_id=sam.pk).exists()

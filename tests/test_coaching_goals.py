"""Goals in the person's words, steps, strengths and milestones."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from alongside.coaching.models import Goal, GoalStep, Milestone, MilestoneKind, Strength
from alongside.coaching.selectors.goals import DEFAULT_KINDS
from alongside.coaching.services.goals import goal_accept, goal_create
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def _others(world):
    return [world["other_coach"], world["second_coach"], world["alex"].user, world["commissioner"]]


def test_a_goal_the_coach_writes_is_a_suggestion_until_the_person_accepts(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/goals/add/",
        {"words": "Ride to the coast", "why_it_matters": "Freedom", "hoped_by": ""},
    )
    goal = Goal.objects.get(person=sam)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{sam.pk}/goals/{goal.pk}/"
    assert goal.is_suggestion and goal.suggested_by == world["coach"]
    detail = text_of(login(world["coach"]).get(response["Location"]))
    assert "suggested, not yet accepted" in detail
    assert "Make this goal mine" not in detail

    # The coach cannot accept it for the person: refused and audited.
    refused = login(world["coach"]).post(f"/people/{sam.pk}/goals/{goal.pk}/accept/")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).exists()
    goal.refresh_from_db()
    assert goal.accepted_at is None

    person_client = login(sam.user)
    assert "Make this goal mine" in text_of(person_client.get(response["Location"]))
    accepted = person_client.post(f"/people/{sam.pk}/goals/{goal.pk}/accept/")
    assert accepted.status_code == 302
    goal.refresh_from_db()
    assert goal.accepted_at is not None and not goal.is_suggestion
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE, object_id=str(goal.pk), detail="goal accepted"
    ).exists()


def test_a_goal_the_person_writes_is_theirs_at_once(world):
    goal = goal_create(actor=world["sam"].user, person=world["sam"], words="See Ellie on Sundays")
    assert goal.suggested_by is None and goal.accepted_at is not None


def test_goal_accept_service_refuses_anyone_but_the_person(world):
    goal = goal_create(actor=world["coach"], person=world["sam"], words="x")
    with pytest.raises(PermissionDenied):
        goal_accept(actor=world["lead"], goal=goal)
    refused = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert refused.person_id == world["sam"].pk and "goal accept" in refused.detail


def test_bad_goal_input_reshows_and_writes_nothing(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/goals/add/",
        {"words": "", "why_it_matters": "Because I love it", "hoped_by": "soon"},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Something needs changing" in body and "Because I love it" in body
    assert 'value="soon"' in body
    assert not Goal.objects.exists()


def test_edit_steps_and_status_through_to_achieved_on_the_person_page(world, login):
    sam = world["sam"]
    goal = goal_create(actor=sam.user, person=sam, words="Get my own flat")
    client = login(world["coach"])
    base = f"/people/{sam.pk}/goals/{goal.pk}"
    assert client.post(f"{base}/edit/", {"words": "Get a flat of my own"}).status_code == 302
    assert client.post(f"{base}/steps/add/", {"words": "Call the council"}).status_code == 302
    step = GoalStep.objects.get(goal=goal)
    assert client.post(f"{base}/steps/{step.pk}/done/", {"done": "1"}).status_code == 302
    step.refresh_from_db()
    assert step.done_on is not None
    assert client.post(f"{base}/steps/add/", {"words": ""}).status_code == 400
    assert GoalStep.objects.count() == 1

    response = client.post(f"{base}/status/", {"status": "achieved", "achieved_on": "2026-05-01"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.words == "Get a flat of my own"
    assert goal.status == Goal.Status.ACHIEVED and goal.achieved_on == date(2026, 5, 1)
    page = text_of(client.get(f"/people/{sam.pk}/"))
    assert "Achieved" in page and "1 May 2026" in page and "Get a flat of my own" in page


def test_changed_my_mind_is_not_a_failure(world, login):
    sam = world["sam"]
    goal = goal_create(
        actor=sam.user, person=sam, words="Learn guitar", status=Goal.Status.ACHIEVED
    )
    client = login(sam.user)
    form = text_of(client.get(f"/people/{sam.pk}/goals/{goal.pk}/status/"))
    assert "Changed my mind" in form and "never a failure" in form
    client.post(f"/people/{sam.pk}/goals/{goal.pk}/status/", {"status": "changed_my_mind"})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.CHANGED_MY_MIND and goal.achieved_on is None
    page = text_of(client.get(f"/people/{sam.pk}/"))
    assert "fail" not in page.lower()


def test_others_cannot_touch_goals(world, login):
    sam = world["sam"]
    goal = goal_create(actor=world["coach"], person=sam, words="Private to Sam")
    step = GoalStep.objects.create(goal=goal, words="a step")
    base = f"/people/{sam.pk}/goals/{goal.pk}"
    for user in _others(world):
        client = login(user)
        before = AuditEntry.objects.filter(action=AuditAction.DENIED, actor=user).count()
        assert client.get(f"{base}/").status_code == 403
        assert client.post(f"/people/{sam.pk}/goals/add/", {"words": "x"}).status_code == 403
        assert client.post(f"{base}/edit/", {"words": "x"}).status_code == 403
        assert client.post(f"{base}/status/", {"status": "achieved"}).status_code == 403
        assert client.post(f"{base}/steps/add/", {"words": "x"}).status_code == 403
        assert client.post(f"{base}/steps/{step.pk}/done/").status_code == 403
        after = AuditEntry.objects.filter(action=AuditAction.DENIED, actor=user).count()
        assert after - before == 6
    goal.refresh_from_db()
    step.refresh_from_db()
    assert goal.words == "Private to Sam" and goal.status == Goal.Status.DREAMING
    assert step.done_on is None and Goal.objects.count() == 1


def test_strengths_added_by_either_and_grouped(world, login):
    sam = world["sam"]
    coach = login(world["coach"])
    me = login(sam.user)
    assert (
        coach.post(
            f"/people/{sam.pk}/strengths/add/", {"kind": "skill", "words": "Fixing bikes"}
        ).status_code
        == 302
    )
    assert (
        me.post(
            f"/people/{sam.pk}/strengths/add/", {"kind": "person", "words": "My daughter Ellie"}
        ).status_code
        == 302
    )
    assert Strength.objects.get(words="Fixing bikes").added_by == world["coach"]
    assert Strength.objects.get(words="My daughter Ellie").added_by == sam.user
    page = text_of(me.get(f"/people/{sam.pk}/strengths/"))
    internal, external = page.split("Around them")
    assert "Fixing bikes" in internal and "My daughter Ellie" in external

    bad = coach.post(f"/people/{sam.pk}/strengths/add/", {"kind": "", "words": "Kindness"})
    assert bad.status_code == 200 and 'value="Kindness"' in text_of(bad)
    assert Strength.objects.count() == 2


def test_others_cannot_see_or_add_strengths_or_milestones(world, login):
    sam = world["sam"]
    for user in _others(world):
        client = login(user)
        assert client.get(f"/people/{sam.pk}/strengths/").status_code == 403
        assert (
            client.post(
                f"/people/{sam.pk}/strengths/add/", {"kind": "skill", "words": "x"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/people/{sam.pk}/milestones/add/",
                {"kind": "Started work", "happened_on": "2026-01-01"},
            ).status_code
            == 403
        )
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 12
    assert not Strength.objects.exists() and not Milestone.objects.exists()


def test_milestones_from_the_organisations_list(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    form = text_of(client.get(f"/people/{sam.pk}/milestones/add/"))
    # Showing the defaults writes nothing (a GET never writes).
    assert not MilestoneKind.objects.exists()
    assert all(label in form for label in DEFAULT_KINDS)
    response = client.post(
        f"/people/{sam.pk}/milestones/add/",
        {"kind": "Started work", "words": "At the bike shop", "happened_on": "2026-04-02"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(person=sam)
    assert milestone.kind == "Started work" and milestone.happened_on == date(2026, 4, 2)
    page = text_of(client.get(f"/people/{sam.pk}/"))
    assert "Started work" in page and "2 April 2026" in page

    bad = client.post(
        f"/people/{sam.pk}/milestones/add/", {"kind": "Won the lottery", "words": "typed words"}
    )
    assert bad.status_code == 200 and "typed words" in text_of(bad)
    assert Milestone.objects.count() == 1


def test_leads_edit_the_milestone_list(world, login):
    lead = login(world["lead"])
    assert lead.get("/people/milestones/").status_code == 200
    assert lead.post("/people/milestones/", {"label": "Passed my driving test"}).status_code == 302
    kinds = MilestoneKind.objects.filter(organisation=world["home"])
    assert kinds.filter(label="Passed my driving test").exists()
    assert kinds.count() == len(DEFAULT_KINDS) + 1
    assert lead.post("/people/milestones/", {"remove": DEFAULT_KINDS[0]}).status_code == 302
    assert not kinds.filter(label=DEFAULT_KINDS[0]).exists()
    # Another organisation's lead removes from their own list, never ours.
    other_lead = login(world["other_lead"])
    assert other_lead.post("/people/milestones/", {"remove": DEFAULT_KINDS[1]}).status_code == 302
    assert kinds.filter(label=DEFAULT_KINDS[1]).exists()
    # ... and cannot name our organisation to reach it.
    ours = f"/people/milestones/?organisation={world['home'].pk}"
    assert other_lead.post(ours, {"remove": DEFAULT_KINDS[1]}).status_code == 403
    assert kinds.filter(label=DEFAULT_KINDS[1]).exists()


@pytest.mark.parametrize("who", ["coach", "second_coach", "commissioner"])
def test_only_leads_edit_the_milestone_list(world, login, who):
    assert login(world[who]).post("/people/milestones/", {"label": "x"}).status_code == 403
    assert login(world["sam"].user).get("/people/milestones/").status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() == 2
    assert not MilestoneKind.objects.filter(label="x").exists()


def test_person_page_query_count_stays_fixed_as_the_record_grows(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.coaching.models import Conversation

    sam = world["sam"]
    client = login(world["coach"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/people/{sam.pk}/").status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for i in range(n):
            goal = Goal.objects.create(person=sam, words=f"goal {i}")
            GoalStep.objects.create(goal=goal, words="a step")
            Goal.objects.create(person=sam, words=f"done {i}", status=Goal.Status.ACHIEVED)
            Strength.objects.create(person=sam, kind="skill", words=f"skill {i}")
            Milestone.objects.create(person=sam, kind="Started work")
            Conversation.objects.create(person=sam, notes=f"n {i}").goals.add(goal)

    grow(1)
    few = count()
    grow(8)
    assert count() == few

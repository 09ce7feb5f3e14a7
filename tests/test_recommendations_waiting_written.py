"""The recommendations waiting on a lead's or commissioner's home, made cheaper without
changing what they are (issue 11): their query is written by the ORM once per connection
(core/written.py) rather than built on every request. Compared here with the selector as it
was, kept below, for a lead, a lead of two organisations, a commissioner and someone both."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Membership, Role
from alongside.convening.models import Answer, Recommendation
from alongside.convening.selectors import recommendations as selectors
from alongside.home.selectors import recommendations_waiting

from .factories import organisation, staff
from .test_convening_recommendations import recommendation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# convening.selectors.recommendations._with_latest_answer and waiting_for as they were.
def _then_with_latest_answer(queryset: QuerySet[Recommendation]) -> list[Recommendation]:
    latest = Answer.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-id")
    found: list[Any] = list(
        queryset.select_related("addressed_to").annotate(
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_words=Subquery(latest.values("words")[:1]),
            latest_at=Subquery(latest.values("at")[:1]),
            latest_follow_up_on=Subquery(latest.values("follow_up_on")[:1]),
            latest_what_changed=Subquery(latest.values("what_changed")[:1]),
        )
    )
    for one in found:
        answers = []
        if one.latest_pk is not None:
            answers.append(
                Answer(
                    pk=one.latest_pk,
                    recommendation=one,
                    status=one.latest_status,
                    words=one.latest_words,
                    at=one.latest_at,
                    follow_up_on=one.latest_follow_up_on,
                    what_changed=one.latest_what_changed,
                )
            )
        one._prefetched_objects_cache = {"answers": answers}
    return found


def _then(user: Any, limit: int = 10) -> selectors.Waiting:
    held = policy.roles(user)
    if Role.LEAD not in held and Role.COMMISSIONER not in held:
        return selectors.Waiting([], [])
    unanswered, follow_ups = [], []
    queryset = selectors.answerable_by(user).prefetch_related(None).order_by("sent_at", "id")
    for recommendation_then in _then_with_latest_answer(queryset):
        one = selectors.row(recommendation_then, today=TODAY)
        latest = selectors.latest_answer(recommendation_then)
        if latest is None:
            unanswered.append(one)
        elif one.standing.overdue:
            follow_ups.append(one)
    return selectors.Waiting(unanswered[:limit], follow_ups[:limit])


def _answer(rec: Recommendation, by: Any, status: str, days_ago: int, **extra: Any) -> None:
    Answer.objects.create(
        recommendation=rec,
        status=status,
        by=by,
        at=timezone.now() - datetime.timedelta(days=days_ago),
        **extra,
    )


@pytest.fixture
def waiting(world) -> dict[str, Any]:
    """Recommendations in every standing, to two organisations and a council."""
    second = organisation(area_obj=world["area"])
    lead = world["lead"]
    last_week, next_month = (TODAY + datetime.timedelta(days=d) for d in (-7, 30))
    recommendation(world, title="Waiting <b>&</b>", answer_by=next_month)
    recommendation(world, title="Overdue", answer_by=last_week)
    recommendation(world, title="Not sent", sent=False)
    recommendation(world, title="To a group", to=Recommendation.To.STRATEGIC_GROUP)
    recommendation(world, title="Elsewhere", addressed_to=world["other"])
    recommendation(world, title="To the second", addressed_to=second)
    recommendation(world, title="To the council", to=Recommendation.To.COMMISSIONER)
    answered = [
        (Answer.Status.ACCEPTED, {"follow_up_on": last_week, "what_changed": "a <new> rule"}),
        (Answer.Status.IN_PROGRESS, {"follow_up_on": next_month}),
        (Answer.Status.DECLINED, {"words": "No money & no staff", "follow_up_on": last_week}),
        (Answer.Status.ACCEPTED, {}),
    ]
    for n, (status, extra) in enumerate(answered):
        rec = recommendation(world, title=f"Answered {n}")
        _answer(rec, lead, Answer.Status.IN_PROGRESS, 20, follow_up_on=last_week)
        _answer(rec, lead, status, 3, **extra)  # the latest holds
    commissioned = recommendation(
        world, title="Council, answered", to=Recommendation.To.COMMISSIONER
    )
    _answer(commissioned, world["commissioner"], Answer.Status.ACCEPTED, 2, follow_up_on=last_week)
    both = staff(Role.LEAD, second)
    Membership.objects.create(user=both, organisation=world["council"], role=Role.COMMISSIONER)
    two = staff(Role.LEAD, world["home"])
    Membership.objects.create(user=two, organisation=second, role=Role.LEAD)
    return {"lead": lead, "commissioner": world["commissioner"], "both": both, "two": two}


@pytest.mark.parametrize("who", ["lead", "commissioner", "both", "two"])
def test_what_is_waiting_is_what_it_was(waiting, who):
    user = waiting[who]
    now = selectors.waiting_for(user, today=TODAY)
    assert now == _then(user)
    assert now.any


def test_the_lead_sees_every_standing(waiting):
    now = selectors.waiting_for(waiting["lead"], today=TODAY)
    assert [r.title for r in now.unanswered] == [
        "Waiting <b>&</b>",
        "Overdue",
        "To a group",
    ]
    assert [r.title for r in now.follow_ups] == ["Answered 0", "Answered 2"]
    assert now.unanswered[1].standing.overdue
    assert now.follow_ups[1].standing.words.startswith("Declined on ")
    assert "No money & no staff" in now.follow_ups[1].standing.words
    assert now.follow_ups[0].standing.moved == "What changed: a <new> rule"
    assert now.unanswered[0].to.startswith("The leadership of ")


def test_the_limit_holds(waiting):
    user = waiting["lead"]
    assert selectors.waiting_for(user, today=TODAY, limit=1) == _then(user, limit=1)


def test_someone_who_answers_nothing_asks_no_query(world, django_assert_num_queries):
    for user in (world["coach"], world["convener"]):
        policy.roles(user)  # their roles, asked once a request
        with django_assert_num_queries(0):
            assert recommendations_waiting(user) is None
            assert selectors.waiting_for(user) == selectors.Waiting([], [])


def test_one_query_for_a_lead(waiting, django_assert_num_queries):
    user = waiting["two"]
    policy.roles(user)
    with django_assert_num_queries(1):
        selectors.waiting_for(user, today=TODAY)

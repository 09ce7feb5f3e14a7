"""The homes of a coach and a lead, made cheaper again (issue 11): the goals a coach's people
answered are read by a query the ORM writes once per sitting, naming the people by a subquery
(compared below with the query it replaced, kept here, for a coach of more than fifty); no
home puts a query together after its first request; and a lead of one organisation has their
queue's reads sent to PostgreSQL together. The pages' words are pinned by
tests/test_coach_home_html.py and tests/test_home_pages_html.py."""

from __future__ import annotations

import datetime
import traceback
from typing import Any

import pytest
from django.db import connection
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Role, User
from alongside.coaching.models import Goal, Relationship
from alongside.coaching.services.corrections import goal_decline
from alongside.core.models import AuditEntry
from alongside.home import selectors

from .factories import person
from .round_trips import round_trips

pytestmark = pytest.mark.django_db


def _then_answered(person_ids: list[int], since: datetime.datetime) -> list[tuple[Any, ...]]:
    """The goals `coach_week` read before, by the people's ids, with when each was declined."""
    declined_at = (
        AuditEntry.objects.filter(
            person_id=OuterRef("person_id"),
            object_type="coaching.goal",
            object_id=Cast(OuterRef("pk"), CharField()),
            detail=selectors.GOAL_DECLINED,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    answered = (
        Goal.objects.filter(person_id__in=person_ids, suggested_by__isnull=False)
        .annotate(declined_at=Subquery(declined_at))
        .filter(
            Q(accepted_at__gt=since)
            | Q(
                accepted_at__isnull=True,
                status=Goal.Status.CHANGED_MY_MIND,
                declined_at__gt=since,
            )
        )
    )
    return [(goal.pk, goal.accepted_at, goal.declined_at) for goal in answered]


def _people_answering(world: dict[str, Any], count: int) -> None:
    """`count` more people of the coach's, each with a goal accepted, one declined, one not
    answered and one of the coach's own (not suggested); half of them with an old answer."""
    coach = world["coach"]
    long_ago = timezone.now() - datetime.timedelta(days=60)
    for i in range(count):
        someone = person(world["home"], coach, f"Answering {i}")
        accepted = Goal.objects.create(person=someone, words="a", suggested_by=coach)
        accepted.accepted_at = timezone.now() if i % 2 else long_ago
        accepted.save()
        Goal.objects.create(person=someone, words="not answered", suggested_by=coach)
        Goal.objects.create(person=someone, words="their own")
        if someone.user is None:
            someone.user = User.objects.create_user(username=f"answering-{i}-{someone.pk}")
            someone.save()
        goal_decline(
            actor=someone.user,
            goal=Goal.objects.create(person=someone, words="b", suggested_by=coach),
        )
    # Someone who works with another coach, and their answers: not this coach's news.
    elsewhere = person(world["home"], world["lead"], "Elsewhere")
    theirs = Goal.objects.create(person=elsewhere, words="a", suggested_by=coach)
    theirs.accepted_at = timezone.now()
    theirs.save()


def test_the_answers_are_the_goals_the_id_list_found(world):
    _people_answering(world, 55)  # past fifty: the id list took more than fifty parameters
    coach = world["coach"]
    organisations = sorted(policy.organisations_where(coach, Role.COACH))
    people = list(
        Relationship.objects.filter(coach=coach, organisation_id__in=organisations).values_list(
            "person_id", flat=True
        )
    )
    assert len(people) > 50
    accepted_at = selectors.GOAL_COLUMNS.index("accepted_at")
    for since in (
        timezone.now() - datetime.timedelta(days=1),
        timezone.now() - datetime.timedelta(days=365),
        timezone.now() + datetime.timedelta(days=1),
    ):
        now = [
            (row[0], row[accepted_at], row[-1])
            for row in selectors._answers(coach.pk, organisations, since)
        ]
        then = _then_answered(people, since)
        assert sorted(now, key=lambda row: row[0]) == sorted(then, key=lambda row: row[0])
    week = selectors.coach_week(coach, since=timezone.now() - datetime.timedelta(days=1))
    assert len([a for a in week.answers if a.accepted]) == 27  # the odd ones of 55
    assert len([a for a in week.answers if not a.accepted]) == 55
    assert {type(a.goal) for a in week.answers} == {Goal}


def _compiled_by_the_homes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries the home's selectors have the ORM put together from here on."""
    found: list[str] = []
    real = SQLCompiler.as_sql

    def as_sql(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        sql = real(self, *args, **kwargs)
        if any(f.filename.endswith("home/selectors.py") for f in traceback.extract_stack()):
            found.append(str(sql[0]))
        return sql

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return found


@pytest.mark.parametrize("who", ["coach", "lead"])
def test_a_home_puts_no_query_together_after_the_first_request(world, login, monkeypatch, who):
    _people_answering(world, 3)
    client = login(world[who])
    assert client.get("/").status_code == 200
    compiled = _compiled_by_the_homes(monkeypatch)
    assert client.get("/").status_code == 200
    assert compiled == []


def test_a_lead_of_one_organisation_has_their_queue_read_in_one_round_trip(world, login):
    client = login(world["lead"])
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as statements, round_trips() as trips:
        assert client.get("/").status_code == 200
    sent = [statement["sql"] for statement in statements]
    assert len(set(sent)) == len(sent), "rows read ahead were asked for again"
    if connection.vendor != "postgresql":
        assert len(trips) == len(statements)
        return
    # Spends over the limit, erasures, corrections, the quiet ones, the kept numbers, the
    # month's check-ins and the spending: seven statements, one trip.
    assert len(statements) - len(trips) == 6, [sql[:60] for sql in sent]

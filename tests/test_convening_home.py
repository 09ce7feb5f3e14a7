"""The convening home (issue 13, items 5 and 6): overdue answers first, the four places the
learning lands with what has moved, and short lists of themes (live counts), groups and
experiments; only conveners; a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.coaching.models import ConsentEvent
from alongside.convening.models import (
    Answer,
    ConveningGroup,
    Experiment,
    Recommendation,
)

from .factories import person, text_of
from .test_convening_recommendations import (
    denied,
    last_audit_id,
    recommendation,
    shared_barrier,
    theme_with,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def words(page: str) -> str:
    """The page's words without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" :", ":").replace(" .", ".")


def section(page: str, title: str, next_title: str) -> str:
    return page.split(title, 1)[1].split(next_title, 1)[0]


def test_only_conveners_open_it(world, login):
    assert login(world["convener"]).get("/convening/").status_code == 200
    for user in [
        world["coach"],
        world["lead"],
        world["commissioner"],
        world["listener"],
        world["sam"].user,
    ]:
        since = last_audit_id()
        assert login(user).get("/convening/").status_code == 403, user
        assert denied(user, since), user


def test_overdue_answers_come_first(world, login):
    recommendation(world, title="Late and unanswered", answer_by=LAST_WEEK)
    recommendation(world, title="Not due yet", answer_by=NEXT_MONTH)
    followed = recommendation(world, title="Follow-up missed")
    Answer.objects.create(
        recommendation=followed,
        status="in_progress",
        words="We will look.",
        follow_up_on=LAST_WEEK,
        by=world["lead"],
    )
    recommendation(world, title="A draft with a past date", sent=False, answer_by=LAST_WEEK)

    page = text_of(login(world["convener"]).get("/convening/"))
    overdue = section(page, "Answers overdue", "Where the learning lands")
    assert "Late and unanswered" in overdue and "has not come" in overdue
    assert "Follow-up missed" in overdue and "follow-up was due" in overdue
    assert "Not due yet" not in overdue
    assert "A draft with a past date" not in overdue
    assert page.index("Answers overdue") < page.index("Where the learning lands")


def test_the_four_places_the_learning_lands_show_what_has_moved(world, login):
    accepted = recommendation(
        world, title="Train everyone in advocacy", lands_in=Recommendation.LandsIn.WORKFORCE
    )
    Answer.objects.create(
        recommendation=accepted,
        status="accepted",
        words="Yes.",
        what_changed="Two training days booked.",
        by=world["lead"],
    )
    recommendation(world, title="Change the rule", lands_in=Recommendation.LandsIn.SYSTEM)

    page = text_of(login(world["convener"]).get("/convening/"))
    lands = section(page, "Where the learning lands", "System themes")
    for label in (
        "Service design",
        "Workforce development",
        "Organisation development",
        "System design",
    ):
        assert label in lands
    workforce = section(lands, "Workforce development", "Organisation development")
    assert "Train everyone in advocacy" in workforce
    assert "Accepted on" in workforce
    assert "What changed: Two training days booked." in workforce
    system = section(lands, "System design", "</ul>")
    assert "Change the rule" in system and "waiting for an answer" in system
    assert "Nothing has landed here yet." in section(
        lands, "Service design", "Workforce development"
    )


def test_themes_show_live_counts_and_a_withdrawal_leaves_at_once(world, login):
    sam, alex = world["sam"], world["alex"]
    barriers = [shared_barrier(sam, "Housing", f"Waited {n} months.") for n in range(2)]
    barriers.append(shared_barrier(alex, "Housing", "Waited a year."))
    theme_with(world["home"], barriers, title="Waiting for housing")
    ConveningGroup.objects.create(organisation=world["home"], name="Housing circle")
    Experiment.objects.create(
        organisation=world["home"],
        title="A named contact",
        if_we="give everyone one named contact",
        then="fewer people fall off the list",
        starts_on=TODAY,
    )
    client = login(world["convener"])
    page = text_of(client.get("/convening/"))
    assert "Waiting for housing: 3 barriers." in words(page)
    assert "Housing circle" in page and "A named contact" in page

    ConsentEvent.objects.create(
        person=sam, choice=ConsentEvent.Choice.SHARE_BARRIERS, scope="", given=False
    )
    assert "Waiting for housing: 1 barrier." in words(text_of(client.get("/convening/")))
    # Nobody is named.
    assert "Sam" not in page and "Alex" not in page


def _add(world, count: int, start: int) -> None:
    for i in range(start, start + count):
        someone = person(world["home"], world["coach"], f"P{i}")
        theme = theme_with(
            world["home"],
            [shared_barrier(someone, "Housing", f"Story {i}.")],
            title=f"Theme {i}",
        )
        rec = recommendation(
            world,
            title=f"Rec {i}",
            answer_by=LAST_WEEK if i % 2 else None,
            lands_in=Recommendation.LandsIn.values[i % 4],
        )
        rec.themes.add(theme)
        Answer.objects.create(recommendation=rec, status="accepted", words="Yes.", by=world["lead"])
        ConveningGroup.objects.create(organisation=world["home"], name=f"Group {i}")
        Experiment.objects.create(
            organisation=world["home"], title=f"Try {i}", if_we="a", then="b", starts_on=TODAY
        )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/convening/").status_code == 200
    return len(captured)


def test_the_home_runs_the_same_queries_for_few_or_many(world, login):
    client = login(world["convener"])
    _add(world, 9, 0)  # past the short lists' length, so their counts are asked for
    client.get("/convening/")
    few = _queries(client)
    _add(world, 30, 9)
    assert _queries(client) == few, "a query per recommendation, theme or group crept in"
    # Session, user, memberships, the organisations; recommendations and answers; themes,
    # their counts and how many; groups and how many; experiments and how many.
    assert few <= 16, few


def test_lead_home_stays_within_its_budget_with_recommendations_waiting(world, login):
    """The lead's home adds one block, one query whether or not something is waiting."""
    client = login(world["lead"])
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for i in range(5):
        rec = recommendation(world, title=f"Waiting {i}", answer_by=LAST_WEEK)
        if i % 2:
            Answer.objects.create(
                recommendation=rec, status="accepted", follow_up_on=LAST_WEEK, by=world["lead"]
            )
    with CaptureQueriesContext(connection) as after:
        page = text_of(client.get("/"))
    block = section(page, "Recommendations waiting for your answer", "</section>")
    assert "Waiting 4" in block and "has not come" in block
    assert "Follow-ups due" in block and "Waiting 3" in block.split("Follow-ups due")[1]
    assert len(after) == len(before)

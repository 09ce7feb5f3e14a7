"""The area insight home (issue 14): the area's dashboard on one screen, every figure about
people disclosure-controlled, in a fixed number of queries, for the area's analysts and
commissioners only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.accounts.models import Membership, Organisation, Role
from alongside.coaching.models import CheckIn
from alongside.insight.models import (
    Analysis,
    DataSet,
    Finding,
    Pulse,
    PulseAnswer,
    PulseRound,
    Statement,
    Tracker,
    TrackerValue,
)
from alongside.insight.selectors import home as selectors

from .factories import area, organisation, person, staff, text_of

pytestmark = pytest.mark.django_db


def add_work(world, how_many: int) -> list[Finding]:
    """`how_many` analyses each with a finding, statements with a survey tracker, pulses."""
    place, council, analyst = world["area"], world["council"], world["analyst"]
    kept = {"area": place, "organisation": council, "created_by": analyst}
    records = DataSet.objects.create(
        **kept,
        kind=DataSet.Kind.RECORDS,
        title="Housing contacts 2026",
        status="ready",
        row_count=12_345,
    )
    found = []
    for i in range(how_many):
        analysis = Analysis.objects.create(**kept, records=records, by="ethnicity")
        found.append(
            Finding.objects.create(
                **kept,
                analysis=analysis,
                measure=Finding.Measure.OUTCOME,
                group=f"Group {i}",
                sentence=f"Group {i} residents were housed at 0.6{i} times the rate of everyone "
                "else",
                ratio=0.6,
                ratio_ci_low=0.5,
                ratio_ci_high=0.7,
            )
        )
        statement = Statement.objects.create(
            **kept,
            voice=Statement.Voice.I,
            words=f"I am heard the first time ({i})",
            status=Statement.Status.AGREED,
        )
        tracker = Tracker.objects.create(
            statement=statement, kind=Tracker.Kind.SURVEY, title=f"Felt heard {i}"
        )
        TrackerValue.objects.create(
            tracker=tracker, period_start=date(2026, 4, 1), value=3.5, respondents=40
        )
        TrackerValue.objects.create(
            tracker=tracker, period_start=date(2026, 7, 1), value=3.9, respondents=7
        )
        pulse = Pulse.objects.create(
            **kept, audience=Pulse.Audience.WORKERS, title=f"Workers' pulse {i}"
        )
        rnd = PulseRound.objects.create(pulse=pulse, title="Spring", opens_on=date(2026, 3, 1))
        PulseAnswer.objects.bulk_create(PulseAnswer(round=rnd, answers={"a": 3}) for _ in range(12))
    return found


def test_the_home_shows_the_area_dashboard(world, login):
    found = add_work(world, 2)

    response = login(world["analyst"]).get(reverse("insight:home"))

    assert response.status_code == 200
    text = text_of(response)
    assert world["area"].name in text
    # Data sets: counted, the newest named, its rows protected (12,345 → 12,345 rounded to 5).
    assert "Housing contacts 2026" in text and "12,345 rows" in text
    # Findings as sentences, newest first.
    assert text.index(found[1].sentence) < text.index(found[0].sentence)
    # What good looks like: a tracker's latest value with fewer than 10 answering is hidden.
    assert "Felt heard 0" in text and "Felt heard 1" in text
    assert "3.9" not in text and "fewer than 10 answered" in text.lower()
    # The pulse: 12 answers rounded to the nearest 5.
    assert "10 answers" in text
    assert "12 answers" not in text
    # Wellbeing and the briefing.
    assert "None of the 2 coaching organisations in the area shares" in text
    assert reverse("insight:wellbeing") in text
    assert reverse("insight:briefing") in text and reverse("insight:briefing_docx") in text


def test_the_wellbeing_headline_is_on_the_home(world, login):
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    for i in range(10):
        who = person(home, name=f"W{i}")
        CheckIn.objects.create(
            person=who, taken_on=date(2026, 1, 1), answers={"life_satisfaction": 4}
        )
        CheckIn.objects.create(
            person=who, taken_on=date(2026, 3, 1), answers={"life_satisfaction": 6}
        )

    text = text_of(login(world["commissioner"]).get(reverse("insight:home")))

    assert "Life satisfaction rose by 2.00 points on average, from 4.00 to 6.00" in text
    assert "£260,000" in text  # 2 points × 10 people × £13,000


def test_the_home_keeps_a_fixed_query_count(world, login):
    client = login(world["analyst"])
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    add_work(world, 1)
    client.get(reverse("insight:home"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("insight:home")).status_code == 200

    add_work(world, 4)
    for i in range(12):
        who = person(home, name=f"Q{i}")
        for day in (date(2026, 1, 1), date(2026, 2, 1) + timedelta(days=i)):
            CheckIn.objects.create(person=who, taken_on=day, answers={"happiness": 5})
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("insight:home")).status_code == 200

    assert len(five.captured_queries) == len(one.captured_queries), [
        q["sql"] for q in five.captured_queries
    ]


def test_the_dashboard_shows_at_most_five_findings_and_the_total(world):
    add_work(world, 7)

    page = selectors.dashboard(world["area"])

    assert len(page.findings.rows) == 5 and page.findings.total == 7
    assert len(page.good.trackers) == 5


@pytest.mark.parametrize("who", ["coach", "lead", "convener", "listener", "assessor"])
def test_others_are_refused(world, login, who):
    assert login(world[who]).get(reverse("insight:home")).status_code == 403


def test_a_person_is_refused(world, login):
    assert login(world["sam"].user).get(reverse("insight:home")).status_code == 403


def test_another_areas_commissioner_sees_only_their_area(world, login):
    add_work(world, 1)
    far = area("Farley")
    far_commissioner = staff(
        Role.COMMISSIONER, organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=far)
    )
    client = login(far_commissioner)

    own = client.get(reverse("insight:home"))
    asked = client.get(reverse("insight:home") + f"?area={world['area'].pk}")

    assert own.status_code == 200 and "Housing contacts 2026" not in text_of(own)
    assert asked.status_code == 403


def test_someone_working_on_two_areas_chooses_between_them(world, login):
    add_work(world, 1)
    far = area("Farley")
    far_council = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=far)
    Membership.objects.create(user=world["analyst"], organisation=far_council, role=Role.ANALYST)
    client = login(world["analyst"])

    first = text_of(client.get(reverse("insight:home")))
    chosen = client.get(reverse("insight:home") + f"?area={far.pk}")

    assert 'name="area"' in first  # the chooser
    assert chosen.status_code == 200
    assert f"Area insight: {far.name}" in text_of(chosen)
    assert "Housing contacts 2026" not in text_of(chosen)
    assert f"/insight/briefing/?area={far.pk}" in text_of(chosen)
    assert client.get(reverse("insight:home") + "?area=nonsense").status_code == 403

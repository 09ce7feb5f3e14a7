"""Area insight's key pages run a fixed number of queries however much the area holds
(issue 14; the home has its own test in test_insight_home.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

from .test_insight_demo import world_insight_ids

pytestmark = pytest.mark.django_db

PAGES = [
    "/insight/data/",
    "/insight/analyses/",
    "/insight/analyses/{analysis}/",
    "/insight/findings/{finding}/",
    "/insight/good/",
    "/insight/good/{statement}/",
    "/insight/pulse/",
    "/insight/pulse/{pulse}/",
    "/insight/wellbeing/",
]


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _more(world, ids) -> None:
    """Five times as much of everything the pages list."""
    area, council, analyst = world["area"], world["council"], world["analyst"]
    kept = {"area": area, "organisation": council, "created_by": analyst}
    analysis = Analysis.objects.get(pk=ids["analysis"])
    statement = Statement.objects.get(pk=ids["statement"])
    pulse = Pulse.objects.get(pk=ids["pulse"])
    for i in range(5):
        data_set = DataSet.objects.create(
            **kept, kind=DataSet.Kind.RECORDS, title=f"Contacts {i}", status="ready"
        )
        copy = Analysis.objects.create(
            **kept,
            records=data_set,
            by=analysis.by,
            outcome=analysis.outcome,
            figures=analysis.figures,
        )
        for finding in analysis.findings.all():
            Finding.objects.create(
                **kept,
                analysis=copy,
                measure=finding.measure,
                group=finding.group,
                sentence=finding.sentence,
                ratio=finding.ratio,
                ratio_ci_low=finding.ratio_ci_low,
                ratio_ci_high=finding.ratio_ci_high,
            )
        other = Statement.objects.create(**kept, voice="we", words=f"We listen first {i}.")
        for kind, measure in (("survey", ""), ("measure", "goals_own_words")):
            tracker = Tracker.objects.create(
                statement=other, kind=kind, title=f"Tracker {i}", measure=measure
            )
            TrackerValue.objects.create(
                tracker=tracker,
                period_start=datetime.date(2026, 1 + i, 1),
                value=0.5,
                respondents=20,
            )
        survey = statement.trackers.filter(kind=Tracker.Kind.SURVEY).first()
        if survey:
            TrackerValue.objects.create(
                tracker=survey,
                period_start=datetime.date(2025, 1 + i, 1),
                value=0.4,
                respondents=15,
            )
        round_ = PulseRound.objects.create(
            pulse=pulse, title=f"Round {i}", opens_on=datetime.date(2025, 1 + i, 1)
        )
        keys = [item["key"] for item in pulse.items]
        PulseAnswer.objects.bulk_create(
            PulseAnswer(round=round_, answers={key: 1 + (n % 5) for key in keys}) for n in range(12)
        )


@pytest.mark.parametrize("path", PAGES)
def test_insight_pages_have_a_fixed_query_count(world, login, path):
    ids = world_insight_ids(world)
    target = path.format(**ids)
    client = login(world["analyst"])
    client.get(target)
    few = _queries(client, target)
    _more(world, ids)
    many = _queries(client, target)
    assert few == many, f"{target}: {few} queries, then {many} with more (N+1)"

"""The demo's area insight and the invented data behind it: the records name a group the
system clearly lets down and groups small enough to be suppressed; the demo brings them in
through the real import, keeps an analysis with its finding, statements with trackers and a
pulse per audience; the same every time, idempotent, and no audit trail of a thing nobody did."""

# Table names come from DataSet.table_name ("records_<id>").
# ruff: noqa: S608

from __future__ import annotations

import csv
import datetime
import functools
import re
from collections import Counter, defaultdict
from typing import Any

import pytest

from alongside.accounts.models import Membership, Organisation, Role
from alongside.core.models import AuditEntry
from alongside.demo.seed import seed_demo
from alongside.insight import storage, synthetic
from alongside.insight.models import (
    Analysis,
    DataSet,
    Finding,
    Pulse,
    PulseAnswer,
    SavedMapping,
    Statement,
    Tracker,
)

N = 20


# --- the invented data ---------------------------------------------------------------------


def _records(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_records_are_the_same_for_a_seed_and_differ_for_another(tmp_path):
    one = synthetic.write_records(tmp_path / "one.csv", rows=3000, seed=1)
    again = synthetic.write_records(tmp_path / "again.csv", rows=3000, seed=1)
    other = synthetic.write_records(tmp_path / "other.csv", rows=3000, seed=2)
    assert one.read_bytes() == again.read_bytes()
    assert one.read_bytes() != other.read_bytes()
    assert synthetic.population_rows(1) == synthetic.population_rows(1)
    assert synthetic.population_rows(1) != synthetic.population_rows(2)


def test_records_have_the_shape_the_mapping_names(tmp_path):
    rows = _records(synthetic.write_records(tmp_path / "r.csv", rows=5000))
    assert len(rows) == 5000
    assert list(rows[0]) == synthetic.RECORDS_HEADERS
    mapped = {synthetic.RECORDS_MAPPING[k] for k in ("person_id", "date", "service")}
    mapped |= set(synthetic.RECORDS_MAPPING["characteristics"].values())
    mapped |= {o["column"] for o in synthetic.RECORDS_MAPPING["outcomes"].values()}
    assert mapped == set(synthetic.RECORDS_HEADERS)
    assert all(re.fullmatch(r"P\d{7}", row["Client ref"]) for row in rows)
    days = {datetime.date.fromisoformat(row["Episode start"]) for row in rows}
    assert min(days) >= synthetic.FIRST_DAY
    assert max(days) < synthetic.FIRST_DAY + datetime.timedelta(days=synthetic.DAYS)
    assert (max(days) - min(days)).days > 700  # spread over two years
    assert {row["Service"] for row in rows} == {name for name, _ in synthetic.SERVICES}

    episodes = Counter(row["Client ref"] for row in rows)
    services = defaultdict(set)
    people = {}
    for row in rows:
        services[row["Client ref"]].add(row["Service"])
        described = tuple(row[h] for h in ("Age band", "Sex", "Ethnic group", "Disability"))
        # A person is described the same way on each of their episodes.
        assert people.setdefault(row["Client ref"], described) == described
    assert set(episodes.values()) == {1, 2, 3, 4, 5, 6}
    assert 2.2 < len(rows) / len(episodes) < 2.8
    assert sum(len(s) >= 3 for s in services.values()) > len(episodes) * 0.1
    # Each person is housed at most once, and "stayed housed" is filled in only beside a yes.
    housed = Counter(row["Client ref"] for row in rows if row["Housed"] == "Yes")
    assert max(housed.values()) == 1
    assert all((row["Stayed housed 6 months"] != "") == (row["Housed"] == "Yes") for row in rows)


def test_black_residents_are_housed_at_about_six_tenths_the_rate(tmp_path):
    rows = _records(synthetic.write_records(tmp_path / "r.csv", rows=20000))
    group, housed = {}, set()
    for row in rows:
        group[row["Client ref"]] = row["Ethnic group"] == synthetic.BLACK
        if row["Housed"] == "Yes":
            housed.add(row["Client ref"])
    black = [p for p, is_black in group.items() if is_black]
    others = [p for p, is_black in group.items() if not is_black]
    rate = sum(p in housed for p in black) / len(black)
    rate_others = sum(p in housed for p in others) / len(others)
    assert 0.5 < rate / rate_others < 0.7
    # And over-represented: about twice their share of the area's residents.
    share_in_services = len(black) / len(group)
    population = synthetic.population_rows()
    residents = sum(r["Residents"] for r in population)
    share = sum(r["Residents"] for r in population if r["Ethnic group"] == synthetic.BLACK)
    assert share_in_services / (share / residents) > 1.7


def test_the_population_is_a_census_like_area_of_about_200000(tmp_path):
    path = synthetic.write_population(tmp_path / "p.csv")
    rows = _records(path)
    assert list(rows[0]) == synthetic.POPULATION_HEADERS
    assert 190_000 < sum(int(r["Residents"]) for r in rows) < 210_000
    ethnic = {r["Ethnic group"] for r in rows}
    assert ethnic == {e for e, _, share in synthetic.ETHNICITY if share}


# --- the demo -------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    seed_demo(people=N, seed=1)
    council = Organisation.objects.get(slug="northfield-council")
    return {"council": council, "area": council.area}


def _the_analyst_works_at_the_council_and_also_listens(demo):
    held = set(
        Membership.objects.filter(user__username="nadia").values_list("organisation__slug", "role")
    )
    assert held == {("northfield-council", Role.ANALYST), ("northfield-council", Role.LISTENER)}


def _both_data_sets_came_in_through_the_import_with_their_mapping(demo):
    area = demo["area"]
    records = DataSet.objects.get(area=area, kind=DataSet.Kind.RECORDS)
    population = DataSet.objects.get(area=area, kind=DataSet.Kind.POPULATION)
    for dataset, mapping in (
        (records, synthetic.RECORDS_MAPPING),
        (population, synthetic.POPULATION_MAPPING),
    ):
        assert dataset.status == DataSet.Status.READY
        assert dataset.mapping == mapping
        assert SavedMapping.objects.get(area=area, kind=dataset.kind).mapping == mapping
        assert dataset.organisation == demo["council"]
    assert records.row_count == 20_000
    assert records.first_date >= synthetic.FIRST_DAY
    with storage.reading(area.pk) as connection:
        (rows,) = connection.execute(f"SELECT count(*) FROM {records.table_name}").fetchone()
        (residents,) = connection.execute(
            f"SELECT sum(count) FROM {population.table_name}"
        ).fetchone()
        ethnic = {
            value
            for (value,) in connection.execute(
                f"SELECT DISTINCT ethnicity FROM {records.table_name}"
            ).fetchall()
        }
    assert rows == 20_000
    assert 190_000 < residents < 210_000
    # Read as the ONS categories: "Prefer not to say" is not recorded.
    assert "Not recorded" in ethnic and "Prefer not to say" not in ethnic


def _the_analysis_flags_black_residents_and_suppresses_a_small_group(demo):
    analysis = Analysis.objects.get(area=demo["area"])
    assert (analysis.by, analysis.outcome) == ("ethnicity", "outcome_housed")
    finding = Finding.objects.get(analysis=analysis, measure="outcome", ratio__lt=1)
    assert finding.sentence.startswith("Black residents were housed at 0.")
    assert finding.sentence.endswith("times the rate of everyone else")
    assert 0.5 < finding.ratio < 0.7 and finding.ratio_ci_high < 1
    assert Finding.objects.filter(
        analysis=analysis, measure="representation", group=synthetic.BLACK, ratio__gt=1.5
    ).exists()
    groups = analysis.figures["groups"]
    suppressed = [g for g in groups if g["suppressed"]]
    assert suppressed and all(g["n"] is None for g in suppressed)
    assert all(g["measures"]["outcome"]["rate"] is None for g in suppressed)
    assert any(g["n_text"] == "fewer than 10" for g in suppressed)
    assert "P0" not in str(analysis.figures)  # no pseudonymous id is kept


def _providers_share_their_coaching_figures(demo):
    assert set(
        Organisation.objects.filter(shares_coaching_figures_in_area=True).values_list(
            "slug", flat=True
        )
    ) == {"harbour-lane", "riverside-futures"}


def _statements_in_each_voice_with_each_kind_of_tracker(demo):
    statements = Statement.objects.filter(area=demo["area"])
    assert {s.voice for s in statements} == set(Statement.Voice.values)
    assert {s.status for s in statements} == set(Statement.Status.values)
    assert all(s.agreed_on for s in statements if s.status == Statement.Status.AGREED)
    trackers = Tracker.objects.filter(statement__area=demo["area"])
    assert {t.kind for t in trackers} == set(Tracker.Kind.values)
    survey = trackers.get(kind=Tracker.Kind.SURVEY)
    assert survey.values.filter(respondents__gte=10).count() >= 3
    assert survey.values.filter(respondents__lt=10).exists()
    assert trackers.get(kind=Tracker.Kind.STORIES).exercise is not None
    agreed = statements.get(words__startswith="I have a home I chose")
    named = agreed.people.filter(consents_to_be_named=True)
    assert [p.name for p in named] == ["Lou"]
    unnamed = agreed.people.filter(consents_to_be_named=False)
    assert unnamed.exists() and all(p.name == "" for p in unnamed)


def _a_pulse_for_each_audience_enough_answers_for_one_too_few_for_another(demo):
    pulses = Pulse.objects.filter(area=demo["area"])
    assert {p.audience for p in pulses} == set(Pulse.Audience.values)
    # Answers in each round, per audience: enough to show for workers, too few for citizens.
    answers = {
        p.audience: [r.answers.count() for r in p.rounds.order_by("opens_on")] for p in pulses
    }
    assert len(answers[Pulse.Audience.WORKERS]) == 2
    assert min(answers[Pulse.Audience.WORKERS]) >= 10
    assert max(answers[Pulse.Audience.CITIZENS]) < 10
    for pulse in pulses:
        keys = {item["key"] for item in pulse.items}
        for answer in PulseAnswer.objects.filter(round__pulse=pulse):
            assert set(answer.answers) <= keys
            assert all(1 <= v <= 5 for v in answer.answers.values())
        for one in pulse.rounds.all():
            assert one.closes_on < datetime.date.today()  # a past round


def _the_analyst_and_the_commissioner_see_the_finding(demo, login):
    from alongside.accounts.models import User

    analysis = Analysis.objects.get(area=demo["area"])
    finding = Finding.objects.get(analysis=analysis, measure="outcome", ratio__lt=1)
    for username in ("nadia", "aisha"):
        client = login(User.objects.get(username=username))
        page = client.get(f"/insight/analyses/{analysis.pk}/").content.decode()
        assert finding.sentence in page, username
        assert not re.search(r"\bP\d{7}\b", page), username


@pytest.mark.django_db
def test_the_demo_has_its_analyst_data_analysis_statements_and_pulses(demo, login):
    # One demo for all of these: seeding takes a couple of seconds.
    _the_analyst_works_at_the_council_and_also_listens(demo)
    _both_data_sets_came_in_through_the_import_with_their_mapping(demo)
    _the_analysis_flags_black_residents_and_suppresses_a_small_group(demo)
    _providers_share_their_coaching_figures(demo)
    _statements_in_each_voice_with_each_kind_of_tracker(demo)
    _a_pulse_for_each_audience_enough_answers_for_one_too_few_for_another(demo)
    _the_analyst_and_the_commissioner_see_the_finding(demo, login)


@pytest.mark.django_db
def test_running_again_leaves_the_same_insight_and_no_audit_trail(demo):
    def snapshot():
        analysis = Analysis.objects.get(area=demo["area"])
        return (
            analysis.figures,
            sorted(Finding.objects.values_list("sentence", flat=True)),
            sorted(Statement.objects.values_list("words", "status", "agreed_on")),
            sorted(map(str, PulseAnswer.objects.values_list("answers", flat=True))),
            sorted(DataSet.objects.values_list("title", "row_count", "status")),
        )

    before = snapshot()
    old_tables = [d.table_name for d in DataSet.objects.all()]
    seed_demo(people=N, seed=1)
    assert snapshot() == before
    with storage.reading(demo["area"].pk) as connection:
        tables = {name for (name,) in connection.execute("SHOW TABLES").fetchall()}
    assert tables == {d.table_name for d in DataSet.objects.all()}
    assert not tables & set(old_tables)
    assert not AuditEntry.objects.filter(object_type__startswith="insight.").exists()


def test_the_insight_story_is_told_from_the_same_day_as_the_rest_of_the_demo():
    from alongside.demo import insight, seed

    assert insight.REFERENCE_DATE == seed.REFERENCE_DATE
    moment = datetime.date(2026, 6, 3)
    assert insight.at(moment, 16) == seed.at(moment, 16)


# --- ids for the pages lists (tests/test_security_headers.PAGES and the axe walk) ------------

INSIGHT_KEYS = (
    "dataset",
    "population",
    "analysis",
    "finding",
    "statement",
    "tracker",
    "pulse",
    "pulse_round",
    "pulse_token",
)


def insight_ids(area) -> dict[str, Any]:
    """The ids the insight pages in the pages lists name, from an area seeded by
    `demo.insight.seed_insight`: the records and the population, the analysis and its
    finding about Black residents, the agreed statement and its survey tracker, the workers'
    pulse with its past round, and a private link to a round opened now (made through the
    service, which hands the tokens out once)."""
    from alongside.insight.services.pulses import round_create

    pulse = Pulse.objects.get(area=area, audience=Pulse.Audience.WORKERS)
    analysis = Analysis.objects.get(area=area)
    statement = Statement.objects.get(area=area, words__startswith="I have a home I chose")
    _, tokens = round_create(
        actor=pulse.created_by,
        pulse=pulse,
        title="This month",
        opens_on=datetime.date.today() - datetime.timedelta(days=1),
        closes_on=None,
        links=1,
    )
    return {
        "dataset": analysis.records_id,
        "population": analysis.population_id,
        "analysis": analysis.pk,
        "finding": analysis.findings.get(measure="outcome", group=synthetic.BLACK).pk,
        "statement": statement.pk,
        "tracker": statement.trackers.get(kind=Tracker.Kind.SURVEY).pk,
        "pulse": pulse.pk,
        "pulse_round": pulse.rounds.first().pk,
        "pulse_token": tokens[0],
    }


def demo_insight_ids() -> dict[str, Any]:
    """`insight_ids` for the demo's Northfield (the axe walk)."""
    return insight_ids(Organisation.objects.get(slug="northfield-council").area)


@functools.cache
def _figures() -> Any:
    from alongside.demo.insight import precompute

    # Enough rows for the finding about Black residents to be flagged; brought in once.
    return precompute(rows=2000)


def world_insight_ids(world) -> dict[str, Any]:
    """`insight_ids` for tests/factories.world(): its area's insight seeded as the demo's,
    from figures worked out once for the whole run (so a page test costs no import)."""
    import random

    from alongside.demo.insight import seed_insight

    seed_insight(
        area=world["area"],
        council=world["council"],
        analyst=world["analyst"],
        providers=[world["home"], world["other"]],
        exercise=None,
        rng=random.Random(1),
        figures=_figures(),
    )
    return insight_ids(world["area"])

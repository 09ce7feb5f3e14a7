"""Area insight for the demo: Northfield Council's analyst, Nadia, works on the area's picture.

    from alongside.demo.insight import seed_insight
    report = seed_insight(area=area, council=council, analyst=nadia, providers=[...],
                          exercise=demo_exercise, rng=random.Random(seed), shift=timedelta(0))

Two data sets brought in through the real import (`insight.importing.bring_in`, DuckDB): about
20,000 invented service records (`insight.synthetic`) and the area's population. One analysis
by ethnic group with the outcome "housed", worked out by `insight.equalities` as the analyses
page does: Black residents were housed at about 0.6 times the rate of everyone else, and a
group too small to show is suppressed. Both demo providers share their coaching figures with
the area. Statements of what good looks like in each voice, with ways to track them (a measure
from Alongside, a survey item with values, stories from the demo listening exercise), one
agreed with a person who consented to be named and another who took part unnamed. A pulse for
each audience with two past rounds of answers: enough for leaders and for workers and
volunteers to show, too few for citizens (held back).

Tests that need an area's insight many times over (the page lists) work the figures out once
with `precompute()` and pass them as `seed_insight(..., figures=...)`: the same rows, with no
file brought in.

Deterministic for a given `rng`; every date the area decided on is worked out from
REFERENCE_DATE and moved by `shift`, like the rest of the demo. Idempotent: the area's insight
rows and DuckDB tables are removed and built again. Seeding is not something a user did, so it
writes no audit entries. Everything here is invented.
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from alongside.accounts.models import Area, Organisation
from alongside.insight import storage, synthetic
from alongside.insight.models import (
    Analysis,
    DataSet,
    Finding,
    Pulse,
    PulseAnswer,
    PulseLink,
    PulseRound,
    SavedMapping,
    Statement,
    StatementPerson,
    Tracker,
    TrackerValue,
    hash_token,
)

# seed.py calls this module, so it cannot import from seed.py: the same day the story is told
# from (tests/test_insight_demo.py checks they agree).
REFERENCE_DATE = date(2026, 11, 1)
RECORDS = 20_000
RECORDS_TITLE = "Northfield service records, November 2024 to October 2026"
POPULATION_TITLE = "Northfield residents aged 16 and over (Census 2021 shares)"
RECORDS_FILE = "northfield-service-records.csv"
POPULATION_FILE = "northfield-population.csv"
BY = "ethnicity"
OUTCOME = "housed"


@dataclass
class InsightReport:
    records: DataSet
    population: DataSet
    analysis: Analysis
    findings: int
    statements: int
    pulses: int
    answers: int


def at(day: date, hour: int = 11) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def seed_insight(
    *,
    area: Area,
    council: Organisation,
    analyst: Any,
    providers: list[Organisation],
    exercise: Any | None,
    rng: random.Random,
    shift: timedelta = timedelta(0),
    rows: int = RECORDS,
    figures: Figures | None = None,
) -> InsightReport:
    """Build (or rebuild) the area's insight, kept by `council`, made by `analyst`. With
    `figures` (from `precompute`), no file is brought in: the rows say what it would have."""

    def day(d: date) -> date:
        return d + shift

    _clear(area)
    Organisation.objects.filter(pk__in=[p.pk for p in providers]).update(
        shares_coaching_figures_in_area=True
    )
    records, population = _data_sets(area, council, analyst, rows, day, figures)
    analysis = _analysis(area, council, analyst, records, population, day, figures)
    statements = _statements(area, council, analyst, exercise, rng, day)
    pulses, answers = _pulses(area, council, analyst, rng, day)
    return InsightReport(
        records=records,
        population=population,
        analysis=analysis,
        findings=analysis.findings.count(),
        statements=statements,
        pulses=pulses,
        answers=answers,
    )


def _clear(area: Area) -> None:
    # The demo area's DuckDB file holds only the demo's tables: removing it is the quick way
    # to drop them all (a page reading it keeps its open copy until it closes).
    _remove_file(area.pk)
    Finding.objects.filter(area=area).delete()
    Analysis.objects.filter(area=area).delete()
    DataSet.objects.filter(area=area).delete()
    SavedMapping.objects.filter(area=area).delete()
    Statement.objects.filter(area=area).delete()
    Pulse.objects.filter(area=area).delete()


# --- data sets and the analysis -------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What bringing a file in found: its rows and the span of its dates."""

    rows: int
    first_date: date | None
    last_date: date | None


@dataclass(frozen=True)
class Figures:
    """The demo's files brought in and analysed once, for tests that need the rows an analyst
    would have (many times over) but not the DuckDB tables: `precompute`, then
    `seed_insight(..., figures=...)` writes only the database rows."""

    records: Imported
    population: Imported
    figures: dict[str, Any]


# (kind, title, the file's name, its mapping, its headers)
FILES = [
    (
        DataSet.Kind.RECORDS,
        RECORDS_TITLE,
        RECORDS_FILE,
        synthetic.RECORDS_MAPPING,
        synthetic.RECORDS_HEADERS,
    ),
    (
        DataSet.Kind.POPULATION,
        POPULATION_TITLE,
        POPULATION_FILE,
        synthetic.POPULATION_MAPPING,
        synthetic.POPULATION_HEADERS,
    ),
]


def _bring_in(area_id: int, table: str, kind: str, rows: int, folder: Path) -> Imported:
    """Write the invented file and bring it in through the real import."""
    from alongside.insight import importing  # DuckDB: imported where used

    if kind == DataSet.Kind.RECORDS:
        path = synthetic.write_records(folder / RECORDS_FILE, rows=rows)
        mapping = synthetic.RECORDS_MAPPING
    else:
        path = synthetic.write_population(folder / POPULATION_FILE)
        mapping = synthetic.POPULATION_MAPPING
    result = importing.bring_in(
        area_id=area_id, table=table, path=path, file_format="csv", kind=kind, mapping=mapping
    )
    if result.problem_count:
        raise RuntimeError(f"The demo's {path.name} did not come in: {result.problems[:3]}")
    return Imported(result.rows, result.first_date, result.last_date)


def _figures(area_id: int, records_table: str, population_table: str) -> dict[str, Any]:
    """What the analyses page keeps when Nadia asks for ethnic group and "housed"."""
    from alongside.insight import equalities

    outcome = synthetic.RECORDS_MAPPING["outcomes"][OUTCOME]
    with storage.reading(area_id) as connection:
        analysed = equalities.analyse(
            connection,
            records=records_table,
            population=population_table,
            by=BY,
            outcome=storage.OUTCOME_PREFIX + OUTCOME,
            outcome_phrase=outcome["phrase"],
        )
    return analysed.as_json()


def precompute(rows: int = RECORDS) -> Figures:
    """Bring the demo's files in and analyse them in a scratch DuckDB file, removed after."""
    scratch = -os.getpid()  # an area id no area has, and no other process uses
    try:
        with tempfile.TemporaryDirectory(prefix="demo-insight-") as folder:
            records = _bring_in(scratch, "records_1", DataSet.Kind.RECORDS, rows, Path(folder))
            population = _bring_in(
                scratch, "population_2", DataSet.Kind.POPULATION, rows, Path(folder)
            )
        figures = _figures(scratch, "records_1", "population_2")
    finally:
        _remove_file(scratch)
    return Figures(records, population, figures)


def _remove_file(area_id: int) -> None:
    path = storage.area_file(area_id)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _data_sets(
    area: Area,
    council: Organisation,
    analyst: Any,
    rows: int,
    day: Any,
    figures: Figures | None,
) -> tuple[DataSet, DataSet]:
    made = []
    brought_in = at(day(REFERENCE_DATE - timedelta(days=20)), 10)
    with tempfile.TemporaryDirectory(prefix="demo-insight-") as folder:
        for kind, title, name, mapping, headers in FILES:
            dataset = DataSet.objects.create(
                area=area,
                organisation=council,
                created_by=analyst,
                created_at=brought_in,
                kind=kind,
                title=title,
                status=DataSet.Status.CHECKING,
                source_name=name,
                source_format="csv",
                headers=list(headers),
                mapping=mapping,
            )
            if figures is None:
                found = _bring_in(area.pk, dataset.table_name, kind, rows, Path(folder))
            else:
                found = figures.records if kind == DataSet.Kind.RECORDS else figures.population
            dataset.status = DataSet.Status.READY
            dataset.row_count = found.rows
            dataset.first_date = found.first_date
            dataset.last_date = found.last_date
            dataset.imported_at = brought_in
            dataset.save()
            SavedMapping.objects.update_or_create(
                area=area, kind=kind, defaults={"mapping": mapping, "headers": list(headers)}
            )
            made.append(dataset)
    return made[0], made[1]


def _analysis(
    area: Area,
    council: Organisation,
    analyst: Any,
    records: DataSet,
    population: DataSet,
    day: Any,
    figures: Figures | None,
) -> Analysis:
    """Kept as `insight.services.analyses.analysis_create` keeps one (without an audit
    entry: nobody did this)."""
    kept = (
        _figures(area.pk, records.table_name, population.table_name)
        if figures is None
        else figures.figures
    )
    made = at(day(REFERENCE_DATE - timedelta(days=18)), 14)
    analysis = Analysis.objects.create(
        area=area,
        organisation=council,
        created_by=analyst,
        created_at=made,
        records=records,
        population=population,
        by=BY,
        outcome=storage.OUTCOME_PREFIX + OUTCOME,
        figures=kept,
    )
    Finding.objects.bulk_create(
        Finding(
            area=area,
            organisation=council,
            created_by=analyst,
            created_at=made,
            analysis=analysis,
            measure=finding["measure"],
            group=finding["group"],
            sentence=finding["sentence"],
            ratio=finding["ratio"],
            ratio_ci_low=finding["ratio_ci_low"],
            ratio_ci_high=finding["ratio_ci_high"],
        )
        for finding in kept["findings"]
    )
    return analysis


# --- what good looks like ---------------------------------------------------------------------

# (voice, words, status, discussion)
STATEMENTS = [
    (
        Statement.Voice.I,
        "I have a home I chose, and people who stay alongside me while I settle in.",
        Statement.Status.AGREED,
        "Written at the housing access group's open meeting. People wanted “chose” kept in: "
        "being placed is not the same as having a home.",
    ),
    (
        Statement.Voice.I,
        "I only tell my story once, and the people I meet already know what matters to me.",
        Statement.Status.DISCUSSED,
        "Talked through with the listening group in October; some wanted “once” softened.",
    ),
    (
        Statement.Voice.WE,
        "We keep our doors open to people who have been turned away elsewhere, and we ask "
        "what would help before we ask for forms.",
        Statement.Status.AGREED,
        "Agreed by the leads of both providers and the council's housing team.",
    ),
    (
        Statement.Voice.WE,
        "We hear from the people our services reach least, and change what we do because of it.",
        Statement.Status.DRAFT,
        "",
    ),
    (
        Statement.Voice.TOGETHER,
        "Together, Northfield houses Black residents at the same rate as everyone else.",
        Statement.Status.DISCUSSED,
        "Drafted after the equalities figures were shared with the partnership board.",
    ),
    (
        Statement.Voice.TOGETHER,
        "Together, we make it easy to get help early, close to home, from people who know us.",
        Statement.Status.DRAFT,
        "",
    ),
]


def _statements(
    area: Area,
    council: Organisation,
    analyst: Any,
    exercise: Any | None,
    rng: random.Random,
    day: Any,
) -> int:
    from alongside.insight.measures import MEASURES

    made = []
    for i, (voice, words, status, discussion) in enumerate(STATEMENTS):
        made.append(
            Statement.objects.create(
                area=area,
                organisation=council,
                created_by=analyst,
                created_at=at(day(REFERENCE_DATE - timedelta(days=150 - 10 * i))),
                voice=voice,
                words=words,
                status=status,
                agreed_on=(
                    day(REFERENCE_DATE - timedelta(days=60 - 7 * i))
                    if status == Statement.Status.AGREED
                    else None
                ),
                discussion=discussion,
            )
        )
    home, we_open, together = made[0], made[2], made[4]
    StatementPerson.objects.bulk_create(
        [
            # Named with their consent; the others are counted by how they took part.
            StatementPerson(
                statement=home,
                name="Lou",  # the housing access group's guest, named there too
                role="a person with lived experience",
                consents_to_be_named=True,
            ),
            StatementPerson(statement=home, role="a person with lived experience"),
            StatementPerson(statement=home, role="a housing officer"),
            StatementPerson(
                statement=we_open, name="Morag", role="a lead", consents_to_be_named=True
            ),
            StatementPerson(statement=together, role="a person with lived experience"),
        ]
    )
    trackers = [
        Tracker(
            statement=home,
            kind=Tracker.Kind.MEASURE,
            title=MEASURES["goals_own_words"].title,
            measure="goals_own_words",
        ),
        Tracker(
            statement=home,
            kind=Tracker.Kind.SURVEY,
            title="“I feel at home where I live” (agree or strongly agree)",
        ),
        Tracker(
            statement=we_open,
            kind=Tracker.Kind.MEASURE,
            title=MEASURES["barriers_answered"].title,
            measure="barriers_answered",
        ),
        Tracker(
            statement=together,
            kind=Tracker.Kind.MEASURE,
            title=MEASURES["wellbeing_change"].title,
            measure="wellbeing_change",
        ),
    ]
    if exercise is not None:
        trackers.append(
            Tracker(
                statement=made[1],
                kind=Tracker.Kind.STORIES,
                title=exercise.title,
                exercise=exercise,
            )
        )
    Tracker.objects.bulk_create(trackers)
    survey = trackers[1]
    values = []
    share, respondents = 48.0, 40
    for quarter in range(6):
        start = _month_start(REFERENCE_DATE, -3 * (6 - quarter))
        share = min(90.0, share + rng.uniform(1.5, 5.0))
        respondents += rng.randint(-4, 6)
        values.append(
            TrackerValue(
                tracker=survey,
                period_start=day(start),
                value=round(share, 1),
                respondents=respondents,
                note="Tenants' survey, asked by the providers each quarter",
            )
        )
    # The newest quarter had too few answers to show (it waits for more).
    values.append(
        TrackerValue(
            tracker=survey,
            period_start=day(_month_start(REFERENCE_DATE, 0)),
            value=71.0,
            respondents=6,
            note="Asked in the first week only",
        )
    )
    TrackerValue.objects.bulk_create(values)
    return len(made)


def _month_start(reference: date, months: int) -> date:
    index = reference.year * 12 + reference.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- the system-health pulse -----------------------------------------------------------------

# (audience, title, answers in the past round, how the answers lean: higher agrees more)
PULSES = [
    # (audience, title, answers in each round (spring, summer), how the answers lean: higher
    # agrees more, and each round leans a little further than the one before)
    (Pulse.Audience.POWER, "Leaders' pulse", (12, 14), 0.2),
    (Pulse.Audience.WORKERS, "Workers' and volunteers' pulse", (28, 36), 0.4),
    (Pulse.Audience.CITIZENS, "Residents' pulse", (4, 6), 0.0),
]
# (title, opens on, closes on)
ROUNDS = [
    ("Spring 2026", date(2026, 4, 1), date(2026, 4, 30)),
    ("Summer 2026", date(2026, 7, 1), date(2026, 7, 31)),
]


def _pulses(
    area: Area, council: Organisation, analyst: Any, rng: random.Random, day: Any
) -> tuple[int, int]:
    """Two past rounds of each pulse: enough answers for the leaders and the workers to show,
    too few for the residents (held back)."""
    from alongside.insight.pulse_items import items_for

    answers = []
    links = []
    for audience, title, counts, lean in PULSES:
        items = [item.as_stored() for item in items_for(audience)]
        pulse = Pulse.objects.create(
            area=area,
            organisation=council,
            created_by=analyst,
            created_at=at(day(REFERENCE_DATE - timedelta(days=240))),
            audience=audience,
            title=title,
            items=items,
        )
        for (round_title, opens_on, closes_on), count in zip(ROUNDS, counts, strict=True):
            past = PulseRound.objects.create(
                pulse=pulse,
                title=round_title,
                opens_on=day(opens_on),
                closes_on=day(closes_on),
                created_at=at(day(opens_on - timedelta(days=3))),
            )
            # Each link gave one answer; the answers do not point back to their links.
            for n in range(count + rng.randint(2, 6)):
                token = f"demo-{audience}-{round_title}-{n}-{rng.random()}"
                links.append(PulseLink(round=past, token_hash=hash_token(token), used=n < count))
            for _ in range(count):
                given = {}
                for item in items:
                    if rng.random() < 0.06:
                        continue  # skipped
                    drawn = rng.gauss(3.0 + 1.2 * lean, 0.9)
                    given[item["key"]] = max(1, min(5, round(drawn)))
                answers.append(PulseAnswer(round=past, answers=given))
            lean += 0.25
    PulseLink.objects.bulk_create(links, batch_size=500)
    PulseAnswer.objects.bulk_create(answers, batch_size=500)
    return len(PULSES), len(answers)

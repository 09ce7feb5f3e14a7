"""The area dashboard (issue 14, items 3 and 8): what the insight home and the area briefing
both say, read once here so the page, the Word file and the PDF never disagree.

Each section is a few wide queries, whatever the area holds (a fixed query count, tested):
data sets, the newest findings, what good looks like and the system-health pulse (from those
parts' own summaries, `selectors.good.summary` and `selectors.pulses.summary`, cut to one
screen) and wellbeing across coaching. Every count of people leaves protected
(`core.disclosure`); counts of data sets, findings and statements are of the area's own work,
not of people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count

from alongside.accounts.models import Area
from alongside.core.disclosure import Cell, protect
from alongside.core.words import day_month_year

from ..models import DataSet, Finding, Statement, fares_worse
from . import good as good_part
from . import pulses as pulses_part
from . import wellbeing

FINDINGS_SHOWN = 5
# The newest findings sorted for the home: a few analyses' worth.
FINDINGS_CONSIDERED = 60
TRACKERS_SHOWN = 5


# --- data sets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSets:
    records: int
    population: int
    waiting: int  # not ready yet (being matched, checked, or needing fixes)
    latest_title: str
    latest_on: str  # the day it was brought in, in words
    latest_rows: Cell

    @property
    def total(self) -> int:
        return self.records + self.population


def data_sets(area: Area) -> DataSets:
    """Two queries: counts by kind and status, and the newest ready one."""
    records = population = waiting = 0
    for kind, status, n in (
        DataSet.objects.filter(area=area)
        .order_by()
        .values_list("kind", "status")
        .annotate(n=Count("pk"))
    ):
        if status != DataSet.Status.READY:
            waiting += n
        elif kind == DataSet.Kind.RECORDS:
            records += n
        else:
            population += n
    latest = (
        DataSet.objects.filter(area=area, status=DataSet.Status.READY)
        .order_by("-imported_at", "-pk")
        .values_list("title", "imported_at", "created_at", "row_count")
        .first()
    )
    title, imported_at, created_at, rows = latest or ("", None, None, 0)
    return DataSets(
        records=records,
        population=population,
        waiting=waiting,
        latest_title=title,
        latest_on=day_month_year(imported_at or created_at),
        latest_rows=protect(rows),
    )


# --- findings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    pk: int
    sentence: str
    measure: str
    found_on: str
    has_listening: bool


@dataclass(frozen=True)
class Findings:
    rows: list[FindingRow]
    total: int


def findings(area: Area, limit: int = FINDINGS_SHOWN) -> Findings:
    """The findings to show first: groups the system may be letting down
    (`models.fares_worse`), the widest gaps first, then any group doing better; from the
    newest findings (two queries)."""
    labels = dict(Finding.Measure.choices)
    newest = list(
        Finding.objects.filter(area=area)
        .order_by("-created_at", "-pk")
        .values_list("pk", "sentence", "measure", "created_at", "exercise_id", "ratio")[
            :FINDINGS_CONSIDERED
        ]
    )
    newest.sort(key=lambda f: (not fares_worse(f[2], f[5]), -abs(math.log(max(f[5], 1e-9)))))
    rows = [
        FindingRow(
            pk=pk,
            sentence=sentence,
            measure=labels.get(measure, measure),
            found_on=day_month_year(created_at),
            has_listening=exercise_id is not None,
        )
        for pk, sentence, measure, created_at, exercise_id, _ in newest[:limit]
    ]
    return Findings(rows=rows, total=Finding.objects.filter(area=area).count())


# --- what good looks like -------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceCount:
    voice: str
    drafted: int
    discussed: int
    agreed: int

    @property
    def total(self) -> int:
        return self.drafted + self.discussed + self.agreed


@dataclass(frozen=True)
class TrackerRow:
    title: str
    statement: str
    value: str  # the latest value in words (with its period), or why there is none


@dataclass
class Good:
    voices: list[VoiceCount]
    trackers: list[TrackerRow]
    trackers_total: int = 0

    @property
    def statements(self) -> int:
        return sum(v.total for v in self.voices)


def _short(words: str, limit: int = 120) -> str:
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "\u2026"


def good_from_summary(groups: list[good_part.VoiceGroup], limit: int = TRACKERS_SHOWN) -> Good:
    """Statements by voice and where they stand, and the latest value of the first few
    trackers (agreed statements' first), from what good looks like's own summary
    (`selectors.good.summary`), its counts already protected there."""
    voices = []
    everything: list[tuple[bool, TrackerRow]] = []
    for group in groups:
        statuses = [row.status for row in group.statements]
        voices.append(
            VoiceCount(
                voice=group.title,
                drafted=statuses.count(Statement.Status.DRAFT),
                discussed=statuses.count(Statement.Status.DISCUSSED),
                agreed=statuses.count(Statement.Status.AGREED),
            )
        )
        for row in group.statements:
            for view in row.trackers:
                everything.append(
                    (
                        row.status != Statement.Status.AGREED,
                        TrackerRow(
                            title=view.title,
                            statement=_short(row.words),
                            value=view.latest or "no value yet",
                        ),
                    )
                )
    ordered = [row for _, row in sorted(everything, key=lambda pair: pair[0])]
    return Good(voices=voices, trackers=ordered[:limit], trackers_total=len(ordered))


def good(area: Area) -> Good:
    return good_from_summary(good_part.summary(area))


# --- the system-health pulse ------------------------------------------------------------------


@dataclass(frozen=True)
class PulseRow:
    audience: str
    title: str
    when: str  # the round, in words ("from 3 March 2026"), or "" when not known
    answers: Cell
    items: list[str] = field(default_factory=list)  # "words: 64%", at most a few


@dataclass
class Pulses:
    rows: list[PulseRow]
    waiting: list[str] = field(default_factory=list)  # audiences with no answers yet


PULSE_ITEMS_SHOWN = 3


def pulses_from_summary(audiences: list[pulses_part.AudienceSummary]) -> Pulses:
    """The latest round with answers for each audience, from the pulse's own summary
    (`selectors.pulses.summary`), its figures already protected there."""
    rows, waiting = [], []
    for one in audiences:
        if one.round is None or one.pulse is None or one.answers is None:
            waiting.append(one.label)
            continue
        rows.append(
            PulseRow(
                audience=one.label,
                title=one.pulse.title,
                when=one.when,
                answers=one.answers,
                items=[
                    f"{item.words.rstrip('.')}: {item.text}"
                    for item in one.items[:PULSE_ITEMS_SHOWN]
                ],
            )
        )
    return Pulses(rows=rows, waiting=waiting)


def pulses(area: Area) -> Pulses:
    return pulses_from_summary(pulses_part.summary(area))


# --- the whole dashboard ----------------------------------------------------------------------


@dataclass
class Dashboard:
    area: Area
    data_sets: DataSets
    findings: Findings
    good: Good
    pulses: Pulses
    wellbeing: wellbeing.Wellbeing


def dashboard(area: Area) -> Dashboard:
    """Everything the home and the briefing show, in a fixed number of queries."""
    return Dashboard(
        area=area,
        data_sets=data_sets(area),
        findings=findings(area),
        good=good(area),
        pulses=pulses(area),
        wellbeing=wellbeing.summary(area),
    )

"""What good looks like (issue 14, item 5): the reads.

Statements by voice, with their status in words and how each is tracked: a survey item (values
the area entered, shown only where 10 or more answered), a measure from Alongside's own data
(`insight.measures`, live and already protected) or stories from a listening exercise (how
many were heard each month, protected, and a link to the report once it is published; never
a contribution's words).

Nothing here names a person who did not agree to be named, and every count leaving here has
been through `core.disclosure`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse

from alongside.accounts.models import Area
from alongside.core.charts import Chart, line_chart
from alongside.core.disclosure import THRESHOLD, Cell, protect
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.words import LONDON, day_month_year, when_words
from alongside.listening.models import Contribution, Exercise

from ..measures import (
    MEASURES,
    MonthValue,
    last_months,
    latest_sentence,
    month_words,
    value_words,
)
from ..models import Statement, StatementPerson, Tracker, TrackerValue

LIVED_EXPERIENCE = "a person with lived experience"


# --- finding things -------------------------------------------------------------------------


def exercises_for_area(area: Area) -> QuerySet[Exercise]:
    """The listening exercises of the area's organisations, or held for the area."""
    return Exercise.objects.filter(Q(organisation__area=area) | Q(area=area)).distinct()


def exercise_choices(area: Area) -> list[tuple[int, str]]:
    """(id, "title (about 25 heard)") for choosing an exercise to track: its title and how
    many contributions it has, protected; never their words."""
    rows = (
        exercises_for_area(area)
        .annotate(heard=Count("contributions"))
        .order_by("title", "pk")
        .values_list("pk", "title", "heard")
    )
    return [(pk, f"{title} ({_heard_words(protect(heard))})") for pk, title, heard in rows]


def _heard_words(cell: Cell) -> str:
    return "fewer than 10 heard" if cell.suppressed else f"about {cell} heard"


def statement_of(pk: int) -> Statement | None:
    return Statement.objects.select_related("area").filter(pk=pk).first()


def tracker_of(pk: int) -> Tracker | None:
    return Tracker.objects.select_related("statement__area").filter(pk=pk).first()


def statements_of(area: Area) -> QuerySet[Statement]:
    return Statement.objects.filter(area=area).order_by("created_at", "pk")


# --- trackers -------------------------------------------------------------------------------


@dataclass
class TrackerView:
    """How one tracker reads: `latest` is its latest value in words; `rows` the table beside
    the chart, each (period, value, how many) as words; `chart` the SVG line chart (or None
    when there is nothing to draw)."""

    tracker: Tracker
    kind_words: str
    title: str
    sentence: str
    latest: str
    head: tuple[str, str, str]
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    chart: Chart | None = None
    link: str = ""
    link_words: str = ""


class Memo:
    """Measures already worked out for an area in this request, so a page with several
    trackers of one measure asks the database once."""

    def __init__(self, area: Area, months: list[date] | None = None) -> None:
        self.area = area
        self.months = months or last_months()
        self._measures: dict[str, list[MonthValue]] = {}

    def measure(self, key: str) -> list[MonthValue]:
        if key not in self._measures:
            self._measures[key] = MEASURES[key].function(self.area, self.months)
        return self._measures[key]


def _y_range(values: Sequence[float], unit: str) -> tuple[int, int, int | None]:
    """(y_min, y_max, step) that holds every value with a little room."""
    if unit == "share":
        return 0, 100, 20
    if unit == "points":
        reach = max(2, math.ceil(max((abs(v) for v in values), default=0)))
        return -reach, reach, 1 if reach <= 5 else None
    top = max(values, default=0)
    if top <= 5:
        return 0, 5, 1
    if top <= 10:
        return 0, 10, 2
    if top <= 100:
        return 0, int(math.ceil(top / 10) * 10), None
    return 0, int(math.ceil(top / 100) * 100), None


def _chart(
    chart_id: str, title: str, series: list[tuple[date, float]], unit: str, y_label: str
) -> Chart | None:
    if not series:
        return None
    y_min, y_max, step = _y_range([v for _, v in series], unit)
    chart = line_chart(
        chart_id=chart_id,
        title=title,
        series=series,
        y_min=y_min,
        y_max=y_max,
        y_label=y_label,
        y_step=step,
    )
    # The chart's sentence is written for check-ins; these are months or periods.
    chart.description = chart.description.replace(" check-ins", " periods").replace(
        "no scores yet", "no values yet"
    )
    return chart


def _measure_view(tracker: Tracker, memo: Memo) -> TrackerView:
    measure = MEASURES.get(tracker.measure)
    if measure is None:
        return TrackerView(
            tracker,
            "A measure from Alongside",
            tracker.title,
            "This measure is no longer offered.",
            "No figure.",
            ("Month", "Value", "How many"),
        )
    points = memo.measure(measure.key)
    rows = [
        (
            month_words(p.month),
            value_words(measure, p.value) if p.value is not None else "Not shown",
            str(p.n),
        )
        for p in points
    ]
    y_label = {"share": "Per cent", "points": "Change in points"}.get(measure.unit, "How many")
    chart = _chart(
        f"tracker-{tracker.pk}",
        tracker.title,
        [(p.month, p.value) for p in points if p.value is not None],
        measure.unit,
        y_label,
    )
    return TrackerView(
        tracker,
        "A measure from Alongside",
        tracker.title,
        measure.sentence
        + " Only from organisations in the area that share their coaching figures; a month "
        "with fewer than 10 behind it shows no figure.",
        latest_sentence(measure, points),
        ("Month", measure.title, measure.counts[:1].upper() + measure.counts[1:]),
        rows,
        chart,
    )


def survey_shown(value: TrackerValue) -> bool:
    """A survey value is shown only when enough people answered for nobody to be picked out."""
    return value.respondents >= THRESHOLD


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _survey_view(tracker: Tracker, values: list[TrackerValue]) -> TrackerView:
    rows = []
    series = []
    latest = "No values entered yet."
    for one in values:
        when = day_month_year(one.period_start)
        if survey_shown(one):
            rows.append((when, _number(one.value), str(protect(one.respondents))))
            series.append((one.period_start, one.value))
            latest = (
                f"{_number(one.value)} for the period from {when} "
                f"(about {protect(one.respondents)} answered)."
            )
        else:
            rows.append((when, "Not shown", "fewer than 10"))
            latest = f"Fewer than 10 answered for the period from {when}, so no value is shown."
    return TrackerView(
        tracker,
        "A survey item",
        tracker.title,
        "Values the area entered from its own surveys. A value is shown only when 10 or more "
        "people answered.",
        latest,
        ("Period from", "Value", "How many answered"),
        rows,
        _chart(f"tracker-{tracker.pk}", tracker.title, series, "value", "Value"),
    )


def _stories_view(tracker: Tracker, memo: Memo, heard: dict[date, int]) -> TrackerView:
    exercise = tracker.exercise
    if exercise is None:
        return TrackerView(
            tracker,
            "Stories from listening",
            tracker.title,
            "The listening exercise it followed is no longer here.",
            "No stories.",
            ("Month", "Stories heard", ""),
        )
    cells = {month: protect(heard.get(month, 0)) for month in memo.months}
    rows = [(month_words(m), str(cell), "") for m, cell in cells.items()]
    series = [(m, float(cell.value)) for m, cell in cells.items() if cell.value is not None]
    total = protect(sum(heard.values()))
    link = link_words = ""
    report = getattr(exercise, "report", None)
    if report is not None and report.is_published:
        link = reverse("listening:report_public", args=[report.public_token])
        link_words = f"Read the published report of {exercise.title}"
    return TrackerView(
        tracker,
        "Stories from listening",
        tracker.title,
        f"Stories heard in the listening exercise “{exercise.title}”, month by month. "
        "Their words are in the exercise's report once the team publishes it.",
        f"{'Fewer than 10' if total.suppressed else f'About {total}'} stories heard in the "
        "last 12 months.",
        ("Month", "Stories heard", ""),
        rows,
        _chart(f"tracker-{tracker.pk}", tracker.title, series, "count", "Stories heard"),
        link,
        link_words,
    )


def _stories_heard(trackers: Sequence[Tracker], memo: Memo) -> dict[int, dict[date, int]]:
    """Contributions of each tracked exercise, by month: one query for them all."""
    ids = {t.exercise_id for t in trackers if t.kind == Tracker.Kind.STORIES and t.exercise_id}
    out: dict[int, dict[date, int]] = {pk: {} for pk in ids}
    if not ids:
        return out
    from datetime import datetime

    first = memo.months[0]
    rows = (
        Contribution.objects.filter(
            exercise_id__in=ids,
            captured_at__gte=datetime(first.year, first.month, 1, tzinfo=LONDON),
        )
        .annotate(month=TruncMonth("captured_at", tzinfo=LONDON))
        .values("exercise_id", "month")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        month = row["month"]
        day = month.date() if hasattr(month, "date") and callable(month.date) else month
        out[row["exercise_id"]][day] = row["n"]
    return out


def tracker_views(trackers: Sequence[Tracker], memo: Memo) -> list[TrackerView]:
    """Each tracker as it reads, in the order given. Survey values and stories are read in
    one query each, whatever the number of trackers."""
    survey_ids = [t.pk for t in trackers if t.kind == Tracker.Kind.SURVEY]
    values: dict[int, list[TrackerValue]] = {pk: [] for pk in survey_ids}
    if survey_ids:
        for value in TrackerValue.objects.filter(tracker_id__in=survey_ids).order_by(
            "period_start", "pk"
        ):
            values[value.tracker_id].append(value)
    heard = _stories_heard(trackers, memo)
    views = []
    for tracker in trackers:
        if tracker.kind == Tracker.Kind.SURVEY:
            views.append(_survey_view(tracker, values[tracker.pk]))
        elif tracker.kind == Tracker.Kind.MEASURE:
            views.append(_measure_view(tracker, memo))
        else:
            views.append(_stories_view(tracker, memo, heard.get(tracker.exercise_id or 0, {})))
    return views


def _trackers_of(statements: Sequence[Statement]) -> dict[int, list[Tracker]]:
    out: dict[int, list[Tracker]] = {s.pk: [] for s in statements}
    for tracker in (
        Tracker.objects.filter(statement__in=[s.pk for s in statements])
        .select_related("exercise__report")
        .order_by("created_at", "pk")
    ):
        out[tracker.statement_id].append(tracker)
    return out


# --- statements -----------------------------------------------------------------------------


def status_words(statement: Statement) -> str:
    """ "Drafted", "Being discussed", "Agreed on 3 November 2026"."""
    if statement.status == Statement.Status.AGREED and statement.agreed_on:
        return f"Agreed on {day_month_year(statement.agreed_on)}"
    return str(statement.get_status_display())


@dataclass
class StatementRow:
    """One statement in a list or a briefing: `trackers` are its ways to track it, each a
    `TrackerView` whose `latest` is its latest value in words."""

    statement: Statement
    pk: int
    voice: str
    voice_words: str
    words: str
    status: str
    status_words: str
    trackers: list[TrackerView]


@dataclass
class VoiceGroup:
    """The statements in one voice: `voice` is "i", "we" or "together", `title` its name in
    words ("I (people)"), `statements` a list of `StatementRow`, oldest first."""

    voice: str
    title: str
    statements: list[StatementRow]


def summary(area: Area, months: list[date] | None = None) -> list[VoiceGroup]:
    """What good looks like for an area, for the insight home and the briefing.

    Returns a list of three `VoiceGroup`s, always in the order I, We, Together (a voice with
    no statements has an empty `statements` list). Each `StatementRow` carries the statement's
    words, its voice and status (`status_words`: "Drafted", "Being discussed", or "Agreed on 3
    November 2026") and `trackers`, a list of `TrackerView`: for each, `title`, `kind_words`
    ("A survey item", "A measure from Alongside", "Stories from listening") and `latest`, a
    sentence of its latest value ("November 2026: 62% (of about 45 goals started)."), with
    every count already protected. Its `rows` and `chart` hold the values over time.

    A few queries whatever the number of statements: one for the statements, one for their
    trackers, one each for survey values and stories, and one per measure in use."""
    statements = list(statements_of(area))
    trackers = _trackers_of(statements)
    memo = Memo(area, months)
    views = {
        tracker.pk: view
        for tracker, view in zip(
            [t for s in statements for t in trackers[s.pk]],
            tracker_views([t for s in statements for t in trackers[s.pk]], memo),
            strict=True,
        )
    }
    groups = []
    for voice, title in Statement.Voice.choices:
        rows = [
            StatementRow(
                statement=s,
                pk=s.pk,
                voice=s.voice,
                voice_words=str(s.get_voice_display()),
                words=s.words,
                status=s.status,
                status_words=status_words(s),
                trackers=[views[t.pk] for t in trackers[s.pk]],
            )
            for s in statements
            if s.voice == voice
        ]
        groups.append(VoiceGroup(voice=str(voice), title=str(title), statements=rows))
    return groups


@dataclass
class TookPart:
    """Who took part in a statement: `named` the people who agreed to be named, each (name,
    how they took part); `unnamed` everyone else, by how they took part, each (role, protected
    count); `total` everyone, protected."""

    named: list[tuple[str, str]]
    unnamed: list[tuple[str, Cell]]
    total: Cell


def took_part(statement: Statement) -> TookPart:
    named: list[tuple[str, str]] = []
    roles: dict[str, int] = {}
    people = StatementPerson.objects.filter(statement=statement).order_by("pk")
    for one in people.values_list("name", "role", "consents_to_be_named"):
        name, role, consents = one
        if consents and name:
            named.append((name, role))
        else:
            roles[role or LIVED_EXPERIENCE] = roles.get(role or LIVED_EXPERIENCE, 0) + 1
    unnamed = [(role, protect(count)) for role, count in sorted(roles.items())]
    return TookPart(named, unnamed, protect(len(named) + sum(roles.values())))


STATUS_DETAIL = {
    "statement drafted": "Drafted",
    f"status {Statement.Status.DISCUSSED}": "Marked as being discussed",
    f"status {Statement.Status.AGREED}": "Agreed",
}


def history(statement: Statement) -> list[tuple[str, str]]:
    """Each step the statement took, oldest first, as (what, when in words), from the audit
    log (which keeps it for ever, and never names who)."""
    entries = AuditEntry.objects.filter(
        organisation_id=statement.organisation_id,
        object_type=Statement._meta.label_lower,
        object_id=str(statement.pk),
        action__in=(AuditAction.CREATE, AuditAction.CHANGE),
        detail__in=list(STATUS_DETAIL),
    ).order_by("at", "pk")
    return [(STATUS_DETAIL[e.detail], when_words(e.at)) for e in entries]


@dataclass
class StatementPage:
    statement: Statement
    status_words: str
    took_part: TookPart
    history: list[tuple[str, str]]
    trackers: list[TrackerView]


def page(statement: Statement) -> StatementPage:
    trackers = _trackers_of([statement])[statement.pk]
    return StatementPage(
        statement=statement,
        status_words=status_words(statement),
        took_part=took_part(statement),
        history=history(statement),
        trackers=tracker_views(trackers, Memo(statement.area)),
    )

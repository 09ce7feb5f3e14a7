"""Reads for the system-health pulse (issue 14, item 6): the pulses of an area by audience,
one pulse's results over time, and a summary per audience for the insight home and briefing.

Everything that leaves here is disclosure-controlled (`core.disclosure`): a round's answers
are counted only as `protect` gives them (under 10 "fewer than 10", the rest rounded to 5),
and an item's share agreeing is given only when the round has 10 or more answers and 10 or
more of them answered that item. Shares are worked out from the true counts. No single
answer ever leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from alongside.accounts.models import Area
from alongside.core.charts import Chart, line_chart
from alongside.core.disclosure import THRESHOLD, Cell, protect
from alongside.core.words import day_month_year

from ..models import Pulse, PulseAnswer, PulseRound
from ..pulse_items import AGREEING

TOO_FEW = "fewer than 10 answers so far"
STATE_WORDS = {"waiting": "Not open yet", "open": "Open", "closed": "Closed"}


@dataclass(frozen=True)
class RoundFigures:
    """One round of a pulse as a page shows it."""

    round: PulseRound
    when: str  # "3 November 2026 to 1 December 2026", or "from 3 November 2026"
    state: str  # "Not open yet", "Open" or "Closed"
    answers: Cell  # how many answered, protected
    links: int  # how many private links were made (the analyst's choice, not people)
    shown: bool  # 10 or more answers: the shares may be shown


@dataclass(frozen=True)
class Share:
    """The share agreeing (agree or strongly agree) with one item in one round."""

    round_title: str
    opens_on: date
    percent: float | None  # 0 to 100, None when not shown
    text: str  # "64%", or why it is not shown
    answered: Cell  # how many answered this item, protected


@dataclass
class ItemResults:
    key: str
    words: str
    shares: list[Share] = field(default_factory=list)
    chart: Chart | None = None  # None until a round's share may be shown


@dataclass
class PulseResults:
    pulse: Pulse
    audience: str  # in words: "Workers and volunteers"
    rounds: list[RoundFigures]
    items: list[ItemResults]

    @property
    def any_shown(self) -> bool:
        return any(r.shown for r in self.rounds)


@dataclass(frozen=True)
class ItemSummary:
    key: str
    words: str
    percent: float | None  # share agreeing, 0 to 100; None when not shown
    text: str  # "64%" or "fewer than 10 answers so far"


@dataclass(frozen=True)
class AudienceSummary:
    """The latest round with answers for one audience of an area."""

    audience: str  # Pulse.Audience value
    label: str  # "People with power"
    pulse: Pulse | None
    round: PulseRound | None  # None: no round has had an answer yet
    when: str
    answers: Cell | None  # protected; None when there is no round
    items: list[ItemSummary]


@dataclass(frozen=True)
class PulseRow:
    pulse: Pulse
    rounds: list[RoundFigures]


@dataclass(frozen=True)
class AudiencePulses:
    audience: str
    label: str
    pulses: list[PulseRow]
    latest: AudienceSummary  # the latest round with answers, as `summary` gives it


@dataclass(frozen=True)
class AreaPulses:
    area: Area
    audiences: list[AudiencePulses]


def round_state(one: PulseRound, today: date | None = None) -> str:
    """ "waiting" (opens later), "open" or "closed", on `today` (UK time)."""
    today = today or timezone.localdate()
    if one.opens_on > today:
        return "waiting"
    if one.closes_on is not None and one.closes_on < today:
        return "closed"
    return "open"


def when_words(one: PulseRound) -> str:
    opens = day_month_year(one.opens_on)
    if one.closes_on is None:
        return f"from {opens}"
    return f"{opens} to {day_month_year(one.closes_on)}"


def _figures(one: PulseRound, answers: int, links: int) -> RoundFigures:
    return RoundFigures(
        round=one,
        when=when_words(one),
        state=STATE_WORDS[round_state(one)],
        answers=protect(answers),
        links=links,
        shown=answers >= THRESHOLD,
    )


def _rounds(pulses: Iterable[Pulse]) -> dict[int, list[RoundFigures]]:
    """Each pulse's rounds, oldest first, with their counts: two queries whatever the
    number of rounds."""
    ids = [p.pk for p in pulses]
    rounds = list(
        PulseRound.objects.filter(pulse_id__in=ids)
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("opens_on", "pk")
    )
    links = dict(
        PulseRound.objects.filter(pulse_id__in=ids)
        .annotate(link_count=Count("links"))
        .values_list("pk", "link_count")
    )
    by_pulse: dict[int, list[RoundFigures]] = defaultdict(list)
    for one in rounds:
        by_pulse[one.pulse_id].append(_figures(one, one.answer_count, links.get(one.pk, 0)))
    return by_pulse


def pulses_for(areas: Iterable[Area]) -> list[AreaPulses]:
    """The pulses of each area, by audience, with their rounds (newest pulse first)."""
    areas = list(areas)
    pulses = list(Pulse.objects.filter(area__in=areas).order_by("-created_at", "-pk"))
    rounds = _rounds(pulses)
    out = []
    for area in areas:
        audiences = []
        latest = {one.audience: one for one in summary(area)}
        for value, label in Pulse.Audience.choices:
            rows = [
                PulseRow(pulse, rounds.get(pulse.pk, []))
                for pulse in pulses
                if pulse.area_id == area.pk and pulse.audience == value
            ]
            audiences.append(AudiencePulses(value, label, rows, latest[value]))
        out.append(AreaPulses(area, audiences))
    return out


def _tally(answers: Iterable[dict[str, Any]]) -> tuple[int, dict[str, int], dict[str, int]]:
    """How many answered, how many answered each item, and how many agreed with each."""
    total = 0
    answered: dict[str, int] = defaultdict(int)
    agreeing: dict[str, int] = defaultdict(int)
    for one in answers:
        total += 1
        for key, value in (one or {}).items():
            answered[key] += 1
            if value in AGREEING:
                agreeing[key] += 1
    return total, answered, agreeing


def _share(answers: int, answered: int, agreeing: int) -> tuple[float | None, str]:
    if answers < THRESHOLD:
        return None, TOO_FEW
    if answered < THRESHOLD:
        return None, "fewer than 10 answered this"
    percent = 100 * agreeing / answered
    return percent, f"{percent:.0f}%"


def results(pulse: Pulse) -> PulseResults:
    """A pulse's results over time.

    Returns a `PulseResults`: `rounds`, a `RoundFigures` for each round, oldest first (its
    answers protected, `shown` when there are 10 or more); and `items`, an `ItemResults` for
    each item the pulse asks, with a `Share` per round (`percent` of those who answered the
    item who agree or strongly agree, or None with `text` saying why it is not shown) and a
    line chart (`core.charts.Chart`, 0 to 100%) of the shares that may be shown, or None."""
    rounds = _rounds([pulse]).get(pulse.pk, [])
    by_round: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for round_id, answers in PulseAnswer.objects.filter(round__pulse=pulse).values_list(
        "round_id", "answers"
    ):
        by_round[round_id].append(answers)
    tallies = {r.round.pk: _tally(by_round.get(r.round.pk, [])) for r in rounds}
    items = []
    for index, item in enumerate(pulse.items):
        key = item["key"]
        shares = []
        for figures in rounds:
            total, answered, agreeing = tallies[figures.round.pk]
            percent, text = _share(total, answered[key], agreeing[key])
            shares.append(
                Share(
                    figures.round.title,
                    figures.round.opens_on,
                    percent,
                    text,
                    protect(answered[key]),
                )
            )
        items.append(ItemResults(key, item["words"], shares, _chart(pulse, index, item, shares)))
    return PulseResults(pulse, pulse.get_audience_display(), rounds, items)


def _chart(pulse: Pulse, index: int, item: dict[str, str], shares: list[Share]) -> Chart | None:
    series = [(s.opens_on, s.percent) for s in shares if s.percent is not None]
    if not series:
        return None
    chart = line_chart(
        chart_id=f"pulse-{pulse.pk}-item-{index + 1}",
        title=item["words"],
        series=series,
        y_min=0,
        y_max=100,
        y_step=20,
        y_label="% agreeing",
    )
    shown = [s for s in shares if s.percent is not None]
    if len(shown) == 1:
        chart.description = f"{shown[0].text} agreed in {shown[0].round_title}."
    else:
        first, last = shown[0], shown[-1]
        chart.description = (
            f"{first.text} agreed in {first.round_title} and {last.text} in {last.round_title}, "
            f"over {len(shown)} rounds."
        )
    return chart


def summary(area: Area) -> list[AudienceSummary]:
    """For the insight home and briefing: one `AudienceSummary` per audience (people with
    power, workers and volunteers, citizens, in that order), from the latest round (by the
    day it opened) of any of the area's pulses for that audience that has had an answer.
    `answers` is protected; each `ItemSummary` gives the share agreeing, or None with
    "fewer than 10 answers so far" (or "fewer than 10 answered this") when it may not be
    shown. `round` is None, `items` empty, when the audience has no answers yet."""
    latest: dict[str, PulseRound] = {}
    rounds = (
        PulseRound.objects.filter(pulse__area=area)
        .annotate(answer_count=Count("answers"))
        .filter(answer_count__gt=0)
        .select_related("pulse")
        .order_by("-opens_on", "-pk")
    )
    for each in rounds:
        latest.setdefault(each.pulse.audience, each)
    answers_by_round: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for round_id, answers in PulseAnswer.objects.filter(
        round__in=[r.pk for r in latest.values()]
    ).values_list("round_id", "answers"):
        answers_by_round[round_id].append(answers)
    out = []
    for value, label in Pulse.Audience.choices:
        one: PulseRound | None = latest.get(value)
        if one is None:
            out.append(AudienceSummary(value, label, None, None, "", None, []))
            continue
        total, answered, agreeing = _tally(answers_by_round[one.pk])
        items = []
        for item in one.pulse.items:
            key = item["key"]
            percent, text = _share(total, answered[key], agreeing[key])
            items.append(ItemSummary(key, item["words"], percent, text))
        out.append(
            AudienceSummary(value, label, one.pulse, one, when_words(one), protect(total), items)
        )
    return out

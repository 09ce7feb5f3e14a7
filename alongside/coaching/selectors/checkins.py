"""Reads for check-ins: the latest answers for the person page, and a chart of each
measure over time against the national average for the check-ins page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from alongside.core.charts import Chart, line_chart, number
from alongside.core.written import columns, instances, person_rows

from .. import instruments
from ..models import CheckIn, Instrument, Person


@dataclass
class Answer:
    label: str
    text: str  # the score, or "Skipped"
    band: str
    reference: str
    change: str = ""  # since the check-in before, in words: "up 2", "down 1", "the same"


@dataclass
class InstrumentCharts:
    definition: instruments.Definition
    charts: list[Chart]
    count: int


def _definitions(person: Person, check_ins: list[CheckIn]) -> list[instruments.Definition]:
    """Definitions for the instruments these check-ins used: shipped ones from the package,
    the organisation's own in one query (only when one is needed)."""
    return _definitions_for_keys(person, {c.instrument for c in check_ins})


def _definitions_for_keys(person: Person, keys: set[str]) -> list[instruments.Definition]:
    found = list(instruments.shipped())
    needed = keys - instruments.shipped_keys()
    if needed:
        rows = Instrument.objects.filter(
            organisation_id=person.organisation_id, key__in=needed
        ).order_by("key", "loaded_at")
        found += [instruments.build(row.definition) for row in rows]
    return found


def _definition_for(
    definitions: list[instruments.Definition], check_in: CheckIn
) -> instruments.Definition | None:
    return instruments.find(
        definitions, check_in.instrument, check_in.instrument_version
    ) or instruments.latest(definitions, check_in.instrument)


def latest_answers(
    definition: instruments.Definition, check_in: CheckIn, before: CheckIn | None = None
) -> list[Answer]:
    rows = []
    for item in definition.items:
        value = check_in.answers.get(item.key)
        earlier = before.answers.get(item.key) if before is not None else None
        rows.append(
            Answer(
                label=item.label,
                text="Skipped" if value is None else number(value),
                band=item.band(value),
                reference=number(item.reference_mean),
                change=_change(value, earlier),
            )
        )
    return rows


def _change(value: float | None, earlier: float | None) -> str:
    if value is None or earlier is None:
        return ""
    if value == earlier:
        return "the same"
    return f"{'up' if value > earlier else 'down'} {number(abs(value - earlier))}"


def _check_ins_query(person_id: int) -> QuerySet[CheckIn, tuple[Any, ...]]:
    return (
        CheckIn.objects.filter(person_id=person_id)
        .order_by("taken_on", "id")
        .values_list(*columns(CheckIn))
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_check_ins_query,)


def for_record(person: Any) -> dict[str, Any]:
    """The person page shows the latest check-in beside the one before and the average, in
    words and one table; the charts over time are on the check-ins page, one click away (a
    chart and its table for every question made the person page twice as long and as slow)."""
    check_ins = instances(CheckIn, person_rows(_check_ins_query, person.pk))
    if not check_ins:
        return {"checkin_latest": None, "checkin_latest_answers": [], "checkin_count": 0}
    latest = check_ins[-1]
    definition = _definition_for(_definitions(person, [latest]), latest)
    before = next((c for c in reversed(check_ins[:-1]) if c.instrument == latest.instrument), None)
    return {
        "checkin_latest": latest,
        "checkin_before": before,
        "checkin_latest_definition": definition,
        "checkin_latest_answers": latest_answers(definition, latest, before) if definition else [],
        "checkin_count": len(check_ins),
    }


def _charted_query(person_id: int) -> QuerySet[CheckIn, tuple[Any, ...]]:
    # Only what the charts use, as tuples: no CheckIn instances to build.
    return (
        CheckIn.objects.filter(person_id=person_id)
        .order_by("taken_on", "id")
        .values_list("instrument", "taken_on", "answers")
    )


def charts_for_person(
    person: Person,
    check_ins: list[CheckIn] | None = None,
    *,
    taken: list[tuple[Any, ...]] | None = None,
) -> list[InstrumentCharts]:
    """One chart per measure of each instrument the person has used, oldest first: from
    `check_ins`, or `taken` (rows of `_charted_query`), or else read here."""
    if taken is None:
        if check_ins is None:
            taken = person_rows(_charted_query, person.pk)
        else:
            taken = [(c.instrument, c.taken_on, c.answers) for c in check_ins]
    definitions = _definitions_for_keys(person, {key for key, _, _ in taken})
    by_key: dict[str, list[tuple[date, dict[str, Any]]]] = {}
    for key, taken_on, answers in taken:
        by_key.setdefault(key, []).append((taken_on, answers))
    groups = []
    for key, rows in by_key.items():
        definition = instruments.latest(definitions, key)
        if definition is None:
            continue
        reference_label = "UK average" if definition.shipped else "reference average"
        charts = []
        for item in definition.items:
            charts.append(
                line_chart(
                    chart_id=f"chart-{key}-{item.key}",
                    title=item.label,
                    series=[(taken_on, answers.get(item.key)) for taken_on, answers in rows],
                    y_min=item.min,
                    y_max=item.max,
                    reference=item.reference_mean,
                    reference_label=reference_label,
                    band=item.band,
                    y_label=f"Score ({item.min} to {item.max})",
                )
            )
        groups.append(InstrumentCharts(definition=definition, charts=charts, count=len(rows)))
    return groups

"""Who is let down most: for one characteristic, each group's figures on four measures, worked
out in DuckDB over an area's service records (and its population table, if there is one).

The measures, each for people (a person is counted once, in the group of their latest record):

- representation: the group's share of the people in services divided by its share of the
  area's population (needs a population table), with a 95% interval (stats.representation);
- outcome: the share of the group's people for whom the outcome holds (it holds if any of their
  records says so; a person whose records never say yes or no is left out of that rate), with
  its Wilson interval, and the rate ratio against everyone else (stats.rate_ratio);
- repeat: the share who came back 3 or more times within any 12 months;
- many_services: the share in touch with 3 or more different services.

Rates and intervals come from the true counts; every count that leaves here is protected
(core.disclosure: under 10 hidden, the rest rounded to 5, a second group hidden where the total
would give the first away). A hidden group has no rate and no interval; a rate whose numerator
or its complement is under 10 is withheld too ("too few to show safely"), and so is a ratio
whose "everyone else" side is that small. A group is flagged on a measure when its ratio's
interval lies wholly above or below 1; a group whose characteristic is not recorded is counted
and shown but never flagged (there is nothing to compare it with).

`Analysed.as_json()`, kept in `Analysis.figures`, has this shape:

    {
      "by": "ethnicity", "by_label": "Ethnic group",
      "outcome": "outcome_housed" or "", "outcome_phrase": "housed",
      "people": {"value": 1235 or null, "text": "1,235"},        # protected
      "has_population": true,
      "measures": {"outcome": {"title": ..., "available": true}, ...},
      "groups": [
        {"group": "Black, ...", "people_words": "Black residents", "not_recorded": false,
         "n": 120 or null, "n_text": "120" or "fewer than 10", "suppressed": false,
         "measures": {
            "representation": {"rate": share of people in services, "reference": share of
                               the population, "ratio", "ratio_ci_low", "ratio_ci_high",
                               "flagged", "withheld": null or the reason in words},
            "outcome" | "repeat" | "many_services": {"rate", "ci_low", "ci_high", "ratio",
                               "ratio_ci_low", "ratio_ci_high", "flagged", "withheld"}}}
      ],
      "findings": [{"measure", "group", "people_words", "sentence", "ratio", "ratio_ci_low",
                    "ratio_ci_high"}],
      "method": ["a paragraph", ...]
    }
"""

# SQL here names columns and tables, always quoted by _quote(); values are bound.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alongside.core.disclosure import THRESHOLD, protect_table

from . import fields, stats

REPRESENTATION = "representation"
OUTCOME = "outcome"
REPEAT = "repeat"
MANY_SERVICES = "many_services"
MEASURES = (REPRESENTATION, OUTCOME, REPEAT, MANY_SERVICES)

TITLES = {
    REPRESENTATION: "In services, against the area's population",
    OUTCOME: "Outcome",
    REPEAT: "Coming back 3 or more times in 12 months",
    MANY_SERVICES: "In touch with 3 or more services",
}

SUPPRESSED = "hidden, to protect the people in small groups"
TOO_FEW = "too few to show safely"
TOO_FEW_OTHERS = "too few in everyone else to compare safely"
NO_POPULATION = "not in the population table"
NOT_COMPARABLE = "not enough to compare"

REPEAT_EPISODES = 3
MANY_SERVICE_COUNT = 3


class AnalysisError(ValueError):
    """Words for the analyst: a column that is not there, a table that is empty."""


@dataclass
class Figure:
    rate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ratio: float | None = None
    ratio_ci_low: float | None = None
    ratio_ci_high: float | None = None
    reference: float | None = None  # representation only: the share of the population
    flagged: bool = False
    withheld: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "ratio": self.ratio,
            "ratio_ci_low": self.ratio_ci_low,
            "ratio_ci_high": self.ratio_ci_high,
            "reference": self.reference,
            "flagged": self.flagged,
            "withheld": self.withheld,
        }


@dataclass
class Group:
    group: str
    people_words: str
    not_recorded: bool
    n_true: int
    n: int | None  # protected
    n_text: str
    suppressed: bool
    measures: dict[str, Figure] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "people_words": self.people_words,
            "not_recorded": self.not_recorded,
            "n": self.n,
            "n_text": self.n_text,
            "suppressed": self.suppressed,
            "measures": {key: figure.as_json() for key, figure in self.measures.items()},
        }


@dataclass
class Finding:
    measure: str
    group: str
    people_words: str
    sentence: str
    ratio: float
    ratio_ci_low: float
    ratio_ci_high: float

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Analysed:
    by: str
    outcome: str
    outcome_phrase: str
    has_population: bool
    people_true: int
    people: int | None
    people_text: str
    groups: list[Group]
    findings: list[Finding]

    @property
    def by_label(self) -> str:
        return fields.label(self.by)

    def measures(self) -> dict[str, dict[str, Any]]:
        available = {
            REPRESENTATION: self.has_population,
            OUTCOME: bool(self.outcome),
            REPEAT: True,
            MANY_SERVICES: True,
        }
        titles = dict(TITLES)
        if self.outcome:
            titles[OUTCOME] = f"Outcome: {outcome_words(self.outcome, self.outcome_phrase)}"
        return {key: {"title": titles[key], "available": available[key]} for key in MEASURES}

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "by_label": self.by_label,
            "outcome": self.outcome,
            "outcome_phrase": self.outcome_phrase,
            "people": {"value": self.people, "text": self.people_text},
            "has_population": self.has_population,
            "measures": self.measures(),
            "groups": [group.as_json() for group in self.groups],
            "findings": [finding.as_json() for finding in self.findings],
            "method": method(self),
        }

    def groups_for_command(self) -> list[dict[str, Any]]:
        """One dict per group for `manage.py equalities_report --json`."""
        rows = []
        for group in self.groups:
            out = group.measures.get(OUTCOME, Figure())
            rep = group.measures.get(REPRESENTATION, Figure())
            repeat = group.measures[REPEAT]
            many = group.measures[MANY_SERVICES]
            rows.append(
                {
                    "group": group.group,
                    "n": group.n,
                    "suppressed": group.suppressed,
                    "rate": out.rate,
                    "ci_low": out.ci_low,
                    "ci_high": out.ci_high,
                    "ratio": out.ratio,
                    "ratio_ci_low": out.ratio_ci_low,
                    "ratio_ci_high": out.ratio_ci_high,
                    "representation": rep.ratio,
                    "representation_ci_low": rep.ratio_ci_low,
                    "representation_ci_high": rep.ratio_ci_high,
                    "repeat_rate": repeat.rate,
                    "repeat_ratio": repeat.ratio,
                    "many_services_rate": many.rate,
                    "many_services_ratio": many.ratio,
                    "flagged": [key for key, figure in group.measures.items() if figure.flagged],
                    "withheld": {
                        key: figure.withheld
                        for key, figure in group.measures.items()
                        if figure.withheld
                    },
                }
            )
        return rows


def outcome_words(outcome: str, phrase: str) -> str:
    if phrase:
        return phrase
    return outcome.removeprefix("outcome_").replace("_", " ")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(connection: Any, table: str) -> dict[str, str]:
    try:
        rows = connection.execute(f"DESCRIBE {_quote(table)}").fetchall()
    except Exception as error:  # duckdb.CatalogException, without importing duckdb here
        raise AnalysisError(f"There is no table called {table}.") from error
    return {row[0]: str(row[1]) for row in rows}


def _need(columns: dict[str, str], name: str, table: str) -> None:
    if name not in columns:
        raise AnalysisError(
            f'The {table} have no column "{name}". They have: {", ".join(columns)}.'
        )


def analyse(
    connection: Any,
    *,
    records: str,
    population: str | None,
    by: str,
    outcome: str | None,
    person: str = "person_id",
    date: str = "date",
    service: str = "service",
    count: str = "count",
    outcome_phrase: str = "",
) -> Analysed:
    """The figures for each group of `by`, from the tables (or views) `records` and
    `population` of this DuckDB connection: a handful of queries whatever the size, the
    people and every measure in one pass."""
    record_columns = _columns(connection, records)
    for name in (person, date, service, by):
        _need(record_columns, name, "service records")
    if outcome:
        _need(record_columns, outcome, "service records")
    population_counts: dict[str, int] = {}
    if population:
        population_columns = _columns(connection, population)
        _need(population_columns, by, "population table")
        _need(population_columns, count, "population table")
        population_counts = {
            str(group): int(total or 0)
            for group, total in connection.execute(
                f"SELECT coalesce(CAST({_quote(by)} AS VARCHAR), ?), "
                f"sum(CAST({_quote(count)} AS BIGINT)) FROM {_quote(population)} GROUP BY 1",
                [fields.NOT_RECORDED],
            ).fetchall()
        }

    outcome_type = record_columns.get(outcome or "", "")
    if not outcome:
        outcome_sql = "NULL::BOOLEAN"
    elif outcome_type == "BOOLEAN":
        outcome_sql = f"r.{_quote(outcome)}"
    else:
        outcome_sql = f"TRY_CAST(r.{_quote(outcome)} AS BOOLEAN)"
    date_sql = (
        f"r.{_quote(date)}"
        if record_columns[date] == "DATE"
        else f"TRY_CAST(r.{_quote(date)} AS DATE)"
    )

    grp_sql = f"CAST({_quote(by)} AS VARCHAR)"
    # The groups and services are few; the rows are many. Each is carried through the sort
    # below as a small number rather than its words (a tenth of the bytes), and, when there
    # are at most 64 services, a person's services as one bit each, so "3 or more services"
    # is a count of bits rather than a DISTINCT count (which costs as much as the rest).
    groups, services, service_count = connection.execute(
        f"SELECT list(DISTINCT {grp_sql}), list(DISTINCT {_quote(service)}), "
        f"count(DISTINCT {_quote(service)}) FROM {_quote(records)}"
    ).fetchone()
    services = list(services or [])
    names = sorted({str(g) for g in groups or []} | {fields.NOT_RECORDED})
    not_recorded_code = names.index(fields.NOT_RECORDED)
    group_values = ", ".join("(?, ?)" for _ in names)
    parameters: list[Any] = [value for pair in enumerate(names) for value in pair[::-1]]
    if service_count <= 64:
        service_values = ", ".join("(?, ?)" for _ in services)
        for index, name in enumerate(services):
            parameters += [name, 1 << index]
        service_map = f", service_bits(name, bit) AS (VALUES {service_values})"
        service_join = f"LEFT JOIN service_bits s ON s.name = r.{_quote(service)}"
        service_sql = "CAST(s.bit AS UBIGINT)"
        many_sql = "coalesce(bit_count(bit_or(service)), 0)"
    else:
        service_map, service_join = "", ""
        service_sql = f"r.{_quote(service)}"
        many_sql = "count(DISTINCT service)"
    if not services:
        service_map, service_join, service_sql = "", "", "NULL::UBIGINT"
        many_sql = "0"
    # One pass: each person once, in the group of their latest record (a tie on the latest
    # day goes by the group's name, so the same data always gives the same figures), with
    # whether the outcome ever held, their busiest 12 months and how many services they met.
    sql = f"""
        WITH group_codes(name, code) AS (VALUES {group_values}){service_map},
        episodes AS (
            SELECT r.{_quote(person)} AS person, {date_sql} AS day,
                   {service_sql} AS service,
                   coalesce(g.code, {not_recorded_code}) AS grp,
                   {outcome_sql} AS outcome
            FROM {_quote(records)} r
            LEFT JOIN group_codes g ON g.name = CAST(r.{_quote(by)} AS VARCHAR)
            {service_join}
        ), windowed AS (
            -- 3 or more episodes within some 12 months: the episode two after this one
            -- (in date order) came within 364 days of it. The same as counting a 365-day
            -- range after each episode, at a third of the cost.
            SELECT *, lead(day, {REPEAT_EPISODES - 1}) OVER (
                PARTITION BY person ORDER BY day
            ) - day <= 364 AS busy_year
            FROM episodes
        ), people AS (
            SELECT person,
                   coalesce(
                       arg_max(grp, (day - DATE '1970-01-01') * {len(names) + 1} + grp),
                       {not_recorded_code}
                   ) AS grp,
                   bool_or(outcome) AS outcome,
                   coalesce(bool_or(busy_year), false) AS repeat,
                   {many_sql} >= {MANY_SERVICE_COUNT} AS many
            FROM windowed GROUP BY person
        )
        SELECT grp, count(*), count(outcome), count_if(outcome), count_if(repeat),
               count_if(many)
        FROM people GROUP BY grp ORDER BY grp
    """
    coded = connection.execute(sql, parameters).fetchall()
    rows = [(names[code], *rest) for code, *rest in coded]
    if not rows:
        raise AnalysisError("There are no service records to analyse.")
    return _figures(
        rows,
        population_counts,
        by=by,
        outcome=outcome or "",
        outcome_phrase=outcome_phrase,
        has_population=bool(population),
    )


@dataclass(frozen=True)
class _Counts:
    n: int
    known: int
    outcome: int
    repeat: int
    many: int


def _figures(
    rows: list[tuple[Any, ...]],
    population_counts: dict[str, int],
    *,
    by: str,
    outcome: str,
    outcome_phrase: str,
    has_population: bool,
) -> Analysed:
    counts = {
        # count_if over no outcome at all gives NULL, not 0.
        str(grp): _Counts(*(int(value or 0) for value in values))
        for grp, *values in rows
    }
    cells, total_cell = protect_table({grp: c.n for grp, c in counts.items()})
    everyone = _Counts(
        *(sum(getattr(c, name) for c in counts.values()) for name in _Counts.__dataclass_fields__)
    )
    recorded_n = sum(c.n for grp, c in counts.items() if grp in population_counts)
    population_total = sum(
        value for grp, value in population_counts.items() if grp != fields.NOT_RECORDED
    )

    groups: list[Group] = []
    findings: list[Finding] = []
    for grp, c in counts.items():
        cell = cells[grp]
        not_recorded = grp == fields.NOT_RECORDED
        group = Group(
            group=grp,
            people_words=fields.people(by, grp),
            not_recorded=not_recorded,
            n_true=c.n,
            n=cell.value,
            n_text=str(cell),
            suppressed=cell.suppressed,
        )
        if has_population:
            group.measures[REPRESENTATION] = _representation(
                c.n, recorded_n, population_counts.get(grp, 0), population_total, cell.suppressed
            )
        if outcome:
            group.measures[OUTCOME] = _rate(
                c.outcome,
                c.known,
                everyone.outcome - c.outcome,
                everyone.known - c.known,
                cell.suppressed,
            )
        group.measures[REPEAT] = _rate(
            c.repeat, c.n, everyone.repeat - c.repeat, everyone.n - c.n, cell.suppressed
        )
        group.measures[MANY_SERVICES] = _rate(
            c.many, c.n, everyone.many - c.many, everyone.n - c.n, cell.suppressed
        )
        for key, figure in group.measures.items():
            if not_recorded:
                figure.flagged = False
            if figure.flagged and figure.ratio is not None:
                findings.append(
                    Finding(
                        measure=key,
                        group=grp,
                        people_words=group.people_words,
                        sentence=sentence(
                            key, group.people_words, figure.ratio, outcome, outcome_phrase
                        ),
                        ratio=figure.ratio,
                        ratio_ci_low=figure.ratio_ci_low or 0.0,
                        ratio_ci_high=figure.ratio_ci_high or 0.0,
                    )
                )
        groups.append(group)

    # The recorded groups first, largest first; "not recorded" last.
    groups.sort(key=lambda g: (g.not_recorded, -g.n_true, g.group))
    findings.sort(key=lambda f: (MEASURES.index(f.measure), f.ratio))
    return Analysed(
        by=by,
        outcome=outcome,
        outcome_phrase=outcome_phrase,
        has_population=has_population,
        people_true=everyone.n,
        people=total_cell.value,
        people_text=str(total_cell),
        groups=groups,
        findings=findings,
    )


def _small(count: int) -> bool:
    return count < THRESHOLD


def _rate(k: int, n: int, k_others: int, n_others: int, suppressed: bool) -> Figure:
    if suppressed:
        return Figure(withheld=SUPPRESSED)
    if n == 0:
        return Figure(withheld=NOT_COMPARABLE)
    if _small(k) or _small(n - k):
        return Figure(withheld=TOO_FEW)
    interval = stats.wilson(k, n)
    assert interval is not None
    figure = Figure(rate=interval.value, ci_low=interval.low, ci_high=interval.high)
    if _small(k_others) or _small(n_others - k_others):
        figure.withheld = TOO_FEW_OTHERS
        return figure
    ratio = stats.rate_ratio(k, n, k_others, n_others)
    if ratio is None:
        figure.withheld = NOT_COMPARABLE
        return figure
    figure.ratio, figure.ratio_ci_low, figure.ratio_ci_high = ratio.value, ratio.low, ratio.high
    figure.flagged = ratio.excludes_one()
    return figure


def _representation(a: int, n: int, p_group: int, p_total: int, suppressed: bool) -> Figure:
    if suppressed:
        return Figure(withheld=SUPPRESSED)
    if p_group <= 0:
        return Figure(withheld=NO_POPULATION)
    reference = p_group / p_total if p_total else None
    estimate = stats.representation(a, n, p_group, p_total)
    if estimate is None:
        return Figure(reference=reference, withheld=NOT_COMPARABLE)
    return Figure(
        rate=a / n,
        reference=reference,
        ratio=estimate.value,
        ratio_ci_low=estimate.low,
        ratio_ci_high=estimate.high,
        flagged=estimate.excludes_one(),
    )


def times(ratio: float) -> str:
    return f"{ratio:.2f}"


def sentence(measure: str, people_words: str, ratio: float, outcome: str, phrase: str) -> str:
    """A flag in plain words: "Black residents were housed at 0.64 times the rate of
    everyone else"."""
    r = times(ratio)
    if measure == REPRESENTATION:
        return f"{people_words} were in services at {r} times their share of the area's population"
    if measure == REPEAT:
        return (
            f"{people_words} came back 3 or more times in 12 months at {r} times the rate of "
            "everyone else"
        )
    if measure == MANY_SERVICES:
        return (
            f"{people_words} were in touch with 3 or more services at {r} times the rate of "
            "everyone else"
        )
    if phrase:
        return f"{people_words} were {phrase} at {r} times the rate of everyone else"
    words = outcome_words(outcome, phrase)
    return f"{people_words} had “{words}” recorded at {r} times the rate of everyone else"


def method(analysed: Analysed) -> list[str]:
    """How the figures were made, in plain words, for the page and the briefing."""
    by = analysed.by_label.lower()
    paragraphs = [
        f"Each person is counted once, with the {by} their latest record gives. People whose "
        f"{by} is not recorded are counted and shown, but never compared: there is nothing to "
        "compare them with.",
    ]
    if analysed.has_population:
        paragraphs.append(
            "In services, against the population: a group's share of the people in services "
            "divided by its share of the area's population. 1 means in services in proportion; "
            "above 1, more than its share; below 1, fewer. The 95% interval uses the log method."
        )
    if analysed.outcome:
        words = outcome_words(analysed.outcome, analysed.outcome_phrase)
        paragraphs.append(
            f"Outcome ({words}): the share of a group's people for whom any record says so. "
            "People whose records never say yes or no are left out of that share. The 95% "
            "interval is the Wilson interval."
        )
    paragraphs += [
        "Coming back: people with 3 or more episodes within any 12 months. Many services: "
        "people in touch with 3 or more different services.",
        "Each rate is compared with everyone else's as a ratio: 1 means the same; 0.5, half "
        "as often; 2, twice as often. Its 95% interval uses the log (Katz) method. A group is "
        "flagged when the whole interval lies above 1 or below 1, so the difference is "
        "unlikely to be chance alone. A flag is a question to ask, not an answer: listening to "
        "the group is how to find out why.",
        "To protect people, every count is rounded to the nearest 5 and any count under 10 is "
        "hidden; where a total would give a hidden group away, the next smallest is hidden "
        "too. A hidden group has no rate. A rate is also withheld when fewer than 10 people "
        "had, or did not have, what it counts. Rates and intervals are worked out from the "
        "true counts.",
    ]
    return paragraphs

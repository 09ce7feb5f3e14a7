"""`manage.py equalities_report`: who is let down most, from two files, for analysts who work
in a terminal or a notebook. The same figures as the analysis pages (insight.equalities), with
the same disclosure control: counts protected, rates from the true counts.

    python manage.py equalities_report --records records.csv --population census.csv \
        --by ethnicity --outcome housed --json
"""

# SQL here names columns and tables, always quoted by _quote(); values are bound.
# ruff: noqa: S608

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.insight import equalities, fields

PERSON_NAMES = ("person_id", "person", "client_id", "id")
DATE_NAMES = ("date", "episode_date", "start_date", "contact_date")
SERVICE_NAMES = ("service",)
COUNT_NAMES = ("count", "population", "residents", "observation")


def _find(
    headers: list[str], wanted: str | None, names: tuple[str, ...], what: str, file: str
) -> str:
    """The file's own spelling of a column: the one asked for, or the first of `names`
    (compared ignoring capitals, spaces and punctuation)."""
    by_slug = {fields.slug(header): header for header in headers}
    for name in [wanted] if wanted else names:
        if name in headers:
            return name
        if fields.slug(name) in by_slug:
            return by_slug[fields.slug(name)]
    asked = f'"{wanted}"' if wanted else "one called " + " or ".join(f'"{n}"' for n in names)
    raise CommandError(
        f"{file} has no {what} column ({asked}). Its columns are: {', '.join(headers)}."
    )


def _as_csv(path: Path, scratch: Path) -> Path:
    """A CSV DuckDB can read: the file itself, or an XLSX workbook's first sheet written out."""
    if not path.exists():
        raise CommandError(f"There is no file at {path}.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return path
    if suffix != ".xlsx":
        raise CommandError(f"{path.name} is not a CSV or XLSX file.")
    from openpyxl import load_workbook  # heavy: only when a workbook is given

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise CommandError(f"{path.name} could not be opened as a workbook: {error}") from error
    out = scratch / (path.stem + ".csv")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if value is None else value for value in row])
    workbook.close()
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Command(BaseCommand):
    help = (
        "Who is let down most: each group's people (protected), outcome rate with its 95% "
        "interval, rate ratio against everyone else, and representation against the "
        "population, from a file of service records and a population table (CSV or XLSX)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--records",
            required=True,
            type=Path,
            metavar="FILE",
            help="Service records: one row per person-episode or contact.",
        )
        parser.add_argument(
            "--population",
            type=Path,
            metavar="FILE",
            help="Counts for the area by the same characteristic.",
        )
        parser.add_argument(
            "--by",
            required=True,
            metavar="COLUMN",
            help="The characteristic to compare groups by (a column in both files).",
        )
        parser.add_argument(
            "--outcome",
            metavar="COLUMN",
            help="A yes or no column of the records (blank: not known).",
        )
        parser.add_argument(
            "--outcome-phrase",
            default="",
            metavar="WORDS",
            help='How the outcome reads in a sentence, e.g. "housed".',
        )
        parser.add_argument("--person-column", metavar="COLUMN")
        parser.add_argument("--date-column", metavar="COLUMN")
        parser.add_argument("--service-column", metavar="COLUMN")
        parser.add_argument(
            "--count-column", metavar="COLUMN", help="The population table's count column."
        )
        parser.add_argument("--json", action="store_true", help="Print the groups as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        import duckdb

        connection = duckdb.connect()
        with tempfile.TemporaryDirectory() as scratch:
            records_path = _as_csv(options["records"], Path(scratch))
            population_path = (
                _as_csv(options["population"], Path(scratch)) if options["population"] else None
            )
            self._load(connection, "raw_records", records_path)
            if population_path:
                self._load(connection, "raw_population", population_path)
            analysed = self._analyse(connection, options, with_population=bool(population_path))
        rows = analysed.groups_for_command()
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            self._table(analysed, rows)

    def _load(self, connection: Any, table: str, path: Path) -> None:
        try:
            connection.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, all_varchar = true, "
                "header = true)",
                [str(path)],
            )
        except Exception as error:
            raise CommandError(f"{path.name} could not be read as CSV: {error}") from error

    def _headers(self, connection: Any, table: str) -> list[str]:
        return [row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()]

    def _analyse(
        self, connection: Any, options: dict[str, Any], *, with_population: bool
    ) -> equalities.Analysed:
        records_name = options["records"].name
        headers = self._headers(connection, "raw_records")
        person = _find(headers, options["person_column"], PERSON_NAMES, "person", records_name)
        date = _find(headers, options["date_column"], DATE_NAMES, "date", records_name)
        service = _find(headers, options["service_column"], SERVICE_NAMES, "service", records_name)
        by = _find(headers, options["by"], (), "characteristic", records_name)
        outcome = (
            _find(headers, options["outcome"], (), "outcome", records_name)
            if options["outcome"]
            else None
        )
        key = fields.slug(options["by"])
        characteristic = key if key in fields.CHARACTERISTICS else None

        groups = self._categories(connection, "raw_records", by, characteristic, records_name)
        connection.execute("CREATE TABLE record_groups (raw VARCHAR, grp VARCHAR)")
        connection.executemany("INSERT INTO record_groups VALUES (?, ?)", list(groups.items()))
        column = characteristic or key
        outcome_sql, outcome_join = "NULL::BOOLEAN", ""
        if outcome:
            answers = self._outcomes(connection, outcome, records_name)
            connection.execute("CREATE TABLE outcome_answers (raw VARCHAR, answer BOOLEAN)")
            connection.executemany(
                "INSERT INTO outcome_answers VALUES (?, ?)", list(answers.items())
            )
            outcome_sql = "a.answer"
            outcome_join = (
                f"LEFT JOIN outcome_answers a ON a.raw IS NOT DISTINCT FROM r.{_quote(outcome)}"
            )
        day = (
            f"coalesce(try_strptime(r.{_quote(date)}, '%Y-%m-%d'), "
            f"try_strptime(r.{_quote(date)}, '%d/%m/%Y'), "
            f"try_strptime(r.{_quote(date)}, '%Y-%m-%d %H:%M:%S'))::DATE"
        )
        bad_dates = connection.execute(
            f"SELECT r.{_quote(date)} FROM raw_records r WHERE {day} IS NULL LIMIT 3"
        ).fetchall()
        if bad_dates:
            raise CommandError(
                f'Some dates in the "{date}" column of {records_name} could not be read '
                f"({', '.join(repr(v[0]) for v in bad_dates)}): write them as 2024-03-01 or "
                "01/03/2024."
            )
        connection.execute(
            f"""CREATE TABLE records AS SELECT r.{_quote(person)} AS person_id, {day} AS date,
                r.{_quote(service)} AS service, g.grp AS {_quote(column)},
                {outcome_sql} AS outcome
                FROM raw_records r LEFT JOIN record_groups g
                ON g.raw IS NOT DISTINCT FROM r.{_quote(by)} {outcome_join}"""
        )

        population = None
        if with_population:
            population_name = options["population"].name
            p_headers = self._headers(connection, "raw_population")
            p_by = _find(p_headers, options["by"], (), "characteristic", population_name)
            p_count = _find(
                p_headers, options["count_column"], COUNT_NAMES, "count", population_name
            )
            p_groups = self._categories(
                connection, "raw_population", p_by, characteristic, population_name
            )
            connection.execute("CREATE TABLE population_groups (raw VARCHAR, grp VARCHAR)")
            connection.executemany(
                "INSERT INTO population_groups VALUES (?, ?)", list(p_groups.items())
            )
            bad = connection.execute(
                f"SELECT {_quote(p_count)} FROM raw_population WHERE "
                f"TRY_CAST(replace({_quote(p_count)}, ',', '') AS BIGINT) IS NULL LIMIT 1"
            ).fetchall()
            if bad:
                raise CommandError(
                    f'The "{p_count}" column of {population_name} has a value that is not a '
                    f"whole number: {bad[0][0]!r}."
                )
            connection.execute(
                f"""CREATE TABLE population AS SELECT g.grp AS {_quote(column)},
                    CAST(replace(p.{_quote(p_count)}, ',', '') AS BIGINT) AS count
                    FROM raw_population p JOIN population_groups g
                    ON g.raw IS NOT DISTINCT FROM p.{_quote(p_by)}"""
            )
            population = "population"
        try:
            return equalities.analyse(
                connection,
                records="records",
                population=population,
                by=column,
                outcome="outcome" if outcome else None,
                outcome_phrase=options["outcome_phrase"],
            )
        except equalities.AnalysisError as error:
            raise CommandError(str(error)) from error

    def _categories(
        self, connection: Any, table: str, column: str, characteristic: str | None, file: str
    ) -> dict[str | None, str]:
        values = [
            row[0]
            for row in connection.execute(
                f"SELECT DISTINCT {_quote(column)} FROM {table}"
            ).fetchall()
        ]
        groups: dict[str | None, str] = {}
        problems = []
        for value in values:
            try:
                groups[value] = (
                    fields.normalise(characteristic, value)
                    if characteristic
                    else (value or "").strip() or fields.NOT_RECORDED
                )
            except fields.NotACategoryError as error:
                problems.append(str(error))
        if problems:
            raise CommandError(
                f'Some values in the "{column}" column of {file} are not groups we know: '
                + "; ".join(sorted(problems)[:5])
                + "."
            )
        return groups

    def _outcomes(self, connection: Any, column: str, file: str) -> dict[str | None, bool | None]:
        answers: dict[str | None, bool | None] = {}
        problems = []
        for (value,) in connection.execute(
            f"SELECT DISTINCT {_quote(column)} FROM raw_records"
        ).fetchall():
            try:
                answers[value] = fields.outcome(value)
            except fields.NotACategoryError as error:
                problems.append(str(error))
        if problems:
            raise CommandError(
                f'Some values in the "{column}" column of {file} are not yes or no: '
                + "; ".join(sorted(problems)[:5])
                + "."
            )
        return answers

    def _table(self, analysed: equalities.Analysed, rows: list[dict[str, Any]]) -> None:
        def pct(value: float | None) -> str:
            return "-" if value is None else f"{value:.1%}"

        def ratio(value: float | None, low: float | None, high: float | None) -> str:
            if value is None or low is None or high is None:
                return "-"
            return f"{value:.2f} ({low:.2f} to {high:.2f})"

        self.stdout.write(f"By {analysed.by_label.lower()}: {analysed.people_text} people")
        self.stdout.write(
            f"{'group':<40} {'people':>14} {'rate':>8} {'ratio (95% CI)':>22} "
            f"{'in services vs population':>26}"
        )
        for row, group in zip(rows, analysed.groups, strict=True):
            representation = ratio(
                row["representation"], row["representation_ci_low"], row["representation_ci_high"]
            )
            self.stdout.write(
                f"{row['group'][:40]:<40} {group.n_text:>14} {pct(row['rate']):>8} "
                f"{ratio(row['ratio'], row['ratio_ci_low'], row['ratio_ci_high']):>22} "
                f"{representation:>26}"
            )
        for finding in analysed.findings:
            self.stdout.write(f"- {finding.sentence}.")

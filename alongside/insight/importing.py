"""Bringing an area's file in: service records or a population table, CSV or XLSX, checked
whole before anything is written, then stored in the area's DuckDB file (`storage.py`).

How it stays fast at ten million rows (about 20 seconds on two cores): DuckDB's own parallel
CSV reader does all the reading (an XLSX is first streamed into a CSV), and every check is SQL.
One scan learns what each column holds; a value becomes its category by joining against a
small table of the values the file really holds, each put through the one vocabulary
(`fields.normalise`, `fields.outcome`, `date_from`) once: a column of ten million cells has a
few dozen different values, so the Python that decides what "F" or "65+" means runs a few
dozen times, and SQL and the rest of Alongside can never disagree about a category. Only if
something is wrong does a second scan name the rows. The area's file is locked only for the
last scan, the one statement that writes the table.

Rows are numbered as a spreadsheet shows them: the heading row is row 1, so the first row of
data is row 2 (an empty line in a CSV file is skipped and not counted).

`bring_in` is a plain function: the import job calls it, and so can the bench and the demo.
"""

# Every name put into SQL here is one this module made (c3, t_2, records_12) or a checked
# slug, and every text (a path) goes through _lit; the file's own words are only ever data.
# ruff: noqa: S608

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from . import fields, storage

IMPORT_JOB = "insight.import"
MAX_PROBLEMS = 200
# The heading row is read from the start of the file only.
HEAD_BYTES = 256 * 1024
MAX_COLUMNS = 300
STEPS = 4
DATE_HINT = "write it as 2024-03-01 or 01/03/2024"

RECORDS = "records"
POPULATION = "population"

Progress = Callable[[int, int], None]


@dataclass
class Result:
    """What an import found: the rows brought in, or the problems that stopped it."""

    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    first_date: date | None = None
    last_date: date | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class FileProblemError(ValueError):
    """The file cannot be read as a table at all (no heading row, not text). Plain words for
    the page; never the file's contents."""


# --- reading the heading row ------------------------------------------------------------------


def decode_head(raw: bytes) -> str:
    """The start of a text file: UTF-8 (with or without its byte-order mark), else the Windows
    encoding spreadsheets often save in. A multi-byte character cut at the end is dropped."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(raw, final=False)
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(first_line: str) -> str:
    """Comma, semicolon or tab: whichever the heading row uses most, outside quotes."""
    outside = first_line.split('"')[::2]
    counts = {d: sum(part.count(d) for part in outside) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _csv_headers(handle: IO[bytes]) -> tuple[list[str], str]:
    head = decode_head(handle.read(HEAD_BYTES))
    if "\x00" in head:
        raise FileProblemError("This isn't a text file, so it can't be a CSV file.")
    if not head.strip():
        raise FileProblemError("The file is empty: there is no heading row.")
    delimiter = sniff_delimiter(_first_line(head))
    try:
        cells = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    except csv.Error as error:
        raise FileProblemError(
            "The heading row can't be read: check its quotes, or save the file as CSV again."
        ) from error
    return [cell.strip() for cell in cells], delimiter


def _xlsx_headers(handle: IO[bytes] | Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook raises any of a dozen kinds
        raise FileProblemError(
            "This workbook can't be opened: save it again as .xlsx, or as CSV."
        ) from error
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None or not hasattr(sheet, "iter_rows"):  # none, or a chart on its own
            raise FileProblemError("The workbook's first sheet has no table in it.")
        try:
            first = next(sheet.iter_rows(max_row=1, values_only=True), None)
        except Exception as error:  # damaged sheet XML raises any of many kinds
            raise FileProblemError(
                "This workbook's first sheet can't be read: save it again as .xlsx, or as CSV."
            ) from error
    finally:
        book.close()
    if not first:
        raise FileProblemError("The first sheet is empty: there is no heading row.")
    return [cell_text(cell).strip() for cell in first]


def headers_from(handle: IO[bytes], file_format: str) -> list[str]:
    """The heading row of an open file, in order (a blank heading stays as "")."""
    headers = _csv_headers(handle)[0] if file_format == "csv" else _xlsx_headers(handle)
    while headers and not headers[-1]:
        headers.pop()  # a trailing separator or empty cells after the last heading
    if not any(headers):
        raise FileProblemError("The heading row is empty: the first row must name the columns.")
    if len(headers) > MAX_COLUMNS:
        raise FileProblemError(f"The file has more than {MAX_COLUMNS} columns.")
    seen: set[str] = set()
    for name in headers:
        if name and name.lower() in seen:
            raise FileProblemError(
                f'Two columns are both called "{name[:60]}": rename one and bring it in again.'
            )
        seen.add(name.lower())
    return headers


def read_headers(path: Path, file_format: str) -> list[str]:
    with open(path, "rb") as handle:
        return headers_from(handle, file_format)


# --- the mapping ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the stored table and the file's column it comes from."""

    name: str  # in the table: person_id, date, ethnicity, outcome_housed, count
    source: str  # the file's heading
    role: str  # person_id, date, service, characteristic, outcome, count
    key: str = ""  # the characteristic's or outcome's key


RESERVED = {"person_id", "date", "service", "count", "rn"}


def columns_of(kind: str, mapping: dict[str, Any]) -> list[Column]:
    """The table's columns for a mapping in the shape `DataSet.mapping` keeps."""
    columns: list[Column] = []
    if kind == RECORDS:
        for role in ("person_id", "date", "service"):
            columns.append(Column(role, str(mapping.get(role) or ""), role))
    for key, source in (mapping.get("characteristics") or {}).items():
        columns.append(Column(key, str(source), "characteristic", key))
    if kind == RECORDS:
        for key, outcome in (mapping.get("outcomes") or {}).items():
            columns.append(
                Column(f"{storage.OUTCOME_PREFIX}{key}", str(outcome["column"]), "outcome", key)
            )
    else:
        columns.append(Column("count", str(mapping.get("count") or ""), "count"))
    return columns


def mapping_problems(kind: str, mapping: dict[str, Any], headers: list[str]) -> list[str]:
    """What is wrong with a mapping for a file with these headings, in plain words."""
    problems: list[str] = []
    have = set(headers)
    used: dict[str, str] = {}
    for column in columns_of(kind, mapping):
        what = fields.label(column.key) if column.key else column.role.replace("_", " ")
        if not column.source:
            problems.append(f"Choose the column for {what}.")
        elif column.source not in have:
            problems.append(f'There is no column called "{column.source[:60]}" in the file.')
        elif column.source in used:
            problems.append(f'The column "{column.source[:60]}" is chosen twice.')
        used[column.source] = column.name
        if column.role in ("characteristic", "outcome") and (
            fields.slug(column.key) != column.key or column.key in RESERVED
        ):
            problems.append(f'"{column.key}" can\'t be used as a name: choose another.')
    if kind == POPULATION and not mapping.get("characteristics"):
        problems.append("Choose at least one characteristic for the population table.")
    return problems


# --- reading the values -------------------------------------------------------------------------


def date_from(text: str) -> date:
    """2024-03-01 or 01/03/2024 (a time after an ISO date, as spreadsheets add, is let be)."""
    text = text.strip()
    for pattern, length in (("%Y-%m-%d", 10), ("%d/%m/%Y", None)):
        part = text[:length] if length and len(text) > length and text[10] in " T" else text
        try:
            return datetime.strptime(part, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError(text)


def _translate_date(raw: str) -> tuple[Any, str | None]:
    if not raw.strip():
        return None, "the date is blank"
    try:
        return date_from(raw), None
    except ValueError:
        return None, f'"{raw.strip()[:40]}" is not a date: {DATE_HINT}'


def _translate_characteristic(key: str) -> Callable[[str], tuple[Any, str | None]]:
    def translate(raw: str) -> tuple[Any, str | None]:
        try:
            return fields.normalise(key, raw), None
        except fields.NotACategoryError as problem:
            return None, str(problem)

    return translate


def _translate_outcome(raw: str) -> tuple[Any, str | None]:
    try:
        return fields.outcome(raw), None
    except fields.NotACategoryError as problem:
        return None, str(problem)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the import -----------------------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


REJECTED = {
    "TOO MANY COLUMNS": "it has more cells than there are headings",
    "MISSING COLUMNS": "it has fewer cells than there are headings",
    "UNQUOTED VALUE": "its quotation marks don't match: save the file as CSV again",
    "UNTERMINATED QUOTE": "a quotation mark is never closed: save the file as CSV again",
    "LINE SIZE OVER MAXIMUM": "it is longer than any row can be",
    "INVALID ENCODING": "it holds characters that can't be read",
}


def _xlsx_to_csv(path: Path, target: Path, width: int) -> None:
    """Stream the first sheet into a CSV file with the sheet's own row number first, so rows
    are named as the workbook shows them even when blank rows are skipped."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        with open(target, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["rn", *(f"c{i}" for i in range(width))])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number == 1:
                    continue
                cells = [cell_text(value) for value in row[:width]]
                if not any(cell.strip() for cell in cells):
                    continue
                cells += [""] * (width - len(cells))
                writer.writerow([number, *cells])
    finally:
        book.close()


def _transcode_cp1252(path: Path, target: Path) -> None:
    with open(path, encoding="cp1252", errors="replace", newline="") as source:
        with open(target, "w", encoding="utf-8", newline="") as out:
            shutil.copyfileobj(source, out, 4 * 1024 * 1024)


# What Python's strip() takes from a cell (the vocabulary strips again; a blank person id or
# service is one with nothing else).
BLANKS = "' \t\n\r\x0b\x0c'"


@dataclass
class _Source:
    """The file as DuckDB reads it: where, how it is split, and the columns used."""

    path: Path
    width: int
    delimiter: str
    numbered: bool  # an XLSX's CSV carries the sheet's row numbers in its first column
    used: list[int]
    # Columns whose cells are used as they are (ids, services, counts), so trimmed here. The
    # rest are translated, and the vocabulary trims: leaving them be halves the scan's work.
    trimmed: set[int]

    def read(self, *, rejects: bool) -> str:
        names = (["rn"] if self.numbered else []) + [f"c{i}" for i in range(self.width)]
        columns = ", ".join(f"{_lit(name)}: 'VARCHAR'" for name in names)
        kept = (
            ", store_rejects=true, rejects_table='rejected', rejects_scan='rejected_scans'"
            if rejects
            else ""
        )
        return (
            f"read_csv({_lit(str(self.path))}, auto_detect=false, header=true, "
            f"delim={_lit(self.delimiter)}, quote='\"', escape='\"', encoding='utf-8', "
            f"columns={{{columns}}}{kept})"
        )

    def rows(self, *, numbered: bool = False, rejects: bool = False) -> str:
        """A subquery of the used columns, never NULL, with the row number as a
        spreadsheet shows it if asked (the heading row is row 1)."""
        picks = [
            f"coalesce(trim(c{i}, {BLANKS}), '') AS c{i}"
            if i in self.trimmed
            else f"coalesce(c{i}, '') AS c{i}"
            for i in self.used
        ]
        if numbered:
            rn = "CAST(rn AS BIGINT)" if self.numbered else "row_number() OVER () + 1"
            picks.insert(0, f"{rn} AS rn")
        return f"(SELECT {', '.join(picks) or '1 AS one'} FROM {self.read(rejects=rejects)})"


@dataclass
class _Translation:
    """Each different value a column holds, what it is stored as, and its problem if any."""

    name: str
    sql_type: str
    raw: list[str]
    values: list[Any]
    problems: list[str | None]

    @property
    def has_problems(self) -> bool:
        return any(p is not None for p in self.problems)

    def load(self, db: Any, *, temporary: bool) -> None:
        kind = "TEMP TABLE" if temporary else "TABLE"
        db.execute(
            f"CREATE {kind} {self.name} (raw VARCHAR, value {self.sql_type}, problem VARCHAR)"
        )
        if self.raw:
            db.execute(
                f"INSERT INTO {self.name} SELECT unnest($1), "
                f"CAST(unnest($2) AS {self.sql_type}), unnest($3)",
                [self.raw, self.values, self.problems],
            )


def _translator(column: Column) -> tuple[str, Callable[[str], tuple[Any, str | None]]]:
    if column.role == "date":
        return "DATE", _translate_date
    if column.role == "outcome":
        return "BOOLEAN", _translate_outcome
    return "VARCHAR", _translate_characteristic(column.key)


def _blank_words(column: Column) -> str:
    return "the person id is blank" if column.role == "person_id" else "the service is blank"


def _count_bad(cell: str) -> str:
    plain = f"replace({cell}, ',', '')"
    return f"(NOT regexp_full_match({plain}, '[0-9]+') OR try_cast({plain} AS BIGINT) IS NULL)"


@dataclass
class _Survey:
    rows: int
    rejected: list[tuple[int, int | None, str]]
    translations: dict[int, _Translation]
    other_problems: int


def _survey(db: Any, source: _Source, columns: list[Column], index: dict[str, int]) -> _Survey:
    """One pass over the file: how many rows, the different values of each column that needs
    translating, how many blank ids or services and bad counts, and the rows DuckDB could not
    split into cells."""
    picks = ["count(*)"]
    for order, column in enumerate(columns):
        cell = f"c{index[column.source]}"
        if column.role in ("person_id", "service"):
            picks.append(f"count_if({cell} = '') AS p{order}")
        elif column.role == "count":
            picks.append(f"count_if({_count_bad(cell)}) AS p{order}")
        else:
            picks.append(f"list(DISTINCT {cell}) AS p{order}")
    found = _one(db, f"SELECT {', '.join(picks)} FROM {source.rows(rejects=True)}")
    rejected = [
        (int(line), idx, str(kind))
        for line, idx, kind in db.execute(
            "SELECT DISTINCT line, column_idx, error_type FROM rejected ORDER BY line"
        ).fetchall()
    ]
    db.execute("DROP TABLE IF EXISTS rejected")
    db.execute("DROP TABLE IF EXISTS rejected_scans")
    translations: dict[int, _Translation] = {}
    others = 0
    for order, column in enumerate(columns):
        value = found[order + 1]
        if isinstance(value, list):
            sql_type, translate = _translator(column)
            made = [translate(raw) for raw in value]
            translations[order] = _Translation(
                f"t_{order}", sql_type, value, [m[0] for m in made], [m[1] for m in made]
            )
        else:
            others += int(value or 0)
    return _Survey(int(found[0]), rejected, translations, others)


def bring_in(
    *,
    area_id: int,
    table: str,
    path: Path,
    file_format: str,
    kind: str,
    mapping: dict[str, Any],
    progress: Progress | None = None,
) -> Result:
    """Check the whole file against the mapping; if every row is good, store it as `table`
    in the area's DuckDB file (replacing any table of that name) in one transaction. If any
    row has a problem, nothing is written and the first MAX_PROBLEMS are returned.

    The file is read three times at most, each a fast parallel scan: once to learn what it
    holds, once more to name the rows with problems (only if there are any), and once to
    write the table, inside the area file's one transaction. The rows are not copied into a
    staging table first: writing ten million rows is what takes the time, and a staging copy
    would double it while holding the area's lock no less (copying is a write too)."""
    import duckdb

    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    headers = read_headers(path, file_format)
    problems = mapping_problems(kind, mapping, headers)
    if problems:
        return Result(
            problems=[{"row": 1, "column": "", "problem": p} for p in problems],
            problem_count=len(problems),
        )
    columns = columns_of(kind, mapping)
    index = {name: i for i, name in reversed(list(enumerate(headers)))}
    used = sorted({index[c.source] for c in columns})
    trimmed = {index[c.source] for c in columns if c.role in ("person_id", "service", "count")}
    work = Path(tempfile.mkdtemp(prefix="staging-", dir=storage.root()))
    db = duckdb.connect()
    try:
        db.execute(f"SET temp_directory = {_lit(str(work / 'spill'))}")
        step(0)
        if file_format == "xlsx":
            source = _Source(work / "sheet.csv", len(headers), ",", True, used, trimmed)
            try:
                _xlsx_to_csv(path, source.path, len(headers))
            except Exception as error:  # a damaged sheet raises any of many kinds
                raise FileProblemError("The workbook's first sheet can't be read.") from error
        else:
            with open(path, "rb") as handle:
                delimiter = _csv_headers(handle)[1]
            source = _Source(path, len(headers), delimiter, False, used, trimmed)
        step(1)
        survey = _survey(db, source, columns, index)
        if any(kind_ == "INVALID ENCODING" for _, _, kind_ in survey.rejected):
            # Not UTF-8: a spreadsheet saved in the Windows encoding. Read it as that.
            source.path = work / "utf8.csv"
            _transcode_cp1252(path, source.path)
            survey = _survey(db, source, columns, index)
        step(2)
        if survey.rejected:
            return _rejected_result(survey.rejected, headers)
        if survey.rows == 0:
            return Result(
                problems=[
                    {"row": 2, "column": "", "problem": "there are no rows under the headings"}
                ],
                problem_count=1,
            )
        if survey.other_problems or any(t.has_problems for t in survey.translations.values()):
            return _problems(db, source, columns, index, survey)
        step(3)
        result = Result(rows=survey.rows)
        _write(area_id, table, source, columns, index, survey, result)
        step(STEPS)
        return result
    finally:
        db.close()
        shutil.rmtree(work, ignore_errors=True)


def _rejected_result(rejected: list[tuple[int, int | None, str]], headers: list[str]) -> Result:
    problems = []
    for line, idx, kind in rejected[:MAX_PROBLEMS]:
        column = headers[idx - 1] if idx and 0 < idx <= len(headers) else ""
        words = REJECTED.get(kind, "it can't be read: save the file as CSV again")
        problems.append({"row": line, "column": column, "problem": words})
    return Result(problems=problems, problem_count=len(rejected))


def _problems(
    db: Any, source: _Source, columns: list[Column], index: dict[str, int], survey: _Survey
) -> Result:
    """Every problem, each named by row and column: the rows with any are kept (in memory,
    spilling to disk), then counted, and the first MAX_PROBLEMS listed in order."""
    checks: list[str] = []
    joins: list[str] = []
    for order, column in enumerate(columns):
        cell = f"raw.c{index[column.source]}"
        if column.role in ("person_id", "service"):
            checks.append(
                f"CASE WHEN {cell} = '' THEN {_lit(_blank_words(column))} END AS p{order}"
            )
        elif column.role == "count":
            checks.append(
                f"CASE WHEN {cell} = '' THEN 'the count is blank' WHEN {_count_bad(cell)} "
                f"THEN '\"' || left({cell}, 40) || '\" is not a whole number of 0 or more' "
                f"END AS p{order}"
            )
        else:
            translation = survey.translations[order]
            if not translation.has_problems:
                continue
            translation.load(db, temporary=True)
            joins.append(f"LEFT JOIN {translation.name} ON {translation.name}.raw = {cell}")
            checks.append(f"{translation.name}.problem AS p{order}")
    names = [check.rsplit(" AS ", 1)[1] for check in checks]
    db.execute(
        f"CREATE TEMP TABLE bad AS SELECT raw.rn, {', '.join(checks)} "
        f"FROM {source.rows(numbered=True)} AS raw {' '.join(joins)} "
        f"WHERE {' OR '.join(f'{name} IS NOT NULL' for name in names)}"
    )
    count = _one(db, f"SELECT {' + '.join(f'count({name})' for name in names)} FROM bad")[0]
    rows = db.execute(
        f"SELECT rn, CAST(substr(name, 2) AS INTEGER) AS o, problem "
        f"FROM (UNPIVOT bad ON {', '.join(names)} INTO NAME name VALUE problem) "
        f"ORDER BY rn, o LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    return Result(
        problems=[{"row": int(rn), "column": columns[o].source, "problem": p} for rn, o, p in rows],
        problem_count=int(count or 0),
    )


def _write(
    area_id: int,
    table: str,
    source: _Source,
    columns: list[Column],
    index: dict[str, int],
    survey: _Survey,
    result: Result,
) -> None:
    """The table as it is stored, every value in its category, written in one statement in
    the area file's one transaction (and checked to hold every row, or undone)."""
    picks: list[str] = []
    joins: list[str] = []
    for order, column in enumerate(columns):
        cell = f"raw.c{index[column.source]}"
        if column.role in ("person_id", "service"):
            picks.append(f"{cell} AS {_q(column.name)}")
        elif column.role == "count":
            picks.append(f"CAST(replace({cell}, ',', '') AS BIGINT) AS {_q(column.name)}")
        else:
            name = survey.translations[order].name
            joins.append(f"JOIN {name} ON {name}.raw = {cell}")
            picks.append(f"{name}.value AS {_q(column.name)}")
            if column.role == "date":
                dates = [d for d in survey.translations[order].values if d is not None]
                result.first_date, result.last_date = min(dates), max(dates)
    select = f"SELECT {', '.join(picks)} FROM {source.rows()} AS raw {' '.join(joins)}"
    with storage.writing(area_id) as area:
        area.execute("SET preserve_insertion_order = false")
        for translation in survey.translations.values():
            translation.load(area, temporary=True)
        area.execute(f"CREATE OR REPLACE TABLE {_q(table)} AS {select}")
        written = _one(area, f"SELECT count(*) FROM {_q(table)}")[0]
        if written != survey.rows:  # the file changed under us: keep nothing
            raise RuntimeError("the file changed while it was brought in")


def _one(db: Any, sql: str) -> tuple[Any, ...]:
    # fetchall, not fetchone: the query must finish (a CSV scan writes its rejects at the end).
    rows = db.execute(sql).fetchall()
    if not rows:  # an aggregate always gives a row
        raise RuntimeError("DuckDB gave no row for an aggregate")
    return tuple(rows[0])

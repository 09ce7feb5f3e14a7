"""Reading and checking a file of contributions before anything is written: a CSV file, or a
zip of a folder of .txt and .eml files (each file one contribution).

Each problem names its row (a spreadsheet's numbering: the heading row is row 1) or its file,
and says what is wrong. If there is any problem, nothing is kept (DESIGN.md principle 7:
nothing silently dropped, and nothing half-imported either); the import itself is
`services.imports.contributions_import_start`.

Everything here reads a file a stranger may have made, so every check takes time in proportion
to the file's size (never to its square), and a damaged or hostile file is a problem for the
page, never an error for the server log: what people wrote, and the names they gave their
files, stay out of the log.
"""

from __future__ import annotations

import csv
import email
import email.policy
import html
import io
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags

from .building import ContributionFields
from .models import Channel, Contribution, Exercise

try:
    from lzma import LZMAError
except ImportError:  # a Python built without lzma: zipfile can't unpack it either
    LZMAError = zlib.error

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A zip can expand far beyond its own size; refuse before reading what it claims to hold.
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
MAX_CONTRIBUTIONS = 5000
MAX_TEXT_CHARS = 50_000
# We use eight columns; a few dozen leaves room for a spreadsheet's own (which are then named
# as problems) and refuses at once a file that is one long line of cells.
MAX_COLUMNS = 40
# The delimiter is guessed from the start of the heading row only: csv.Sniffer takes time in
# the square of what it reads, and a real heading row is far shorter than this.
SNIFF_CHARS = 1024
# Past this many problems the list stops: fix these first.
MAX_PROBLEMS = 100
# No line of a file we can read is longer than its longest row could be: the text and every
# other column at their longest, quoted, with room to spare.
MAX_LINE_CHARS = 3 * MAX_TEXT_CHARS

COLUMNS = (
    "channel",
    "place",
    "date",
    "text",
    "credit_name",
    "credit_place",
    "consent_to_quote",
    "content_warnings",
)
REQUIRED_COLUMNS = ("channel", "text")
LIMITS = {
    "place": 200,
    "credit_name": 80,
    "credit_place": 120,
    "content_warnings": 300,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
FILE_TYPES = (".txt", ".eml")

# What a damaged or hostile zip raises while it is opened or read: bad deflate data
# (zlib.error), a wrong CRC or a file name that differs between the directory and the file's
# own header (BadZipFile), data that stops short (EOFError), and the rest of what the
# decompressors and zipfile's own parsing raise.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    ValueError,
    struct.error,
)
# Stored, deflated, bzip2 and lzma: what zipfile unpacks. Anything else (implode, deflate64,
# a method number nobody uses) is refused before it is opened.
UNPACKABLE = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
PACKED_OTHERWISE = (
    "it is packed in a way we can't unpack: zip the folder again with your computer's own "
    "zip tool and bring it in again"
)
DAMAGED = "it is damaged inside the zip and can't be read: zip the folder again and bring it in"

_CHANNEL_WORDS: dict[str, str] = {}
for _value, _label in Channel.choices:
    _CHANNEL_WORDS[_value.replace("_", " ")] = _value
    _CHANNEL_WORDS[_label.lower()] = _value
_CHANNEL_WORDS.update(
    {
        "in person": Channel.FACE_TO_FACE,
        "f2f": Channel.FACE_TO_FACE,
        "telephone": Channel.PHONE,
        "phone call": Channel.PHONE,
        "e mail": Channel.EMAIL,
        "whats app": Channel.WHATSAPP,
        "social": Channel.SOCIAL_MEDIA,
        "group": Channel.GROUP,
    }
)
CHANNEL_HINT = ", ".join(label.lower() for _, label in Channel.choices)


@dataclass(frozen=True)
class Problem:
    where: str  # "Row 4", "File 2 (letters/jo.eml)", or "The file"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


TOO_MANY_COLUMNS = Problem(
    "Row 1",
    f"it has more than {MAX_COLUMNS} columns, and we read at most {MAX_COLUMNS}: keep only "
    f"the columns {', '.join(COLUMNS)}",
)


@dataclass
class ImportCheck:
    """What was read, and everything wrong with it. `rows[i]` came from `sources[i]`."""

    rows: list[ContributionFields] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def full(self) -> bool:
        """Enough problems to be going on with: stop reading, and say there are more."""
        return len(self.problems) >= MAX_PROBLEMS

    def stop_listing(self) -> None:
        self.problems.append(
            Problem(
                "The file",
                f"there are more problems than the {MAX_PROBLEMS} listed here: "
                "fix these and bring it in again",
            )
        )


# --- reading -------------------------------------------------------------------------


def _decode(raw: bytes) -> str | None:
    """UTF-8, or the Windows encoding spreadsheets often save in. None for binary files."""
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def channel_from(text: str) -> str | None:
    key = re.sub(r"[\s_\-]+", " ", text.strip().lower())
    return _CHANNEL_WORDS.get(key)


def date_from(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY. Raises ValueError with a plain reason."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
        if parsed > timezone.localdate():
            raise ValueError(f'the date "{text}" is in the future')
        return parsed
    raise ValueError(f'the date "{text}" isn\'t one we can read: write 2026-03-14 or 14/03/2026')


def _dialect(text: str) -> Any:
    try:
        return csv.Sniffer().sniff(text[:SNIFF_CHARS].split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _too_wide(text: str, dialect: Any) -> bool:
    """Does the heading row have more than MAX_COLUMNS columns? Counted without splitting it
    into cells, which for a file that is one long line of them takes far longer. The count of
    separators is exact unless some are inside quotes: then the reader splits the row (no
    longer than MAX_LINE_CHARS) and the cells are counted."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    if first_line.count(dialect.delimiter) < MAX_COLUMNS:
        return False
    return dialect.quotechar not in first_line


def read_csv(raw: bytes) -> ImportCheck:
    """Check every row of a CSV file with the columns in COLUMNS."""
    check = ImportCheck()
    text = _decode(raw)
    if text is None:
        check.problems.append(Problem("The file", "this isn't a CSV file: choose a .csv file"))
        return check
    dialect = _dialect(text)
    if _too_wide(text, dialect):
        check.problems.append(TOO_MANY_COLUMNS)
        return check
    reader = csv.reader(_lines(text), dialect)
    try:
        cells = next(reader, [])
        if len(cells) > MAX_COLUMNS:
            check.problems.append(TOO_MANY_COLUMNS)
            return check
        header = [cell.strip().lower().replace(" ", "_") for cell in cells]
        if not _header_ok(header, check):
            return check
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines at the end of a spreadsheet export
            if len(check.rows) + len(check.problems) >= MAX_CONTRIBUTIONS:
                check.problems.append(
                    Problem("The file", f"it has more than {MAX_CONTRIBUTIONS:,} rows")
                )
                break
            if check.full:
                check.stop_listing()
                break
            _read_row(number, header, cells, check)
    except _LineTooLongError:
        check.problems.append(
            Problem(
                f"Row {reader.line_num + 1}",
                f"it is longer than {MAX_LINE_CHARS:,} characters, more than any row can be: "
                "check the file is a CSV file with one contribution a row",
            )
        )
    except csv.Error:
        # The csv module's own words can quote the file; ours say where, and what to do.
        check.problems.append(
            Problem(
                f"Row {reader.line_num}",
                "it can't be read: check its quotes, or save the file again as CSV",
            )
        )
    if not check.rows and not check.problems:
        check.problems.append(Problem("The file", "there are no rows under the headings"))
    return check


class _LineTooLongError(Exception):
    pass


def _lines(text: str) -> Iterator[str]:
    """The file's lines for the csv reader, refusing one longer than any row can be before
    the reader spends its time splitting it into cells."""
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_LINE_CHARS:
            raise _LineTooLongError
        yield line


def _header_ok(header: list[str], check: ImportCheck) -> bool:
    """One pass over the headings (there are at most MAX_COLUMNS of them)."""
    counts = Counter(name for name in header if name)
    missing = [name for name in REQUIRED_COLUMNS if name not in counts]
    unknown = [name for name in counts if name not in COLUMNS]
    repeated = sorted(name for name, count in counts.items() if count > 1)
    if missing:
        check.problems.append(
            Problem("Row 1", f"the headings need a column called {' and '.join(missing)}")
        )
    for name in unknown:
        check.problems.append(
            Problem(
                "Row 1",
                f'we don\'t use a column called "{name}": rename it to one of '
                f"{', '.join(COLUMNS)}, or take it out so nothing is lost without you knowing",
            )
        )
    for name in repeated:
        check.problems.append(Problem("Row 1", f'the column "{name}" appears more than once'))
    return not check.problems


def _read_row(number: int, header: list[str], cells: list[str], check: ImportCheck) -> None:
    where = f"Row {number}"
    if len(cells) > len(header):
        check.problems.append(Problem(where, "it has more cells than there are headings"))
        return
    values = dict(zip(header, [c.strip() for c in cells], strict=False))
    problems = []
    channel = channel_from(values.get("channel", ""))
    if channel is None:
        given = values.get("channel", "")
        problems.append(
            f'the channel "{given}" isn\'t one we know: use one of {CHANNEL_HINT}'
            if given
            else f"the channel is empty: use one of {CHANNEL_HINT}"
        )
    text = values.get("text", "")
    if not text:
        problems.append("there are no words in the text column")
    elif len(text) > MAX_TEXT_CHARS:
        problems.append(f"the text is longer than {MAX_TEXT_CHARS:,} characters")
    heard_on = None
    if values.get("date"):
        try:
            heard_on = date_from(values["date"])
        except ValueError as error:
            problems.append(str(error))
    consent = values.get("consent_to_quote", "").lower()
    if consent not in YES | NO:
        problems.append(f'consent_to_quote is "{values["consent_to_quote"]}": write yes or no')
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    if problems:
        check.problems += [Problem(where, message) for message in problems]
        return
    named = bool(values.get("credit_name") or values.get("credit_place"))
    check.rows.append(
        ContributionFields(
            channel=channel,
            text=text,
            place=values.get("place", ""),
            heard_on=heard_on,
            credit=Contribution.Credit.NAMED if named else Contribution.Credit.ANONYMOUS,
            credit_name=values.get("credit_name", ""),
            credit_place=values.get("credit_place", ""),
            consent_to_quote=consent in YES,
            content_warnings=values.get("content_warnings", ""),
        )
    )
    check.sources.append(where)


def read_zip(raw: bytes, *, channel: str, place: str = "") -> ImportCheck:
    """Check a zip of .txt and .eml files, each one contribution heard by `channel`.
    From an email only the words of its body and its date are kept: never the sender's
    address or name."""
    check = ImportCheck()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except UNREADABLE:
        check.problems.append(Problem("The file", "this isn't a zip file: choose a .zip file"))
        return check
    with archive:
        files = sorted(
            (info for info in archive.infolist() if _is_content(info)), key=lambda i: i.filename
        )
        if sum(info.file_size for info in files) > MAX_UNZIPPED_BYTES:
            mb = MAX_UNZIPPED_BYTES // (1024 * 1024)
            check.problems.append(Problem("The file", f"unzipped, it holds more than {mb} MB"))
            return check
        if len(files) > MAX_CONTRIBUTIONS:
            check.problems.append(
                Problem("The file", f"it holds more than {MAX_CONTRIBUTIONS:,} files")
            )
            return check
        for number, info in enumerate(files, start=1):
            if check.full:
                check.stop_listing()
                break
            _read_file(archive, number, info, channel, place, check)
    if not check.rows and not check.problems:
        check.problems.append(Problem("The file", "there are no .txt or .eml files in it"))
    return check


def _is_content(info: zipfile.ZipInfo) -> bool:
    """Folders and the hidden files operating systems add (.DS_Store, __MACOSX) are not
    contributions. Nor is a member without a name (zipfile cuts a name at its first NUL)."""
    if not info.filename or info.is_dir():
        return False
    parts = info.filename.replace("\\", "/").split("/")
    return "__MACOSX" not in parts and not parts[-1].startswith(".")


def _read_file(
    archive: zipfile.ZipFile,
    number: int,
    info: zipfile.ZipInfo,
    channel: str,
    place: str,
    check: ImportCheck,
) -> None:
    where = f"File {number} ({info.filename})"
    name = info.filename.lower()
    if not name.endswith(FILE_TYPES):
        check.problems.append(Problem(where, "only .txt and .eml files can be read"))
        return
    if info.flag_bits & 0x1:
        check.problems.append(Problem(where, "it is protected by a password"))
        return
    if info.compress_type not in UNPACKABLE:
        check.problems.append(Problem(where, PACKED_OTHERWISE))
        return
    try:
        with archive.open(info) as handle:
            raw = handle.read(MAX_UNZIPPED_BYTES + 1)
    except NotImplementedError:
        check.problems.append(Problem(where, PACKED_OTHERWISE))
        return
    except UNREADABLE:
        # Damaged data, a wrong checksum, a name that differs inside the zip: the error's own
        # words name the file, so they go nowhere; the person is told which file, on the page.
        check.problems.append(Problem(where, DAMAGED))
        return
    heard_on = None
    if name.endswith(".eml"):
        text, heard_on = _email_words(raw)
    else:
        text = _decode(raw)
    if text is None:
        check.problems.append(Problem(where, "it isn't text"))
        return
    text = text.strip()
    if not text:
        check.problems.append(Problem(where, "there are no words in it"))
        return
    if len(text) > MAX_TEXT_CHARS:
        check.problems.append(Problem(where, f"it is longer than {MAX_TEXT_CHARS:,} characters"))
        return
    check.rows.append(
        ContributionFields(channel=channel, text=text, place=place, heard_on=heard_on)
    )
    check.sources.append(where)


def _email_words(raw: bytes) -> tuple[str | None, date | None]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", None
    try:
        content = body.get_content()
    except (LookupError, UnicodeError):  # an unknown or broken character set
        return None, None
    if body.get_content_type() == "text/html":
        content = html.unescape(strip_tags(content))
    return content, _email_date(message.get("date"))


def _email_date(header: str | None) -> date | None:
    if not header:
        return None
    try:
        sent = parsedate_to_datetime(str(header))
    except (TypeError, ValueError):
        return None
    if sent.tzinfo is None:
        return sent.date()
    return timezone.localtime(sent).date()


# --- checking against each other and the exercise --------------------------------------


def _same_words(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_duplicates(check: ImportCheck, existing_texts: Iterable[str]) -> None:
    """Flag a row whose words repeat an earlier row's, or a contribution already in the
    exercise (a file imported twice)."""
    already = {_same_words(text) for text in existing_texts}
    first_seen: dict[str, str] = {}
    for fields, where in zip(check.rows, check.sources, strict=True):
        key = _same_words(fields.text)
        if key in already:
            check.problems.append(Problem(where, "these words are already in this exercise"))
        elif key in first_seen:
            check.problems.append(
                Problem(where, f"the words are the same as {first_seen[key].lower()}")
            )
        else:
            first_seen[key] = where


def check_upload(
    exercise: Exercise, raw: bytes, kind: str, *, channel: str, place: str
) -> ImportCheck:
    """Read and check an upload of `kind` "csv" or "zip" for this exercise."""
    check = read_csv(raw) if kind == "csv" else read_zip(raw, channel=channel, place=place)
    if check.rows:
        check_duplicates(check, exercise.contributions.values_list("text", flat=True))
    return check

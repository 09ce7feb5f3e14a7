"""Checking an area's upload in the request, before it is kept: not too big, and really the
kind of file its name says (a .csv that is a zip, a PDF or a program is refused, and so is an
.xlsx that is not a workbook), with a heading row we can read. The rows themselves are
checked by the import job (`importing.bring_in`), all of them, before anything is written.

A problem is plain words for the page; the file's contents never go into a message or a log.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .importing import HEAD_BYTES, FileProblemError, headers_from

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx"}

# The first bytes of files that are not text, whatever their names say.
SIGNATURES = {
    b"PK\x03\x04": "a zip file or a workbook",
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word file",
    b"MZ": "a program",
    b"\x7fELF": "a program",
    b"\x89PNG": "a picture",
    b"\xff\xd8\xff": "a picture",
    b"GIF8": "a picture",
}


class UploadProblemError(ValueError):
    """Why an upload is refused, in words for the page."""


def max_bytes() -> int:
    return int(getattr(settings, "INSIGHT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024):,} KB"
    return f"{size / (1024 * 1024):,.0f} MB"


def file_format(name: str) -> str:
    found = FORMATS.get(Path(name or "").suffix.lower())
    if found is None:
        if Path(name or "").suffix.lower() == ".xls":
            raise UploadProblemError(
                "This is an old Excel file (.xls): save it as .xlsx or as CSV and choose it again."
            )
        raise UploadProblemError("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")
    return found


def _check_csv(handle: IO[bytes]) -> None:
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    for signature, what in SIGNATURES.items():
        if head.startswith(signature):
            hint = " Choose it as .xlsx." if signature == b"PK\x03\x04" else ""
            raise UploadProblemError(
                f"This file is named as CSV but it is {what}, so it can't be read as a table."
                f"{hint} Save your table as CSV and choose that file."
            )
    if b"\x00" in head:
        raise UploadProblemError(
            "This file is named as CSV but it isn't text, so it can't be read as a table. "
            "Save your table as CSV and choose that file."
        )


def _check_xlsx(handle: IO[bytes]) -> None:
    not_workbook = UploadProblemError(
        "This file is named as an Excel workbook (.xlsx) but it isn't one. Open it in your "
        "spreadsheet and save it as .xlsx or as CSV."
    )
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise not_workbook from error
    finally:
        handle.seek(0)
    if "xl/workbook.xml" not in names:
        raise not_workbook


def check_upload(upload: Any) -> tuple[str, list[str]]:
    """(format, headings) of an uploaded file (Django's UploadedFile), or UploadProblemError."""
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise UploadProblemError(
            f"This file is {_megabytes(size)}, more than the {_megabytes(limit)} we can take in "
            "one go. Split it into parts (by year, say) and bring each in."
        )
    if size == 0:
        raise UploadProblemError("This file is empty.")
    kind = file_format(getattr(upload, "name", ""))
    upload.seek(0)
    if kind == "csv":
        _check_csv(upload)
    else:
        _check_xlsx(upload)
    try:
        headers = headers_from(upload, kind)
    except FileProblemError as problem:
        raise UploadProblemError(str(problem)) from problem
    finally:
        upload.seek(0)
    return kind, headers

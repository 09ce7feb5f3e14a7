"""The codebook and coded excerpts as CSV, for spreadsheets and for tools without REFI-QDA
import (Taguette reads a codebook CSV with `name`, `description` and `parent` columns).

Text typed by people goes into these cells, and a spreadsheet runs a cell that starts with
= + - or @ as a formula (CSV injection), so such cells get a leading apostrophe, which
spreadsheets show as plain text. Tab and carriage return are guarded the same way, as OWASP
advises.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .data import Codebook, CodedExcerpt

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODEBOOK_HEADER = ("name", "description", "parent", "guid", "parent_guid", "colour", "level")
EXCERPTS_HEADER = (
    "excerpt_guid",
    "code",
    "code_path",
    "code_guid",
    "source_guid",
    "start",
    "end",
    "text",
)
PATH_SEPARATOR = " > "


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def codebook_csv(codebook: Codebook) -> str:
    """One row per code, parents before children. `level` is 0 for a top-level code."""
    rows = [
        (
            code.name,
            code.description,
            parent.name if parent else "",
            code.guid,
            parent.guid if parent else "",
            code.colour,
            depth,
        )
        for code, parent, depth in codebook.walk()
    ]
    return _csv(CODEBOOK_HEADER, rows)


def excerpts_csv(excerpts: Iterable[CodedExcerpt], codebook: Codebook) -> str:
    """One row per coded excerpt, with its code's name and full path ("Housing > Waiting")
    so the sheet reads on its own. Offsets are characters from 0, end exclusive."""
    names: dict[str, tuple[str, str]] = {}
    paths: dict[str, str] = {}
    for code, parent, _depth in codebook.walk():
        paths[code.guid] = (paths[parent.guid] + PATH_SEPARATOR if parent else "") + code.name
        names[code.guid] = (code.name, paths[code.guid])
    rows = []
    for excerpt in excerpts:
        name, path = names.get(excerpt.code_guid, ("(not in the codebook)", ""))
        rows.append(
            (
                excerpt.guid,
                name,
                path,
                excerpt.code_guid,
                excerpt.source_guid,
                excerpt.start,
                excerpt.end,
                excerpt.text,
            )
        )
    return _csv(EXCERPTS_HEADER, rows)


def csv_bytes(text: str) -> bytes:
    """UTF-8 with a byte order mark, which Excel needs to read £ and accents correctly;
    other tools skip the mark."""
    return text.encode("utf-8-sig", errors="replace")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([value if isinstance(value, int) else safe_cell(value) for value in row])
    return out.getvalue()

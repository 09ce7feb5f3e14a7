"""What counts as a document for the resources library: a PDF, a Word document (.docx), an
OpenDocument text (.odt) or plain text (.txt), at most 10 MB, judged by what the file holds,
not by its name or by what the browser says it is. A file whose name and content disagree (a
program named .pdf, a web page named .docx) is refused.

One check for the form (so a bad file is shown with the form) and the service (which trusts
nobody), so the two never disagree. A file's contents never go into a message or a log.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import get_valid_filename

MAX_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    words: str


PDF = Kind(".pdf", "application/pdf", "a PDF")
DOCX = Kind(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "a Word document",
)
ODT = Kind(".odt", "application/vnd.oasis.opendocument.text", "an OpenDocument text")
TEXT = Kind(".txt", "text/plain; charset=utf-8", "plain text")
BY_EXTENSION = {kind.extension: kind for kind in (PDF, DOCX, ODT, TEXT)}

# The first bytes of files that are not text, whatever their names say.
NOT_TEXT = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"MZ", b"\x7fELF", b"\x89PNG", b"GIF8")


class DocumentProblemError(ValueError):
    """Why a document is refused, in words for the page."""


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


def _zip_names(upload: Any) -> set[str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _odt_mimetype(upload: Any) -> bytes:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return b""
            return archive.read(info).strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return b""
    finally:
        upload.seek(0)


def _is_text(upload: Any) -> bool:
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(NOT_TEXT):
        upload.seek(0)
        return False
    upload.seek(0)
    # Read it all (it is at most 10 MB): text is UTF-8 with no NUL characters in it.
    content = upload.read()
    upload.seek(0)
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _holds(upload: Any, kind: Kind) -> bool:
    if kind is PDF:
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        return bool(head == b"%PDF-")
    if kind is DOCX:
        names = _zip_names(upload)
        return names is not None and {"[Content_Types].xml", "word/document.xml"} <= names
    if kind is ODT:
        return _odt_mimetype(upload) == ODT_MIMETYPE
    return _is_text(upload)


def safe_name(name: str, kind: Kind) -> str:
    """A file name to offer in a download: letters, digits, dots, dashes and underscores, with
    the extension of what the file really is."""
    stem = Path(name or "").stem[:100]
    try:
        cleaned = get_valid_filename(stem)
    except Exception:  # Django refuses a name that cleans away to nothing
        cleaned = ""
    return f"{cleaned or 'document'}{kind.extension}"


def check_document(upload: Any) -> Kind:
    """The kind of an acceptable document, or DocumentProblemError saying plainly why not."""
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise DocumentProblemError(
            f"This file is {_megabytes(size)}: documents can be at most 10 MB. Make it smaller "
            "(a PDF saved for the web, say) or share it as a link."
        )
    if size == 0:
        raise DocumentProblemError("This file is empty.")
    extension = Path(getattr(upload, "name", "") or "").suffix.lower()
    kind = BY_EXTENSION.get(extension)
    if kind is None:
        if extension == ".doc":
            raise DocumentProblemError(
                "This is an old Word file (.doc): save it as .docx or PDF and choose it again."
            )
        raise DocumentProblemError(
            "Choose a PDF, a Word document (.docx), an OpenDocument text (.odt) or a plain "
            "text file (.txt)."
        )
    if not _holds(upload, kind):
        raise DocumentProblemError(
            f"This file is named as {kind.words} ({kind.extension}) but it isn't one, so we "
            "can't keep it. Open it and save it again as a PDF, .docx, .odt or .txt."
        )
    return kind

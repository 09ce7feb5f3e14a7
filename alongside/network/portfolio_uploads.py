"""What a portfolio may carry as a document: a PDF, a Word or OpenDocument text file, a PNG or
JPEG picture, or plain text, at most 10 MB, judged by its content and not only by its name
(a "report.pdf" that is really a program, or a ".docx" that is not a Word file, is refused).

One check for the form (so a bad file is shown with the form) and the service (which trusts
nobody), so the two can never disagree. A problem is plain words for the page; the file's
contents never go into a message or a log.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 8192

# name ending → (kind in words, content type)
KINDS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".odt": ("odt", "application/vnd.oasis.opendocument.text"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".txt": ("text", "text/plain"),
}
ACCEPT = ",".join(KINDS)
CHOOSE = (
    "Choose a PDF, a Word document (.docx), an OpenDocument text (.odt), a PNG or JPEG "
    "picture, or a plain text file (.txt)."
)

# The first bytes of files that are never plain text, whatever their names say.
NOT_TEXT = (
    b"PK\x03\x04",
    b"%PDF",
    b"\xd0\xcf\x11\xe0",
    b"MZ",
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
)


class UploadProblemError(ValueError):
    """Why a document is refused, in words for the page."""


def max_bytes() -> int:
    return int(getattr(settings, "NETWORK_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_words(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024):,} KB"
    return f"{size / (1024 * 1024):,.0f} MB"


def _zip_names(upload: Any) -> set[str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _is_odt(upload: Any) -> bool:
    names = _zip_names(upload)
    if names is None or "mimetype" not in names:
        return False
    with zipfile.ZipFile(upload) as archive:
        kind = archive.read("mimetype")[:100]
    upload.seek(0)
    return kind.strip() == b"application/vnd.oasis.opendocument.text"


def _looks_right(kind: str, head: bytes, upload: Any) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "docx":
        names = _zip_names(upload) if head.startswith(b"PK\x03\x04") else None
        return names is not None and "word/document.xml" in names
    if kind == "odt":
        return head.startswith(b"PK\x03\x04") and _is_odt(upload)
    # Plain text: no signature of another kind, no NUL byte, and it reads as UTF-8 (the
    # cut at HEAD_BYTES may fall inside a character, so the last few bytes may be partial).
    if any(head.startswith(signature) for signature in NOT_TEXT) or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3
    return True


def _shortened(name: str, longest: int = 200) -> str:
    """A long name cut in its stem, so its extension (what says what it is) survives."""
    if len(name) <= longest:
        return name
    suffix = Path(name).suffix[:20]
    return name[: longest - len(suffix)] + suffix


def check_upload(upload: Any) -> tuple[str, str]:
    """(a safe name, the content type) of an acceptable document, or UploadProblemError."""
    name = _shortened(Path(str(getattr(upload, "name", "") or "")).name)
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise UploadProblemError(
            f"This file is {_size_words(size)}, more than the {_size_words(limit)} a document "
            "may be. Make it smaller (save a PDF at a lower quality, or split it) and add it again."
        )
    if size == 0:
        raise UploadProblemError("This file is empty.")
    found = KINDS.get(Path(name).suffix.lower())
    if found is None:
        raise UploadProblemError(CHOOSE)
    kind, content_type = found
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not _looks_right(kind, head, upload):
        raise UploadProblemError(
            f"This file is named as {Path(name).suffix.lower()} but it isn't one inside, so it "
            "can't be added. Open it and save it again in that format, or choose another file."
        )
    return name or f"document{Path(name).suffix.lower()}", content_type

"""The codebook and coded excerpts in the REFI-QDA exchange standard (QDA-XML 1.0), so a team
can carry on in NVivo, ATLAS.ti, MAXQDA or QualCoder.

- `codebook_qdc`: a Codebook Exchange file (.qdc), root `CodeBook` in the
  `urn:QDA-XML:codebook:1.0` namespace.
- `project_qdpx`: a Project Exchange file (.qdpx), a zip holding `project.qde`
  (`urn:QDA-XML:project:1.0`) and one `sources/<guid>.txt` per source, referenced as
  `plainTextPath="internal://<guid>.txt"`. QualCoder's importer reads a text source only
  from such a file, never from inline PlainTextContent, so the file form is the one that
  travels furthest.

Element order and required attributes follow the standard's Project.xsd and Codebook.xsd:
every GUID is a UUID string; `startPosition`/`endPosition` count characters (Unicode code
points) from 0 in the source file, end exclusive. Line endings are written as a single
newline, with every position moved to match, because importers disagree about counting
a Windows line ending as one character or two.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from alongside.core.documents import clean_text

from .data import Code, Codebook, CodedExcerpt, Source

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "Alongside"
# Fixed, so exporting the same data twice gives the same user and coding GUIDs.
ALONGSIDE_NAMESPACE = uuid.UUID("6f0c7f3e-3b1a-4c55-9d6e-2b7a51d0a8c4")
_RGB = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
SELECTION_NAME_LENGTH = 60


def codebook_qdc(codebook: Codebook, origin: str = ORIGIN) -> bytes:
    """The codebook as a REFI-QDA .qdc file (UTF-8 XML)."""
    if not codebook.codes:
        raise ValueError("A REFI-QDA codebook needs at least one code.")
    _unique_guids(codebook)
    # Names are written plain and the root's xmlns puts them all in the namespace:
    # ElementTree's default_namespace option refuses plain attribute names.
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": clean_text(origin)})
    root.append(_codes(codebook.codes))
    return _xml_bytes(root)


def project_qdpx(
    project_name: str,
    codebook: Codebook,
    sources: list[Source],
    excerpts: list[CodedExcerpt],
    user_name: str,
    *,
    created_at: datetime | None = None,
    origin: str = ORIGIN,
) -> bytes:
    """A REFI-QDA .qdpx project: the codebook, every source as a plain-text file, and each
    coded excerpt as a PlainTextSelection holding one Coding of its code.

    Refuses (ValueError) an excerpt whose source or code is missing, whose offsets fall
    outside its source, or whose text is not exactly the source text between its offsets:
    a wrong offset would quietly put someone's words under the wrong theme."""
    created_at = _utc(created_at or datetime.now(UTC))
    when = _xsd_datetime(created_at)
    user_guid = str(uuid.uuid5(ALONGSIDE_NAMESPACE, f"user:{user_name}"))
    code_guids = _unique_guids(codebook)
    by_source = _excerpts_by_source(sources, excerpts, code_guids)

    root = ET.Element(
        "Project",  # in PROJECT_NS through its xmlns, as in codebook_qdc
        {
            "xmlns": PROJECT_NS,
            "name": clean_text(project_name),
            "origin": clean_text(origin),
            "creatingUserGUID": user_guid,
            "creationDateTime": when,
            "modifyingUserGUID": user_guid,
            "modifiedDateTime": when,
        },
    )
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", {"guid": user_guid, "name": clean_text(user_name)})
    if codebook.codes:
        book = ET.SubElement(root, "CodeBook")
        book.append(_codes(codebook.codes))

    files: dict[str, str] = {}
    if sources:
        sources_el = ET.SubElement(root, "Sources")
        for source in sources:
            guid = _guid(source.guid, "source")
            text, moved = normalise_newlines(source.text)
            files[f"sources/{guid}.txt"] = text
            sources_el.append(
                _text_source(source, guid, text, moved, by_source[guid], user_guid, when)
            )
    return _zip(_xml_bytes(root), files, created_at)


def normalise_newlines(text: str) -> tuple[str, list[int]]:
    """`text` with CRLF and lone CR as LF, and where each old offset (0..len) lands."""
    out: list[str] = []
    moved: list[int] = []
    removed = 0
    for index, char in enumerate(text):
        moved.append(index - removed)
        if char == "\r" and text[index + 1 : index + 2] == "\n":
            removed += 1  # the \r goes; an offset pointing at it lands on the \n that stays
        else:
            out.append("\n" if char == "\r" else char)
    moved.append(len(text) - removed)
    return "".join(out), moved


def _guid(value: object, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"The {what} GUID {value!r} is not a UUID.") from None


def _unique_guids(codebook: Codebook) -> set[str]:
    seen: set[str] = set()
    for code, _parent, _depth in codebook.walk():
        guid = _guid(code.guid, "code")
        if guid in seen:
            raise ValueError(f"Two codes share the GUID {guid}.")
        seen.add(guid)
    return seen


def _colour(value: str) -> str | None:
    match = _RGB.match(value.strip())
    return f"#{match.group(1).upper()}" if match else None


def _codes(codes: Iterable[Code]) -> ET.Element:
    codes_el = ET.Element("Codes")
    for code in codes:
        codes_el.append(_code(code))
    return codes_el


def _code(code: Code) -> ET.Element:
    attributes = {
        "guid": _guid(code.guid, "code"),
        "name": clean_text(code.name),
        "isCodable": "true",
    }
    if colour := _colour(code.colour):
        attributes["color"] = colour
    element = ET.Element("Code", attributes)
    if code.description.strip():
        ET.SubElement(element, "Description").text = clean_text(code.description)
    for child in code.children:
        element.append(_code(child))
    return element


def _excerpts_by_source(
    sources: list[Source], excerpts: list[CodedExcerpt], code_guids: set[str]
) -> dict[str, list[CodedExcerpt]]:
    texts: dict[str, str] = {}
    for source in sources:
        guid = _guid(source.guid, "source")
        if guid in texts:
            raise ValueError(f"Two sources share the GUID {guid}.")
        texts[guid] = source.text
    grouped: dict[str, list[CodedExcerpt]] = {guid: [] for guid in texts}
    for excerpt in excerpts:
        source_guid = _guid(excerpt.source_guid, "source")
        _check_excerpt(excerpt, texts.get(source_guid), code_guids)
        grouped[source_guid].append(excerpt)
    return grouped


def _check_excerpt(excerpt: CodedExcerpt, text: str | None, code_guids: set[str]) -> None:
    label = f"Excerpt {excerpt.guid}"
    _guid(excerpt.guid, "excerpt")
    if text is None:
        raise ValueError(f"{label} points at source {excerpt.source_guid}, which is not exported.")
    if _guid(excerpt.code_guid, "code") not in code_guids:
        raise ValueError(f"{label} is coded to {excerpt.code_guid}, which is not in the codebook.")
    if not 0 <= excerpt.start <= excerpt.end <= len(text):
        raise ValueError(f"{label} runs {excerpt.start}–{excerpt.end}, outside its source.")
    if text[excerpt.start : excerpt.end] != excerpt.text:
        raise ValueError(f"{label}: its text is not the source text between its offsets.")


def _text_source(
    source: Source,
    guid: str,
    text: str,
    moved: list[int],
    excerpts: list[CodedExcerpt],
    user_guid: str,
    when: str,
) -> ET.Element:
    element = ET.Element(
        "TextSource",
        {
            "guid": guid,
            # QualCoder saves each source under its name, so a slash would break its import.
            "name": re.sub(r"[/\\]", "-", clean_text(source.name)),
            "plainTextPath": f"internal://{guid}.txt",
            "creatingUser": user_guid,
            "creationDateTime": when,
        },
    )
    for excerpt in sorted(excerpts, key=lambda e: (e.start, e.end)):
        start, end = moved[excerpt.start], moved[excerpt.end]
        selection = ET.SubElement(
            element,
            "PlainTextSelection",
            {
                "guid": _guid(excerpt.guid, "excerpt"),
                "name": _selection_name(text[start:end]),
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": user_guid,
                "creationDateTime": when,
            },
        )
        coding_guid = uuid.uuid5(ALONGSIDE_NAMESPACE, f"coding:{excerpt.guid}")
        coding = ET.SubElement(
            selection,
            "Coding",
            {"guid": str(coding_guid), "creatingUser": user_guid, "creationDateTime": when},
        )
        ET.SubElement(coding, "CodeRef", {"targetGUID": _guid(excerpt.code_guid, "code")})
    return element


def _selection_name(text: str) -> str:
    """A short label for the selection, as other tools show one in their lists."""
    flat = " ".join(clean_text(text).split())
    if len(flat) <= SELECTION_NAME_LENGTH:
        return flat
    return flat[: SELECTION_NAME_LENGTH - 1].rstrip() + "…"


def _utc(value: datetime) -> datetime:
    """A naive datetime is taken as UTC, as the database stores them."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _xsd_datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _zip(project: bytes, files: dict[str, str], created_at: datetime) -> bytes:
    stamp = max(created_at, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]  # zip's epoch
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("project.qde", stamp), project)
        for name, text in files.items():
            # "replace" keeps one character per code point, so no offset moves.
            archive.writestr(_entry(name, stamp), text.encode("utf-8", errors="replace"))
    return out.getvalue()


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry

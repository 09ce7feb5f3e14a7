"""listening/exports: the "N of M" report in Word and PDF, the codebook and coded excerpts
as REFI-QDA (.qdc, .qdpx) and CSV.

The REFI-QDA files are parsed back and checked against the rules of the standard's
Codebook.xsd and Project.xsd for the elements we write (order of children, required
attributes, GUID/boolean/integer/dateTime/colour types), then every code, source and
selection is compared with what went in."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from alongside.core.documents import Heading, Paragraph, Quote, pdf_available
from alongside.listening.exports.csv_export import (
    CODEBOOK_HEADER,
    EXCERPTS_HEADER,
    codebook_csv,
    csv_bytes,
    excerpts_csv,
    safe_cell,
)
from alongside.listening.exports.data import (
    Code,
    Codebook,
    CodedExcerpt,
    QuoteData,
    ReportData,
    Source,
    ThemePart,
)
from alongside.listening.exports.refi import (
    CODEBOOK_NS,
    PROJECT_NS,
    codebook_qdc,
    normalise_newlines,
    project_qdpx,
)
from alongside.listening.exports.report import report_document, report_docx, report_pdf

pdf_only = pytest.mark.skipif(not pdf_available(), reason="reportlab is not installed")
WHEN = datetime(2025, 8, 14, 10, 30, tzinfo=UTC)


def parse(data: str | bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 (our own output, not untrusted input)


def g(name: str) -> str:
    """A stable UUID string per name, so failures read clearly."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


# --- the report ------------------------------------------------------------------------------


def report_data() -> ReportData:
    waiting = ThemePart(
        number=1,
        title="Waiting without knowing",
        headline=QuoteData("Nobody tells you where you are in the queue.", "Sam, Oxford Street"),
        synthesis="People waited months.\n\nMost did not know why.",
        quotes=[
            QuoteData("I rang every Monday for a year.", "A dad in Northtown"),
            QuoteData("I stopped eating to pay the fares.", "Anonymous", "hunger"),
        ],
        content_warnings=["hunger", "feeling low"],
        recommendations=["Tell people where they are in the queue", "Pay fares up front"],
    )
    believed = ThemePart(
        number=2,
        title="Being believed",
        headline=None,
        synthesis="Telling the story again and again wore people down.",
        quotes=[QuoteData("Six times I told it.", "Jo, the library group")],
    )
    fit = ThemePart(
        number=3,
        title="What didn’t fit a theme",
        headline=QuoteData("My cat is the reason I get up.", "Lee"),
        synthesis="Every voice counts, so these are here too.",
    )
    return ReportData(
        title="What gets in the way? Listening in Northtown",
        question="What gets in the way of the life you want?",
        asked_by="Northtown Council and Alongside Trust",
        area="Northtown",
        dates_text="July and August 2025",
        conversations=143,
        channels=[("Face to face", 81), ("WhatsApp", 41), ("Letter", 3), ("Phone", 18)],
        places=["Oxford Street hostel", "The library", "Café Zoë"],
        how_we_listened="We asked one open question.\n\nWe met people where they chose.",
        parts=[believed, fit, waiting],  # out of order on purpose
    )


def test_report_is_in_n_of_m_parts_in_number_order():
    doc = report_document(report_data())
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == [
        "About this listening",
        "What we heard",
        "Part 1 of 3: Waiting without knowing",
        "Part 2 of 3: Being believed",
        "Part 3 of 3: What didn’t fit a theme",
    ]
    assert doc.title == "What gets in the way? Listening in Northtown"
    assert doc.subject == "What gets in the way of the life you want?"


def test_each_part_has_warnings_then_headline_synthesis_quotes_and_recommendations():
    blocks = report_document(report_data()).blocks
    start = blocks.index(Heading("Part 1 of 3: Waiting without knowing", 1))
    end = blocks.index(Heading("Part 2 of 3: Being believed", 1))
    part = blocks[start + 1 : end - 1]  # up to the page break before part 2
    assert part[0] == Paragraph("Content warning: this part talks about hunger, feeling low.")
    assert part[1] == Quote("Nobody tells you where you are in the queue.", "Sam, Oxford Street")
    assert part[2:5] == [
        Heading("What we heard", 2),
        Paragraph("People waited months."),
        Paragraph("Most did not know why."),
    ]
    assert part[5] == Heading("In their words", 2)
    assert part[6] == Quote("I rang every Monday for a year.", "A dad in Northtown")
    assert part[7] == Quote("I stopped eating to pay the fares.", "Anonymous", warning="hunger")
    assert part[8] == Heading("What we recommend", 2)
    assert list(part[9].items) == ["Tell people where they are in the queue", "Pay fares up front"]


def test_introduction_says_what_was_asked_and_protects_small_counts():
    blocks = report_document(report_data()).blocks
    facts = dict(next(b for b in blocks if hasattr(b, "pairs")).pairs)
    assert blocks[1] == Paragraph(
        "We asked one open question: What gets in the way of the life you want?"
    )
    assert facts["Asked by"] == "Northtown Council and Alongside Trust"
    assert facts["When"] == "July and August 2025"
    assert facts["Places"] == "Oxford Street hostel, The library, Café Zoë"
    # 143 rounds to 145; the 3 letters are hidden, and so is the next smallest (18), or
    # the total would give the letters away.
    assert facts["Conversations"] == "145"
    assert facts["How people took part"] == (
        "Face to face (80); WhatsApp (40); Letter (fewer than 10); Phone (fewer than 10)"
    )
    assert Heading("How we listened", 2) in blocks
    assert Paragraph("We met people where they chose.") in blocks


def test_contents_lists_every_part():
    blocks = report_document(report_data()).blocks
    contents = next(b for b in blocks if hasattr(b, "items"))
    assert list(contents.items) == [
        "Part 1 of 3: Waiting without knowing",
        "Part 2 of 3: Being believed",
        "Part 3 of 3: What didn’t fit a theme",
    ]


def test_parts_must_be_numbered_without_gaps():
    data = report_data()
    broken = ReportData(**{**data.__dict__, "parts": data.parts[:2]})  # parts 2 and 3
    with pytest.raises(ValueError, match="numbered 1 to 2"):
        report_document(broken)


def test_report_docx_has_parts_quotes_and_credits_in_order():
    word = docx.Document(io.BytesIO(report_docx(report_data())))
    # The contents list repeats the part headings; follow the body.
    texts = [p.text for p in word.paragraphs if p.text and p.style.name != "List Bullet"]
    order = [
        "Part 1 of 3: Waiting without knowing",
        "Nobody tells you where you are in the queue.",
        "— Sam, Oxford Street",
        "I rang every Monday for a year.",
        "— A dad in Northtown",
        "Part 2 of 3: Being believed",
        "Six times I told it.",
        "— Jo, the library group",
        "Part 3 of 3: What didn’t fit a theme",
        "My cat is the reason I get up.",
    ]
    positions = [texts.index(text) for text in order]
    assert positions == sorted(positions)
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["Part 2 of 3: Being believed"] == "Heading 1"
    assert styles["Six times I told it."] == "Quote"


@pdf_only
def test_report_pdf_has_title_parts_and_quotes():
    data = report_pdf(report_data())
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "What gets in the way? Listening in Northtown" in text
    assert "Part 2 of 3: Being believed" in text
    assert "Nobody tells you where you are in the queue. — Sam, Oxford Street" in text
    assert reader.metadata.title == "What gets in the way? Listening in Northtown"
    assert len(reader.pages) == 4  # introduction, then each part on its own page


# --- REFI-QDA: the standard's rules for the elements we write ----------------------------------

GUID = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    r"|^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$"
)
DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"
TYPES = {
    "guid": GUID.match,
    "string": lambda value: True,
    "boolean": lambda value: value in ("true", "false", "1", "0"),
    "integer": lambda value: re.fullmatch(r"[+-]?\d+", value),
    "dateTime": lambda value: re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", value
    ),
    "rgb": lambda value: re.fullmatch(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})", value),
}
UNBOUNDED = None
# element: (children in order as (name, min, max), required attributes, optional attributes)
CODEBOOK_RULES = {
    "CodeBook": ([("Codes", 1, 1), ("Sets", 0, 1)], {}, {"origin": "string"}),
    "Codes": ([("Code", 1, UNBOUNDED)], {}, {}),
    "Code": (
        [("Description", 0, 1), ("Code", 0, UNBOUNDED)],
        {"guid": "guid", "name": "string", "isCodable": "boolean"},
        {"color": "rgb"},
    ),
    "Description": ([], {}, {}),
}
WHEN_WHO = {
    "creatingUser": "guid",
    "creationDateTime": "dateTime",
    "modifyingUser": "guid",
    "modifiedDateTime": "dateTime",
}
PROJECT_RULES = {
    "Project": (
        [
            ("Users", 0, 1),
            ("CodeBook", 0, 1),
            ("Variables", 0, 1),
            ("Cases", 0, 1),
            ("Sources", 0, 1),
            ("Notes", 0, 1),
            ("Links", 0, 1),
            ("Sets", 0, 1),
            ("Graphs", 0, 1),
            ("Description", 0, 1),
            ("NoteRef", 0, UNBOUNDED),
        ],
        {"name": "string"},
        {
            "origin": "string",
            "creatingUserGUID": "guid",
            "creationDateTime": "dateTime",
            "modifyingUserGUID": "guid",
            "modifiedDateTime": "dateTime",
            "basePath": "string",
        },
    ),
    "Users": ([("User", 1, UNBOUNDED)], {}, {}),
    "User": ([], {"guid": "guid"}, {"name": "string", "id": "string"}),
    "CodeBook": ([("Codes", 1, 1)], {}, {}),
    "Codes": ([("Code", 1, UNBOUNDED)], {}, {}),
    "Code": (
        [("Description", 0, 1), ("NoteRef", 0, UNBOUNDED), ("Code", 0, UNBOUNDED)],
        {"guid": "guid", "name": "string", "isCodable": "boolean"},
        {"color": "rgb"},
    ),
    "Description": ([], {}, {}),
    "TextSource": (
        [
            ("Description", 0, 1),
            ("PlainTextContent", 0, 1),
            ("PlainTextSelection", 0, UNBOUNDED),
            ("Coding", 0, UNBOUNDED),
            ("NoteRef", 0, UNBOUNDED),
            ("VariableValue", 0, UNBOUNDED),
        ],
        {"guid": "guid"},
        {"name": "string", "richTextPath": "string", "plainTextPath": "string", **WHEN_WHO},
    ),
    "PlainTextSelection": (
        [("Description", 0, 1), ("Coding", 0, UNBOUNDED), ("NoteRef", 0, UNBOUNDED)],
        {"guid": "guid", "startPosition": "integer", "endPosition": "integer"},
        {"name": "string", **WHEN_WHO},
    ),
    "Coding": (
        [("CodeRef", 1, 1), ("NoteRef", 0, UNBOUNDED)],
        {"guid": "guid"},
        {"creatingUser": "guid", "creationDateTime": "dateTime"},
    ),
    "CodeRef": ([], {"targetGUID": "guid"}, {}),
}
SOURCE_KINDS = {"TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource"}


def follows_rules(element: ET.Element, namespace: str, rules: dict) -> list[str]:
    """Every way `element` and its descendants break the rules (empty when valid)."""
    found: list[str] = []
    ns, _, name = element.tag[1:].partition("}")
    if ns != namespace:
        return [f"{element.tag}: not in {namespace}"]
    if name == "Sources":
        kids = [child.tag.split("}")[1] for child in element]
        if not kids or set(kids) - SOURCE_KINDS:
            found.append(f"Sources holds {kids}")
        for child in element:
            found += follows_rules(child, namespace, rules)
        return found
    if name not in rules:
        return [f"{name}: not an element we know the rules for"]
    order, required, optional = rules[name]
    for attribute in required:
        if attribute not in element.attrib:
            found.append(f"{name}: missing {attribute}")
    for attribute, value in element.attrib.items():
        kind = required.get(attribute) or optional.get(attribute)
        if kind is None:
            found.append(f"{name}: unexpected attribute {attribute}")
        elif not TYPES[kind](value):
            found.append(f"{name}: {attribute}={value!r} is not a {kind}")
    children = list(element)
    position = 0
    for child_name, least, most in order:
        count = 0
        while position < len(children) and children[position].tag.endswith("}" + child_name):
            found += follows_rules(children[position], namespace, rules)
            position += 1
            count += 1
        if count < least or (most is not None and count > most):
            found.append(f"{name}: {count} × {child_name}")
    if position < len(children):
        found.append(f"{name}: {children[position].tag} out of order or not allowed")
    if name == "TextSource":
        inline = any(child.tag.endswith("}PlainTextContent") for child in children)
        if inline == ("plainTextPath" in element.attrib):
            found.append("TextSource: needs PlainTextContent or plainTextPath, not both")
    return found


def test_the_rules_checker_catches_mistakes():
    bad = parse(
        f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes>'
        '<Code guid="not-a-guid" name="x" isCodable="yes" colour="#fff">'
        '<Code guid="{0}" name="y" isCodable="true"/><Description>late</Description>'
        "</Code></Codes></CodeBook>".format(g("y"))
    )
    problems = follows_rules(bad, CODEBOOK_NS, CODEBOOK_RULES)
    assert "Code: guid='not-a-guid' is not a guid" in problems
    assert "Code: isCodable='yes' is not a boolean" in problems
    assert "Code: unexpected attribute colour" in problems
    assert any("out of order" in problem for problem in problems)
    empty = parse(f'<Project xmlns="{PROJECT_NS}"><Sources/></Project>')
    assert follows_rules(empty, PROJECT_NS, PROJECT_RULES) == [
        "Project: missing name",
        "Sources holds []",
    ]


# --- REFI-QDA codebook ----------------------------------------------------------------------


def codebook() -> Codebook:
    return Codebook(
        codes=[
            Code(
                g("waiting"),
                "Waiting without knowing",
                "Not knowing where you are in a queue.",
                "#1b6f4a",
                children=[
                    Code(g("fares"), "Bus fares", "Paying to get to appointments", "abc"),
                    Code(g("phone"), "Ringing every week", "", "not a colour"),
                ],
            ),
            Code(g("believed"), "Being believed", "Telling the story again & again <sigh>"),
            Code(g("cat"), "Zoë’s cat 🐈", ""),
        ]
    )


def walk_codes(parent: ET.Element, namespace: str, depth: int = 0) -> list[tuple]:
    rows = []
    for code in parent.findall(f"{{{namespace}}}Code"):
        description = code.find(f"{{{namespace}}}Description")
        rows.append(
            (
                code.get("guid"),
                code.get("name"),
                description.text if description is not None else "",
                code.get("color"),
                code.get("isCodable"),
                depth,
            )
        )
        rows += walk_codes(code, namespace, depth + 1)
    return rows


EXPECTED_CODES = [
    (g("waiting"), "Waiting without knowing", "Not knowing where you are in a queue.", "#1B6F4A"),
    (g("fares"), "Bus fares", "Paying to get to appointments", "#ABC"),
    (g("phone"), "Ringing every week", "", None),
    (g("believed"), "Being believed", "Telling the story again & again <sigh>", None),
    (g("cat"), "Zoë’s cat 🐈", "", None),
]


def test_codebook_qdc_follows_the_standard_and_round_trips_every_code():
    data = codebook_qdc(codebook())
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = parse(data)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    assert root.get("origin") == "Alongside"
    assert follows_rules(root, CODEBOOK_NS, CODEBOOK_RULES) == []
    rows = walk_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS)
    assert [row[:4] for row in rows] == EXPECTED_CODES
    assert [row[5] for row in rows] == [0, 1, 1, 0, 0]
    assert {row[4] for row in rows} == {"true"}


def test_codebook_qdc_refuses_what_the_standard_cannot_hold():
    with pytest.raises(ValueError, match="at least one code"):
        codebook_qdc(Codebook(codes=[]))
    with pytest.raises(ValueError, match="not a UUID"):
        codebook_qdc(Codebook(codes=[Code("42", "Housing", "")]))
    twice = Code(g("same"), "Twice", "")
    with pytest.raises(ValueError, match="share the GUID"):
        codebook_qdc(Codebook(codes=[twice, Code(g("x"), "x", "", children=[twice])]))


def test_codebook_qdc_drops_characters_xml_cannot_hold():
    root = parse(codebook_qdc(Codebook([Code(g("a"), "Bell\x07 ring", "Tab\tok\x00")])))
    code = root.find(f"{{{CODEBOOK_NS}}}Codes/{{{CODEBOOK_NS}}}Code")
    assert code.get("name") == "Bell ring"
    assert code.find(f"{{{CODEBOOK_NS}}}Description").text == "Tab\tok"


# --- REFI-QDA project -----------------------------------------------------------------------

SAM = (
    "Nobody tells you where you are in the queue.\r\n"
    "I rang every Monday. The fares were £4.20 each way 😞.\r\n"
    "Café staff were kind."
)
JO = "Six times I told it.\nSix times."


def excerpt(name: str, source: Source, phrase: str, code: str) -> CodedExcerpt:
    start = source.text.index(phrase)
    return CodedExcerpt(g(name), source.guid, start, start + len(phrase), g(code), phrase)


def project_inputs() -> tuple[list[Source], list[CodedExcerpt]]:
    sam = Source(g("sam"), "Contribution 1 (face to face)", SAM)
    jo = Source(g("jo"), "Contribution 2 (WhatsApp)", JO)
    quiet = Source(g("quiet"), "Contribution 3 (letter)", "Nothing coded here.")
    excerpts = [
        excerpt("e1", sam, "Nobody tells you where you are in the queue.", "waiting"),
        excerpt("e2", sam, "The fares were £4.20 each way 😞.", "fares"),
        excerpt("e3", sam, "I rang every Monday. The fares", "phone"),
        excerpt("e4", sam, "Café staff were kind.", "cat"),
        excerpt("e5", jo, "Six times I told it.\nSix", "believed"),
        excerpt("e6", sam, "queue.\r\nI rang", "waiting"),  # across a Windows line ending
    ]
    return [sam, jo, quiet], excerpts


def open_qdpx(data: bytes) -> tuple[ET.Element, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        files = {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name != "project.qde"
        }
        return parse(archive.read("project.qde")), files


def q(path: str) -> str:
    return "/".join(f"{{{PROJECT_NS}}}{part}" for part in path.split("/"))


def test_project_qdpx_follows_the_standard():
    sources, excerpts = project_inputs()
    data = project_qdpx(
        "Northtown listening", codebook(), sources, excerpts, "Ali", created_at=WHEN
    )
    root, files = open_qdpx(data)
    assert root.tag == f"{{{PROJECT_NS}}}Project"
    assert follows_rules(root, PROJECT_NS, PROJECT_RULES) == []
    assert root.get("name") == "Northtown listening"
    assert root.get("creationDateTime") == "2025-08-14T10:30:00Z"
    user = root.find(q("Users/User"))
    assert user.get("name") == "Ali"
    assert root.get("creatingUserGUID") == user.get("guid")
    assert sorted(files) == sorted(f"sources/{s.guid}.txt" for s in sources)


def test_project_qdpx_round_trips_every_code_source_and_selection():
    sources, excerpts = project_inputs()
    root, files = open_qdpx(
        project_qdpx("Northtown", codebook(), sources, excerpts, "Ali", created_at=WHEN)
    )
    assert [row[:4] for row in walk_codes(root.find(q("CodeBook/Codes")), PROJECT_NS)] == (
        EXPECTED_CODES
    )

    by_guid = {s.guid: s for s in sources}
    found = {}
    for element in root.findall(q("Sources/TextSource")):
        guid = element.get("guid")
        assert element.get("name") == by_guid[guid].name
        assert element.get("plainTextPath") == f"internal://{guid}.txt"
        text = files[f"sources/{guid}.txt"]
        assert text == by_guid[guid].text.replace("\r\n", "\n")
        for selection in element.findall(q("PlainTextSelection")):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            codes = [ref.get("targetGUID") for ref in selection.findall(q("Coding/CodeRef"))]
            found[selection.get("guid")] = (guid, text[start:end], codes)
    assert set(by_guid) == {e.get("guid") for e in root.findall(q("Sources/TextSource"))}
    assert found == {
        e.guid: (e.source_guid, e.text.replace("\r\n", "\n"), [e.code_guid]) for e in excerpts
    }


def test_project_qdpx_positions_count_characters_not_bytes():
    sources, excerpts = project_inputs()
    root, _files = open_qdpx(project_qdpx("N", codebook(), sources, excerpts, "Ali"))
    fares = next(s for s in root.iter(q("PlainTextSelection")) if s.get("guid") == g("e2"))
    expected_start = SAM.replace("\r\n", "\n").index("The fares")
    assert int(fares.get("startPosition")) == expected_start
    assert int(fares.get("endPosition")) == expected_start + len(
        "The fares were £4.20 each way 😞."
    )
    assert fares.get("name") == "The fares were £4.20 each way 😞."


def test_project_qdpx_source_names_never_hold_a_path_separator():
    source = Source(g("s"), "Letter 3/4 from C:\\Northtown", "Words.")
    root, _files = open_qdpx(project_qdpx("N", codebook(), [source], [], "Ali"))
    assert root.find(q("Sources/TextSource")).get("name") == "Letter 3-4 from C:-Northtown"


def test_project_qdpx_is_the_same_every_time_for_the_same_data():
    sources, excerpts = project_inputs()
    first = project_qdpx("N", codebook(), sources, excerpts, "Ali", created_at=WHEN)
    again = project_qdpx("N", codebook(), sources, excerpts, "Ali", created_at=WHEN)
    assert first == again


def test_project_qdpx_leaves_out_empty_sections_the_standard_would_refuse():
    root, files = open_qdpx(project_qdpx("Empty", Codebook(codes=[]), [], [], "Ali"))
    assert [child.tag.split("}")[1] for child in root] == ["Users"]
    assert files == {}
    assert follows_rules(root, PROJECT_NS, PROJECT_RULES) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "something else"}, "not the source text"),
        ({"end": 10_000}, "outside its source"),
        ({"start": 5, "end": 2}, "outside its source"),
        ({"code_guid": g("no such code")}, "not in the codebook"),
        ({"source_guid": g("no such source")}, "not exported"),
        ({"guid": "e1"}, "not a UUID"),
    ],
)
def test_project_qdpx_refuses_an_excerpt_that_would_land_in_the_wrong_place(change, message):
    sources, excerpts = project_inputs()
    broken = CodedExcerpt(**{**excerpts[0].__dict__, **change})
    with pytest.raises(ValueError, match=message):
        project_qdpx("N", codebook(), sources, [broken], "Ali")


def test_normalise_newlines_moves_offsets_with_the_text():
    text, moved = normalise_newlines("a\r\nb\rc\n")
    assert text == "a\nb\nc\n"
    assert moved == [0, 1, 1, 2, 3, 4, 5, 6]


@given(text=st.text(alphabet=st.sampled_from(list("ab é😀\r\n\t£")), max_size=60), data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_span_of_any_text_round_trips(text, data):
    offset = st.integers(0, len(text))
    pairs = data.draw(st.lists(st.tuples(offset, offset), min_size=1, max_size=5))
    spans = [(min(a, b), max(a, b)) for a, b in pairs]
    source = Source(g("s"), "S", text)
    code = Code(g("c"), "C", "")
    excerpts = [
        CodedExcerpt(g(f"e{n}"), source.guid, start, end, code.guid, text[start:end])
        for n, (start, end) in enumerate(spans)
    ]
    root, files = open_qdpx(project_qdpx("P", Codebook([code]), [source], excerpts, "U"))
    stored = files[f"sources/{source.guid}.txt"]
    by_guid = {e.guid: e for e in excerpts}
    for selection in root.iter(q("PlainTextSelection")):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        excerpt = by_guid[selection.get("guid")]
        expected, _moved = normalise_newlines(excerpt.text)
        if excerpt.text.endswith("\r") and text[excerpt.end : excerpt.end + 1] == "\n":
            expected = expected[:-1]  # it stopped inside a \r\n, which is now one \n after it
        assert stored[start:end] == expected


# --- CSV ------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_codebook_csv_has_a_header_and_one_row_per_code_with_its_parent():
    text = codebook_csv(codebook())
    assert text.splitlines()[0] == ",".join(CODEBOOK_HEADER)
    rows = read_csv(text)
    assert [(r["name"], r["parent"], r["level"]) for r in rows] == [
        ("Waiting without knowing", "", "0"),
        ("Bus fares", "Waiting without knowing", "1"),
        ("Ringing every week", "Waiting without knowing", "1"),
        ("Being believed", "", "0"),
        ("Zoë’s cat 🐈", "", "0"),
    ]
    assert rows[1]["parent_guid"] == g("waiting") and rows[1]["guid"] == g("fares")
    assert rows[3]["description"] == "Telling the story again & again <sigh>"
    # Taguette picks the tag column from exactly one of these names, and refuses two.
    assert sum(name in CODEBOOK_HEADER for name in ("tag", "name", "path")) == 1


def test_excerpts_csv_names_each_code_and_its_path():
    sources, excerpts = project_inputs()
    rows = read_csv(excerpts_csv(excerpts, codebook()))
    assert list(rows[0]) == list(EXCERPTS_HEADER)
    assert len(rows) == len(excerpts)
    fares = rows[1]
    assert fares["code"] == "Bus fares"
    assert fares["code_path"] == "Waiting without knowing > Bus fares"
    assert fares["text"] == "The fares were £4.20 each way 😞."
    assert int(fares["start"]) == SAM.index("The fares")
    assert rows[5]["text"] == "queue.\r\nI rang"  # the cell keeps the words exactly


def test_csv_cells_that_could_run_as_formulas_start_with_an_apostrophe():
    dangerous = ['=HYPERLINK("http://x")', "+44 7700", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
    book = Codebook([Code(g(f"d{n}"), name, name) for n, name in enumerate(dangerous)])
    rows = read_csv(codebook_csv(book))
    assert [row["name"] for row in rows] == ["'" + name for name in dangerous]
    assert [row["description"] for row in rows] == ["'" + name for name in dangerous]
    source = Source(g("s"), "S", "=cmd|' /C calc'!A0 and more")
    quote = CodedExcerpt(g("e"), source.guid, 0, 18, g("d0"), source.text[:18])
    assert read_csv(excerpts_csv([quote], book))[0]["text"] == "'=cmd|' /C calc'!A0"
    assert safe_cell("A normal sentence = fine") == "A normal sentence = fine"
    assert safe_cell("") == ""


def test_csv_bytes_are_utf8_with_a_byte_order_mark_for_excel():
    data = csv_bytes(codebook_csv(codebook()))
    assert data.startswith(b"\xef\xbb\xbfname,")
    assert "Zoë’s cat 🐈" in data.decode("utf-8-sig")


@given(st.text(max_size=80))
@settings(max_examples=200)
def test_any_text_survives_a_csv_round_trip_guarded(text):
    book = Codebook([Code(g("c"), text, text)])
    row = read_csv(codebook_csv(book))[0]
    assert row["name"] == row["description"] == safe_cell(text)
    assert not row["name"].startswith(("=", "+", "-", "@"))

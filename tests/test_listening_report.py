"""The themed report in "N of M" parts, published by link, and its downloads (issue 5,
items 5 and 6; DESIGN.md principles 7 and 8)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.core.documents import pdf_available
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening import themes as engine
from alongside.listening.models import Contribution, Exercise, Report, Theme
from alongside.listening.publishing import store_version
from alongside.listening.selectors.reports import dates_text
from alongside.listening.services import themes as services

from .factories import staff, text_of
from .test_listening_themes import (
    HOUSING,
    OTHER,
    TWO_THEMES,
    WAITING,
    _grow,
    add_contribution,
    keyword_engine,
    make_exercise,
)

pytestmark = pytest.mark.django_db

QDC = "{urn:QDA-XML:codebook:1.0}"
QDE = "{urn:QDA-XML:project:1.0}"
PHONE = "07700 900123"


@pytest.fixture(autouse=True)
def two_themes(monkeypatch):
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES))


@pytest.fixture
def exercise(world):
    exercise = make_exercise(
        world, asked_by="The council", starts_on=date(2025, 7, 1), ends_on=date(2025, 8, 31)
    )
    add_contribution(
        exercise,
        HOUSING[0],
        credit_name="Sam",
        credit_place="Oxford Street",
        place="Oxford Street",
        content_warnings="eviction",
    )
    add_contribution(exercise, HOUSING[1], channel="whatsapp", place="Cowley")
    add_contribution(
        exercise, f"{HOUSING[2]} Ring me on [phone].", text=f"{HOUSING[2]} Ring me on {PHONE}."
    )
    for words in WAITING + OTHER:
        add_contribution(exercise, words, channel="phone")
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    return exercise


def theme(exercise: Exercise, title: str) -> Theme:
    return exercise.themes.get(title=title)


def excerpt_of(theme_: Theme, words: str):
    return theme_.excerpts.get(contribution__redacted_text=words)


@pytest.fixture
def written(world, exercise):
    """Housing written up with a headline, a supporting quote and recommendations."""
    listener = world["listener"]
    housing = theme(exercise, "Housing")
    headline = excerpt_of(housing, HOUSING[0])
    supporting = excerpt_of(housing, HOUSING[1])
    services.theme_update(
        actor=listener,
        theme=housing,
        title="Somewhere to live",
        synthesis="People told us about damp homes.\n\nAnd about forms that went missing.",
        recommendations="Fix damp within a month\nKeep a copy of every form",
        content_warnings="poor housing",
        headline=headline,
        quotes=[supporting],
    )
    report, _ = Report.objects.get_or_create(exercise=exercise)
    report.introduction = "We wanted to hear what gets in the way."
    report.how_we_listened = "We sat in cafes and libraries and asked one question."
    report.save()
    return exercise


def team(world) -> Client:
    from .conftest import signed_in

    return signed_in(world["listener"])


def publish(client: Client, exercise: Exercise):
    return client.post(f"/listening/{exercise.pk}/report/edit/", {"action": "publish"})


# --- what the report says ---------------------------------------------------------------------


def test_report_is_in_n_of_m_parts_with_didnt_fit_last(world, written):
    page = text_of(team(world).get(f"/listening/{written.pk}/report/"))
    assert "Part 1 of 3: Somewhere to live" in page
    assert "Part 2 of 3: Waiting" in page
    assert "Part 3 of 3: Didn't fit" in page
    assert page.index("Part 1 of 3") < page.index("Part 2 of 3") < page.index("Part 3 of 3")
    assert OTHER[0] not in page  # "didn't fit" is a part; its words are quoted only by choice
    assert "every voice counts" in page


def test_report_shows_quotes_credits_warnings_and_recommendations(world, written):
    page = text_of(team(world).get(f"/listening/{written.pk}/report/"))
    part = page[page.index("Part 1 of 3: Somewhere to live") :]
    assert HOUSING[0] in part and "— Sam, Oxford Street" in part
    assert HOUSING[1] in part and "— Anonymous" in part
    # Content warnings come before the quotes they are about.
    assert "Content warning: this part talks about poor housing, eviction" in part
    assert part.index("Content warning: this part talks about") < part.index(HOUSING[0])
    assert part.index("Content warning: eviction") < part.index(HOUSING[0])
    assert "People told us about damp homes." in part
    assert "Fix damp within a month" in part and "Keep a copy of every form" in part
    # A contribution that was not chosen as a quote is not in the report.
    assert HOUSING[2] not in page


def test_introduction_says_the_question_counts_channels_places_and_how(world, written):
    page = text_of(team(world).get(f"/listening/{written.pk}/report/"))
    intro = page[: page.index("Part 1 of 3: Somewhere")]
    assert "What gets in the way of a good life here?" in intro
    assert "We wanted to hear what gets in the way." in intro
    assert "We sat in cafes and libraries and asked one question." in intro
    assert "The council" in intro and "July to August 2025" in intro
    # Six conversations: fewer than 10, so the count is held back (principle 9).
    assert "Conversations" in intro and "fewer than 10" in intro
    assert "Face to face" in intro and "Phone" in intro and "WhatsApp" in intro
    assert "Cowley, Oxford Street" in intro


def test_channel_and_conversation_counts_are_protected_but_shown_when_large(world):
    exercise = make_exercise(world)
    _grow(exercise, 200)
    page = text_of(team(world).get(f"/listening/{exercise.pk}/report/"))
    assert "Conversations" in page and "200" in page
    assert "Phone (200)" in page


def test_dates_read_plainly():
    assert dates_text(date(2025, 7, 1), date(2025, 7, 30)) == "July 2025"
    assert dates_text(date(2024, 12, 1), date(2025, 1, 30)) == "December 2024 to January 2025"
    assert dates_text(date(2025, 3, 1), None) == "From March 2025"
    assert dates_text(None, None) == ""


def test_the_words_as_heard_never_reach_the_report_or_its_downloads(world, written):
    client = team(world)
    housing = theme(written, "Somewhere to live")
    phone = written.contributions.get(text__contains=PHONE)
    services.excerpt_add(
        actor=world["listener"], contribution=phone, theme=housing, words="Ring me on [phone]"
    )
    bodies = [
        text_of(client.get(f"/listening/{written.pk}/report/")),
        client.get(f"/listening/{written.pk}/report/excerpts.csv").content.decode("utf-8-sig"),
        _qdpx_text(client.get(f"/listening/{written.pk}/report/project.qdpx").content),
        "\n".join(p.text for p in _docx(client, written).paragraphs),
    ]
    assert any("[phone]" in body for body in bodies[1:3])
    for body in bodies:
        assert PHONE not in body


# --- publishing -------------------------------------------------------------------------------


def test_publish_refuses_a_quote_from_a_draft_contribution(world, written):
    client = team(world)
    Contribution.objects.filter(redacted_text=HOUSING[1]).update(state=Contribution.State.DRAFT)
    response = publish(client, written)
    assert response.status_code == 400
    page = text_of(response)
    assert "The report cannot be published yet" in page
    assert "\u201cSomewhere to live\u201d: a quote comes from a contribution still waiting" in page
    assert not Report.objects.get(exercise=written).is_published


def test_publish_refuses_a_quote_without_consent(world, written):
    Contribution.objects.filter(redacted_text=HOUSING[0]).update(consent_to_quote=False)
    response = publish(team(world), written)
    assert response.status_code == 400
    assert "did not agree to be quoted" in text_of(response)
    assert not Report.objects.get(exercise=written).is_published


def test_the_preview_warns_and_leaves_out_quotes_that_cannot_be_published(world, written):
    Contribution.objects.filter(redacted_text=HOUSING[1]).update(state=Contribution.State.DRAFT)
    page = text_of(team(world).get(f"/listening/{written.pk}/report/"))
    assert "Not ready to publish yet" in page
    assert HOUSING[1] not in page
    assert HOUSING[0] in page


def test_public_link_works_only_while_published(world, written):
    client = team(world)
    token = Report.objects.get(exercise=written).public_token
    public = f"/listening/reports/{token}/"
    anyone = Client()
    assert anyone.get(public).status_code == 404

    response = publish(client, written)
    assert response.status_code == 302
    opened = anyone.get(public)
    assert opened.status_code == 200
    page = text_of(opened)
    assert "Part 1 of 3: Somewhere to live" in page and "— Sam, Oxford Street" in page
    assert public in text_of(client.get(f"/listening/{written.pk}/report/"))

    assert (
        client.post(f"/listening/{written.pk}/report/edit/", {"action": "unpublish"}).status_code
        == 302
    )
    assert anyone.get(public).status_code == 404
    assert anyone.get("/listening/reports/not-a-real-token/").status_code == 404


def test_a_published_report_never_shows_a_quote_that_stopped_being_quotable(world, written):
    publish(team(world), written)
    Contribution.objects.filter(redacted_text=HOUSING[0]).update(consent_to_quote=False)
    token = Report.objects.get(exercise=written).public_token
    page = text_of(Client().get(f"/listening/reports/{token}/"))
    assert HOUSING[0] not in page and "Sam, Oxford Street" not in page
    assert HOUSING[1] in page


def test_saving_the_introduction_and_every_step_is_audited(world, written):
    client = team(world)
    response = client.post(
        f"/listening/{written.pk}/report/edit/",
        {"action": "save", "introduction": "New intro.", "how_we_listened": "On the phone."},
    )
    assert response.status_code == 302
    report = Report.objects.get(exercise=written)
    assert (report.introduction, report.how_we_listened) == ("New intro.", "On the phone.")
    publish(client, written)
    client.post(f"/listening/{written.pk}/report/edit/", {"action": "unpublish"})
    details = set(
        AuditEntry.objects.filter(actor=world["listener"], object_id=str(written.pk)).values_list(
            "action", "detail"
        )
    )
    assert {
        (AuditAction.CHANGE, "report edited"),
        (AuditAction.CHANGE, "report published as version 1"),
        (AuditAction.CHANGE, "report unpublished"),
    } <= details


# --- downloads --------------------------------------------------------------------------------


def _docx(client: Client, exercise: Exercise) -> docx.document.Document:
    response = client.get(f"/listening/{exercise.pk}/report/report.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return docx.Document(io.BytesIO(response.content))


def _qdpx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())


def test_word_download_opens_and_says_what_the_page_says(world, written):
    document = _docx(team(world), written)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Part 1 of 3: Somewhere to live" in text
    assert "Part 3 of 3: Didn't fit" in text
    assert HOUSING[0] in text and "Sam, Oxford Street" in text
    assert "We wanted to hear what gets in the way." in text
    assert document.core_properties.title == written.title
    assert AuditEntry.objects.filter(
        actor=world["listener"], action=AuditAction.EXPORT, detail="listening report docx"
    ).exists()


def test_pdf_download_or_print_advice(world, written):
    client = team(world)
    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    response = client.get(f"/listening/{written.pk}/report/report.pdf")
    if pdf_available():
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert "This working copy as a PDF" in page
    else:
        assert response.status_code == 404
        assert "Save as PDF" in page


def test_codebook_qdc_parses_back_with_every_theme(world, written):
    response = team(world).get(f"/listening/{written.pk}/report/codebook.qdc")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output, not untrusted input)
    assert root.tag == f"{QDC}CodeBook"
    names = [code.get("name") for code in root.iter(f"{QDC}Code")]
    assert names == ["Somewhere to live", "Waiting", "Didn't fit"]
    described = {c.get("name"): c.findtext(f"{QDC}Description") for c in root.iter(f"{QDC}Code")}
    assert described["Somewhere to live"].startswith("People told us about damp homes.")


def test_qdpx_project_holds_only_checked_contributions_coded_to_their_themes(world, written):
    add_contribution(written, "housing draft words", reviewed=False)
    services.themes_suggest(actor=world["listener"], exercise=written)
    response = team(world).get(f"/listening/{written.pk}/report/project.qdpx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        project = ET.fromstring(archive.read("project.qde"))  # noqa: S314 (our own output)
        sources = {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name != "project.qde"
        }
    texts = set(sources.values())
    assert HOUSING[0] in texts and OTHER[0] in texts
    assert "housing draft words" not in texts
    codes = {c.get("guid"): c.get("name") for c in project.iter(f"{QDE}Code")}
    coded_to = {}
    for source in project.iter(f"{QDE}TextSource"):
        text = sources[f"sources/{source.get('guid')}.txt"]
        for selection in source.iter(f"{QDE}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            code = selection.find(f"{QDE}Coding/{QDE}CodeRef").get("targetGUID")
            coded_to.setdefault(text[start:end], set()).add(codes[code])
    assert coded_to[HOUSING[1]] == {"Somewhere to live"}
    assert coded_to[OTHER[0]] == {"Didn't fit"}


def test_csv_downloads_hold_the_codebook_and_the_coded_excerpts(world, written):
    client = team(world)
    housing = theme(written, "Somewhere to live")
    contribution = written.contributions.get(redacted_text=HOUSING[1])
    excerpt = services.excerpt_add(
        actor=world["listener"], contribution=contribution, theme=housing, words="damp flat"
    )
    codebook = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/listening/{written.pk}/report/codebook.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [row["name"] for row in codebook] == ["Somewhere to live", "Waiting", "Didn't fit"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/listening/{written.pk}/report/excerpts.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    hand = [row for row in rows if row["text"] == "damp flat"]
    assert len(hand) == 1
    assert (int(hand[0]["start"]), int(hand[0]["end"])) == (excerpt.start, excerpt.end)
    assert hand[0]["code"] == "Somewhere to live"
    exported = AuditEntry.objects.filter(actor=world["listener"], action=AuditAction.EXPORT)
    assert set(exported.values_list("detail", flat=True)) >= {
        "listening codebook csv",
        "listening excerpts csv",
    }


# --- who may ---------------------------------------------------------------------------------

TEAM_PATHS = [
    "report/",
    "report/edit/",
    "report/report.docx",
    "report/codebook.qdc",
    "report/project.qdpx",
    "report/codebook.csv",
    "report/excerpts.csv",
]


@pytest.mark.parametrize("who", ["other_listener", "listener_not_in_team", "coach", "lead"])
def test_only_the_team_opens_the_report_pages_and_downloads(world, login, written, who):
    users = {
        "other_listener": lambda: staff(Role.LISTENER, world["other"]),
        "listener_not_in_team": lambda: staff(Role.LISTENER, world["home"]),
        "coach": lambda: world["coach"],
        "lead": lambda: world["lead"],
    }
    user = users[who]()
    client = login(user)
    for path in TEAM_PATHS:
        assert client.get(f"/listening/{written.pk}/{path}").status_code == 403, path
    assert publish(client, written).status_code == 403
    assert not Report.objects.get(exercise=written).is_published
    assert not AuditEntry.objects.filter(actor=user, action=AuditAction.EXPORT).exists()
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).exists()


def test_anyone_signed_out_is_sent_to_sign_in_from_the_team_pages(written):
    anyone = Client()
    for path in TEAM_PATHS:
        response = anyone.get(f"/listening/{written.pk}/{path}")
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert publish(anyone, written).status_code == 302
    assert not Report.objects.get(exercise=written).is_published


# --- query budget ----------------------------------------------------------------------------

# Session, user, memberships, exercise, team check, audit row, report, then the reading, and
# the published versions (without their documents).
REPORT_PAGE_BUDGET = 13
# The latest published version, then which of its quotes may still be shown; no session,
# and never the live themes.
PUBLIC_REPORT_BUDGET = 2


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_report_pages_have_a_fixed_query_count(world, login):
    exercise = make_exercise(world)
    client = login(world["listener"])
    _grow(exercise, 20)
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    for one in exercise.themes.filter(is_didnt_fit=False):
        services.theme_update(
            actor=world["listener"], theme=one, title=one.title, quotes=list(one.excerpts.all()[:5])
        )
    report = Report.objects.create(exercise=exercise)
    store_version(report, published_at=timezone.now())
    path = f"/listening/{exercise.pk}/report/"
    public = f"/listening/reports/{report.public_token}/"
    few, few_public = _queries(client, path), _queries(Client(), public)

    _grow(exercise, 180)
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    for one in exercise.themes.filter(is_didnt_fit=False):
        services.theme_update(
            actor=world["listener"],
            theme=one,
            title=one.title,
            quotes=list(one.excerpts.all()[:20]),
        )
    assert exercise.contributions.count() == 200
    store_version(report, published_at=timezone.now())  # the public page serves the new one
    many = _queries(client, path)
    assert many == few, "a query per theme, quote or contribution crept in (N+1)"
    assert many <= REPORT_PAGE_BUDGET, many
    assert _queries(Client(), public) == few_public <= PUBLIC_REPORT_BUDGET


# --- headers: the pages of this part, with real ids (the shared PAGES list has no exercise) ----


def test_theme_and_report_pages_send_strict_headers_and_no_inline_code(world, written):
    from .test_security_headers import _csp

    housing = theme(written, "Somewhere to live")
    contribution = written.contributions.get(redacted_text=HOUSING[1])
    excerpt = housing.excerpts.first()
    publish(team(world), written)
    token = Report.objects.get(exercise=written).public_token
    base = f"/listening/{written.pk}"
    team_pages = [
        f"{base}/themes/",
        f"{base}/themes/{housing.pk}/",
        f"{base}/themes/{housing.pk}/merge/",
        f"{base}/themes/{housing.pk}/split/",
        f"{base}/themes/contributions/{contribution.pk}/move/",
        f"{base}/themes/contributions/{contribution.pk}/excerpt/",
        f"{base}/themes/excerpts/{excerpt.pk}/move/",
        f"{base}/report/",
        f"{base}/report/edit/",
        f"{base}/report/versions/1/",
    ]
    pages = [(team(world), path) for path in team_pages]
    pages.append((Client(), f"/listening/reports/{token}/"))
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = _csp(response)
        assert (csp["script-src"], csp["style-src"]) == ("'self'", "'self'"), path
        assert response["X-Frame-Options"] == "DENY"
        body = response.content.decode()
        assert "<style" not in body and " style=" not in body, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path
        if path.startswith(base):
            assert "no-store" in response["Cache-Control"], path

"""Documents in a portfolio: PDF, Word, OpenDocument, PNG, JPEG or plain text, at most 10 MB,
judged by what is inside and not only by the name. A refusal says why, beside the form; a
document is read back only by the organisation's leads and the network's assessors; none can
be added or taken away once the portfolio is sent."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.network.models import PortfolioDocument
from alongside.network.portfolio_uploads import UploadProblemError, check_upload
from alongside.network.services import accreditation as services

from .factories import text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        (
            "story.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("story.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("notes.txt", "Café notes, in plain words.\n".encode(), "text/plain"),
    ],
)
def test_each_kind_is_taken_by_its_content(name, data, kind):
    assert check_upload(SimpleUploadedFile(name, data)) == (name, kind)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"MZ\x90\x00 a program"),  # a program named as a PDF
        ("story.docx", ODT),  # a zip, but not a Word file
        ("story.docx", PDF),
        ("story.odt", DOCX),
        ("photo.png", JPEG),
        ("notes.txt", PDF),
        ("notes.txt", b"text with a \x00 in it"),
        ("notes.txt", b"\xff\xfe not utf-8 \xff"),
    ],
)
def test_a_file_that_lies_about_its_kind_is_refused(name, data):
    with pytest.raises(UploadProblemError, match="isn't one inside"):
        check_upload(SimpleUploadedFile(name, data))


def test_other_kinds_and_empty_files_are_refused():
    with pytest.raises(UploadProblemError, match="Choose a PDF"):
        check_upload(SimpleUploadedFile("run.exe", b"MZ"))
    with pytest.raises(UploadProblemError, match="empty"):
        check_upload(SimpleUploadedFile("empty.pdf", b""))


def test_more_than_ten_megabytes_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(UploadProblemError, match="more than the 10 MB"):
        check_upload(big)


@pytest.fixture
def portfolio(world):
    return services.portfolio_start(
        actor=world["lead"], network=world["network"], organisation=world["home"]
    )


def add_url(portfolio):
    return (
        f"/network/accreditation/{portfolio.pk}/criteria/{portfolio.entries.first().pk}/documents/"
    )


def test_a_lead_adds_a_document_and_reads_it_back(world, login, portfolio, settings):
    client = login(world["lead"])
    response = client.post(add_url(portfolio), {"file": SimpleUploadedFile("../../evil.pdf", PDF)})
    assert response.status_code == 302
    document = PortfolioDocument.objects.get()
    assert document.name == "evil.pdf" and document.content_type == "application/pdf"
    assert document.size == len(PDF)
    # Kept under the media folder, never where the name pointed.
    assert (
        (settings.MEDIA_ROOT / document.file.name)
        .resolve()
        .is_relative_to(settings.MEDIA_ROOT.resolve())
    )
    got = client.get(f"/network/accreditation/{portfolio.pk}/documents/{document.pk}/")
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"]
    assert (
        login(world["other_lead"])
        .get(f"/network/accreditation/{portfolio.pk}/documents/{document.pk}/")
        .status_code
        == 403
    )


def test_a_refused_upload_is_explained_beside_the_form(world, login, portfolio):
    client = login(world["lead"])
    response = client.post(add_url(portfolio), {"file": SimpleUploadedFile("report.pdf", b"MZ!!")})
    assert response.status_code == 400
    assert "isn't one inside" in text_of(response)
    assert not PortfolioDocument.objects.exists()


def test_no_documents_change_once_sent(world, login, portfolio):
    client = login(world["lead"])
    client.post(add_url(portfolio), {"file": SimpleUploadedFile("a.pdf", PDF)})
    document = PortfolioDocument.objects.get()
    for entry in portfolio.entries.all():
        services.entry_save(
            actor=world["lead"], entry=entry, version=1, narrative="W", figure_keys=[]
        )
    portfolio.refresh_from_db()
    services.portfolio_submit(actor=world["lead"], portfolio=portfolio, version=portfolio.version)
    response = client.post(add_url(portfolio), {"file": SimpleUploadedFile("b.pdf", PDF)})
    assert response.status_code == 400
    client.post(f"/network/accreditation/{portfolio.pk}/documents/{document.pk}/remove/")
    assert list(PortfolioDocument.objects.values_list("name", flat=True)) == ["a.pdf"]
    # The network's assessor reads it.
    got = login(world["assessor"]).get(
        f"/network/accreditation/{portfolio.pk}/documents/{document.pk}/"
    )
    assert got.status_code == 200


def test_a_lead_takes_a_document_away_and_its_file_goes(world, login, portfolio, settings):
    client = login(world["lead"])
    client.post(add_url(portfolio), {"file": SimpleUploadedFile("a.pdf", PDF)})
    document = PortfolioDocument.objects.get()
    path = settings.MEDIA_ROOT / document.file.name
    assert path.exists()
    client.post(f"/network/accreditation/{portfolio.pk}/documents/{document.pk}/remove/")
    assert not PortfolioDocument.objects.exists()
    assert not path.exists()


def test_a_very_long_name_keeps_its_extension() -> None:
    # Found by fuzzing: the name was cut to 200 characters, taking ".pdf" with it.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alongside.network.portfolio_uploads import check_upload

    upload = SimpleUploadedFile("a" * 300 + ".pdf", b"%PDF-1.7\n" + b"0" * 100)
    name, content_type = check_upload(upload)
    assert name.endswith(".pdf") and len(name) == 200
    assert content_type == "application/pdf"

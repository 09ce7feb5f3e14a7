"""The network's resources library (issue 15, item 4): members add documents (checked by what
they hold, at most 10 MB), links (web addresses only) and short write-ups; find them by kind
and words; download a document only as a member, as an attachment under a safe name; whoever
added one, or the network's staff, can take it out."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.core.models import AuditEntry
from alongside.network import resource_uploads
from alongside.network.models import Resource
from alongside.network.services import resources as services

from .factories import text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _add_document(world, login, name: str, content: bytes, user_key: str = "coach"):
    return login(world[user_key]).post(
        reverse("network:resource_new"),
        {
            "network": world["network"].pk,
            "kind": "document",
            "title": "How we start with strengths",
            "summary": "Our first-meeting guide.",
            "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def test_a_member_adds_a_pdf_and_members_download_it_as_an_attachment(world, login):
    response = _add_document(world, login, "Our guide (final) <v2>.pdf", PDF)
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("network:resource", args=[resource.pk])
    assert resource.kind == "document" and resource.organisation == world["home"]
    assert resource.content_type == "application/pdf"
    assert resource.file_name == "Our_guide_final_v2.pdf"
    assert resource.file.name.startswith("network/resources/")
    assert "guide" not in resource.file.name  # kept under a name of our own

    download = login(world["lead"]).get(reverse("network:resource_download", args=[resource.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Our_guide_final_v2.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("guide.docx", _docx(), "application/vnd.openxmlformats"),
        ("guide.odt", _odt(), "application/vnd.oasis.opendocument.text"),
        ("notes.txt", "Plain words, and a pound sign: £5.\n".encode(), "text/plain"),
    ],
)
def test_word_odt_and_text_are_taken(world, login, name, content, kind):
    assert _add_document(world, login, name, content).status_code == 302
    assert Resource.objects.get().content_type.startswith(kind)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("guide.pdf", b"MZ\x90\x00 a program", "named as a PDF (.pdf) but it isn't one"),
        ("guide.docx", PDF, "named as a Word document (.docx) but it isn't one"),
        ("guide.odt", _docx(), "named as an OpenDocument text (.odt) but it isn't one"),
        ("notes.txt", b"%PDF-1.4 pretending", "named as plain text (.txt) but it isn't one"),
        ("notes.txt", b"\xff\xfe\x00h\x00i", "named as plain text (.txt) but it isn't one"),
        ("page.html", b"<script>alert(1)</script>", "Choose a PDF, a Word document"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "old Word file (.doc)"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(world, login, name, content, says):
    response = _add_document(world, login, name, content)
    assert response.status_code == 400
    page = text_of(response)
    assert says in page
    assert "How we start with strengths" in page  # what was typed is still there
    assert not Resource.objects.exists()


def test_a_document_over_10_mb_is_refused(world, login, settings):
    big = PDF + b"0" * (resource_uploads.MAX_BYTES + 1 - len(PDF))
    response = _add_document(world, login, "big.pdf", big)
    assert response.status_code == 400
    assert "documents can be at most 10 MB" in text_of(response)
    assert not Resource.objects.exists()
    with pytest.raises(services.ResourceError, match="at most 10 MB"):
        services.resource_add(
            actor=world["coach"],
            network=world["network"],
            kind="document",
            title="Big",
            upload=SimpleUploadedFile("big.pdf", big),
        )


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "data:text/html,<b>hi</b>", "ftp://example.org/x"],
)
def test_a_link_must_be_a_web_address(world, login, url):
    response = login(world["coach"]).post(
        reverse("network:resource_new"),
        {"network": world["network"].pk, "kind": "link", "title": "A link", "url": url},
    )
    assert response.status_code == 400
    assert "Give a web address starting https://" in text_of(response)
    with pytest.raises(services.ResourceError):
        services.resource_add(
            actor=world["coach"], network=world["network"], kind="link", title="x", url=url
        )
    assert not Resource.objects.exists()


def test_links_and_write_ups_and_finding_them(world, login):
    client = login(world["coach"])
    client.post(
        reverse("network:resource_new"),
        {
            "network": world["network"].pk,
            "kind": "link",
            "title": "The strengths toolkit",
            "url": "https://example.org/toolkit",
        },
    )
    client.post(
        reverse("network:resource_new"),
        {
            "network": world["network"].pk,
            "kind": "write_up",
            "title": "What we learned from pausing",
            "body": "First paragraph about pausing.\n\nSecond paragraph.",
        },
    )
    assert Resource.objects.count() == 2
    write_up = Resource.objects.get(kind="write_up")
    page = client.get(reverse("network:resource", args=[write_up.pk])).content.decode()
    assert "<p>First paragraph about pausing.</p>" in page and "<p>Second paragraph.</p>" in page

    everything = text_of(client.get(reverse("network:resources")))
    assert "The strengths toolkit" in everything and "What we learned" in everything
    links = text_of(client.get(reverse("network:resources"), {"kind": "link"}))
    assert "The strengths toolkit" in links and "What we learned" not in links
    words = text_of(client.get(reverse("network:resources"), {"words": "pausing"}))
    assert "What we learned" in words and "The strengths toolkit" not in words
    link = Resource.objects.get(kind="link")
    link_page = client.get(reverse("network:resource", args=[link.pk])).content.decode()
    assert 'href="https://example.org/toolkit"' in link_page


def test_whoever_added_it_or_staff_can_remove_it_but_not_another_member(world, login):
    _add_document(world, login, "guide.pdf", PDF)
    resource = Resource.objects.get()
    remove = reverse("network:resource_remove", args=[resource.pk])

    assert login(world["lead"]).post(remove).status_code == 403
    with pytest.raises(PermissionDenied):
        services.resource_remove(actor=world["lead"], resource=resource)
    assert AuditEntry.objects.filter(action="denied", actor_id=world["lead"].pk).exists()
    resource.refresh_from_db()
    assert resource.removed_at is None

    page = text_of(login(world["coach"]).get(reverse("network:resource", args=[resource.pk])))
    assert "Take it out of the library" in page
    response = login(world["network_lead"]).post(remove)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.removed_at is not None
    client = login(world["coach"])
    assert client.get(reverse("network:resource", args=[resource.pk])).status_code == 404
    assert "guide" not in text_of(client.get(reverse("network:resources")))


def test_the_file_is_deleted_when_the_removal_is_committed(
    world, login, django_capture_on_commit_callbacks
):
    import os

    _add_document(world, login, "guide.pdf", PDF)
    resource = Resource.objects.get()
    path = resource.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_remove(actor=world["coach"], resource=resource)
    assert not os.path.exists(path)


@pytest.mark.parametrize("who", ["other_lead", "other_coach", "sam"])
def test_nobody_outside_the_network_sees_adds_or_downloads(world, login, who):
    _add_document(world, login, "guide.pdf", PDF)
    resource = Resource.objects.get()
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    for url in (
        reverse("network:resources"),
        reverse("network:resource_new"),
        reverse("network:resource", args=[resource.pk]),
        reverse("network:resource_download", args=[resource.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert AuditEntry.objects.filter(action="denied", actor_id=user.pk).exists()


def test_anonymous_cannot_download(world, login, client):
    _add_document(world, login, "guide.pdf", PDF)
    resource = Resource.objects.get()
    response = client.get(reverse("network:resource_download", args=[resource.pk]))
    assert response.status_code == 302 and "sign" in response.url.lower()


def test_a_name_in_other_letters_is_kept_safely(world, login):
    _add_document(world, login, 'Café guide; "v2".pdf', PDF)
    resource = Resource.objects.get()
    assert resource.file_name == "Café_guide_v2.pdf"
    download = login(world["coach"]).get(reverse("network:resource_download", args=[resource.pk]))
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''Caf%C3%A9_guide_v2.pdf"
    )

"""The directory as a file, through the page (issue 15, item 2): the network's staff download
the whole published directory as HSDS JSON and bring such a file in, all or nothing, with every
bad record named; nobody else may do either."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.core.models import AuditEntry
from alongside.network.models import Service

from .factories import text_of
from .test_network_openreferral_api import build_directory
from .test_network_openreferral_schemas import EXAMPLES, load

pytestmark = pytest.mark.django_db


def _file(data: Any, name: str = "directory.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def test_staff_download_the_directory_and_bring_it_back(world, login):
    network = world["network"]
    build_directory(network, services=3)
    client = login(world["network_lead"])
    assert "Download the directory" in text_of(client.get("/network/directory/file/"))
    response = client.get(f"/network/directory/file/{network.pk}/directory.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert len(document["services"]) == 3
    assert AuditEntry.objects.filter(action="export", detail="directory file").exists()

    # The same file brought in again changes nothing, and says so.
    response = client.post(
        f"/network/directory/file/{network.pk}/", {"file": _file(document)}, follow=True
    )
    assert "the directory already said all of it, so nothing changed" in text_of(response)
    assert Service.objects.count() == 3
    # With a service renamed, that one is updated.
    document["services"][0]["name"] = "Renamed by the file"
    response = client.post(
        f"/network/directory/file/{network.pk}/", {"file": _file(document)}, follow=True
    )
    assert "0 services added, 1 updated" in text_of(response)
    assert Service.objects.filter(name="Renamed by the file").count() == 1


def test_a_file_with_bad_records_brings_nothing_in_and_names_each(world, login):
    network = world["network"]
    good = load(EXAMPLES / "service_full.json")
    bad = dict(good, id="not-a-uuid", name="")
    response = login(world["assessor"]).post(
        f"/network/directory/file/{network.pk}/", {"file": _file([good, bad])}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Nothing was brought in" in page and "Record 2" in page
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"\xff\xfe not json", "This file is not JSON"), (b"{}", "")],
)
def test_a_file_that_is_not_a_directory_is_a_message(world, login, content, says):
    network = world["network"]
    upload = SimpleUploadedFile("directory.json", content, content_type="application/json")
    response = login(world["network_lead"]).post(
        f"/network/directory/file/{network.pk}/", {"file": upload}
    )
    assert response.status_code == 400
    assert says in text_of(response)
    assert Service.objects.count() == 0


def test_a_file_saved_with_a_byte_order_mark_is_brought_in(world, login):
    # Found while fuzzing: a file saved on Windows often starts with one, and was "not JSON".
    network = world["network"]
    body = b"\xef\xbb\xbf" + json.dumps(load(EXAMPLES / "service_full.json")).encode()
    upload = SimpleUploadedFile("directory.json", body, content_type="application/json")
    response = login(world["network_lead"]).post(
        f"/network/directory/file/{network.pk}/", {"file": upload}
    )
    assert response.status_code == 302
    assert Service.objects.count() == 1


@pytest.mark.parametrize("who", ["lead", "coach", "other_lead", "commissioner"])
def test_only_the_networks_staff(world, login, who):
    network = world["network"]
    client = login(world[who])
    assert client.get("/network/directory/file/").status_code == 403
    assert client.get(f"/network/directory/file/{network.pk}/directory.json").status_code == 403
    response = client.post(
        f"/network/directory/file/{network.pk}/",
        {"file": _file(load(EXAMPLES / "service_full.json"))},
    )
    assert response.status_code == 403
    assert Service.objects.count() == 0
    assert AuditEntry.objects.filter(actor=world[who], action="denied").count() == 3

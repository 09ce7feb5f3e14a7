"""Files made to hurt: a CSV file that is one long line of cells, and zips damaged inside.
Each is refused quickly with a plain problem on the page, nothing is saved, and nothing a
person typed or named reaches the server log."""

from __future__ import annotations

import io
import logging
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.core.models import AuditAction, AuditEntry
from alongside.listening import uploads
from alongside.listening.models import Channel, Contribution
from alongside.listening.services.exercises import exercise_create

from .factories import text_of

pytestmark = pytest.mark.django_db

FIVE_MB = uploads.MAX_UPLOAD_BYTES
# Every check is linear: a 5 MB file is refused in well under this, even on a busy machine.
SECONDS = 2.0


@pytest.fixture
def exercise(world):
    return exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )


def _post(client, exercise, name: str, content: bytes):
    data = {"file": SimpleUploadedFile(name, content), "channel": Channel.EMAIL}
    return client.post(f"/listening/{exercise.pk}/import/", data)


def _nothing_saved() -> None:
    assert not Contribution.objects.exists()
    assert not AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="listening.contribution"
    ).exists()


# --- a CSV file made of cells ------------------------------------------------------------------


ONE_LINE = b"a," * (FIVE_MB // 2)
# The same cells over many rows, every row as wide as the first.
MANY_ROWS = (b"a," * 63 + b"a\n") * (FIVE_MB // 128)


@pytest.mark.parametrize("content", [ONE_LINE, MANY_ROWS], ids=["one line", "many rows"])
def test_a_csv_of_millions_of_cells_is_refused_at_once(world, login, exercise, content):
    assert len(content) <= FIVE_MB
    client = login(world["listener"])
    # The page once first, so the time below is the import's, not the first request's imports.
    assert client.get(f"/listening/{exercise.pk}/import/").status_code == 200
    started = time.perf_counter()
    response = _post(client, exercise, "cells.csv", content)
    took = time.perf_counter() - started
    assert took < SECONDS, f"{took:.1f} s"
    assert response.status_code == 400
    page = text_of(response)
    assert (
        f"Row 1: it has more than {uploads.MAX_COLUMNS} columns, and we read at most "
        f"{uploads.MAX_COLUMNS}: keep only the columns channel, place, date, text" in page
    )
    assert page.count("Row ") == 1, "one problem, not one per cell"
    _nothing_saved()


@pytest.mark.parametrize(
    "content",
    [
        ONE_LINE,
        MANY_ROWS,
        b',"x' * (FIVE_MB // 3),
        b"channel,text\n" + b',"x' * (FIVE_MB // 3),
        b"channel,text\n" + (b"phone," + b"a," * 500 + b"a\n") * (FIVE_MB // 1010),
        b"channel,text\n" + b"a" * (FIVE_MB - 20),
    ],
    ids=["one line", "many rows", "quotes", "a long row", "many wide rows", "one long cell"],
)
def test_reading_any_5_mb_csv_takes_time_in_proportion_to_its_size(content):
    started = time.perf_counter()
    check = uploads.read_csv(content[:FIVE_MB])
    took = time.perf_counter() - started
    assert took < SECONDS, f"{took:.1f} s"
    assert not check.ok
    assert len(check.problems) <= uploads.MAX_PROBLEMS + 1


def test_a_heading_row_just_within_the_limit_is_read():
    spare = [f"extra_{n}" for n in range(uploads.MAX_COLUMNS - 2)]
    header = ",".join(["channel", "text", *spare])
    check = uploads.read_csv(f"{header}\nphone,Words.{',' * len(spare)}\n".encode())
    assert len(check.problems) == len(spare), "each extra column named, none refused for width"
    assert all("we don't use a column called" in str(p) for p in check.problems)


def test_a_quoted_heading_with_separators_in_it_is_counted_by_its_cells():
    quoted = '"text, the words' + "," * uploads.MAX_COLUMNS + '"'
    check = uploads.read_csv(f"channel,{quoted}\nphone,Words.\n".encode())
    assert [str(p) for p in check.problems][0] == ("Row 1: the headings need a column called text")


def test_the_list_of_problems_stops_at_a_hundred():
    rows = "".join(f"fax,Words {n}.\n" for n in range(500))
    check = uploads.read_csv(f"channel,text\n{rows}".encode())
    assert len(check.problems) == uploads.MAX_PROBLEMS + 1
    assert str(check.problems[-1]).startswith("The file: there are more problems than the 100")


# --- damaged zips ----------------------------------------------------------------------------

# A name only the person who made the zip would know: it must show on the page, never in the log.
NAME = "letters/from-priya-okafor.txt"
WORDS = b"The housing office never rang me back, not once in six weeks."
LOCAL_METHOD, LOCAL_CRC, LOCAL_NAME = 8, 14, 30
CENTRAL_METHOD, CENTRAL_CRC, CENTRAL_NAME = 10, 16, 46


def _zip(method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr(NAME, WORDS)
    data = bytearray(buffer.getvalue())
    assert data[:4] == b"PK\x03\x04"
    return data


def _central(data: bytearray) -> int:
    return data.index(b"PK\x01\x02")


def _bad_deflate() -> bytes:
    data = _zip()
    start = LOCAL_NAME + len(NAME)  # the local header has no extra field here
    size = struct.unpack_from("<I", data, 18)[0]
    data[start : start + size] = b"\xff" * size  # block type 3: not deflate data at all
    return bytes(data)


def _unsupported_method() -> bytes:
    data = _zip()
    for at in (LOCAL_METHOD, _central(data) + CENTRAL_METHOD):
        struct.pack_into("<H", data, at, 6)  # "implode", from the 1990s
    return bytes(data)


def _names_differ() -> bytes:
    data = _zip()
    other = NAME.replace("okafor", "okafoX").encode()
    data[LOCAL_NAME : LOCAL_NAME + len(other)] = other
    return bytes(data)


def _bad_crc() -> bytes:
    data = _zip(zipfile.ZIP_STORED)
    wrong = (zlib.crc32(WORDS) ^ 0xFFFF) & 0xFFFFFFFF
    for at in (LOCAL_CRC, _central(data) + CENTRAL_CRC):
        struct.pack_into("<I", data, at, wrong)
    return bytes(data)


def _truncated_data() -> bytes:
    data = _zip()
    start = LOCAL_NAME + len(NAME)
    size = struct.unpack_from("<I", data, 18)[0]
    del data[start + size // 2 : start + size]  # the directory now points past the data
    central = _central(data)
    end = data.index(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, central)
    return bytes(data)


DAMAGED = {
    "bad deflate data": (_bad_deflate, uploads.DAMAGED),
    "unsupported compression method": (_unsupported_method, uploads.PACKED_OTHERWISE),
    "names differ": (_names_differ, uploads.DAMAGED),
    "bad crc": (_bad_crc, uploads.DAMAGED),
    "data cut short": (_truncated_data, uploads.DAMAGED),
}


def test_the_damage_is_real():
    """Each zip really is damaged: reading it the ordinary way fails."""
    for name, (make, _) in DAMAGED.items():
        with zipfile.ZipFile(io.BytesIO(make())) as archive:
            with pytest.raises((zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError)):
                archive.read(NAME)
            assert archive.namelist() == [NAME], name


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_zip_is_a_plain_problem_naming_the_file(world, login, exercise, caplog, damage):
    make, message = DAMAGED[damage]
    caplog.set_level(logging.DEBUG)
    response = _post(login(world["listener"]), exercise, "letters.zip", make())
    assert response.status_code == 400
    page = text_of(response)
    assert f"File 1 ({NAME}): {message}" in page
    _nothing_saved()
    logged = (caplog.text + "".join(str(record.__dict__) for record in caplog.records)).lower()
    for secret in ("priya", "okafor", "okafox", "housing office"):
        assert secret not in logged, secret
    assert "traceback" not in logged


def test_a_damaged_file_among_good_ones_keeps_them_all_out(world, login, exercise, caplog):
    caplog.set_level(logging.DEBUG)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a-first.txt", b"Good words, the first.")
        archive.writestr(NAME, WORDS)
        archive.writestr("z-last.txt", b"Good words, the last.")
    data = bytearray(buffer.getvalue())
    at = data.index(WORDS)
    data[at : at + 4] = b"XXXX"  # the stored words no longer match their CRC
    response = _post(login(world["listener"]), exercise, "letters.zip", bytes(data))
    assert response.status_code == 400
    assert f"File 2 ({NAME}): {uploads.DAMAGED}" in text_of(response)
    _nothing_saved()
    assert "okafor" not in caplog.text.lower()

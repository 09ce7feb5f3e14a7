"""Reading a feed's address: only the open web, answers of a sane size, JSON only. No test here
leaves the machine: private addresses are refused before any connection, and the rest is
served by a stand-in for urllib's opener."""

from __future__ import annotations

import io
import urllib.error
from typing import Any

import pytest

from alongside.network import jobs as feed_jobs


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/openreferral/services",
        "http://localhost:8000/openreferral",
        "http://169.254.169.254/latest/meta-data",
        "https://10.1.2.3/services",
        "http://[::1]/services",
    ],
)
def test_addresses_inside_a_private_network_are_refused(url: str) -> None:
    with pytest.raises(feed_jobs.FeedReadError, match="inside a private network"):
        feed_jobs.fetch_json(url)


def test_a_redirect_into_a_private_network_is_refused() -> None:
    with pytest.raises(feed_jobs.FeedReadError, match="inside a private network"):
        feed_jobs._CheckedRedirects().redirect_request(
            None, None, 302, "Found", {}, "http://127.0.0.1:5432/"
        )


class _Answer(io.BytesIO):
    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serving(monkeypatch: Any, settings: Any, body: bytes | Exception) -> None:
    settings.NETWORK_FEEDS_ALLOW_PRIVATE = True

    def open_(request: Any) -> _Answer:
        if isinstance(body, Exception):
            raise body
        return _Answer(body)

    monkeypatch.setattr(feed_jobs, "_open", open_)


def test_json_is_read(monkeypatch: Any, settings: Any) -> None:
    _serving(monkeypatch, settings, b'{"total_items": 0, "contents": []}')
    assert feed_jobs.fetch_json("https://feed.example/services") == {
        "total_items": 0,
        "contents": [],
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html>Not here</html>", "did not send JSON"),
        (b"[" + b"1," * (feed_jobs.MAX_BYTES // 2) + b"1]", "sent more than 10 MB"),
        (urllib.error.HTTPError("u", 500, "Oops", {}, None), "answered 500"),  # type: ignore[arg-type]
        (urllib.error.URLError("no route"), "could not be reached"),
        (TimeoutError(), "could not be reached"),
    ],
)
def test_what_cannot_be_used_is_refused_in_words(
    monkeypatch: Any, settings: Any, body: Any, words: str
) -> None:
    _serving(monkeypatch, settings, body)
    with pytest.raises(feed_jobs.FeedReadError, match=words):
        feed_jobs.fetch_json("https://feed.example/services")

"""The load test's browser: an answer cut off by a killed server is no answer (an OSError,
counted as an expected error when the server was killed on purpose), never a "page that could
not be read", which fails the run."""

from __future__ import annotations

import socket
import threading

import pytest

from loadtest.harness import Browser


def _server_that_dies_mid_body() -> int:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_half() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<html>half")
        connection.close()
        listener.close()

    threading.Thread(target=answer_half, daemon=True).start()
    return listener.getsockname()[1]


def test_an_answer_cut_off_mid_body_is_no_answer():
    browser = Browser(_server_that_dies_mid_body(), timeout=5)
    with pytest.raises(OSError, match="cut off"):
        browser.get("/")

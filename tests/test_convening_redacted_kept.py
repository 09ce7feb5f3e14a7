"""A barrier's words are redacted once per worker: the answer is kept under a digest, so the
words as written are never what is kept, and the store stays bounded."""

from __future__ import annotations

import pytest

from alongside.convening.selectors import evidence
from alongside.listening import redaction


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = redaction.find_identifying

    def counting(text, names=()):
        calls.append(text)
        return real(text, names)

    monkeypatch.setattr(redaction, "find_identifying", counting)
    monkeypatch.setattr(evidence, "_kept", type(evidence._kept)())
    return calls


def test_the_same_words_are_redacted_once_and_give_the_same_answer(counted):
    words = "Ring Sam Okafor on 07700 900461 about the hostel"
    first = evidence.redacted(words, ["Sam Okafor"])
    assert "07700" not in first and "Okafor" not in first
    assert evidence.redacted(words, ["Sam Okafor"]) == first
    assert len(counted) == 1
    # Other names are another question: the answer is worked out again.
    evidence.redacted(words, ["Someone Else"])
    assert len(counted) == 2


def test_what_is_kept_is_a_digest_and_the_redacted_words_never_the_original(counted):
    words = "Tell Priya Shah her bed is ready"
    evidence.redacted(words, ["Priya Shah"])
    for key, answer in evidence._kept.items():
        assert isinstance(key, bytes) and b"Priya" not in key
        assert "Priya" not in answer


def test_the_store_is_bounded(counted, monkeypatch):
    monkeypatch.setattr(evidence, "KEPT_MOST", 3)
    for number in range(5):
        evidence.redacted(f"The rent went up in block {number}")
    assert len(evidence._kept) == 3
    # The oldest went first: asking again works it out again.
    evidence.redacted("The rent went up in block 0")
    assert counted.count("The rent went up in block 0") == 2

"""DESIGN.md principle 6: the product's own words never describe people as problems."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "alongside"
DEFICIT = re.compile(
    r"\b(client|clients|service users?|case|cases|caseloads?|chaotic|non-compliant|"
    r"refused to engage|hard to reach|manipulative|attention seeking)\b",
    re.IGNORECASE,
)


def copy_files():
    yield from ROOT.rglob("*.html")
    yield from (p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def test_templates_and_messages_use_respectful_words():
    offenders = []
    for path in copy_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            # Python code may name the words it warns about; quoted copy may not.
            if path.suffix == ".py" and not re.search(r"[\"'].*[\"']", line):
                continue
            # Column headings of other systems' exports ("Client ref") are read, never
            # written, where a line says so; SQL's CASE, in capitals, is a keyword.
            if "other systems" in line:
                continue
            if DEFICIT.search(line.replace("CASE", "")) and "deficit" not in line.lower():
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_check_would_catch_a_slip():
    assert DEFICIT.search("Add a new client")
    assert DEFICIT.search("my caseload")
    assert not DEFICIT.search("showcase")
    assert DEFICIT.search("Case notes".replace("CASE", ""))

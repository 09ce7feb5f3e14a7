"""The system theme page made cheaper in Python (issue 11, eighth pass), the same page:

- the database works out each barrier's day (the day it happened, else the day it was written
  down in UK time), where psycopg loaded every written-at moment in Python;
- the page's fragments escape words with `in` and `str.replace` rather than `str.translate`,
  exactly as the template escapes them;
- a redaction already worked out is read without taking the lock.

The page itself is compared byte for byte with the old template in
tests/test_convening_theme_page_html.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from alongside.coaching.models import Barrier
from alongside.convening.models import SystemTheme
from alongside.convening.selectors import evidence
from alongside.convening.selectors import themes as selectors
from alongside.core.disclosure import Cell
from alongside.core.html import lines, text
from alongside.core.words import day_words

from .test_convening_theme_page_html import place, shared


@pytest.mark.django_db
def test_a_barrier_without_its_day_is_counted_on_its_day_in_uk_time(world: dict[str, Any]):
    theme = SystemTheme.objects.create(organisation=world["home"], title="Late at night")
    written_at = {
        # 23:30 in UTC is half past midnight the next day in British Summer Time...
        "summer": (None, datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),
        # ...and the same day in winter.
        "winter": (None, datetime(2026, 1, 31, 23, 30, tzinfo=UTC), date(2026, 1, 31)),
        "recorded": (date(2026, 3, 4), datetime(2026, 5, 6, 23, 30, tzinfo=UTC), date(2026, 3, 4)),
    }
    for words, (happened_on, created_at, _) in written_at.items():
        barrier = shared(world["sam"], "Job centre", words, happened_on=happened_on)
        Barrier.objects.filter(pk=barrier.pk).update(created_at=created_at)
        place(theme, barrier)
    theme = SystemTheme.objects.select_related("organisation").get(pk=theme.pk)

    days = {row[5]: row[9] for row in selectors._theme_rows(theme)}
    assert days == {words: day for words, (_, _, day) in written_at.items()}
    for words, (happened_on, created_at, day) in written_at.items():
        assert selectors.barrier_day(happened_on, created_at) == day, words

    detail = selectors.theme_detail(theme, today=date(2026, 7, 15))
    assert {b.words: b.when for b in detail.barriers} == {
        words: day_words(day) for words, (_, _, day) in written_at.items()
    }
    counted = {row.label: row.ours for row in detail.months if row.ours}
    assert counted == {"July 2026": 1, "March 2026": 1, "January 2026": 1}


def test_the_fragments_escape_words_as_the_template_does():
    words = [
        "",
        "plain words",
        "Sam's \"rule\" & <b>the</b> 'fee' > 10 &amp;",
        "&&<<>>\"\"''",
        "caf\u00e9 \u201cquoted\u201d \u00b7 \u00a3",
        "line\nbreak\ttab",
    ]
    for value in words:
        assert text(value) == conditional_escape(value), value
        assert lines(value) == linebreaksbr(value, autoescape=True), value
    for value in (0, 12, -3, True, None, 2.5, Cell(None), Cell(15), mark_safe("<b>kept</b>")):
        assert text(value) == conditional_escape(value), value
    assert text("<a href='x'>&</a>") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"


def test_a_redaction_kept_is_the_one_worked_out():
    words = "Rutendo Moyo rang 07700 900123 about rutendo's appeal."
    worked_out = evidence._redacted(words, ["Rutendo Moyo"])
    assert "Rutendo" not in worked_out and "07700" not in worked_out
    evidence._kept.clear()
    first = evidence.redacted(words, ["Rutendo Moyo"])  # worked out, then kept
    assert len(evidence._kept) == 1
    # Kept, whichever way the names are given (a generator is read once).
    again = [
        evidence.redacted(words, ["Rutendo Moyo"]),
        evidence.redacted(words, ("Rutendo Moyo",)),
        evidence.redacted(words, (name for name in ["Rutendo Moyo"])),
    ]
    assert first == worked_out and again == [worked_out] * 3
    assert len(evidence._kept) == 1
    # Other names are another answer.
    assert evidence.redacted(words, ["Moyo"]) != worked_out
    assert len(evidence._kept) == 2

"""A directory entry in words (issue 15, item 1): days and times as people say them, ages, and
what a change changes, field by field."""

from __future__ import annotations

from datetime import time

from alongside.network import entries


def test_days_in_words():
    assert entries.days_words("MO,WE") == "Mondays and Wednesdays"
    assert entries.days_words("WE,MO,FR") == "Mondays, Wednesdays and Fridays"
    assert entries.days_words("MO,TU,WE,TH,FR") == "Monday to Friday"
    assert entries.days_words("MO,TU,WE,TH,FR,SA,SU") == "Every day"
    assert entries.days_words("SA,SU") == "Weekends"
    assert entries.days_words("") == ""


def test_times_and_opening_in_words():
    assert entries.time_words(time(10)) == "10am"
    assert entries.time_words(time(16, 30)) == "4:30pm"
    assert entries.time_words("12:00") == "midday"
    assert entries.opening_words("MO,WE", time(10), time(16)) == (
        "Mondays and Wednesdays, 10am to 4pm"
    )
    assert entries.opening_words("TU", "18:00", None, "first of the month") == (
        "Tuesdays, from 6pm (first of the month)"
    )


def test_ages_in_words():
    assert entries.ages_words(16, 25) == "People aged 16 to 25"
    assert entries.ages_words(60, None) == "People aged 60 and over"
    assert entries.ages_words(None, 18) == "People aged up to 18"
    assert entries.ages_words(None, None) == "People of any age"


def test_differences_name_only_what_changed():
    before = {
        "kind": "service",
        "name": "Drop-in",
        "description": "Tea",
        "status": "active",
        "schedules": [{"byday": "FR", "opens_at": "10:00", "closes_at": "12:00"}],
    }
    after = {**before, "name": "Drop-in and lunch", "minimum_age": 18}
    rows = entries.differences(before, after)
    assert {row["label"] for row in rows} == {"Name", "Who it is for"}
    name = next(row for row in rows if row["label"] == "Name")
    assert (name["before"], name["after"]) == ("Drop-in", "Drop-in and lunch")
    # A new entry shows everything it says.
    labels = {row["label"] for row in entries.differences({}, after)}
    assert {"Name", "What it is", "When it is open"} <= labels
    withdrawn = entries.differences(before, {"kind": "withdraw"})
    assert withdrawn[0]["after"] == "No: taken out"

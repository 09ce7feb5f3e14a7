"""The network's events as iCalendar (RFC 5545): `/network/events.ics` (every network's, or
one network's with `?network=<slug>`) and `/network/events/<pk>.ics`, public so calendar apps
can subscribe. Every feed is parsed with the `icalendar` package and each property checked;
the link to join is never in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Organisation
from alongside.network import ical
from alongside.network.models import Event
from alongside.network.services import events as services

from . import factories

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/secret-room-9"
START = datetime(2030, 3, 9, 10, 0, tzinfo=UTC)


def _event(network, **extra) -> Event:
    fields = {
        "network": network,
        "title": "Strengths, in practice",
        "description": "Bring a story; we'll share ours.\nSecond line, with a \\ backslash.",
        "starts_at": START,
        "ends_at": START + timedelta(hours=1, minutes=30),
        "online": True,
        "join_url": JOIN,
    }
    fields.update(extra)
    return Event.objects.create(**fields)


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends CRLF, nothing else
    return body.split(b"\r\n")[:-1]


def test_the_feed_parses_and_carries_each_property(world, client):
    event = _event(world["network"])
    response = client.get(reverse("network:events_ics"))
    calendar = _parse(response)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]) == ical.PRODID
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@alongside"
    assert vevent["SUMMARY"] == "Strengths, in practice"
    assert vevent["DESCRIPTION"] == (
        "Bring a story; we'll share ours.\nSecond line, with a \\ backslash."
    )
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTEND") == START + timedelta(hours=1, minutes=30)
    assert vevent.decoded("DTSTAMP").tzinfo is not None
    assert int(vevent["SEQUENCE"]) == 0
    assert vevent["LOCATION"] == "Online"
    assert vevent["STATUS"] == "CONFIRMED"
    assert str(vevent["URL"]) == f"http://testserver/network/events/{event.pk}/"
    body = response.content
    assert b"DTSTART:20300309T100000Z" in body
    assert b"SUMMARY:Strengths\\, in practice" in body
    assert b"DESCRIPTION:Bring a story\\; we'll share ours.\\nSecond line\\, with a \\\\ b" in body
    assert JOIN.encode() not in body and b"secret-room" not in body.replace(b"\r\n ", b"")


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character(world, client):
    title = "Café conversations: " + "é—" * 60
    address = "Unit 4, The Old Mill; Canal Street\nHebden Bridge"
    _event(
        world["network"],
        title=title,
        online=False,
        join_url="",
        place_name="The Mill",
        address=address,
        postcode="HX7 8AD",
    )
    response = client.get(reverse("network:events_ics"))
    for line in _lines(response.content):
        assert len(line) <= 75, line
        line.decode("utf-8")  # no line ends inside a character
    (vevent,) = _parse(response).walk("VEVENT")
    assert vevent["SUMMARY"] == title
    assert vevent["LOCATION"] == (
        "The Mill, Unit 4, The Old Mill; Canal Street, Hebden Bridge, HX7 8AD"
    )
    assert b"LOCATION:The Mill\\, Unit 4\\, The Old Mill\\; Canal Street" in response.content


def test_fold_by_itself():
    line = "DESCRIPTION:" + "a" * 200
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts[0]) == 75 and all(p.startswith(" ") for p in parts[1:])
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert ical.escape_text("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"


def test_a_cancelled_event_says_so_with_a_higher_sequence(world, client):
    start = timezone.now() + timedelta(days=5)
    event = services.event_create(
        actor=world["network_lead"],
        network=world["network"],
        fields=services.EventFields(
            title="Spring gathering",
            description="",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            online=True,
            join_url=JOIN,
        ),
    )
    services.event_cancel(actor=world["network_lead"], event=event, version=event.version)
    (vevent,) = _parse(client.get(reverse("network:event_ics", args=[event.pk]))).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1
    assert str(vevent["UID"]) == f"{event.uid}@alongside"


def test_one_networks_feed_and_recent_but_not_old_events(world, client):
    other_network = factories.organisation(Organisation.Kind.NETWORK)
    ours = _event(world["network"], title="Ours")
    _event(other_network, title="Theirs")
    long_ago = timezone.now() - timedelta(days=400)
    _event(world["network"], title="Long ago", starts_at=long_ago, ends_at=long_ago)
    lately = timezone.now() - timedelta(days=10)
    _event(world["network"], title="Lately", starts_at=lately, ends_at=lately)

    url = reverse("network:events_ics") + f"?network={world['network'].slug}"
    calendar = _parse(client.get(url))
    titles = [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")]
    assert titles == ["Lately", "Ours"]
    assert world["network"].name in str(calendar["X-WR-CALNAME"])

    everyone = _parse(client.get(reverse("network:events_ics")))
    assert {str(v["SUMMARY"]) for v in everyone.walk("VEVENT")} == {"Lately", "Ours", "Theirs"}

    assert client.get(reverse("network:events_ics") + "?network=no-such").status_code == 404
    assert client.head(reverse("network:events_ics")).status_code == 200  # calendar apps ask
    single = _parse(client.get(reverse("network:event_ics", args=[ours.pk])))
    assert [str(v["SUMMARY"]) for v in single.walk("VEVENT")] == ["Ours"]
    assert client.get(reverse("network:event_ics", args=[999999])).status_code == 404


def test_an_empty_feed_is_still_a_calendar(world, client):
    calendar = _parse(client.get(reverse("network:events_ics")))
    assert calendar.walk("VEVENT") == []


def test_a_nul_in_the_networks_name_is_dropped_not_a_failure(world, client):
    # Found while fuzzing: PostgreSQL refuses a NUL in a query, so "?network=...%00" was a 500.
    _event(world["network"], title="Ours")
    url = reverse("network:events_ics") + f"?network={world['network'].slug}%00"
    calendar = _parse(client.get(url))
    assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == ["Ours"]

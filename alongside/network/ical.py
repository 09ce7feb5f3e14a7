"""The network's events as iCalendar (RFC 5545), written by hand so every rule the calendar
apps rely on is ours to see and test: CRLF line endings, lines folded at 75 octets (never
inside a UTF-8 character), TEXT values escaped, times in UTC with a Z.

The feed is public (people subscribe to it from their calendar app, which cannot sign in), so
an event's join link is never written here: only its page's address, which asks for a sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from .models import Event

PRODID = "-//Alongside//Network events//EN"
LIMIT = 75  # octets in a line, not counting its CRLF (RFC 5545 section 3.1)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma escaped,
    every kind of line break written as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded so no line is longer than 75 octets: each further line starts
    with a space. A UTF-8 character is never split between two lines."""
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        # The first line may hold 75 octets; each further one 74 after its leading space.
        room = LIMIT if not pieces else LIMIT - 1
        if size + width > room:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def location_of(event: Event) -> str:
    if event.online:
        return "Online"
    parts = [event.place_name, *event.address.splitlines(), event.postcode]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def event_lines(event: Event, *, page_url: str, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@alongside",
        f"DTSTAMP:{utc(now)}",
        f"CREATED:{utc(event.created_at)}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    location = location_of(event)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    # URL is a URI value, not TEXT: it is written as it is (our own page's address).
    lines.append(f"URL:{page_url}")
    lines.append("STATUS:CANCELLED" if event.cancelled_at else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str,
    page_url: Callable[[Event], str],
    now: datetime,
) -> bytes:
    """The whole VCALENDAR as UTF-8 bytes, ready to serve as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # How often a subscribed calendar app should look again (RFC 7986, and Outlook's own).
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for event in events:
        lines.extend(event_lines(event, page_url=page_url(event), now=now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")

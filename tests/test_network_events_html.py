"""The network's events list made cheaper without changing a byte (issue 11): its reads are
plain rows from queries written once (network/selectors/events.py) and its cards and calendar
links are written in Python (network/templatetags/event_pages.py). Both are compared with the
reads (tests/network_old_reads.py) and the template (list.html with _card.html) as they were,
kept below, on awkward words and every branch of a card, and the split of past from coming up
at moments around the start of the day the queries are written for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Organisation, Role
from alongside.network.models import Event, EventPlace
from alongside.network.selectors import events as events_selectors
from alongside.network.selectors import learning

from . import factories
from . import network_old_reads as old_reads
from .factories import organisation

pytestmark = pytest.mark.django_db

BOOKED, WAITING = EventPlace.Status.BOOKED, EventPlace.Status.WAITING
CANCELLED = EventPlace.Status.CANCELLED
AWKWARD = "Tea & <b>\"talk\"</b> at O'Neill's"

# network/events/_card.html, as it was, included once a row by list.html.
OLD_CARD = """<li class="card">
  <h3 class="card-title"><a href="{% url 'network:event' row.event.pk %}">{{ row.event.title }}</a></h3>
      {% if row.mine == "booked" %}<p><span class="tag tag--green">You have a place</span></p>{% elif row.mine == "waiting" %}<p><span class="tag tag--yellow">You are on the waiting list</span></p>{% endif %}
  <p>{{ row.when }}</p>
  <p class="small">{% if row.event.cancelled_at %}<span class="tag tag--red">Cancelled</span>{% else %}{% if row.event.online %}Online{% else %}{{ row.event.place_name }}{% endif %}{% if row.event.capacity %} · {% if row.full %}Full: {{ row.waiting }} on the waiting list{% else %}{{ row.booked }} of {{ row.event.capacity }} places taken{% endif %}{% else %} · {{ row.booked }} coming{% endif %}{% endif %}</p>
</li>
"""  # noqa: E501

# network/events/list.html's content, as it was (the card included in place).
OLD_CONTENT = """<p><a href="{% url 'network:home' %}">Back to the network</a></p>
<h1>Events</h1>
<p class="lead">Get together with people from across the network, online and in person.</p>
{% if staff_networks %}
<div class="button-row"><a class="button" href="{% url 'network:event_new' %}">Add an event</a></div>
{% endif %}

<section aria-labelledby="upcoming-title">
  <h2 id="upcoming-title">Coming up</h2>
  {% if upcoming %}
  <ul class="cards">
    {% for row in upcoming %}CARD{% endfor %}
  </ul>
  {% else %}
  <p>No events planned just now.</p>
  {% endif %}
</section>

<section aria-labelledby="past-title">
  <h2 id="past-title">Past events</h2>
  {% if past %}
  <ul class="cards">
    {% for row in past %}CARD{% endfor %}
  </ul>
  {% else %}
  <p>None yet.</p>
  {% endif %}
</section>

<section aria-labelledby="calendar-title">
  <h2 id="calendar-title">In your calendar</h2>
  <p>Add the network's events to your calendar app, and it will keep them up to date.</p>
  <ul class="link-list">
    {% for network in networks %}<li><a href="{% url 'network:events_ics' %}?network={{ network.slug|urlencode }}">Calendar of {{ network.name }}'s events</a></li>{% endfor %}
  </ul>
</section>
""".replace("CARD", OLD_CARD)  # noqa: E501


def _old_content(user) -> str:
    networks = old_reads.networks_of(user)
    ids = {n.pk for n in networks}
    context = {
        "upcoming": old_reads.mark_mine(user, old_reads.upcoming_events(ids)),
        "past": old_reads.past_events(ids),
        "staff_networks": learning.staff_networks(user, networks),
        "networks": networks,
    }
    return engines["django"].from_string(OLD_CONTENT).render(context)


def _content_of(page: str) -> str:
    start = page.index('<p><a href="/network/">Back to the network</a></p>')
    end = page.index('<section aria-labelledby="calendar-title">')
    end = page.index("</section>\n", end) + len("</section>\n")
    return page[start:end]


def _event(network: Organisation, n: int, start: datetime, hours: float, **fields) -> Event:
    fields.setdefault("title", f"{AWKWARD} {n}")
    return Event.objects.create(
        network=network,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **fields,
    )


def _place(event: Event, user, status: str) -> None:
    EventPlace.objects.create(event=event, user=user, status=status)


def _fill(world) -> Organisation:
    """Events coming up with every kind of card, more past events than the list shows, and a
    second network of the coach's; a third network's events, which they must not see."""
    network, coach = world["network"], world["coach"]
    network.name = "Bread & <Roses> 'network'"
    network.save()
    second = organisation(Organisation.Kind.NETWORK)
    second.name = 'A "second" <network>'
    second.slug = 'a b&c/d<e>"'  # no slug has these, but a feed's address would keep them
    second.save()
    world["home"].networks.add(second)
    stranger = organisation(Organisation.Kind.NETWORK)
    others = [factories.staff(Role.COACH, world["home"]) for _ in range(3)]
    now = timezone.now()
    soon = now + timedelta(days=2)
    mine = _event(network, 0, soon, 1, place_name="The <hall> & 'yard'", capacity=3)
    _place(mine, coach, BOOKED)
    _place(mine, others[0], BOOKED)
    full = _event(network, 1, soon, 30, online=True, capacity=1)  # the same start
    _place(full, others[0], BOOKED)
    _place(full, coach, WAITING)
    _place(full, others[1], WAITING)
    given_up = _event(second, 2, soon + timedelta(days=1), 2, capacity=0, place_name="")
    _place(given_up, coach, CANCELLED)
    _place(given_up, others[2], BOOKED)
    cancelled = _event(network, 3, soon + timedelta(days=3), 1, cancelled_at=now, capacity=5)
    _place(cancelled, coach, BOOKED)
    _event(network, 4, soon + timedelta(days=4), 1, place_name=AWKWARD)
    _event(stranger, 5, soon, 1, title="A stranger's gathering")
    # Ending now-ish: still on (it ends in an hour), and one that ended a minute ago.
    _event(network, 6, now - timedelta(hours=1), 2)
    ended = _event(network, 7, now - timedelta(hours=1), 59 / 60, capacity=2)
    _place(ended, coach, BOOKED)
    for n in range(24):
        start = now - timedelta(days=1 + n // 2)  # pairs starting together
        past = _event(network if n % 3 else second, 10 + n, start, 1 + n % 2, online=n % 4 == 0)
        if n % 5 == 0:
            _place(past, coach, BOOKED if n % 2 else WAITING)
    _event(stranger, 50, now - timedelta(days=1), 1, title="A stranger's past gathering")
    return second


@pytest.mark.parametrize("filled", [True, False])
@pytest.mark.parametrize("who", ["coach", "network_lead"])
def test_the_list_is_written_as_the_old_reads_and_template_wrote_it(world, login, filled, who):
    if filled:
        _fill(world)
    user = world[who]
    page = login(user).get(reverse("network:events")).content.decode()
    new = _content_of(page)
    assert new == _old_content(user)
    assert "stranger" not in new
    if filled and who == "coach":
        for words in [
            "You have a place",
            "You are on the waiting list",
            "Cancelled",
            "Online",
            "Full: 2 on the waiting list",
            "2 of 3 places taken",
            " · 1 coming",
            "The &lt;hall&gt; &amp; &#x27;yard&#x27;",
            "Calendar of A &quot;second&quot; &lt;network&gt;'s events",
            "?network=a%20b%26c/d%3Ce%3E%22",
        ]:
            assert words in new, words
        assert new.count('<li class="card">') == 6 + 20
    if who == "network_lead":
        assert "Add an event" in new


def _as_old(row: old_reads.EventRow) -> tuple:
    e = row.event
    return (e.pk, e.title, row.when, bool(e.cancelled_at), e.online, e.place_name, e.capacity)


def _as_new(card: events_selectors.EventCard) -> tuple:
    return (card.pk, card.title, card.when, card.cancelled, card.online, card.place_name)


@pytest.mark.parametrize(
    "since_midnight",
    [timedelta(0), timedelta(microseconds=1), timedelta(minutes=30), timedelta(hours=23.99)],
)
def test_coming_up_and_past_split_at_the_moment_asked_as_the_old_reads_did(
    world, since_midnight, django_assert_num_queries
):
    """The queries split at the start of the day; the rows either side of the moment asked
    are the old reads' rows, in their order, with their counts and the reader's places."""
    coach, network = world["coach"], world["network"]
    midnight = timezone.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    now = midnight + since_midnight
    for n, (start, hours) in enumerate(
        [
            (midnight - timedelta(hours=2), 2),  # ends at midnight
            (midnight - timedelta(hours=2), 1),  # before midnight
            (now - timedelta(hours=1), 1),  # ends at the moment asked
            (now - timedelta(hours=1), 1),
            (now - timedelta(hours=1), 2),
            (now - timedelta(hours=1, microseconds=1), 1),  # a moment before
            (now, 0.5),
            (now + timedelta(days=1), 1),
        ]
        + [(midnight - timedelta(days=d % 9), 1) for d in range(30)]
    ):
        event = _event(network, n, start, hours, capacity=1 + n % 3)
        if n % 4 == 0:
            _place(event, coach, EventPlace.Status.BOOKED)
        if n % 3 == 0:
            _place(event, world["network_lead"], EventPlace.Status.WAITING)
    ids = {network.pk}
    old_upcoming = old_reads.mark_mine(coach, old_reads.upcoming_events(ids, now=now))
    old_past = old_reads.past_events(ids, now=now)
    with django_assert_num_queries(2):
        upcoming, past = events_selectors.events(coach, ids, now=now)
    for old, new in [(old_upcoming, upcoming), (old_past, past)]:
        assert [_as_old(row) + (row.booked, row.waiting, row.mine, row.full) for row in old] == [
            _as_new(card) + (card.capacity, card.booked, card.waiting, card.mine, card.full)
            for card in new
        ]
    assert len(past) == 20 and upcoming
    # The network's home: the first five coming up, from the same query alone.
    old_five = old_reads.mark_mine(coach, old_reads.upcoming_events(ids, now=now, limit=5))
    with django_assert_num_queries(1):
        five = events_selectors.upcoming(coach, ids, limit=5, now=now)
    assert [_as_old(row) + (row.booked, row.waiting, row.mine, row.full) for row in old_five] == [
        _as_new(card) + (card.capacity, card.booked, card.waiting, card.mine, card.full)
        for card in five
    ]


def test_the_networks_are_the_old_reads_networks(world, django_assert_num_queries):
    second = _fill(world)
    coach = world["coach"]
    old = old_reads.networks_of(coach)
    new = events_selectors.networks_of(coach)
    assert [n.pk for n in new] == [n.pk for n in old] and second in new
    assert [vars(n) | {"_state": None} for n in new] == [vars(n) | {"_state": None} for n in old]
    assert events_selectors.networks_of(world["other_coach"]) == []
    assert events_selectors.events(world["other_coach"], set()) == ([], [])

"""The network's home and the assessing queue made cheaper without changing a byte (issue
11): their lists are written in Python (network/templatetags/network_pages.py) from plain rows
(the home's news and library and the queue written by the ORM once, core/written.py). The
lists are compared with what network/home.html's and network/assessing/queue.html's loops
wrote before, kept below, on data with every branch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.words import day_words
from alongside.network.models import Event, EventPlace, NewsItem, Portfolio, Resource
from alongside.network.rubric_default import ensure_default_rubric
from alongside.network.selectors import accreditation, learning

from . import network_old_reads as old_reads
from .factories import organisation

pytestmark = pytest.mark.django_db

# network/home.html's lists as they were before they were written in Python.
REFERENCE_LISTS = """<section aria-labelledby="events-title">
  <h2 id="events-title">Coming up</h2>
  {% if events %}
  <ul class="cards">
    {% for row in events %}
    <li class="card">
      <h3 class="card-title"><a href="{% url 'network:event' row.event.pk %}">{{ row.event.title }}</a></h3>
      {% if row.mine == "booked" %}<p><span class="tag tag--green">You have a place</span></p>{% elif row.mine == "waiting" %}<p><span class="tag tag--yellow">You are on the waiting list</span></p>{% endif %}
      <p>{{ row.when }}</p>
      <p class="small muted">{% if row.event.cancelled_at %}<span class="tag tag--red">Cancelled</span>{% elif row.event.online %}Online{% else %}{{ row.event.place_name }}{% endif %}{% if row.full and not row.event.cancelled_at %} · Full: waiting list open{% endif %}</p>
    </li>
    {% endfor %}
  </ul>
  {% else %}
  <p>No events planned just now.</p>
  {% endif %}
  <p><a href="{% url 'network:events' %}">All events</a>{% if is_staff %} · <a href="{% url 'network:event_new' %}">Add an event</a>{% endif %}</p>
</section>

<section aria-labelledby="news-title">
  <h2 id="news-title">News</h2>
  {% if news %}
  <ul class="link-list">
    {% for item, published in news %}<li><a href="{% url 'network:news_item' item.pk %}">{{ item.title }}</a> <span class="small muted">{{ published }}</span></li>{% endfor %}
  </ul>
  {% else %}
  <p>No news yet.</p>
  {% endif %}
  <p><a href="{% url 'network:news' %}">All news</a>{% if is_staff %} · <a href="{% url 'network:news_new' %}">Write news</a>{% endif %}</p>
</section>

<section aria-labelledby="resources-title">
  <h2 id="resources-title">New in the library</h2>
  {% if resources %}
  <ul class="link-list">
    {% for resource in resources %}<li><a href="{% url 'network:resource' resource.pk %}">{{ resource.title }}</a> <span class="small muted">({{ resource.get_kind_display|lower }}{% if resource.organisation %}, from {{ resource.organisation.name }}{% endif %})</span></li>{% endfor %}
  </ul>
  {% else %}
  <p>Nothing in the library yet: be the first to share something.</p>
  {% endif %}
  <p><a href="{% url 'network:resources' %}">The whole library</a> · <a href="{% url 'network:resource_new' %}">Share something</a></p>
</section>
"""  # noqa: E501

AWKWARD = "Tea & <b>\"talk\"</b> at O'Neill's"


def _event(world, n: int, **fields) -> Event:
    start = timezone.now() + timedelta(days=n + 1)
    return Event.objects.create(
        network=world["network"],
        title=f"{AWKWARD} {n}",
        starts_at=start,
        ends_at=start + timedelta(hours=1 if n % 2 else 30),
        **fields,
    )


def _fill(world) -> None:
    user, home = world["coach"], world["home"]
    booked = _event(world, 0, place_name="The <hall>", capacity=1)
    EventPlace.objects.create(
        event=booked, user=user, organisation=home, status=EventPlace.Status.BOOKED
    )
    waiting = _event(world, 1, online=True, capacity=1)
    EventPlace.objects.create(
        event=waiting, user=world["assessor"], status=EventPlace.Status.BOOKED
    )
    EventPlace.objects.create(
        event=waiting, user=user, organisation=home, status=EventPlace.Status.WAITING
    )
    full_cancelled = _event(world, 2, capacity=0, cancelled_at=timezone.now())
    assert full_cancelled.pk
    _event(world, 3, place_name="")
    for n in range(4):
        NewsItem.objects.create(network=world["network"], title=f"{AWKWARD} news {n}", body="x")
    for n, kind in enumerate(["link", "document", "write_up", "link", "document", "link"]):
        Resource.objects.create(
            network=world["network"],
            kind=kind,
            title=f"{AWKWARD} resource {n}",
            url="https://example.org/",
            organisation=home if n % 2 else None,
        )
    home.name = "Bread & <Roses>"
    home.save()


def _old_lists(world, user) -> str:
    ids = {world["network"].pk}
    context = {
        "is_staff": False,
        "events": old_reads.mark_mine(user, old_reads.upcoming_events(ids, limit=5)),
        "news": [(item, day_words(item.published_at)) for item in learning.news(ids, limit=3)],
        "resources": learning.resources(ids, limit=5),
    }
    return engines["django"].from_string(REFERENCE_LISTS).render(context)


def _lists_of(page: str) -> str:
    start = page.index('<section aria-labelledby="events-title">')
    end = page.rindex("</section>") + len("</section>\n")
    return page[start:end]


@pytest.mark.parametrize("filled", [True, False])
def test_the_homes_lists_are_written_as_the_old_loops_wrote_them(world, login, filled):
    if filled:
        _fill(world)
    user = world["coach"]
    page = login(world["coach"]).get(reverse("network:home")).content.decode()
    new = _lists_of(page)
    assert new == _old_lists(world, user)
    if filled:
        assert "You have a place" in new and "You are on the waiting list" in new
        assert "Cancelled" in new and "Online" in new and "Full: waiting list open" in new
        assert ", from Bread &amp; &lt;Roses&gt;" in new and "(a document)" in new


# network/assessing/queue.html's lists as they were before they were written in Python.
REFERENCE_QUEUE = """{% load home_words %}<ul class="link-list">
  {% for p in waiting %}
  <li><a href="{% url 'network:assess_portfolio' p.pk %}">{{ p.organisation.name }}</a> <span class="tag tag--blue">{{ p.get_status_display }}</span> <span class="hint">sent {{ p.submitted_at|day }}{% if p.assessor %}, with {{ p.assessor.get_full_name|default:p.assessor.username }}{% endif %}</span></li>
  {% endfor %}
</ul>
<ul class="link-list">
  {% for p in others %}
  <li><a href="{% url 'network:assess_portfolio' p.pk %}">{{ p.organisation.name }}</a> <span class="tag tag--grey">{% if p.status == 'decided' %}{{ p.get_outcome_display }}{% if p.level %}: {{ p.level.name }}{% endif %}{% else %}{{ p.get_status_display }}{% endif %}</span>{% if p.decided_at %} <span class="hint">decided {{ p.decided_at|day }}</span>{% endif %}</li>
  {% endfor %}
</ul>
"""  # noqa: E501

NEW_QUEUE = """{% load network_pages %}<ul class="link-list">
  {{ waiting|assessing_waiting }}
</ul>
<ul class="link-list">
  {{ others|assessing_others }}
</ul>
"""


Status, Outcome = Portfolio.Status, Portfolio.Outcome


def _portfolios(world) -> None:
    network, rubric = world["network"], ensure_default_rubric(network=world["network"])
    level = rubric.levels.order_by("order", "pk").first()
    level.name = "Good & <steady>"
    level.save()
    named = world["assessor"]
    named.first_name, named.last_name = "Ann & <Bo>", ""
    named.save()
    now = timezone.now()
    for n, (status, assessor, outcome, with_level, decided) in enumerate(
        [
            (Status.SUBMITTED, None, "", False, None),
            (Status.IN_REVIEW, named, "", False, None),
            (Status.IN_REVIEW, world["network_lead"], "", False, None),
            (Status.MORE_ASKED, named, "", False, None),
            (Status.DECIDED, named, Outcome.choices[0][0], True, now - timedelta(days=400)),
            (Status.DECIDED, named, Outcome.choices[-1][0], False, now - timedelta(days=3)),
            (Status.DRAFT, None, "", False, None),
        ]
    ):
        home = organisation(area_obj=world["area"])
        home.name = f"{AWKWARD} {n}"
        home.save()
        Portfolio.objects.create(
            organisation=home,
            network=network,
            rubric=rubric,
            status=status,
            submitted_at=now - timedelta(days=n * 40),
            assessor=assessor,
            outcome=outcome,
            level=level if with_level else None,
            decided_at=decided,
        )


def test_the_assessing_queue_is_written_as_the_old_loops_wrote_it(world):
    _portfolios(world)
    old_waiting, old_others = _old_queue(world["assessor"])
    waiting, others = accreditation.queue(world["assessor"])
    assert len(waiting) == 3 and len(others) == 3
    engine = engines["django"]
    old = engine.from_string(REFERENCE_QUEUE).render({"waiting": old_waiting, "others": old_others})
    new = engine.from_string(NEW_QUEUE).render({"waiting": waiting, "others": others})
    assert new == old
    assert "Ann &amp; &lt;Bo&gt;" in new and ": Good &amp; &lt;steady&gt;" in new


def _old_queue(user) -> tuple[list, list]:
    """The queue as `accreditation.queue` read it before: instances, every relation joined."""
    mine = Portfolio.objects.select_related(
        "organisation", "network", "rubric", "level", "decided_by", "assessor"
    ).filter(network_id__in=policy.network_ids_where(user, Role.ASSESSOR))
    waiting = list(
        mine.filter(status__in=accreditation.WITH_ASSESSOR).order_by("submitted_at", "pk")
    )
    others = list(
        mine.filter(status__in=(Portfolio.Status.MORE_ASKED, Portfolio.Status.DECIDED)).order_by(
            "-decided_at", "-submitted_at", "-pk"
        )
    )
    return waiting, others


def test_the_queue_page_is_the_same_for_an_assessor(world, login):
    _portfolios(world)
    page = login(world["assessor"]).get(reverse("network:assessing")).content.decode()
    assert "Ann &amp; &lt;Bo&gt;" in page and "Handed back or decided" in page

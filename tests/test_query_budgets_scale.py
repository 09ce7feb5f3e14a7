"""Every key page (bench/pages.py) runs the same number of queries at two sizes of the demo:
3 people per coach with a few conversations each, then 30 per coach with four times as many,
more check-ins and more contributions. A page whose count grows has a query per row (N+1).

tests/test_query_budgets.py fixes budgets for a few pages; this checks that none of the pages
`make bench` measures grows with the data, whatever its budget. The sizes are small so the
test stays fast; bench.seed_large builds both, as it builds the 10,000-person bench.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import User
from alongside.coaching.models import Conversation, Person
from alongside.demo.seed import seed_demo
from bench import seed_large
from bench.pages import PAGES, placeholders

pytestmark = pytest.mark.django_db

COACHES = 4
SMALL = seed_large.Sizes(
    people=3 * COACHES, coaches=COACHES, conversations=3, check_ins=2, contributions=10
)
BIG = seed_large.Sizes(
    people=30 * COACHES, coaches=COACHES, conversations=12, check_ins=6, contributions=120
)


def _query_counts(login) -> dict[str, int]:
    """Each page's queries: one warm request, then the fewer of two (the idle sign-out
    touches the session once a minute)."""
    values = placeholders()
    clients = {}
    counts = {}
    for page in PAGES:
        if page.user not in clients:
            clients[page.user] = login(User.objects.get(username=page.user)) if page.user else None
        client = clients[page.user]
        if client is None:
            from django.test import Client

            client = clients[page.user] = Client()
        path = page.path.format(**values)
        assert client.get(path).status_code == 200, path
        seen = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, path
            seen.append(len(captured))
        counts[page.key] = min(seen)
    return counts


def test_no_key_page_runs_more_queries_with_more_data(login):
    seed_demo(people=1, seed=1)
    seed_large.grow(SMALL, log=lambda _: None)
    priya_people = Person.objects.filter(relationships__coach__username="priya").count()
    few = _query_counts(login)

    seed_large.grow(BIG, log=lambda _: None)
    assert Person.objects.filter(relationships__coach__username="priya").count() >= 8 * priya_people
    sam = Person.objects.get(user__username="sam")
    assert Conversation.objects.filter(person=sam).count() >= BIG.conversations
    many = _query_counts(login)

    grew = {key: (few[key], many[key]) for key in few if few[key] != many[key]}
    assert not grew, f"queries (small, big) differ: {grew}"

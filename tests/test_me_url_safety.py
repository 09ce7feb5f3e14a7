"""Alex, signed in, tries every person-space URL with Sam's ids: never Sam's data."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from alongside.coaching.models import (
    Barrier,
    CircleMember,
    Conversation,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    GoalStep,
    Payment,
    SpendRequest,
)

from .factories import text_of

pytestmark = pytest.mark.django_db

SECRET = "Zebra-secret-words"


def _patterns(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern) and namespace in ("me", "coaching"):
            route = prefix + str(entry.pattern)
            if namespace == "me" or "<int:person_id>" in route:
                yield namespace, route


def _sams_ids(sam):
    goal = Goal.objects.create(person=sam, words=SECRET)
    spend = SpendRequest.objects.create(person=sam, what_for=SECRET, amount_pence=100)
    conversation = Conversation.objects.create(
        person=sam, relationship=sam.relationships.first(), notes=SECRET
    )
    return {
        "person_id": sam.pk,
        "goal_id": goal.pk,
        "step_id": GoalStep.objects.create(goal=goal, words=SECRET).pk,
        "spend_id": spend.pk,
        "payment_id": Payment.objects.create(spend_request=spend, amount_pence=100).pk,
        "conversation_id": conversation.pk,
        "member_id": CircleMember.objects.create(person=sam, name=SECRET, kind="family").pk,
        "barrier_id": Barrier.objects.create(person=sam, service=SECRET, what_happened=SECRET).pk,
        "relationship_id": sam.relationships.first().pk,
        "correction_id": CorrectionRequest.objects.create(
            person=sam,
            about_type="goal",
            about_id=goal.pk,
            field_name="words",
            as_written=SECRET,
            asked_for=SECRET,
        ).pk,
        "request_id": ErasureRequest.objects.create(person=sam, organisation=sam.organisation).pk,
        "about_type": "goal",
        "about_id": goal.pk,
        "field_name": "words",
    }


def _fill(route, ids):
    def value(match):
        name = match.group(1)
        assert name in ids, f"no id of Sam's for <{name}> in {route}: add one to the test"
        return str(ids[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route).lstrip("^").replace("\\Z", "")


def test_alex_never_reaches_sams_record(world, login):
    sam = world["sam"]
    ids = _sams_ids(sam)
    routes = list(_patterns(get_resolver().url_patterns))
    assert any(ns == "me" for ns, _ in routes) and any(ns == "coaching" for ns, _ in routes)
    alex = login(world["alex"].user)
    checked = 0
    for _namespace, route in routes:
        url = _fill(route, ids)
        for method in ("get", "post"):
            if method == "post" and "sign-out-everywhere" in route:
                continue  # it would sign Alex out; tested in test_sign_out_everywhere.py
            response = getattr(alex, method)(url)
            body = text_of(response) if not getattr(response, "streaming", False) else ""
            assert SECRET not in body, f"{method} {url} showed Sam's words"
            assert "Sam" not in body or response.status_code >= 400, f"{method} {url}"
            if "<" in route:
                assert response.status_code in (403, 404, 405), f"{method} {url}"
            checked += 1
    assert checked > 20

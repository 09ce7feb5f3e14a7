"""A commissioner sees only aggregates (issue 14, item 8): walk every route of the site as a
commissioner, each path parameter filled with the ids of real objects, and prove that no page
carries a person's name, a pseudonymous id from the area's data, or the words of a note, and
that every page of a person's record is refused."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from alongside.coaching.models import (
    Barrier,
    CircleMember,
    Conversation,
    Goal,
    GoalStep,
    Person,
    SpendRequest,
)
from alongside.demo.insight import seed_insight
from alongside.insight import synthetic
from alongside.listening.models import Contribution, Exercise

pytestmark = pytest.mark.django_db

SECRET = "Zebra-lantern-secret"
NAMES = {"sam": "Quillonette", "alex": "Marisolda", "jo": "Jovankette"}
PSEUDONYMOUS_ID = re.compile(r"\bP\d{7}\b")
ROWS = 400
# Per route, at most this many sets of ids (the first from real objects, the rest mixed;
# tried only when the first answered).
COMBINATIONS = 2
# Paths a GET would change the session of (signing out), or that stream large files.
SKIPPED = ("accounts/sign-out/", "me/sign-out-everywhere/")
# Which app's models an URL namespace's ids name.
NAMESPACE_APPS = {
    "coaching": "coaching",
    "me": "coaching",
    "listening": "listening",
    "convening": "convening",
    "insight": "insight",
    "pulse": "insight",
    "accounts": "accounts",
    "audit": "core",
    "home": "accounts",
    "network": "network",
    "directory": "network",
    "openreferral": "network",
}
# "<pk>" names the thing the path names before it; where its words are not the model's.
PK_SEGMENTS = {"good": "statement"}
# Parameters whose model the name alone does not give.
BY_NAME = {
    "organisation_id": ("accounts", "Organisation"),
    "job_id": ("core", "Job"),
    "person_id": ("coaching", "Person"),
    "relationship_id": ("coaching", "Relationship"),
}


def _routes(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[tuple]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern)


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _model_ids(app_label: str, stem: str) -> list[int]:
    """The ids of the models of an app whose name is, starts or ends with `stem`
    ("dataset" → DataSet, "round" → PulseRound, "spend" → SpendRequest)."""
    stem = stem.replace("_", "").lower()
    ids: list[int] = []
    for model in apps.get_app_config(app_label).get_models():
        name = model.__name__.lower()
        if stem and (name == stem or name.startswith(stem) or name.endswith(stem)):
            ids += list(model.objects.order_by("pk").values_list("pk", flat=True)[:3])
    return ids


def _singular(segment: str) -> str:
    if segment.endswith("ies"):
        return segment[:-3] + "y"
    return segment[:-1] if segment.endswith("s") else segment


def _values(namespace: str | None, route: str, converter: str | None, name: str) -> list[str]:
    """Real values for one path parameter, guessed from its name, then a few small ints."""
    if converter in ("str", "slug") and not name.endswith("_id"):
        known = {
            "about_type": ["goal"],
            "field_name": ["words"],
        }
        return known.get(name, ["not-a-real-token"])
    app_label = NAMESPACE_APPS.get(namespace or "", "accounts")
    if name in BY_NAME:
        ids = list(apps.get_model(*BY_NAME[name]).objects.values_list("pk", flat=True)[:3])
    elif name == "pk":
        # The thing the path names just before it: ".../recommendations/<pk>/".
        before = route.split("<", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        ids = _model_ids(app_label, PK_SEGMENTS.get(before, _singular(before)))
    elif name == "number":
        ids = [1]
    else:
        stem = name.removesuffix("_id")
        ids = _model_ids(app_label, stem) or _model_ids("coaching", stem)
    return [str(i) for i in (ids or [1, 2])]


def _paths(namespace: str | None, route: str) -> list[str]:
    found = PARAMETER.findall(route)
    if not found:
        return ["/" + route]
    choices = [_values(namespace, route, converter, name) for converter, name in found]
    paths = []
    for i in range(COMBINATIONS):
        pieces = PARAMETER.split(route)[::3]  # the words between the parameters
        values = [options[i % len(options)] for options in choices]
        paths.append("/" + "".join(p + v for p, v in zip(pieces, [*values, ""], strict=True)))
    return list(dict.fromkeys(paths))


def _person_level_world(world, tmp_path: Path) -> set[str]:
    """People with names and notes nobody outside their coaching team may see, and an area
    data set of pseudonymous rows. Returns the pseudonymous ids."""
    for key, name in NAMES.items():
        Person.objects.filter(pk=world[key].pk).update(chosen_name=name)
    for key in NAMES:
        person = world[key]
        relationship = person.relationships.first()
        goal = Goal.objects.create(person=person, words=f"{SECRET} goal")
        GoalStep.objects.create(goal=goal, words=f"{SECRET} step")
        Conversation.objects.create(
            person=person, relationship=relationship, notes=f"{SECRET} notes"
        )
        CircleMember.objects.create(person=person, name=f"{SECRET} aunt", kind="family")
        SpendRequest.objects.create(person=person, what_for=f"{SECRET} boots", amount_pence=900)
        Barrier.objects.create(
            person=person,
            service="Housing Options",
            what_happened=f"{SECRET} barrier",
            share_with_convening=False,
        )
    exercise = Exercise.objects.create(
        organisation=world["home"],
        area=world["area"],
        title="What helps",
        question="What helps?",
        created_by=world["listener"],
    )
    exercise.team.add(world["listener"])
    Contribution.objects.create(
        exercise=exercise,
        channel="conversation",
        text=f"{SECRET} said by {NAMES['sam']}",
        redacted_text=f"{SECRET} said",
    )
    seed_insight(
        area=world["area"],
        council=world["council"],
        analyst=world["analyst"],
        providers=[world["home"], world["other"]],
        exercise=exercise,
        rng=random.Random(1),
        rows=ROWS,
    )
    records = synthetic.write_records(tmp_path / "records.csv", rows=ROWS)
    return set(PSEUDONYMOUS_ID.findall(records.read_text()))


def test_no_route_shows_a_commissioner_a_person_level_row(world, login, tmp_path):
    pseudonymous_ids = _person_level_world(world, tmp_path)
    assert len(pseudonymous_ids) > 100
    client = login(world["commissioner"])
    client.raise_request_exception = False

    started = time.monotonic()
    seen: dict[str, int] = {}
    broken, leaks, record_pages_answered = [], [], []
    for namespace, route in _routes(get_resolver().url_patterns):
        if route.startswith(SKIPPED):
            continue
        paths = _paths(namespace, route)
        for path in paths:
            if path != paths[0] and seen[paths[0]] != 200:
                break  # refused with the first ids: the others would be refused too
            response = client.get(path)
            seen[path] = response.status_code
            if response.status_code >= 500:
                broken.append(path)
                continue
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            found = [name for name in NAMES.values() if name in text]
            if SECRET in text:
                found.append("a note's words")
            found += sorted(set(PSEUDONYMOUS_ID.findall(text)) & pseudonymous_ids)[:3]
            if found:
                leaks.append((path, response.status_code, found))
            # Every page of a person's record refuses a commissioner (or, for a form's
            # POST-only address, answers a GET with nothing at all).
            if namespace == "coaching" and "<int:person_id>" in route:
                if response.status_code not in (403, 404, 405):
                    record_pages_answered.append((path, response.status_code))

    assert not leaks, leaks
    assert not record_pages_answered, record_pages_answered
    assert not broken, broken
    # The walk reached the pages that matter: the area's insight answered the commissioner.
    answered = {path for path, status in seen.items() if status == 200}
    for must in ("/insight/", "/insight/data/", "/insight/analyses/", "/area/"):
        assert must in answered, (must, seen.get(must))
    assert any(re.fullmatch(r"/insight/analyses/\d+/", p) for p in answered)
    assert any(re.fullmatch(r"/insight/findings/\d+/", p) for p in answered)
    # ...and still signed in at the end (no page signed the commissioner out).
    assert client.get("/").status_code == 200
    assert time.monotonic() - started < 60


def test_a_commissioner_of_another_area_reaches_none_of_this_areas_insight(world, login):
    from alongside.accounts.models import Organisation, Role
    from alongside.insight.models import Finding

    from .factories import area, organisation, staff

    seed_insight(
        area=world["area"],
        council=world["council"],
        analyst=world["analyst"],
        providers=[world["home"], world["other"]],
        exercise=None,
        rng=random.Random(1),
        rows=ROWS,
    )
    elsewhere = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=area("Elsewhere"))
    client = login(staff(Role.COMMISSIONER, elsewhere))
    client.raise_request_exception = False
    sentences = list(Finding.objects.values_list("sentence", flat=True))
    assert sentences
    answered = []
    for namespace, route in _routes(get_resolver().url_patterns):
        if namespace != "insight" or "<" not in route:
            continue
        for path in _paths(namespace, route)[:1]:
            response = client.get(path)
            if response.status_code not in (403, 404, 405):
                answered.append((path, response.status_code))
    assert not answered, answered
    # Their own insight pages say nothing of this area's findings.
    for path in ("/insight/", "/insight/analyses/", "/insight/data/", "/insight/briefing/"):
        text = client.get(path).content.decode()
        assert not any(sentence in text for sentence in sentences), path

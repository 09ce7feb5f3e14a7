"""DESIGN.md principle 2: no referral, eligibility, needs or risk field anywhere in the data.

Walks every model of every Alongside app (not Django's own) and fails on a field whose
name or label speaks of a person as a problem to be assessed."""

from __future__ import annotations

import re

from django.apps import apps

FORBIDDEN = re.compile(
    r"referr|eligib|needs?_?(assess|level|score)?$|^needs|risk|deficit|compliance|"
    r"non_?compliant|service_?user|client|case_?(id|number|file)?$|chaotic|vulnerab",
    re.IGNORECASE,
)


def alongside_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("alongside."):
            continue
        for field in model._meta.get_fields():
            label = str(getattr(field, "verbose_name", "") or "")
            yield model, field.name, label


def test_the_walk_finds_the_coaching_record():
    names = {(model.__name__, name) for model, name, _ in alongside_fields()}
    assert ("Person", "chosen_name") in names
    assert ("Goal", "words") in names


def test_no_model_has_a_deficit_field():
    offenders = [
        f"{model.__name__}.{name} ({label})"
        for model, name, label in alongside_fields()
        if FORBIDDEN.search(name) or FORBIDDEN.search(label.replace(" ", "_"))
    ]
    assert offenders == []


def test_the_pattern_would_catch_the_usual_suspects():
    for name in ["referral_source", "eligibility", "risk_score", "needs_assessment", "client_id"]:
        assert FORBIDDEN.search(name), name

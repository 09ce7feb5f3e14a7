"""One registry of the parts of a person's record (coaching.parts), and proof that the export
and erasure cover every model that holds personal data."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from alongside.coaching.models import (
    ConsentEvent,
    CorrectionRequest,
    ErasureRequest,
    Payment,
    Person,
)
from alongside.coaching.parts import PARTS, all_holds, person_partials
from alongside.coaching.services.erasure import erasure_approve

from .test_coaching_export import one_of_everything

pytestmark = pytest.mark.django_db

# Models that point at a person but hold none of their words, with the reason.
NOT_A_PART = {
    # The code's hash, who issued it and when: nothing the person said or chose.
    "accounts.invitecode": "holds a hash of a sign-in code, no personal words",
    # Which system theme a shared barrier sits in: no words (they are read live, redacted,
    # while consent holds) and gone with the barrier.
    "convening.barrierplacement": "places a shared barrier in a system theme, no words",
}


def _points_at(model: type[models.Model], target: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField)
        and f.related_model is target
        and f.concrete
    ]


def _models_holding_personal_data() -> set[type[models.Model]]:
    """Every model with a foreign key to Person, or to a model that has one."""
    direct = {
        model for model in apps.get_models() if model is not Person and _points_at(model, Person)
    }
    second = {
        model
        for model in apps.get_models()
        if model not in direct and model is not Person and any(_points_at(model, d) for d in direct)
    }
    return direct | second


def test_every_model_holding_personal_data_is_in_a_part():
    registered = {holds.model for holds in all_holds()}
    missing = {
        model._meta.label_lower
        for model in _models_holding_personal_data()
        if model not in registered and model._meta.label_lower not in NOT_A_PART
    }
    assert not missing, f"add these to coaching.parts: {sorted(missing)}"


def test_each_part_reaches_the_person_and_blanks_only_real_fields(world):
    sam = world["sam"]
    for holds in all_holds():
        # The lookup works (a typo would raise FieldError here).
        holds.model._default_manager.filter(**{holds.to_person: sam}).exists()
        names = {f.name for f in holds.model._meta.get_fields()}
        assert set(holds.blank) <= names, holds.model
        assert set(holds.files) <= names, holds.model


def _one_of_everything_else(world):
    sam = world["sam"]
    CorrectionRequest.objects.create(
        person=sam,
        about_type="goal",
        about_id=1,
        field_name="words",
        as_written="as written",
        asked_for="what I asked for",
        asked_by=sam.user,
    )
    ConsentEvent.objects.create(person=sam, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True)


def test_the_export_has_a_section_for_every_part(world, login):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    _one_of_everything_else(world)
    data = json.loads(login(coach).get(f"/people/{sam.pk}/record.json").content)
    for part in PARTS:
        for key in part.export_keys:
            assert data[key], f"{part.name}: the export's {key!r} is empty"


def test_erasure_blanks_every_part_and_deletes_receipt_files(world):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    _one_of_everything_else(world)
    payment = Payment.objects.get(spend_request__person=sam)
    payment.receipt.save("receipt.png", ContentFile(b"\x89PNG fake"), save=True)
    stored = payment.receipt.name
    storage = payment.receipt.storage
    assert storage.exists(stored)

    request = ErasureRequest.objects.create(person=sam, organisation=sam.organisation)
    erasure_approve(actor=world["lead"], request=request)

    assert not storage.exists(stored)
    for holds in all_holds():
        rows = holds.model._default_manager.filter(**{holds.to_person: sam})
        for field_name, empty in holds.blank.items():
            left = rows.exclude(**{field_name: empty})
            assert not left.exists(), f"{holds.model.__name__}.{field_name} kept words"
        for field_name in holds.files:
            assert not rows.exclude(**{field_name: ""}).exists()
    sam.refresh_from_db()
    assert sam.chosen_name == "Erased record"


def test_the_person_page_shows_each_parts_sections(world, login):
    sam = world["sam"]
    page = login(world["coach"]).get(f"/people/{sam.pk}/")
    used = {t.name for t in page.templates}
    for section in person_partials():
        assert section in used

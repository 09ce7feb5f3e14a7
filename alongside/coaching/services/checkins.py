"""Writes for check-ins: recording a person's answers, and an organisation loading an
instrument definition of its own."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from .. import instruments
from ..models import CheckIn, Instrument, Person

EVERY_QUESTION_SKIPPED = (
    "Every question was skipped, so there is nothing to save yet. Choose a number for at "
    "least one question; you can still skip the others."
)


def _clean_answers(definition: instruments.Definition, answers: dict[str, Any]) -> dict[str, int]:
    """Answers checked against the definition. A skipped item is simply left out; any
    answer that is not a whole number on the item's scale is refused."""
    cleaned: dict[str, int] = {}
    problems: list[str] = []
    for key, value in answers.items():
        item = definition.item(key)
        if item is None:
            problems.append(f'"{key}" is not a question in {definition.name}')
            continue
        if value is None or value == "":
            continue  # skipped
        if isinstance(value, bool) or not isinstance(value, int | str):
            problems.append(f"{item.label}: choose a number from {item.min} to {item.max}")
            continue
        try:
            number = int(value)
        except ValueError:
            problems.append(f"{item.label}: choose a number from {item.min} to {item.max}")
            continue
        if not item.min <= number <= item.max:
            problems.append(f"{item.label}: choose a number from {item.min} to {item.max}")
            continue
        cleaned[key] = number
    if problems:
        raise ValidationError(problems)
    return cleaned


def checkin_record(
    *,
    actor: User,
    person: Person,
    instrument: instruments.Definition,
    answers: dict[str, Any],
    taken_on: date,
) -> CheckIn:
    """Record a check-in, by the person themselves or a coach working alongside them. Any
    question may be skipped, but not every one: a check-in with no answer at all is not a
    check-in, so it is refused (ValidationError) and nothing is kept."""
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="check-in") as write:
        cleaned = _clean_answers(instrument, answers)
        if not cleaned:
            raise ValidationError(EVERY_QUESTION_SKIPPED)
        if taken_on > timezone.localdate():
            raise ValidationError("The date can't be in the future.")
        check_in = CheckIn.objects.create(
            person=person,
            instrument=instrument.key,
            instrument_version=instrument.version,
            taken_on=taken_on,
            answers=cleaned,
        )
        write.audit(
            AuditAction.CREATE,
            check_in,
            detail="check-in recorded",
            organisation_id=person.organisation_id,
        )
    return check_in


def instrument_load(*, actor: User, organisation: Organisation, raw: bytes) -> Instrument:
    """Load an instrument definition file for an organisation. The file is size-limited,
    must parse as JSON and validate; a version, once loaded, is never replaced.
    Raises ValidationError listing every problem, and keeps nothing."""
    with policy.writing(
        actor, Action.ORGANISATION_MANAGE, organisation, detail="instrument"
    ) as write:
        data, problems = instruments.parse(raw)
        if problems or data is None:
            raise ValidationError(problems)
        key, version = data["key"], data["version"]
        if key in instruments.shipped_keys():
            raise ValidationError(
                f'"{key}" is an instrument that comes with Alongside: give yours a different key'
            )
        if Instrument.objects.filter(organisation=organisation, key=key, version=version).exists():
            raise ValidationError(
                f'Version "{version}" of "{key}" is already loaded and can\'t be replaced: '
                "give the file a new version and load that instead"
            )
        loaded = Instrument.objects.create(
            organisation=organisation,
            key=key,
            version=version,
            name=data["name"],
            definition=data,
            loaded_by=actor,
        )
        write.audit(
            AuditAction.CREATE,
            loaded,
            detail=f"instrument loaded {loaded.pk}",
            organisation_id=organisation.pk,
        )
    return loaded

"""One way to write: every public function of the listening services, and of the accounts
services, is a write made through `policy.writing` (or `writing_without_check`), called with
keyword arguments only, every one typed. Helpers are private or live outside `services`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from django.core.exceptions import PermissionDenied

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry, Job
from alongside.listening import services as listening_services
from alongside.listening.building import build
from alongside.listening.models import Channel, Contribution, Theme
from alongside.listening.services import contributions, exercises, imports, reports, themes
from alongside.listening.services.contributions import ContributionFields

from .factories import staff

WRITERS = ("policy.writing(", "policy.writing_without_check(")
# The skeleton every write used to repeat by hand, now written once in policy.writing.
BY_HAND = ("transaction.atomic", "@transaction", "audit.record(", "record(actor")


def _modules() -> list[ModuleType]:
    found = [
        importlib.import_module(f"{listening_services.__name__}.{info.name}")
        for info in pkgutil.iter_modules(listening_services.__path__)
    ]
    return [*found, importlib.import_module("alongside.accounts.services")]


def _services() -> list[tuple[str, object]]:
    return [
        (f"{module.__name__}.{name}", function)
        for module in _modules()
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


SERVICES = _services()


def test_the_services_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in SERVICES}
    assert {"contribution_create", "theme_merge", "contributions_save", "invite_redeem"} <= names
    assert {"two_factor_device_create", "export_record"} <= names
    assert "requires_two_factor" not in names, "a read: it lives in accounts.selectors"


@pytest.mark.parametrize(("name", "function"), SERVICES, ids=[n for n, _ in SERVICES])
def test_every_service_takes_typed_keyword_arguments(name, function):
    signature = inspect.signature(function)
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: return type"
    for parameter in signature.parameters.values():
        assert parameter.kind in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD), (
            f"{name}({parameter.name}): keyword-only, so no call can swap two arguments"
        )
        if parameter.kind is parameter.KEYWORD_ONLY:
            assert parameter.annotation is not inspect.Parameter.empty, (
                f"{name}({parameter.name}): typed"
            )


@pytest.mark.parametrize(("name", "function"), SERVICES, ids=[n for n, _ in SERVICES])
def test_every_service_writes_through_policy_writing(name, function):
    source = inspect.getsource(function)
    assert any(writer in source for writer in WRITERS), f"{name}: write with policy.writing"
    assert "write.audit(" in source, f"{name}: says what it changed"


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m.__name__)
def test_no_service_module_writes_by_hand(module):
    source = inspect.getsource(module)
    for skeleton in BY_HAND:
        assert skeleton not in source, f"{module.__name__}: {skeleton} (use policy.writing)"


# --- what that means for a refusal ---------------------------------------------------------


@pytest.fixture
def setting(world):
    exercise = exercises.exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )
    contribution = contributions.contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text="Housing never rang back."),
    )
    first = Theme.objects.create(exercise=exercise, title="Housing")
    second = Theme.objects.create(exercise=exercise, title="Waiting")
    Contribution.objects.filter(pk=contribution.pk).update(theme=first)
    return {
        "exercise": exercise,
        "contribution": contribution,
        "first": first,
        "second": second,
        "outsider": staff(Role.LISTENER, world["home"]),
    }


CALLS = {
    "exercise_update": lambda s, u: exercises.exercise_update(
        actor=u, exercise=s["exercise"], team=[u]
    ),
    "contribution_create": lambda s, u: contributions.contribution_create(
        actor=u, exercise=s["exercise"], fields=ContributionFields(channel="phone", text="Hi.")
    ),
    "contribution_review": lambda s, u: contributions.contribution_review(
        actor=u, contribution=s["contribution"], decisions={}
    ),
    "contributions_import_start": lambda s, u: imports.contributions_import_start(
        actor=u,
        exercise=s["exercise"],
        rows=[ContributionFields(channel="phone", text="Hi.")],
        source="CSV",
    ),
    "contributions_save": lambda s, u: imports.contributions_save(
        actor=u,
        exercise=s["exercise"],
        built=[build(s["exercise"], u, ContributionFields(channel="phone", text="Hi."))],
        source="CSV",
    ),
    "theme_merge": lambda s, u: themes.theme_merge(actor=u, theme=s["first"], into=s["second"]),
    "theme_split": lambda s, u: themes.theme_split(
        actor=u, theme=s["first"], contributions=[s["contribution"]], title="New"
    ),
    "contribution_move": lambda s, u: themes.contribution_move(
        actor=u, contribution=s["contribution"], to=s["second"]
    ),
    "report_publish": lambda s, u: reports.report_publish(actor=u, exercise=s["exercise"]),
    "export_record": lambda s, u: reports.export_record(
        actor=u, exercise=s["exercise"], what="report docx"
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("call", list(CALLS))
def test_a_refusal_is_audited_and_changes_nothing(setting, call):
    outsider = setting["outsider"]
    before = AuditEntry.objects.exclude(action=AuditAction.DENIED).count()
    with pytest.raises(PermissionDenied):
        CALLS[call](setting, outsider)
    assert AuditEntry.objects.filter(actor=outsider, action=AuditAction.DENIED).count() == 1
    assert AuditEntry.objects.exclude(action=AuditAction.DENIED).count() == before
    assert Theme.objects.filter(pk=setting["first"].pk).exists()
    assert Contribution.objects.count() == 1
    assert not Job.objects.filter(kind="listening.import").exists()


@pytest.mark.django_db
def test_merging_themes_is_audited_like_splitting(world, login, setting):
    """The merge page was the one theme page whose opening went unaudited."""
    client = login(world["listener"])
    exercise, first, second = setting["exercise"], setting["first"], setting["second"]
    merge = f"/listening/{exercise.pk}/themes/{first.pk}/merge/"
    split = f"/listening/{exercise.pk}/themes/{second.pk}/split/"
    assert client.get(merge).status_code == 200
    assert client.get(split).status_code == 200
    assert client.post(merge, {"into": second.pk}).status_code == 302
    details = list(
        AuditEntry.objects.filter(actor=world["listener"], object_id=str(exercise.pk))
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert (AuditAction.VIEW, f"theme {first.pk} merge") in details
    assert (AuditAction.VIEW, f"theme {second.pk} split") in details
    assert (AuditAction.CHANGE, f"theme {first.pk} merged into {second.pk}") in details


@pytest.mark.django_db
def test_a_write_that_says_nothing_is_undone(setting):
    """What `policy.writing` promises the services: no audit entry, no change."""
    exercise = setting["exercise"]
    listener = exercise.created_by
    with pytest.raises(policy.UnauditedWriteError):
        with policy.writing(listener, policy.Action.EXERCISE_WORK, exercise, detail="x"):
            Theme.objects.filter(pk=setting["first"].pk).update(title="Changed quietly")
    assert Theme.objects.get(pk=setting["first"].pk).title == "Housing"

"""Writes for experiments: the hypothesis and what we'll watch, its plan → try → reflect →
adapt cycles, and the stories told about it (redacted before they are saved).

Every write asks the policy (CONVENING_WORK for a new experiment in an organisation,
CONVENING_ITEM for one of it) and is audited. An edit made from an older page is refused,
never overwrites: the experiment and each cycle carry a version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError
from django.db.models import F, Max
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from ..models import ConveningGroup, Cycle, Experiment, GroupMember, Measure, Story, SystemTheme
from ..selectors.evidence import redacted
from .groups import StaleEditError

Action = policy.Action

# A measure that needs no theme; THEME_BARRIERS comes with one per theme watched.
PLAIN_KINDS = (
    Measure.Kind.CHECK_IN_CHANGE,
    Measure.Kind.RELATIONSHIPS_RESTARTED,
    Measure.Kind.STORIES,
)

__all__ = [
    "StaleEditError",
    "cycle_start",
    "cycle_update",
    "experiment_create",
    "experiment_update",
    "story_add",
]


def _check(
    organisation_id: int,
    group: ConveningGroup | None,
    starts_on: date,
    ends_on: date | None,
) -> None:
    if group is not None and group.organisation_id != organisation_id:
        raise ValueError("That group is another organisation's.")
    if ends_on is not None and ends_on < starts_on:
        raise ValueError("The end comes before the start.")


def _wanted(
    organisation_id: int, kinds: Iterable[str], watched_themes: Iterable[SystemTheme]
) -> set[tuple[str, int | None]]:
    wanted: set[tuple[str, int | None]] = {
        (Measure.Kind(kind).value, None) for kind in kinds if Measure.Kind(kind) in PLAIN_KINDS
    }
    wanted |= {
        (Measure.Kind.THEME_BARRIERS.value, theme.pk)
        for theme in watched_themes
        if theme.organisation_id == organisation_id
    }
    return wanted


def _set_measures(experiment: Experiment, wanted: set[tuple[str, int | None]]) -> tuple[int, int]:
    """Keep the measures still wanted, add new ones, take away the rest. (added, removed)"""
    have = {(m.kind, m.theme_id): m for m in experiment.measures.all()}
    gone = [m.pk for key, m in have.items() if key not in wanted]
    if gone:
        Measure.objects.filter(pk__in=gone).delete()
    new = [
        Measure(experiment=experiment, kind=kind, theme_id=theme_id)
        for kind, theme_id in sorted(wanted - set(have), key=lambda k: (k[0], k[1] or 0))
    ]
    Measure.objects.bulk_create(new)
    return len(new), len(gone)


def experiment_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    if_we: str,
    then: str,
    starts_on: date,
    ends_on: date | None = None,
    co_designed_with: str = "",
    group: ConveningGroup | None = None,
    themes: Iterable[SystemTheme] = (),
    measure_kinds: Iterable[str] = (),
    watched_themes: Iterable[SystemTheme] = (),
) -> Experiment:
    """If we …, then …: a new experiment with what it will watch."""
    _check(organisation.pk, group, starts_on, ends_on)
    themes = [t for t in themes if t.organisation_id == organisation.pk]
    with policy.writing(
        actor, Action.CONVENING_WORK, organisation, detail="experiment add"
    ) as write:
        experiment = Experiment.objects.create(
            organisation=organisation,
            title=title.strip(),
            if_we=if_we.strip(),
            then=then.strip(),
            co_designed_with=co_designed_with.strip(),
            group=group,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        experiment.themes.set(themes)
        added, _ = _set_measures(
            experiment, _wanted(organisation.pk, measure_kinds, watched_themes)
        )
        write.audit(AuditAction.CREATE, experiment, detail=f"experiment started, {added} measures")
    return experiment


def experiment_update(
    *,
    actor: User,
    experiment: Experiment,
    version: int,
    title: str,
    if_we: str,
    then: str,
    starts_on: date,
    ends_on: date | None = None,
    co_designed_with: str = "",
    group: ConveningGroup | None = None,
    themes: Iterable[SystemTheme] = (),
    measure_kinds: Iterable[str] = (),
    watched_themes: Iterable[SystemTheme] = (),
) -> Experiment:
    """Save an edit that started from `version`; StaleEditError if someone saved first."""
    org_id = experiment.organisation_id
    _check(org_id, group, starts_on, ends_on)
    with policy.writing(
        actor, Action.CONVENING_ITEM, experiment, detail="experiment edit"
    ) as write:
        changed = Experiment.objects.filter(pk=experiment.pk, version=version).update(
            title=title.strip(),
            if_we=if_we.strip(),
            then=then.strip(),
            co_designed_with=co_designed_with.strip(),
            group=group,
            starts_on=starts_on,
            ends_on=ends_on,
            version=F("version") + 1,
        )
        if not changed:
            raise StaleEditError(Experiment.objects.get(pk=experiment.pk))
        experiment.refresh_from_db()
        experiment.themes.set([t for t in themes if t.organisation_id == org_id])
        added, removed = _set_measures(experiment, _wanted(org_id, measure_kinds, watched_themes))
        write.audit(
            AuditAction.CHANGE,
            experiment,
            detail=f"experiment changed to version {experiment.version}, "
            f"{added} measures added, {removed} taken away",
        )
    return experiment


def cycle_start(
    *,
    actor: User,
    experiment: Experiment,
    plan: str,
    starts_on: date | None = None,
) -> Cycle:
    """The next turn of plan → try → reflect → adapt, numbered after the last. The last
    cycle, if still open, ends the day before this one starts."""
    starts_on = starts_on or timezone.localdate()
    with policy.writing(actor, Action.CONVENING_ITEM, experiment, detail="cycle add") as write:
        # One start at a time for this experiment, so two never take the same number.
        Experiment.objects.select_for_update().filter(pk=experiment.pk).first()
        top = experiment.cycles.aggregate(top=Max("number"))["top"] or 0
        if top:
            Cycle.objects.filter(experiment=experiment, number=top, ends_on__isnull=True).update(
                ends_on=max(starts_on - timedelta(days=1), _start_of(experiment, top)),
                version=F("version") + 1,
            )
        try:
            cycle = Cycle.objects.create(
                experiment=experiment, number=top + 1, plan=plan.strip(), starts_on=starts_on
            )
        except IntegrityError as clash:  # pragma: no cover - the lock above prevents it
            raise StaleEditError(experiment) from clash
        write.audit(AuditAction.CREATE, experiment, detail=f"cycle {cycle.number} started")
    return cycle


def _start_of(experiment: Experiment, number: int) -> date:
    return Cycle.objects.values_list("starts_on", flat=True).get(
        experiment=experiment, number=number
    )


def cycle_update(
    *,
    actor: User,
    cycle: Cycle,
    version: int,
    plan: str,
    tried: str = "",
    reflections: str = "",
    what_changed: str = "",
    starts_on: date,
    ends_on: date | None = None,
) -> Cycle:
    """What we tried, what we noticed, what we changed for next time. Saved from `version`;
    StaleEditError carries what someone else saved first."""
    if ends_on is not None and ends_on < starts_on:
        raise ValueError("The end comes before the start.")
    experiment = cycle.experiment
    with policy.writing(actor, Action.CONVENING_ITEM, experiment, detail="cycle edit") as write:
        changed = Cycle.objects.filter(pk=cycle.pk, version=version).update(
            plan=plan.strip(),
            tried=tried.strip(),
            reflections=reflections.strip(),
            what_changed=what_changed.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            version=F("version") + 1,
        )
        if not changed:
            raise StaleEditError(Cycle.objects.get(pk=cycle.pk))
        cycle.refresh_from_db()
        write.audit(
            AuditAction.CHANGE,
            experiment,
            detail=f"cycle {cycle.number} changed to version {cycle.version}",
        )
    return cycle


def _names_in(group: ConveningGroup | None) -> list[str]:
    """Names of the people with lived experience in the experiment's group, to take out of
    a story wherever they stand."""
    if group is None:
        return []
    names: list[str] = []
    for guest, chosen in GroupMember.objects.filter(
        group=group, kind=GroupMember.Kind.LIVED_EXPERIENCE
    ).values_list("guest_name", "user__person__chosen_name"):
        names += [n for n in (guest, chosen) if n]
    return names


def story_add(
    *, actor: User, experiment: Experiment, words: str, told_on: date | None = None
) -> Story:
    """What someone said happened. The words are redacted before they are saved: names,
    places, phone numbers and the like never reach the database."""
    cleaned = redacted(words.strip(), _names_in(experiment.group))
    if not cleaned.strip():
        raise ValueError("Write what was said.")
    with policy.writing(actor, Action.CONVENING_ITEM, experiment, detail="story add") as write:
        story = Story.objects.create(
            experiment=experiment, words=cleaned, told_on=told_on or timezone.localdate()
        )
        write.audit(AuditAction.CREATE, experiment, detail="story added")
    return story

"""Writes for who is let down most (issue 14 items 2 and 4): an analysis of a records data set by
one characteristic, kept with its protected figures and a Finding per flagged group; and from a
finding, one click to a draft listening exercise with that group as who we most want to hear
from."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from alongside.accounts import policy
from alongside.accounts.models import Role, User
from alongside.core.models import AuditAction
from alongside.listening.models import Exercise

from .. import equalities, fields, storage
from ..models import Analysis, DataSet, Finding
from ..selectors.areas import keeping_organisation

Action = policy.Action


class AnalysisRefusedError(ValueError):
    """What was asked cannot be analysed, in words for the page."""


def _outcome_key(outcome: str) -> str:
    return outcome.removeprefix(storage.OUTCOME_PREFIX)


def _check(records: DataSet, population: DataSet | None, by: str, outcome: str) -> dict[str, Any]:
    """The outcome's mapping (or {}), after checking what was asked fits the data sets."""
    if records.kind != DataSet.Kind.RECORDS:
        raise AnalysisRefusedError("Choose a data set of service records to analyse.")
    if records.status != DataSet.Status.READY:
        raise AnalysisRefusedError(
            f"{records.title} is not ready yet: it is still being brought in."
        )
    mapping = records.mapping or {}
    if by not in (mapping.get("characteristics") or {}):
        raise AnalysisRefusedError(
            f"{records.title} has no {fields.label(by).lower()} column to compare groups by."
        )
    if population is not None:
        if population.kind != DataSet.Kind.POPULATION:
            raise AnalysisRefusedError("Choose a population table to compare with.")
        if population.area_id != records.area_id:
            raise AnalysisRefusedError("The population table must be for the same area.")
        if population.status != DataSet.Status.READY:
            raise AnalysisRefusedError(f"{population.title} is not ready yet.")
        if by not in ((population.mapping or {}).get("characteristics") or {}):
            raise AnalysisRefusedError(
                f"{population.title} has no {fields.label(by).lower()} column, so the groups "
                "cannot be compared with the population. Choose another, or none."
            )
    if not outcome:
        return {}
    found = (mapping.get("outcomes") or {}).get(_outcome_key(outcome))
    if found is None:
        raise AnalysisRefusedError(f"{records.title} has no outcome called “{outcome}”.")
    return dict(found)


def analysis_create(
    *,
    actor: User,
    records: DataSet,
    population: DataSet | None,
    by: str,
    outcome: str,
) -> Analysis:
    """Work out who is let down most by `by` (a characteristic key of the records' mapping),
    with `outcome` (an outcome key, or "" for none), keep the protected figures, and a
    Finding for each flag."""
    policy.require(actor, Action.INSIGHT_ITEM, records, detail="analysis add")
    found = _check(records, population, by, outcome)
    column = storage.OUTCOME_PREFIX + _outcome_key(outcome) if outcome else ""
    # The figures are worked out before the database transaction opens: on a big file it takes
    # seconds, and it only reads the area's DuckDB file.
    with storage.reading(records.area_id) as connection:
        try:
            analysed = equalities.analyse(
                connection,
                records=records.table_name,
                population=population.table_name if population else None,
                by=by,
                outcome=column or None,
                outcome_phrase=str(found.get("phrase") or ""),
            )
        except equalities.AnalysisError as problem:
            raise AnalysisRefusedError(str(problem)) from problem
    organisation = keeping_organisation(actor, records.area)
    with policy.writing(actor, Action.INSIGHT_ITEM, records, detail="analysis add") as write:
        analysis = Analysis.objects.create(
            area_id=records.area_id,
            organisation=organisation,
            created_by=actor,
            records=records,
            population=population,
            by=by,
            outcome=column,
            figures=analysed.as_json(),
        )
        Finding.objects.bulk_create(
            Finding(
                area_id=records.area_id,
                organisation=organisation,
                created_by=actor,
                analysis=analysis,
                measure=finding.measure,
                group=finding.group,
                sentence=finding.sentence,
                ratio=finding.ratio,
                ratio_ci_low=finding.ratio_ci_low,
                ratio_ci_high=finding.ratio_ci_high,
            )
            for finding in analysed.findings
        )
        write.audit(
            AuditAction.CREATE,
            analysis,
            detail=f"analysis by {by}: {len(analysed.findings)} findings",
        )
    return analysis


def _people_words(finding: Finding) -> str:
    return fields.people(finding.analysis.by, finding.group)


# Words that start a group's name but are not names themselves ("Black residents" keeps its
# capital in a sentence; "People aged 18 to 24" does not).
_COMMON_FIRST_WORDS = {"people", "women", "men", "residents", "disabled"}


def in_a_sentence(people: str) -> str:
    first = people.split(" ", 1)[0]
    return people[0].lower() + people[1:] if first.lower() in _COMMON_FIRST_WORDS else people


def suggested_question(finding: Finding) -> str:
    area = finding.area.name if finding.area_id else "here"
    return (
        f"Thinking about the times you have looked for support in {area}, what helped, what "
        "got in the way, and what would make it work well for you?"
    )


def finding_start_listening(*, actor: User, finding: Finding) -> Exercise:
    """A draft listening exercise (no start date yet) in the finding's organisation, to hear
    from the group it flags; the same draft again if one was started already."""
    with policy.writing(actor, Action.INSIGHT_ITEM, finding, detail="finding listen") as write:
        # Two clicks at once must not make two drafts: the second waits here, then finds
        # the first one's exercise.
        locked = (
            Finding.objects.select_for_update()
            .select_related("analysis", "area", "organisation")
            .get(pk=finding.pk)
        )
        if locked.exercise_id is not None:
            existing = Exercise.objects.filter(pk=locked.exercise_id).first()
            if existing is not None:
                write.audit(AuditAction.VIEW, locked, detail="listening draft already started")
                finding.exercise = existing
                return existing
        people = _people_words(locked)
        exercise = Exercise.objects.create(
            organisation=locked.organisation,
            area=locked.area,
            title=f"Hearing from {in_a_sentence(people)}",
            question=suggested_question(locked),
            asked_by=f"{locked.organisation.name}, from the area's equalities figures",
            target_groups=people,
            started_from=locked.sentence,
            started_from_path=reverse("insight:finding", args=[locked.pk]),
            created_by=actor,
        )
        if any(
            held.organisation_id == locked.organisation_id
            and held.role in (Role.LISTENER, Role.LEAD)
            for held in policy.held_roles(actor)
        ):
            exercise.team.add(actor)
        locked.exercise = exercise
        locked.version += 1
        locked.save(update_fields=["exercise", "version"])
        write.audit(AuditAction.CREATE, exercise, detail="listening draft from an area finding")
        write.audit(AuditAction.CHANGE, locked, detail="listening draft started")
    finding.exercise = exercise
    finding.version = locked.version
    return exercise

"""Bringing many contributions in at once, from a file already read and checked by
`alongside.listening.uploads` (a CSV file, or a zip of .txt and .eml files): all of it, or
nothing.

A big file takes minutes (every row has its names and numbers taken out and is embedded), so the
page only starts a job (`contributions_import_start`); the job (listening.jobs.bring_in) does
the slow part and then saves everything at once with `contributions_save`. The demo, which
is no one's doing, uses `building.save_built` directly."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.defaultfilters import pluralize

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core import jobs
from alongside.core.models import AuditAction, Job

from ..background import IMPORT
from ..building import ContributionFields, save_built
from ..models import Contribution, Exercise


def contributions_import_start(
    *,
    actor: User,
    exercise: Exercise,
    rows: Sequence[ContributionFields],
    source: str,
    file_name: str = "",
) -> Job:
    """Queue checked rows to be brought in. `source` says what kind of file they came from
    ("CSV", "ZIP"). The rows wait in the job (in the database, not on this server's disk), so
    any worker on any machine can bring them in."""
    with policy.writing(
        actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution import"
    ) as write:
        job = jobs.start(
            kind=IMPORT,
            title=f"Bringing in {file_name or 'a file'} "
            f"({len(rows):,} contribution{pluralize(len(rows))})",
            started_by=actor,
            subject=exercise,
            organisation_id=exercise.organisation_id,
            payload={"source": source, "rows": [row.as_json() for row in rows]},
            total=len(rows),
        )
        write.audit(
            AuditAction.CREATE,
            exercise,
            detail=f"import from a {source} file started: {len(rows)} "
            f"contribution{pluralize(len(rows))}, job {job.pk}",
        )
    return job


def contributions_save(
    *, actor: User, exercise: Exercise, built: Sequence[Contribution], source: str
) -> list[Contribution]:
    """Store contributions made by `building.build`, all or nothing, if the actor may still
    work on the exercise."""
    with policy.writing(
        actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution import"
    ) as write:
        saved = save_built(built)
        for contribution in saved:
            write.audit(AuditAction.CREATE, contribution, detail="contribution imported")
        write.audit(
            AuditAction.CREATE,
            exercise,
            detail=f"import from a {source} file: {len(saved)} contribution{pluralize(len(saved))}",
        )
    return saved

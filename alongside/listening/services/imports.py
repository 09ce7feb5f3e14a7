"""Bringing many contributions in at once, from a file already read and checked by
`alongside.listening.uploads` (a CSV file, or a zip of .txt and .eml files): all of it, or
nothing."""

from __future__ import annotations

from collections.abc import Sequence

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core.models import AuditAction

from ..building import ContributionFields, build, save_built
from ..models import Contribution, Exercise


def contributions_import(
    *, actor: User, exercise: Exercise, rows: Sequence[ContributionFields], source: str
) -> list[Contribution]:
    """Store checked rows, each with the engine's suggestions already taken out, all or
    nothing. `source` says what kind of file they came from ("CSV", "ZIP")."""
    with policy.writing(
        actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution import"
    ) as write:
        saved = save_built([build(exercise, actor, row) for row in rows])
        for contribution in saved:
            write.audit(AuditAction.CREATE, contribution, detail="contribution imported")
        write.audit(
            AuditAction.CREATE,
            exercise,
            detail=f"import from a {source} file: {len(saved)} contributions",
        )
    return saved

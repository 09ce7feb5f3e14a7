"""The report: written by the team, published by link (issue 5, items 5 and 6).

Publishing freezes a version (models.ReportVersion): the public link serves the latest one,
so the team can keep working on themes without changing what readers see, and publishes again
when they are ready (issue 12, item 5). The link stays the same.

Publishing refuses while any quote comes from a contribution that is still in draft, whose
contributor did not agree to be quoted, or whose words changed after they were highlighted
(DESIGN.md principle 8). Every write, and every download, is audited.
"""

from __future__ import annotations

from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core.models import AuditAction

from ..models import Exercise, Report, ReportVersion
from ..publishing import store_version
from ..selectors.reports import freezing

Action = policy.Action


class ReportNotReadyError(ValueError):
    """The report cannot be published yet; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _report(exercise: Exercise) -> Report:
    report, _ = Report.objects.select_for_update().get_or_create(exercise=exercise)
    return report


def report_update(
    *, actor: User, exercise: Exercise, introduction: str, how_we_listened: str
) -> Report:
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="report edit") as write:
        report = _report(exercise)
        report.introduction = introduction
        report.how_we_listened = how_we_listened
        report.save(update_fields=["introduction", "how_we_listened"])
        write.audit(AuditAction.CHANGE, exercise, detail="report edited")
    return report


def report_publish(*, actor: User, exercise: Exercise) -> ReportVersion:
    """Freeze the working copy as the next version. Anyone with the link can then read it,
    without signing in, exactly as it is now, until the team publishes again."""
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="report publish") as write:
        report = _report(exercise)  # locked: two people publishing at once get 1 and 2
        frozen = freezing(exercise, report)
        if frozen.problems:
            raise ReportNotReadyError(frozen.problems)
        version = store_version(
            report, published_at=timezone.now(), published_by=actor, frozen=frozen
        )
        write.audit(
            AuditAction.CHANGE, exercise, detail=f"report published as version {version.number}"
        )
    return version


def report_unpublish(*, actor: User, exercise: Exercise) -> Report:
    """The link stops working at once. The versions are kept; publishing again brings the
    same link back, with a new version."""
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="report unpublish") as write:
        report = _report(exercise)
        report.published_at = None
        report.save(update_fields=["published_at"])
        write.audit(AuditAction.CHANGE, exercise, detail="report unpublished")
    return report


def export_record(*, actor: User, exercise: Exercise, what: str) -> None:
    """Audit a download of the report or the coding, and which (`what`, "report docx")."""
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail=f"export {what}") as write:
        write.audit(AuditAction.EXPORT, exercise, detail=f"listening {what}")

"""The imports of an exercise, as background jobs: for the team's import pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from alongside.core import jobs
from alongside.core.models import Job

from ..background import IMPORT
from ..models import Exercise


def imports_of(exercise: Exercise) -> QuerySet[Job]:
    return jobs.about(exercise, kind=IMPORT).select_related("started_by")


def recent_imports(exercise: Exercise, user: Any, *, limit: int = 5) -> list[Job]:
    """The latest imports into this exercise, by anyone in its team (the caller has checked
    the user works on it): a failure stays on show for whoever comes next, not only for the
    person who started it."""
    return list(imports_of(exercise).defer("payload")[:limit])

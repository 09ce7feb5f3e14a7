"""The kinds of the listening module's background jobs, and asking for the sentence model's
vectors. The work itself is in alongside/listening/jobs.py: the model is too slow to run inside
a request, and a big import or a big exercise's theme suggestion too long."""

from __future__ import annotations

from alongside.accounts.models import User
from alongside.core import jobs
from alongside.core.models import Job

from .models import Exercise

IMPORT = "listening.import"
EMBED = "listening.embed"
SUGGEST = "listening.suggest"


def queue_embedding(*, exercise: Exercise, started_by: User | None = None) -> Job | None:
    """Make sure a job will embed whatever in this exercise lacks a vector. One waiting job is
    enough however many changes ask for it. Call it inside the change's transaction, so a
    change that is rolled back asks for nothing."""
    waiting = jobs.about(exercise, kind=EMBED).filter(status=Job.Status.WAITING)
    if waiting.exists():
        return None
    return jobs.start(
        kind=EMBED,
        title="Reading the contributions for themes",
        started_by=started_by,
        subject=exercise,
        organisation_id=exercise.organisation_id,
    )

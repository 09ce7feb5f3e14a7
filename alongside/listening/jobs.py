"""The listening module's background jobs: bringing a checked file in, and the sentence
model's vectors. See alongside.core.jobs for what a job promises."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import pluralize

from alongside.accounts import policy
from alongside.core import jobs
from alongside.core.models import Job

from .background import EMBED, IMPORT, SUGGEST
from .building import ContributionFields, build, embed_redacted
from .models import Contribution, Exercise
from .services import imports, themes

# Small enough that progress moves every few seconds on a slow machine (each batch is
# redaction and one model call), large enough that the model works in batches.
BATCH = 64

T = TypeVar("T")


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def subject_of(job: Job) -> int:
    if job.subject_id is None:
        raise jobs.JobProblemError("This job does not say which exercise it is for.")
    return job.subject_id


# --- bringing a file in ------------------------------------------------------------------------


@jobs.handler(IMPORT)
def bring_in(job: Job, run: jobs.Run) -> None:
    """Take the names and numbers out of every row and embed them, batch by batch (nothing is
    written yet, so a stop here leaves nothing half-imported), then save all of it in one
    transaction that also marks the job done."""
    exercise = Exercise.objects.get(pk=subject_of(job))
    actor = job.started_by
    if actor is None:
        raise jobs.JobProblemError("The person who started this import no longer has an account.")
    rows = [ContributionFields.from_json(row) for row in job.payload["rows"]]
    built: list[Contribution] = []
    for batch in batches(rows):
        made = [build(exercise, actor, row) for row in batch]
        embed_redacted(made)
        built += made
        run.progress(len(built), len(rows))
    try:
        # Asked here, outside the transaction below, so a refusal's audit entry is kept.
        policy.require(actor, policy.Action.EXERCISE_WORK, exercise, detail="contribution import")
    except PermissionDenied as refused:
        raise jobs.JobProblemError(
            "Nothing was brought in: the person who started this import no longer works on "
            "this exercise."
        ) from refused
    with run.finishing("") as finishing:
        saved = imports.contributions_save(
            actor=actor, exercise=exercise, built=built, source=job.payload["source"]
        )
        count = len(saved)
        finishing.message = (
            f"Brought in {count:,} contribution{pluralize(count)}. Names and numbers are "
            "taken out; each is waiting for someone to check."
        )


# --- the sentence model's vectors -------------------------------------------------------------


@jobs.handler(EMBED)
def embed_missing(job: Job, run: jobs.Run) -> None:
    """Fill the vector of each contribution that lacks one. Each batch is stored as it is
    done, only where the words are still the ones embedded (someone may have changed them
    meanwhile, which empties the vector again and queues another job)."""
    lacking = list(
        Contribution.objects.filter(exercise_id=subject_of(job), vector__isnull=True)
        .order_by("pk")
        .values_list("pk", "redacted_text")
    )
    done = 0
    for batch in batches(lacking):
        stand_ins = [Contribution(pk=pk, redacted_text=text) for pk, text in batch]
        embed_redacted(stand_ins)
        with transaction.atomic():
            for contribution in stand_ins:
                if contribution.vector is None:
                    continue  # the model is missing or failed (logged): suggestion falls back
                Contribution.objects.filter(
                    pk=contribution.pk, redacted_text=contribution.redacted_text
                ).update(vector=contribution.vector)
        done += len(batch)
        run.progress(done, len(lacking))
    run.finish(f"Read {len(lacking):,} contribution{pluralize(len(lacking))}.")


# --- suggesting themes for a big exercise -------------------------------------------------------


@jobs.handler(SUGGEST)
def suggest(job: Job, run: jobs.Run) -> None:
    """The theme engine over the whole exercise, as the page does it for a small one. The
    suggestion is written in one transaction of its own (the engine runs outside it, so the
    database is not held meanwhile); a run that stops before it has written nothing, and one
    run again after it suggests the same again, with the same seed."""
    exercise = Exercise.objects.get(pk=subject_of(job))
    actor = job.started_by
    if actor is None:
        raise jobs.JobProblemError("The person who asked for themes no longer has an account.")
    try:
        with run.alive():
            outcome = themes.themes_suggest(
                actor=actor, exercise=exercise, k=job.payload.get("k"), seed=job.payload.get("seed")
            )
    except PermissionDenied as refused:
        raise jobs.JobProblemError(
            "No themes were suggested: the person who asked no longer works on this exercise."
        ) from refused
    except (themes.ThemeError, themes.SuggestionUnavailableError) as problem:
        raise jobs.JobProblemError(str(problem)) from problem
    run.finish(outcome.summary)

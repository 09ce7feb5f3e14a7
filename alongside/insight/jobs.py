"""Area insight's background job: checking a data set and bringing it into the area's DuckDB
file (`importing.bring_in`). See alongside.core.jobs for what a job promises."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import pluralize

from alongside.accounts import policy
from alongside.core import jobs
from alongside.core.models import Job

from . import importing, storage
from .models import DataSet
from .services import datasets as services


def _still_allowed(actor: object, dataset: DataSet) -> None:
    # Asked outside any transaction, so a refusal's audit entry is kept.
    try:
        policy.require(actor, policy.Action.INSIGHT_ITEM, dataset, detail="data set import")
    except PermissionDenied as refused:
        raise jobs.JobProblemError(
            "Nothing was brought in: the person who matched the columns no longer works on "
            "this area's insight."
        ) from refused


@jobs.handler(importing.IMPORT_JOB)
def bring_in(job: Job, run: jobs.Run) -> None:
    """Check every row and, if all are good, write them to DuckDB (one transaction there);
    then record what was found here, in the transaction that marks the job done. The
    uploaded file goes once its rows are in."""
    dataset = (
        DataSet.objects.filter(pk=job.subject_id).first() if job.subject_id is not None else None
    )
    if dataset is None:
        raise jobs.JobProblemError("This data set was deleted before it was brought in.")
    actor = job.started_by
    if actor is None:
        raise jobs.JobProblemError("The person who matched the columns no longer has an account.")
    if not dataset.source:
        raise jobs.JobProblemError("The uploaded file is no longer here: upload it again.")
    _still_allowed(actor, dataset)
    try:
        with run.alive():
            result = importing.bring_in(
                area_id=dataset.area_id,
                table=dataset.table_name,
                path=Path(dataset.source.path),
                file_format=dataset.source_format,
                kind=dataset.kind,
                mapping=dataset.mapping,
                progress=run.progress,
            )
    except (importing.FileProblemError, FileNotFoundError) as problem:
        raise jobs.JobProblemError(
            "The file can't be read as a table: check it opens in a spreadsheet, save it as "
            "CSV and upload it again."
        ) from problem
    try:
        _still_allowed(actor, dataset)
        with run.finishing("") as finishing:
            services.dataset_imported(actor=actor, dataset=dataset, result=result)
            if result.ok:
                finishing.message = f"Brought in {result.rows:,} row{pluralize(result.rows)}."
            else:
                count = result.problem_count
                finishing.message = (
                    f"Nothing was brought in: {count:,} problem{pluralize(count)} to fix first."
                )
    except BaseException:
        if result.ok:  # the rows must not outlive a data set that does not say it has them
            storage.drop_table(dataset.area_id, dataset.table_name)
        raise
    if result.ok:
        dataset.source.delete(save=False)
        DataSet.objects.filter(pk=dataset.pk).update(source="")

"""Writes for an area's data sets: the upload, the matching of its columns (which starts the
import job), what the import found, and deleting one.

The upload needs INSIGHT_WORK in the area; everything about a data set INSIGHT_ITEM. Every
write is audited, by ids only (a title or a file's name is words someone typed). A mapping
made from an older page is refused, never overwrites: the data set carries a version.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Area, User
from alongside.core import jobs
from alongside.core.models import AuditAction

from .. import importing, storage, uploads
from ..models import DataSet, SavedMapping
from ..selectors.areas import keeping_organisation
from ..selectors.datasets import may_map

Action = policy.Action


class StaleEditError(Exception):
    """Someone else saved first. `current` is what they saved."""

    def __init__(self, current: DataSet) -> None:
        super().__init__("changed by someone else")
        self.current = current


def dataset_upload(*, actor: User, area: Area, kind: str, title: str, upload: Any) -> DataSet:
    """Keep an uploaded file, checked (size, type, heading row), waiting for its columns to
    be matched."""
    if kind not in DataSet.Kind.values:
        raise ValueError("Choose service records or a population table.")
    title = title.strip()
    if not title:
        raise ValueError("Give the data set a name.")
    file_format, headers = uploads.check_upload(upload)
    with policy.writing(actor, Action.INSIGHT_WORK, area, detail="data set upload") as write:
        dataset = DataSet(
            area=area,
            organisation=keeping_organisation(actor, area),
            created_by=actor,
            kind=kind,
            title=title[:200],
            source_name=Path(getattr(upload, "name", "") or "").name[:255],
            source_format=file_format,
            headers=headers,
        )
        # Stored under a name of our own: the file's own name may say whose data it is.
        dataset.source.save(f"{secrets.token_hex(16)}.{file_format}", upload, save=False)
        try:
            dataset.save()
            write.audit(AuditAction.CREATE, dataset, detail=f"data set {dataset.pk} uploaded")
        except BaseException:
            dataset.source.delete(save=False)
            raise
    return dataset


def dataset_map(*, actor: User, dataset: DataSet, mapping: dict[str, Any], version: int) -> DataSet:
    """Say what each column is, keep it as the area's mapping for this kind of file, and
    start bringing the file in (a background job)."""
    problems = importing.mapping_problems(dataset.kind, mapping, list(dataset.headers))
    if problems:
        raise ValueError(" ".join(problems))
    with policy.writing(actor, Action.INSIGHT_ITEM, dataset, detail="data set columns") as write:
        current = DataSet.objects.select_for_update().get(pk=dataset.pk)
        if current.version != version:
            raise StaleEditError(current)
        if not may_map(current):
            raise ValueError("This data set is being brought in, or is in already.")
        DataSet.objects.filter(pk=dataset.pk).update(
            mapping=mapping,
            status=DataSet.Status.CHECKING,
            problems=[],
            problem_count=0,
            version=F("version") + 1,
        )
        dataset.refresh_from_db()
        SavedMapping.objects.update_or_create(
            area_id=dataset.area_id,
            kind=dataset.kind,
            defaults={
                "mapping": mapping,
                "headers": list(dataset.headers),
                "updated_at": timezone.now(),
            },
        )
        jobs.start(
            kind=importing.IMPORT_JOB,
            title="Checking and bringing in a data set",
            started_by=actor,
            subject=dataset,
            organisation_id=dataset.organisation_id,
            # One try: a file that failed once will fail again, and the page says why.
            max_attempts=2,
        )
        write.audit(AuditAction.CHANGE, dataset, detail=f"data set {dataset.pk} columns matched")
    return dataset


def dataset_imported(*, actor: User, dataset: DataSet, result: importing.Result) -> DataSet:
    """What the import job found: READY with its rows in DuckDB, or REFUSED with the rows
    that need fixing (and nothing in DuckDB)."""
    with policy.writing(actor, Action.INSIGHT_ITEM, dataset, detail="data set import") as write:
        if result.ok:
            changes: dict[str, Any] = {
                "status": DataSet.Status.READY,
                "row_count": result.rows,
                "first_date": result.first_date,
                "last_date": result.last_date,
                "imported_at": timezone.now(),
                "problems": [],
                "problem_count": 0,
            }
        else:
            changes = {
                "status": DataSet.Status.REFUSED,
                "problems": result.problems[: importing.MAX_PROBLEMS],
                "problem_count": result.problem_count,
            }
        updated = DataSet.objects.filter(pk=dataset.pk).update(version=F("version") + 1, **changes)
        if not updated:
            raise DataSet.DoesNotExist
        dataset.refresh_from_db()
        state = "brought in" if result.ok else "refused"
        write.audit(AuditAction.CHANGE, dataset, detail=f"data set {dataset.pk} {state}")
    return dataset


def dataset_delete(*, actor: User, dataset: DataSet) -> None:
    """Delete a data set: its rows in DuckDB, its uploaded file if it is still kept, and the
    analyses made from it."""
    with policy.writing(actor, Action.INSIGHT_ITEM, dataset, detail="data set delete") as write:
        write.audit(AuditAction.CHANGE, dataset, detail=f"data set {dataset.pk} deleted")
        source = dataset.source.name if dataset.source else ""
        table, area_id = dataset.table_name, dataset.area_id
        dataset.delete()
        # Last, so a refusal or a failure above leaves the rows where they were.
        storage.drop_table(area_id, table)
    if source:
        DataSet.source.field.storage.delete(source)

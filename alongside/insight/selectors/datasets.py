"""Reads for an area's data sets: the list, one data set's page (its state, the import's
progress, the rows that need fixing, what its columns mean) and the mapping to offer.

Nothing here reads a row of the data itself: a data set's page shows how many rows the
file had (the analyst's own file, not a count of people) and the problems by row number,
column and the cell's words, never a person id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from alongside.core import jobs
from alongside.core.models import Job
from alongside.core.words import day_month_year

from .. import fields, importing
from ..models import DataSet, SavedMapping
from .areas import area_ids_for

Status = DataSet.Status


def user_name(user: Any) -> str:
    if user is None:
        return "someone who has since left"
    name = user.display_name() if hasattr(user, "display_name") else ""
    return str(name or user.get_username())


def dates_words(first: Any, last: Any) -> str:
    if first is None:
        return ""
    if last is None or last == first:
        return day_month_year(first)
    return f"{day_month_year(first)} to {day_month_year(last)}"


def import_job(dataset: DataSet) -> Job | None:
    return jobs.about(dataset, kind=importing.IMPORT_JOB).order_by("-pk").first()


def status_of(dataset: DataSet, job: Job | None) -> str:
    """The status as people should read it: an import whose job stopped is FAILED."""
    if dataset.status == Status.CHECKING and (job is None or job.status == Job.Status.FAILED):
        return Status.FAILED
    return dataset.status


# A data set whose columns may be matched (again): not yet brought in, or stopped.
MAPPABLE = (Status.MAPPING, Status.REFUSED, Status.FAILED)


def may_map(dataset: DataSet) -> bool:
    """May its columns be matched (again)? While its file is kept and it is not being
    brought in or in already."""
    return bool(dataset.source) and status_of(dataset, import_job(dataset)) in MAPPABLE


@dataclass(frozen=True)
class DataSetRow:
    pk: int
    title: str
    kind: str
    status: str
    status_words: str
    rows: str
    dates: str
    who: str
    when: str
    area: str
    url: str


def datasets_for(user: Any) -> list[DataSetRow]:
    """The data sets of every area this user works on in insight, newest first."""
    ids = area_ids_for(user)
    if not ids:
        return []
    found = list(
        DataSet.objects.filter(area_id__in=ids)
        # A staff member's name asks whether they are a person too (User.display_name).
        .select_related("created_by__person", "area")
        .order_by("area__name", "-created_at", "-pk")
    )
    checking = [d.pk for d in found if d.status == Status.CHECKING]
    failed = (
        set(
            Job.objects.filter(
                kind=importing.IMPORT_JOB,
                subject_type=DataSet._meta.label_lower,
                subject_id__in=checking,
                status=Job.Status.FAILED,
            ).values_list("subject_id", flat=True)
        )
        if checking
        else set()
    )
    rows = []
    for dataset in found:
        status = Status.FAILED if dataset.pk in failed else dataset.status
        rows.append(
            DataSetRow(
                pk=dataset.pk,
                title=dataset.title,
                kind=dataset.get_kind_display(),
                status=status,
                status_words=Status(status).label,
                rows=f"{dataset.row_count:,}" if status == Status.READY else "",
                dates=dates_words(dataset.first_date, dataset.last_date),
                who=user_name(dataset.created_by),
                when=day_month_year(dataset.created_at),
                area=dataset.area.name,
                url=reverse("insight:dataset", args=[dataset.pk]),
            )
        )
    return rows


@dataclass(frozen=True)
class MappingLine:
    what: str
    column: str


@dataclass
class DataSetPage:
    dataset: DataSet
    status: str
    status_words: str
    job: Job | None
    rows: str
    dates: str
    who: str
    when: str
    imported: str
    lines: list[MappingLine] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    more_problems: int = 0
    may_map: bool = False
    analyse_url: str = ""


def mapping_lines(dataset: DataSet) -> list[MappingLine]:
    """What each column of the file is taken to be, in words."""
    mapping = dataset.mapping or {}
    lines: list[MappingLine] = []
    if dataset.kind == DataSet.Kind.RECORDS:
        for key, words in fields.RECORD_COLUMNS.items():
            if mapping.get(key):
                lines.append(MappingLine(words, mapping[key]))
    for key, column in (mapping.get("characteristics") or {}).items():
        lines.append(MappingLine(fields.label(key), column))
    for key, outcome in (mapping.get("outcomes") or {}).items():
        lines.append(
            MappingLine(f"Outcome: {outcome.get('phrase') or key} (yes or no)", outcome["column"])
        )
    if mapping.get("count"):
        lines.append(MappingLine("How many people", mapping["count"]))
    return lines


def analyse_url(dataset: DataSet) -> str:
    from django.urls import NoReverseMatch

    try:
        base = reverse("insight:analysis_new")
    except NoReverseMatch:
        base = "/insight/analyses/new/"
    return f"{base}?records={dataset.pk}"


def dataset_page(dataset: DataSet) -> DataSetPage:
    job = import_job(dataset)
    status = status_of(dataset, job)
    ready = status == Status.READY
    return DataSetPage(
        dataset=dataset,
        status=status,
        status_words=Status(status).label,
        job=job,
        rows=f"{dataset.row_count:,}" if ready else "",
        dates=dates_words(dataset.first_date, dataset.last_date),
        who=user_name(dataset.created_by),
        when=day_month_year(dataset.created_at),
        imported=day_month_year(dataset.imported_at) if dataset.imported_at else "",
        lines=mapping_lines(dataset),
        problems=list(dataset.problems or []),
        more_problems=max(0, dataset.problem_count - len(dataset.problems or [])),
        may_map=may_map(dataset),
        analyse_url=analyse_url(dataset) if ready and dataset.kind == DataSet.Kind.RECORDS else "",
    )


# --- the mapping to offer ------------------------------------------------------------------------

# Words in a heading that say what the column is, most telling first. Other systems' exports
# name people in their own words; we read those headings, never write them.
GUESSES: dict[str, tuple[str, ...]] = {
    "person_id": (
        "person id",
        "client id",  # other systems' words
        "client ref",  # other systems' words
        "pseudo",
        "person",
        "client",  # other systems' words
        "id",
    ),
    "date": ("date", "started", "start", "contact", "when"),
    "service": ("service", "team", "programme", "project"),
    "ethnicity": ("ethnic",),
    "sex": ("sex", "gender"),
    "age_band": ("age",),
    "disability": ("disab",),
    "count": ("count", "observation", "residents", "population", "number", "people", "total"),
}


def _plain(heading: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", heading.lower()).split())


def guess(headers: list[str], kind: str) -> dict[str, Any]:
    """A first guess at what each column is, from its heading."""
    wanted = (
        ["person_id", "date", "service", *fields.CHARACTERISTICS]
        if kind == DataSet.Kind.RECORDS
        else [*fields.CHARACTERISTICS, "count"]
    )
    plain = [(_plain(h), h) for h in headers if h]
    taken: set[str] = set()
    found: dict[str, str] = {}
    for role in wanted:
        for word in GUESSES[role]:
            hit = next(
                (
                    h
                    for p, h in plain
                    if h not in taken and (p == word or re.search(rf"\b{word}", p))
                ),
                None,
            )
            if hit:
                found[role] = hit
                taken.add(hit)
                break
    mapping: dict[str, Any] = {
        "characteristics": {k: found[k] for k in fields.CHARACTERISTICS if k in found}
    }
    if kind == DataSet.Kind.RECORDS:
        mapping.update({k: found.get(k, "") for k in fields.RECORD_COLUMNS})
        mapping["outcomes"] = {}
    else:
        mapping["count"] = found.get("count", "")
    return mapping


def _columns_used(mapping: dict[str, Any]) -> set[str]:
    used = {mapping.get(k) for k in ("person_id", "date", "service", "count")}
    used |= set((mapping.get("characteristics") or {}).values())
    used |= {o.get("column") for o in (mapping.get("outcomes") or {}).values()}
    return {u for u in used if u}


def mapping_to_offer(dataset: DataSet) -> tuple[dict[str, Any], bool]:
    """The mapping the page starts from, and whether it is the area's saved one: this data
    set's own if it has one, else the saved mapping for this kind of file when every column
    it names is in this file, else a guess from the headings."""
    if dataset.mapping:
        return dataset.mapping, False
    saved = SavedMapping.objects.filter(area_id=dataset.area_id, kind=dataset.kind).first()
    if saved is not None and saved.mapping:
        used = _columns_used(saved.mapping)
        if used and used <= set(dataset.headers):
            return saved.mapping, True
    return guess(list(dataset.headers), dataset.kind), False

"""Area insight (DESIGN.md, seeds 002 and 004): who the system lets down most, what good looks
like, and whether the area is getting there.

An area's analysts import service records and a population table; the rows themselves live in
DuckDB, a file per area (`storage.py`), never in these tables. What is kept here is what the
area says and decides about them: data sets and their column mappings, analyses with their
protected figures, findings (a group the figures flag), statements of what good looks like
with ways to track them, and the system-health pulse. Nothing here names a person: the data
sets hold pseudonymous ids only inside DuckDB, and every figure that leaves a selector is
disclosure-controlled (`core.disclosure`).

Everything belongs to an area and is kept by one organisation there (the local authority or
partnership whose analyst made it), which is where the audit log files it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class KeptForArea(models.Model):
    area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped on every change: an edit made from an older page is refused, never overwrites.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def audit_person_id(self) -> None:
        return None


# --- item 1: data sets ------------------------------------------------------------------


class DataSet(KeptForArea):
    """One imported file: service records (one row per person-episode or contact) or a
    population table (counts for the area by the same characteristics)."""

    class Kind(models.TextChoices):
        RECORDS = "records", "Service records"
        POPULATION = "population", "Population"

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for its columns to be matched"
        CHECKING = "checking", "Being checked and brought in"
        READY = "ready", "Ready"
        REFUSED = "refused", "Not brought in: some rows need fixing"
        FAILED = "failed", "Stopped with a problem"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MAPPING)
    # The uploaded file while it waits to be brought in (deleted once it is in DuckDB).
    source = models.FileField(upload_to="insight/uploads/", blank=True)
    source_name = models.CharField("the file's name", max_length=255, blank=True)
    source_format = models.CharField(max_length=10, blank=True)  # "csv" or "xlsx"
    headers = models.JSONField(default=list, blank=True)  # the file's column names, in order
    # What each column is: {"person_id": "Person ref", "date": "Started", "service": "Service",
    #  "characteristics": {"ethnicity": "Ethnic group", ...},
    #  "outcomes": {"housed": {"column": "Housed?", "phrase": "housed"}}, "count": "Residents"}
    mapping = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveBigIntegerField(default=0)
    # Rows that need fixing, each {"row": 12, "column": "Sex", "problem": "..."}: the first
    # few hundred, and how many there were in all.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title

    @property
    def table_name(self) -> str:
        """Its table in the area's DuckDB file."""
        return f"{self.kind}_{self.pk}"


class SavedMapping(models.Model):
    """The last mapping an area used for a kind of file, offered for the next import."""

    area = models.ForeignKey("accounts.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DataSet.Kind.choices)
    mapping = models.JSONField(default=dict)
    headers = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "kind"], name="one_saved_mapping_per_kind")
        ]


# --- item 2 and 4: analyses and findings --------------------------------------------------


class Analysis(KeptForArea):
    """A look at who is let down most, by one characteristic: the figures are computed once
    from the true counts and kept already protected (`figures`), so the page, the briefing
    and the findings always say the same."""

    records = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="analyses")
    population = models.ForeignKey(
        DataSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.CharField("characteristic", max_length=60)
    outcome = models.CharField(max_length=60, blank=True)
    # {"groups": [...], "measures": {...}, "method": ...}: see insight/equalities.py.
    figures = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"By {self.by}"


class Finding(KeptForArea):
    """A group whose interval excludes parity, in plain words, and what was done about it."""

    class Measure(models.TextChoices):
        REPRESENTATION = "representation", "In services, against the population"
        OUTCOME = "outcome", "Outcome"
        REPEAT = "repeat", "Coming back 3 or more times in 12 months"
        MANY_SERVICES = "many_services", "In touch with 3 or more services"

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="findings")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    group = models.CharField(max_length=200)
    sentence = models.CharField(max_length=400)
    ratio = models.FloatField()
    ratio_ci_low = models.FloatField()
    ratio_ci_high = models.FloatField()
    # The draft listening exercise started from this finding (item 4), if one was.
    exercise = models.ForeignKey(
        "listening.Exercise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.sentence

    @property
    def fares_worse(self) -> bool:
        return fares_worse(self.measure, self.ratio)


def fares_worse(measure: str, ratio: float) -> bool:
    """Whether a flag says the group may be let down rather than doing better than everyone
    else. An outcome is something good services help with ("housed"), so less is worse;
    coming back again and again, and being passed between many services, are signs the system
    is not working for you, so more is worse. Being in services out of step with the
    population is worth asking about either way: more can mean crisis after crisis, fewer can
    mean help that never reaches people."""
    if measure == Finding.Measure.OUTCOME:
        return ratio < 1
    if measure == Finding.Measure.REPRESENTATION:
        return True
    return ratio > 1


# --- item 5: what good looks like ---------------------------------------------------------


class Statement(KeptForArea):
    """A co-produced statement of what good looks like, in one of three voices."""

    class Voice(models.TextChoices):
        I = "i", "I (people)"  # noqa: E741
        WE = "we", "We (organisations)"
        TOGETHER = "together", "Together (the area)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Drafted"
        DISCUSSED = "discussed", "Being discussed"
        AGREED = "agreed", "Agreed"

    voice = models.CharField(max_length=20, choices=Voice.choices)
    words = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)
    discussion = models.TextField("what was said about it", blank=True)

    def __str__(self) -> str:
        return self.words[:80]


class StatementPerson(models.Model):
    """Someone who took part in writing a statement. Named only with their consent; anyone
    else is counted, as "a person with lived experience" or by their role."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField(
        "how they took part", max_length=120, default="a person with lived experience"
    )
    consents_to_be_named = models.BooleanField(default=False)


class Tracker(models.Model):
    """A way to track a statement: a survey item, a measure from Alongside's own data, or
    stories from a listening exercise."""

    class Kind(models.TextChoices):
        SURVEY = "survey", "A survey item"
        MEASURE = "measure", "A measure from Alongside"
        STORIES = "stories", "Stories from listening"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="trackers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    # For a measure: its key in insight/measures.py (e.g. "goals_own_words").
    measure = models.CharField(max_length=60, blank=True)
    exercise = models.ForeignKey(
        "listening.Exercise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)


class TrackerValue(models.Model):
    """A value of a survey-item tracker for a period, as the area entered it (measures from
    Alongside are worked out live)."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    value = models.FloatField()
    # How many answered: the value is shown only when there are enough (disclosure control).
    respondents = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["period_start"]


# --- item 6: system-health pulse ------------------------------------------------------------


class Pulse(KeptForArea):
    """A short repeatable survey for one audience, built from seed 002's behaviour-change
    table (the items are in insight/pulse_items.py)."""

    class Audience(models.TextChoices):
        POWER = "power", "People with power"
        WORKERS = "workers", "Workers and volunteers"
        CITIZENS = "citizens", "Citizens"

    audience = models.CharField(max_length=20, choices=Audience.choices)
    title = models.CharField(max_length=200)
    items = models.JSONField(default=list)  # [{"key": ..., "words": ...}]

    def __str__(self) -> str:
        return self.title


class PulseRound(models.Model):
    """One asking of a pulse ("Spring 2027"): its private links and its answers."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opens_on", "pk"]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PulseLink(models.Model):
    """A private link for one answer. Only its hash is kept; it records that it was used,
    never by whom, and the answer does not point back to it (no tracking)."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class PulseAnswer(models.Model):
    """One set of answers to a round, with no link, time of day or person attached."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="answers")
    answers = models.JSONField(default=dict)  # {item key: 1..5, or absent when skipped}

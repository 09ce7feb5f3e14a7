"""Accreditation from real practice (issue 15, item 3; seed 000).

A rubric is data: themes, each with criteria (what to show and what counts as evidence, with
the live figures that speak to it), and the levels an organisation may be accredited at. An
organisation builds a portfolio against a rubric: for each criterion, narrative, chosen live
figures (frozen as they stood when it was submitted) and documents. An assessor of the
network reviews it criterion by criterion (every review kept), may ask for more, and decides,
with a renewal date; reminders are kept so each is sent once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import AboutNoPerson


class Rubric(AboutNoPerson, models.Model):
    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.network_id


class RubricTheme(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    theme = models.ForeignKey(RubricTheme, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    what_counts = models.TextField("what counts as evidence", blank=True)
    # Keys of the live figures that speak to it (`network.evidence.FIGURES`).
    figure_keys = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__order", "order", "id"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Portfolio(AboutNoPerson, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Being put together"
        SUBMITTED = "submitted", "Sent to the network"
        IN_REVIEW = "in_review", "Being reviewed"
        MORE_ASKED = "more_asked", "The assessor asked for more"
        DECIDED = "decided", "Decided"

    class Outcome(models.TextChoices):
        ACCREDITED = "accredited", "Accredited"
        NOT_YET = "not_yet", "Not yet"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="portfolios"
    )
    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="portfolios")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT)
    decision_note = models.TextField(blank=True)
    renewal_due_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.rubric}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class PortfolioEntry(AboutNoPerson, models.Model):
    """What the organisation shows for one criterion."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(blank=True)
    figure_keys = models.JSONField(default=list, blank=True)
    # The chosen figures as they stood when the portfolio was (last) submitted: what the
    # assessor reviews, even as the live data moves on.
    figures_frozen = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "criterion"], name="network_entry_once")
        ]

    @property
    def audit_organisation_id(self) -> int:
        return self.portfolio.organisation_id


class PortfolioDocument(AboutNoPerson, models.Model):
    entry = models.ForeignKey(PortfolioEntry, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="network/portfolios/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def audit_organisation_id(self) -> int:
        return self.entry.portfolio.organisation_id


class CriterionReview(AboutNoPerson, models.Model):
    """An assessor's word on one criterion. Every review is kept; the latest holds."""

    class Verdict(models.TextChoices):
        MET = "met", "Shown"
        PARTLY = "partly", "Partly shown"
        NOT_YET = "not_yet", "Not yet shown"
        MORE = "more", "Please show more"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="reviews")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def audit_organisation_id(self) -> int:
        return self.portfolio.organisation_id


class RenewalReminder(models.Model):
    """A reminder that an accreditation is due for renewal, sent once per kind."""

    class Kind(models.TextChoices):
        NINETY_DAYS = "90", "Three months before"
        THIRTY_DAYS = "30", "A month before"
        DUE = "0", "On the day"

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "kind"], name="network_reminder_once")
        ]

"""Listening exercises: one open question, many voices, an honest report (DESIGN.md
principles 7 and 8).

A contribution's own words (`text`) are seen only by the listener who captured it. Everyone
else in the team reads `redacted_text`, made from the Redaction rows once a person has
reviewed them. Themes are suggested by the engine (alongside/listening/themes) and owned by the
team from then on: anything a person placed or renamed is never overwritten by a new suggestion.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WHATSAPP = "whatsapp", "WhatsApp"
    SOCIAL_MEDIA = "social_media", "Social media"
    GROUP = "group", "Group session"
    LETTER = "letter", "Letter"


class Exercise(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="listening_exercises"
    )
    title = models.CharField(max_length=200)
    question = models.CharField("the one open question", max_length=500)
    asked_by = models.CharField("who asked for it", max_length=200, blank=True)
    area = models.ForeignKey(
        "accounts.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="listening_exercises")
    target_groups = models.TextField("who we especially want to hear from", blank=True)
    channels = models.JSONField(default=list, blank=True)
    consent_script = models.TextField("what we say to each person before they share", blank=True)
    names_to_redact = models.TextField(
        blank=True, help_text="Names the team wants removed wherever they appear, one per line."
    )
    theme_seed = models.PositiveIntegerField(default=1)
    # Where the exercise came from when another part of Alongside started it (an area
    # finding, issue 14): its words and its page, so the exercise can link back to it.
    started_from = models.CharField(max_length=400, blank=True)
    started_from_path = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def audit_person_id(self) -> None:
        return None

    def extra_names(self) -> list[str]:
        return [line.strip() for line in self.names_to_redact.splitlines() if line.strip()]


class Contribution(models.Model):
    class Credit(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous"
        NAMED = "named", "A first name or made-up name, and a place"

    class State(models.TextChoices):
        DRAFT = "draft", "Waiting for someone to check what was removed"
        REVIEWED = "reviewed", "Checked"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="contributions")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    place = models.CharField("general place", max_length=200, blank=True)
    heard_on = models.DateField(null=True, blank=True)
    text = models.TextField("what they said, in their words")
    redacted_text = models.TextField(blank=True)
    # The MiniLM sentence vector of redacted_text (never of text): 384 float16 values, unit
    # length, as bytes. Computed when redacted_text is set (services.contributions.
    # set_redacted_text), because embedding a whole exercise at suggestion time is too slow.
    # Null when the model is not installed; themes_suggest fills missing ones.
    vector = models.BinaryField(null=True, blank=True, editable=False)
    credit = models.CharField(max_length=20, choices=Credit.choices, default=Credit.ANONYMOUS)
    credit_name = models.CharField(max_length=80, blank=True)
    credit_place = models.CharField(max_length=120, blank=True)
    consent_to_quote = models.BooleanField(default=False)
    content_warnings = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    captured_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Where the engine or a person put this contribution. A person's placement is kept.
    theme = models.ForeignKey(
        "Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    placed_by_team = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["captured_at", "id"]
        indexes = [models.Index(fields=["exercise", "state"])]

    def __str__(self) -> str:
        return f"Contribution {self.pk}"

    @property
    def audit_organisation_id(self) -> int:
        return self.exercise.organisation_id

    @property
    def audit_person_id(self) -> None:
        return None

    @property
    def credit_line(self) -> str:
        """How the contributor asked to be credited, e.g. "Sam, Oxford Street"."""
        return credit_line(self.credit, self.credit_name, self.credit_place)

    @property
    def quotable(self) -> bool:
        return self.consent_to_quote and self.state == self.State.REVIEWED


def credit_line(credit: str, name: str, place: str) -> str:
    """Contribution.credit_line from its three fields, for a page that reads them as values."""
    if credit != Contribution.Credit.NAMED:
        return "Anonymous"
    return ", ".join(p for p in (name, place) if p) or "Anonymous"


class Redaction(models.Model):
    """One identifying detail found in a contribution, by the engine or by a person."""

    class Decision(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        REMOVE = "remove", "Remove"
        KEEP = "keep", "Not identifying: keep"

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="redactions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.CharField(max_length=20)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.SUGGESTED)
    added_by_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["start", "id"]


class Theme(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    keywords = models.JSONField(default=list, blank=True)
    synthesis = models.TextField(blank=True)
    recommendations = models.TextField(blank=True, help_text="One per line.")
    content_warnings = models.CharField(max_length=300, blank=True)
    headline = models.ForeignKey(
        "Excerpt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    # The honest home for contributions that did not fit any theme (principle 7).
    is_didnt_fit = models.BooleanField(default=False)
    # Set once a person renames or edits it: a new suggestion never overwrites it.
    owned_by_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["is_didnt_fit", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]


class Excerpt(models.Model):
    """A highlighted part of a contribution's redacted text, coded to a theme; a quote in
    the report when chosen."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="excerpts"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="excerpts")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    is_quote = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]


def _public_token() -> str:
    return secrets.token_urlsafe(18)


class Report(models.Model):
    exercise = models.OneToOneField(Exercise, on_delete=models.CASCADE, related_name="report")
    how_we_listened = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Published reports can be read by anyone who has the link (issue 5, item 6).
    public_token = models.CharField(max_length=40, unique=True, default=_public_token)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ReportVersion(models.Model):
    """What the team published, frozen (issue 12, item 5). Publishing stores the report as
    the plain data it is built from (exports/data.ReportData, as JSON), so renaming a theme or
    suggesting themes again never changes what readers see: the public page and its downloads
    serve the latest version until the team publishes again. Every version stays readable by
    the team."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()
    # SHA-256 of `data` as canonical JSON: the team's page compares it with the working copy's
    # without reading the whole document back.
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="listening_report_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

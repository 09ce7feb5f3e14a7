"""Convening: from what got in people's way to changes in the system (DESIGN.md, seed 002).

A convener groups the barriers people agreed to share, and the themes of listening exercises,
into system themes; brings people together around them (convening groups, with people who
lived them); tries things in cycles (experiments); and takes recommendations to the people with
power, who answer in the product.

Nothing here holds a person's name or words. A barrier is linked by a placement only; its words
are read live, through the listening redaction, and only while both its own "happy for this to
be shared" and the person's "share what got in the way" choice hold
(`coaching.selectors.me_rights.barriers_for_convening`), so withdrawing takes it out of every
count, chart, quote and export at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class OwnedByOrganisation(models.Model):
    """Everything in convening belongs to the convening organisation that keeps it."""

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


class SystemTheme(OwnedByOrganisation):
    """Something in the system that keeps getting in people's way, with its evidence."""

    title = models.CharField(max_length=200)
    summary = models.TextField("what it is about", blank=True)
    # When set, barriers from every organisation in the area that shares them join this theme.
    area = models.ForeignKey(
        "accounts.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listening_themes = models.ManyToManyField(
        "listening.Theme", blank=True, related_name="system_themes"
    )
    # Set once a person names or edits it: a new suggestion never renames it.
    owned_by_convener = models.BooleanField(default=False)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class BarrierPlacement(models.Model):
    """A shared barrier placed in a system theme, by a convener or suggested by the engine.
    No words: the barrier's words are read live and redacted, while consent holds."""

    # None: a convener took it out of every theme, and a suggestion leaves it out too.
    theme = models.ForeignKey(
        SystemTheme, null=True, blank=True, on_delete=models.CASCADE, related_name="placements"
    )
    barrier = models.ForeignKey(
        "coaching.Barrier", on_delete=models.CASCADE, related_name="convening_placements"
    )
    # The convening organisation, repeated from the theme so a barrier sits in one of its
    # themes at most.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # A convener's choice is never overwritten by a suggestion.
    by_convener = models.BooleanField(default=False)
    closeness = models.FloatField(null=True, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "barrier"], name="barrier_in_one_system_theme"
            )
        ]

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class ConveningGroup(OwnedByOrganisation):
    """People brought together around one or more system themes."""

    name = models.CharField(max_length=200)
    purpose = models.TextField("what the group is for", blank=True)
    themes = models.ManyToManyField(SystemTheme, blank=True, related_name="groups")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """Someone in a convening group: an Alongside sign-in, or a named guest without one who
    agreed to be named."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        PARTNER = "partner", "Partner"
        LIVED_EXPERIENCE = "lived_experience", "Lived experience"

    group = models.ForeignKey(ConveningGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="convening_memberships",
    )
    guest_name = models.CharField("name, for a guest without a sign-in", max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agreed_to_be_named = models.BooleanField(default=False)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "id"]

    @property
    def audit_organisation_id(self) -> int:
        return self.group.organisation_id


class Meeting(models.Model):
    group = models.ForeignKey(ConveningGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True, help_text="One per line.")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]

    @property
    def audit_organisation_id(self) -> int:
        return self.group.organisation_id


class GroupAction(models.Model):
    """Something someone in the group said they would do, by when."""

    group = models.ForeignKey(ConveningGroup, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    what = models.CharField(max_length=500)
    owner = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "due_on", "id"]

    @property
    def audit_organisation_id(self) -> int:
        return self.group.organisation_id


class Experiment(OwnedByOrganisation):
    """If we ..., then ...: tried in plan → try → reflect → adapt cycles, and watched."""

    title = models.CharField(max_length=200)
    if_we = models.TextField("if we")
    then = models.TextField("then")
    co_designed_with = models.TextField("who designed it together", blank=True)
    group = models.ForeignKey(
        ConveningGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments"
    )
    themes = models.ManyToManyField(SystemTheme, blank=True, related_name="experiments")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """What we will watch, from Alongside's own data (or stories)."""

    class Kind(models.TextChoices):
        THEME_BARRIERS = "theme_barriers", "Barriers of a theme each month"
        CHECK_IN_CHANGE = "check_in_change", "Change in check-ins"
        RELATIONSHIPS_RESTARTED = "relationships_restarted", "Relationships restarted"
        STORIES = "stories", "Stories"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    theme = models.ForeignKey(
        SystemTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]


class Cycle(models.Model):
    """One turn of plan → try → reflect → adapt, kept with its reflections."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    plan = models.TextField("what we planned")
    tried = models.TextField("what we tried", blank=True)
    reflections = models.TextField("what we noticed", blank=True)
    what_changed = models.TextField("what we changed for next time", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "number"], name="cycle_number_unique")
        ]


class Story(models.Model):
    """What someone said happened, in words that name nobody (redacted before saving)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="stories")
    told_on = models.DateField(default=timezone.localdate)
    words = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["told_on", "id"]


class Recommendation(OwnedByOrganisation):
    """Taken to the people with power, who answer in the product."""

    class To(models.TextChoices):
        LEADERSHIP = "leadership", "Leadership"
        STRATEGIC_GROUP = "strategic_group", "A strategic group"
        COMMISSIONER = "commissioner", "A commissioner"

    class LandsIn(models.TextChoices):
        SERVICE_DESIGN = "service_design", "Service design"
        WORKFORCE = "workforce_development", "Workforce development"
        ORGANISATION = "organisation_development", "Organisation development"
        SYSTEM = "system_design", "System design"

    title = models.CharField(max_length=200)
    what = models.TextField("what we recommend")
    to = models.CharField("to whom", max_length=20, choices=To.choices)
    # Who answers: the leads of this organisation (leadership, a strategic group), or its
    # area's commissioners.
    addressed_to = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    lands_in = models.CharField("where the learning lands", max_length=30, choices=LandsIn.choices)
    themes = models.ManyToManyField(SystemTheme, blank=True, related_name="recommendations")
    experiments = models.ManyToManyField(Experiment, blank=True, related_name="recommendations")
    # Quotes chosen as evidence: placements, so a withdrawn barrier drops out at once.
    quotes = models.ManyToManyField(BarrierPlacement, blank=True, related_name="+")
    answer_by = models.DateField("answer wanted by", null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    """One answer to a recommendation. Answers are kept: the latest is where it stands."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        IN_PROGRESS = "in_progress", "In progress"
        DECLINED = "declined", "Declined"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="answers"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    words = models.TextField("the answer, and the reason if declined")
    follow_up_on = models.DateField("follow up on", null=True, blank=True)
    what_changed = models.TextField("what changed", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    @property
    def audit_organisation_id(self) -> int:
        return self.recommendation.organisation_id

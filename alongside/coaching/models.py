"""The person-led coaching record.

There is deliberately no place here for a referral, an eligibility test, a needs
assessment or a risk score (DESIGN.md principle 2); tests/test_no_deficit_fields.py
walks the models to keep it that way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Person(models.Model):
    """Someone an organisation works alongside. Only the name they choose is needed."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    chosen_name = models.CharField("the name they'd like to use", max_length=120)
    pronouns = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(default=timezone.now)
    budget_allocation_pence = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "chosen_name"])]

    def __str__(self) -> str:
        return self.chosen_name

    @property
    def audit_person_id(self) -> int:
        return self.pk

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class PersonPart(models.Model):
    """Base for everything recorded about one person, so audit knows whose record it is.
    Each subclass declares its own `person` foreign key with a readable related name."""

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class Relationship(models.Model):
    """A person and a coach working together within an organisation."""

    class State(models.TextChoices):
        GETTING_TO_KNOW = "getting_to_know", "Getting to know each other"
        WORKING_TOGETHER = "working_together", "Working together"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended by the person's choice"

    class Intensity(models.TextChoices):
        WEEKLY = "weekly", "About once a week"
        FORTNIGHTLY = "fortnightly", "About once a fortnight"
        MONTHLY = "monthly", "About once a month"
        WHEN_I_ASK = "when_i_ask", "When I ask"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_relationships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="relationships"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.GETTING_TO_KNOW)
    intensity = models.CharField(
        max_length=20, choices=Intensity.choices, default=Intensity.FORTNIGHTLY
    )
    started_on = models.DateField(default=timezone.localdate)
    last_contact_on = models.DateField(null=True, blank=True)
    next_meeting_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["coach", "state"])]

    def __str__(self) -> str:
        return f"{self.person} with {self.coach}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class RelationshipChange(models.Model):
    """History of a relationship's state and intensity; nothing is overwritten."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, choices=Relationship.State.choices)
    intensity = models.CharField(max_length=20, blank=True)
    # Pausing: how the person would like us to keep in touch. Ending: what's in place now.
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Conversation(PersonPart):
    """A meeting, written up with the person and always visible to them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    relationship = models.ForeignKey(
        Relationship, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    happened_on = models.DateField(default=timezone.localdate)
    place = models.CharField("where we met (your choice)", max_length=120, blank=True)
    notes = models.TextField("what we talked about", blank=True)
    reflection = models.TextField("your own reflection", blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["person", "-happened_on"])]


class Strength(PersonPart):
    class Kind(models.TextChoices):
        SKILL = "skill", "A skill"
        QUALITY = "quality", "A quality"
        INTEREST = "interest", "An interest"
        PERSON = "person", "Someone in my life"
        PLACE = "place", "A place"
        GROUP = "group", "A group"
        RESOURCE = "resource", "Something I have"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="strengths")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    words = models.CharField(max_length=300)

    @property
    def is_internal(self) -> bool:
        return self.kind in {self.Kind.SKILL, self.Kind.QUALITY, self.Kind.INTEREST}


class Goal(PersonPart):
    class Status(models.TextChoices):
        DREAMING = "dreaming", "Dreaming"
        WORKING_ON_IT = "working_on_it", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        CHANGED_MY_MIND = "changed_my_mind", "Changed my mind"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    words = models.CharField("the goal, in your words", max_length=300)
    why_it_matters = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DREAMING)
    # A goal a coach writes stays a suggestion until the person accepts it.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "status"])]

    @property
    def is_suggestion(self) -> bool:
        return self.suggested_by_id is not None and self.accepted_at is None


class CheckIn(PersonPart):
    """Answers to a wellbeing instrument. Any item may be skipped (stored as absent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_ins")
    instrument = models.CharField(max_length=40, default="ons4")
    instrument_version = models.CharField(max_length=20, default="1")
    taken_on = models.DateField(default=timezone.localdate)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["taken_on", "id"]


class Milestone(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=60)
    words = models.CharField(max_length=300, blank=True)
    happened_on = models.DateField(default=timezone.localdate)


class SpendRequest(PersonPart):
    """Money from the person's budget towards one of their goals. Amounts in pence."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not approved"
        PAID = "paid", "Paid"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="spend_requests")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL)
    what_for = models.CharField(max_length=300)
    category = models.CharField(max_length=60, blank=True)
    amount_pence = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)


class Barrier(PersonPart):
    """Something in the system that got in the way, and what was done about it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="barriers")
    service = models.CharField("which service or rule", max_length=200)
    what_happened = models.TextField()
    what_we_did = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    share_with_convening = models.BooleanField(
        "you're happy for this to be shared, without your name, to help change things",
        default=False,
    )

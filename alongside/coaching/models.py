"""The person-led coaching record.

There is deliberately no place here for a referral, an eligibility test, a needs
assessment or a risk score (DESIGN.md principle 2); tests/test_no_deficit_fields.py
walks the models to keep it that way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from alongside.core.models import AppendOnlyError


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
        indexes = [
            models.Index(fields=["organisation", "chosen_name"]),
            # A lead's list of everyone, by name across their organisations (6.6 → 0.4 ms).
            models.Index(fields=["chosen_name"], name="coaching_person_chosen_name"),
        ]

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
    # While paused: how the person would like us to keep in touch, in their words.
    keep_in_touch = models.CharField(max_length=300, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    next_meeting_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["coach", "state"]),
            # The quiet lists (the lead's home, everyone?show=quiet): longest since contact
            # first, read from the index rather than sorting the organisation's every row.
            models.Index(
                "organisation",
                Coalesce("last_contact_on", "started_on"),
                name="coaching_relationship_contact",
            ),
        ]

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
    goals = models.ManyToManyField("Goal", blank=True, related_name="conversations")
    # Optimistic locking: an edit names the version it started from (see services).
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
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    hoped_by = models.DateField(
        "when you'd like to get there (if you want a date)", null=True, blank=True
    )
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "status"])]

    @property
    def is_suggestion(self) -> bool:
        return self.suggested_by_id is not None and self.accepted_at is None


class GoalStep(PersonPart):
    """A small step towards a goal, in the person's words."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    words = models.CharField(max_length=300)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def audit_person_id(self) -> int:
        return self.goal.person_id


class Instrument(models.Model):
    """A check-in instrument an organisation loaded (the shipped ones are data files in
    coaching/instruments/). `definition` is the validated file, kept as loaded."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="instruments"
    )
    key = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    definition = models.JSONField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="instrument_unique_version"
            )
        ]


class CheckIn(PersonPart):
    """Answers to a wellbeing instrument. Any item may be skipped (stored as absent)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_ins")
    instrument = models.CharField(max_length=40, default="ons4")
    instrument_version = models.CharField(max_length=20, default="1")
    taken_on = models.DateField(default=timezone.localdate)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["taken_on", "id"]
        # "Check-ins this month" across an organisation (the lead's home) reads only the
        # newest days instead of every check-in there has been.
        indexes = [models.Index(fields=["taken_on"], name="coaching_checkin_taken_on")]


class MilestoneKind(models.Model):
    """The organisation's editable list of things that naturally happen in people's lives."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="milestone_kinds"
    )
    label = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="milestone_kind_unique")
        ]

    def __str__(self) -> str:
        return self.label


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
    decision_note = models.TextField(blank=True)

    class Meta:
        # A lead's queue: spends still asked for, oldest first, across the organisation
        # (5.8 ms → 0.8 ms at 19,000 spend requests on PostgreSQL).
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="spend_status_created"),
        ]


class Payment(models.Model):
    """Money paid out for an approved spend request, with its receipt if there is one."""

    spend_request = models.ForeignKey(
        SpendRequest, on_delete=models.CASCADE, related_name="payments"
    )
    amount_pence = models.PositiveIntegerField()
    paid_on = models.DateField(default=timezone.localdate)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt = models.FileField(upload_to="receipts/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def audit_person_id(self) -> int:
        return self.spend_request.person_id


class SpendTotal(models.Model):
    """An organisation's spending on one kind of thing in one month: committed (approved or
    paid requests, by the month they were asked for, in the site's time zone) and paid (by
    the month paid), with how many requests and payments make each sum.

    Kept by the database itself (triggers on spend requests and payments, migration 0007),
    never written by the app, so every way a request or payment changes (the services, a
    seed's bulk load, erasure's deletes) keeps it right. The lead's home and the budget ledger
    read these few rows instead of adding up every request and payment the organisation has
    ever had, which grew with every year of records (26 ms of a 38 ms ledger at 19,000
    requests)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(max_length=60, blank=True)
    month = models.DateField()
    committed_pence = models.BigIntegerField(default=0)
    committed_count = models.IntegerField(default=0)
    paid_pence = models.BigIntegerField(default=0)
    paid_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "month"], name="spend_total_key"
            )
        ]


class OrganisationNumber(models.Model):
    """One of an organisation's numbers at a glance on the lead's home, kept by the database
    itself (triggers on people and relationships, coaching migration 0009): how many people,
    their own budget allocations added up and how many have none of their own, and how many
    relationships are in each state. Never written by the app, so every way a person or a
    relationship changes keeps it right. The lead's home reads these few rows instead of
    counting the organisation's every person and relationship on each visit (two thirds of
    the home's time in the database at 10,000 people; issue 11)."""

    PEOPLE = "people"
    OWN_ALLOCATIONS = "own allocations"  # in pence
    WITHOUT_OWN_ALLOCATION = "people without their own allocation"
    RELATIONSHIPS = "relationships "  # followed by the state: "relationships active"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=60)
    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="organisation_number")
        ]


# Tables the database keeps from other tables' rows, by triggers: whatever empties and refills
# tables (a test's flush, a snapshot put back) fills these last, from the rows as they are.
KEPT_BY_DATABASE = ("coaching_spendtotal", "coaching_organisationnumber")


class SafetyPlan(PersonPart):
    """One version of a person's safety plan, in their own words. Never edited in place:
    each change is a new version, so the history is kept."""

    class Audience(models.TextChoices):
        MY_COACH = "my_coach", "My coach"
        MY_COACHES_ORGANISATION = "organisation", "Other staff where I'm coached"
        MY_CIRCLE = "circle", "People in my circle I've chosen"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safety_plans")
    version = models.PositiveIntegerField()
    keeps_me_safe = models.TextField("what keeps me safe", blank=True)
    early_signs = models.TextField("early signs that things are getting hard", blank=True)
    what_helps = models.TextField("what helps", blank=True)
    who_to_contact = models.TextField("who I'd like contacted", blank=True)
    what_others_can_do = models.TextField("what I'd like others to do", blank=True)
    visible_to = models.JSONField("who may see it", default=list)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="safety_plan_version")
        ]


class CircleMember(PersonPart):
    """Someone or something in the person's life, including other services they use."""

    class Kind(models.TextChoices):
        PERSON = "person", "Someone I know"
        GROUP = "group", "A group or community"
        SERVICE = "service", "A service or organisation"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="circle")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    about = models.CharField(max_length=300, blank=True)
    consent_to_contact = models.BooleanField(
        "you're happy for your coach to contact them", default=False
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name"]


def with_organisation(barriers: list[Barrier]) -> None:
    """Give each barrier without one its person's organisation (one query for those whose
    person is not already loaded)."""
    rest = []
    for barrier in barriers:
        if barrier.organisation_id is not None:
            continue
        if Barrier.person.is_cached(barrier):
            barrier.organisation_id = barrier.person.organisation_id
        else:
            rest.append(barrier)
    if rest:
        of = dict(
            Person.objects.filter(pk__in={b.person_id for b in rest}).values_list(
                "pk", "organisation_id"
            )
        )
        for barrier in rest:
            barrier.organisation_id = of[barrier.person_id]


class BarrierQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):  # noqa: ANN001, ANN201
        objs = list(objs)
        with_organisation(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Barrier(PersonPart):
    """Something in the system that got in the way, and what was done about it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="barriers")
    # The person's organisation, kept on the barrier so convening counts and reads shared
    # barriers across an area without joining every person there: the join was most of the
    # convening home's time (issue 11). Filled from the person by `save()` and by the
    # queryset's `bulk_create` (`with_organisation`); a trigger (migration 0010) moves a
    # person's barriers with them should their organisation ever change.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", editable=False
    )

    class Response(models.TextChoices):
        CHALLENGE = "challenge", "Challenged it"
        COMPLAINT = "complaint", "Made a complaint"
        ADVOCACY = "advocacy", "Advocated together"
        ANOTHER_WAY = "another_way", "Found another way"
        NOTHING_YET = "nothing_yet", "Nothing yet"

    service = models.CharField("which service or rule", max_length=200)
    happened_on = models.DateField(null=True, blank=True)
    response = models.CharField(
        "what we did about it", max_length=20, choices=Response.choices, blank=True
    )
    what_happened = models.TextField()
    what_we_did = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    share_with_convening = models.BooleanField(
        "you're happy for this to be shared, without your name, to help change things",
        default=False,
    )

    objects = BarrierQuerySet.as_manager()

    def save(self, *args, **kwargs):  # noqa: ANN201
        with_organisation([self])
        super().save(*args, **kwargs)


class LanguageWord(models.Model):
    """An organisation's own addition to the words the language prompt gently questions.
    The defaults live in coaching/language.py; an organisation can add to or switch off."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="language_words"
    )
    phrase = models.CharField(max_length=80)
    suggestion = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phrase"], name="language_word_unique")
        ]


class LanguagePromptEvent(models.Model):
    """The prompt fired: which phrase, when, and whether the writer changed their words.
    Deliberately no person, no writer, no text: this is evidence of culture change only."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField(default=timezone.localdate)
    phrase = models.CharField(max_length=80)
    kept_words = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organisation", "on"])]


class CorrectionRequest(PersonPart):
    """The person asks to correct something a coach wrote. Both versions are kept: the
    words as first written stay here even when the record is changed."""

    class Status(models.TextChoices):
        ASKED = "asked", "Asked"
        CHANGED = "changed", "Changed as you asked"
        NOT_CHANGED = "not_changed", "Not changed, with a reason"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="corrections")
    about_type = models.CharField(max_length=40)  # e.g. "conversation", "goal", "strength"
    about_id = models.PositiveBigIntegerField()
    field_name = models.CharField(max_length=40)
    as_written = models.TextField()
    asked_for = models.TextField("what you'd like it to say")
    why = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASKED)
    reply = models.TextField(blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN201 - matches QuerySet
        raise AppendOnlyError("Consent events cannot be changed: record a new choice instead.")

    def delete(self):  # noqa: ANN201
        raise AppendOnlyError("Consent events cannot be deleted: record a new choice instead.")


class ConsentEvent(models.Model):
    """One choice the person made, at one time. The latest event for a choice (and scope)
    is what holds now; withdrawing is a new event, never an edit."""

    class Choice(models.TextChoices):
        SHARE_BARRIERS = "share_barriers", "Share what got in the way, without my name"
        QUOTE_IN_LISTENING = "quote_in_listening", "Quote me in listening reports"
        CREDIT_AS = "credit_as", "How to credit me when quoted"
        CIRCLE_ACCESS = "circle_access", "Let someone in my circle see parts of my record"

    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="consent_events"
    )
    choice = models.CharField(max_length=30, choices=Choice.choices)
    # For CIRCLE_ACCESS: the circle member's id; for SHARE_BARRIERS: a barrier id, or "" for all.
    scope = models.CharField(max_length=60, blank=True)
    given = models.BooleanField()
    # Details of the choice, e.g. {"credit": "Sam, Oxford Street"} or {"parts": ["goals"]}.
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["person", "choice", "scope", "at"]),
            # The few withdrawals of shared barriers, which every convening read looks for
            # (`me_rights.barriers_for_convening`): read in the person's order, not sought
            # among every choice every person made (issue 11).
            models.Index(
                fields=["person"],
                condition=models.Q(choice="share_barriers", given=False),
                name="consent_barriers_withdrawn_idx",
            ),
        ]

    @property
    def audit_person_id(self) -> int:
        return self.person_id

    def save(self, *args, **kwargs):  # noqa: ANN201
        if self.pk is not None:
            raise AppendOnlyError("Consent events cannot be changed: record a new choice instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN201
        raise AppendOnlyError("Consent events cannot be deleted: record a new choice instead.")


class ErasureRequest(models.Model):
    """The person asks for their record to be erased. A lead approves (and the record is
    anonymised) or explains why not. Kept without the name once done."""

    class Status(models.TextChoices):
        ASKED = "asked", "Asked"
        DONE = "done", "Done: your record was anonymised"
        NOT_NOW = "not_now", "Not done, with a reason"

    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="erasure_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASKED)
    reason = models.TextField("why not (for example a legal hold)", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    @property
    def audit_person_id(self) -> int:
        return self.person_id

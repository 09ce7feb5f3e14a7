"""The directory (issue 15, items 1 and 2), shaped as Open Referral UK (HSDS 3.0 UK profile).

The live rows here are what the public pages and `/openreferral/` serve: only what network
staff approved. A member organisation's edit is a `DirectoryChange` holding the whole entry
as HSDS JSON until staff approve it; approving applies it, and the change (with what it
replaced) is kept as the entry's history. Ids are UUIDs, as the standard asks; a record
brought in from another directory's feed keeps that directory's id in `source_id`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone

from .base import AboutNoPerson


class Kept(AboutNoPerson, models.Model):
    """What every directory record has: a UUID, its network, when it changed, where it came
    from (another directory's feed, or typed here) and a version for concurrent edits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)
    source_feed = models.ForeignKey(
        "network.Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Taxonomy(Kept):
    """A vocabulary of terms: our own strengths-based practice vocabulary, or one a network
    brought in (for example the LGA service types)."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    version_label = models.CharField("version", max_length=50, blank=True)
    is_own = models.BooleanField(default=False, help_text="Alongside's own practice vocabulary.")

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.network_id


class TaxonomyTerm(Kept):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField("term", max_length=100, blank=True)  # HSDS `term`
    term_uri = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["taxonomy__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.network_id


class DirectoryOrganisation(Kept):
    """An organisation as the directory lists it. `member` is the Alongside organisation
    that keeps this entry (its leads propose changes); an entry from a feed has none."""

    member = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_entries",
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    # Shown on the public pages and in the API only once staff approved it.
    published = models.BooleanField(default=False)
    search_text = models.GeneratedField(
        expression=Lower(
            Concat("name", Value(" "), "description", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.member_id or self.network_id


class Service(Kept):
    class Status(models.TextChoices):
        ACTIVE = "active", "Open"
        INACTIVE = "inactive", "Not running just now"
        DEFUNCT = "defunct", "Closed"
        TEMPORARILY_CLOSED = "temporarily closed", "Closed for a while"

    organisation = models.ForeignKey(
        DirectoryOrganisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    published = models.BooleanField(default=False)
    # What a search by words looks in, kept by the database itself whichever way a service is
    # written (a change approved, a feed, an import): one lower-case LIKE instead of upper-casing
    # every name and description on every search.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat("name", Value(" "), "description", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["published", "name"], name="network_service_pub_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation.audit_organisation_id


class ServiceArea(Kept):
    """Where a service works: a named place, tied to an Alongside area where there is one."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200)
    area = models.ForeignKey(
        "accounts.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extent = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)


class Location(Kept):
    """A place (or a phone line or website: `location_type`) with its one address. HSDS keeps
    addresses as their own records; one per location is what directories here need."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", "A place you can go"
        POSTAL = "postal", "A postal address"
        VIRTUAL = "virtual", "Online or by phone"

    organisation = models.ForeignKey(
        DirectoryOrganisation, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(blank=True)
    # The address (HSDS `address`), with its own id for the API.
    address_id = models.UUIDField(default=uuid.uuid4, editable=False)
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField("county", max_length=100, blank=True)
    postal_code = models.CharField("postcode", max_length=20, blank=True)
    country = models.CharField(max_length=2, default="GB")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.address_1 or "A place"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation.audit_organisation_id


class ServiceAtLocation(Kept):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="network_sal_unique")
        ]


class Contact(Kept):
    """Someone to ask about a service, with one phone number (HSDS `phones`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone_id = models.UUIDField(default=uuid.uuid4, editable=False)
    phone = models.CharField(max_length=40, blank=True)
    phone_description = models.CharField(max_length=200, blank=True)


class Schedule(Kept):
    """When a service is open, as HSDS (RFC 5545 words): `byday` is "MO,WE", and the times
    are local UK times. A schedule may belong to a service at one location."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    freq = models.CharField(max_length=10, default="WEEKLY", blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=30, blank=True)
    bymonthday = models.CharField(max_length=30, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    attending_type = models.CharField(max_length=300, blank=True)


class DirectoryChange(AboutNoPerson, models.Model):
    """A proposed change to the directory, kept for ever: a new organisation or service, an
    edit, or a withdrawal. `proposed` is the whole entry as HSDS JSON (a service with its
    contacts, locations and schedules, or an organisation); `replaced` is what it was just
    before the change was applied, so the history can show what changed."""

    class Kind(models.TextChoices):
        NEW_ORGANISATION = "new_organisation", "A new organisation"
        ORGANISATION = "organisation", "A change to an organisation"
        NEW_SERVICE = "new_service", "A new service"
        SERVICE = "service", "A change to a service"
        WITHDRAW_SERVICE = "withdraw_service", "Taking a service out of the directory"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the network to look at it"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not approved"
        WITHDRAWN = "withdrawn", "Taken back"

    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    organisation = models.ForeignKey(
        DirectoryOrganisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    proposed = models.JSONField(default=dict)
    replaced = models.JSONField(default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_for = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member organisation that proposed it.",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField("a note for the organisation", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["network", "status", "-proposed_at"], name="network_change_queue")
        ]

    @property
    def audit_organisation_id(self) -> int:
        return self.proposed_for_id or self.network_id


class Feed(AboutNoPerson, models.Model):
    """Another directory's Open Referral UK feed, brought in on a schedule. A run checks every
    record first and changes nothing unless all of them are good."""

    network = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    every_hours = models.PositiveSmallIntegerField(default=24)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.network_id


class FeedRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Brought in"
        REFUSED = "refused", "Nothing brought in: some records need fixing"
        FAILED = "failed", "Could not be read"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    # Each {"record": 3, "id": "...", "problem": "..."}: the first few hundred.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

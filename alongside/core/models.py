"""The audit log: append-only, one row per read or write of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "viewed"
    CREATE = "create", "added"
    CHANGE = "change", "changed"
    EXPORT = "export", "downloaded"
    SIGN_IN = "sign_in", "signed in"
    SIGN_IN_FAILED = "sign_in_failed", "failed to sign in"
    SIGN_OUT = "sign_out", "signed out"
    DENIED = "denied", "was refused"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN201 - matches QuerySet
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):  # noqa: ANN201
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args, **kwargs):  # noqa: ANN201
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    """Who did what to which record, when, and in which request.

    Nothing here cascades: removing an organisation, a user or a person must not remove the
    trail of what happened (the actor's key has no database constraint).
    Database triggers (see the migration) refuse UPDATE and DELETE as well.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # The person whose record this touched (so they can see who has looked) and the
    # organisation it belongs to. Plain ids, not foreign keys: the audit log is the ground
    # floor and names its subject without depending on the apps above it, and a row outlives
    # whatever it names.
    person_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # A short, non-personal note such as which part of the record ("notes", "goals").
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # Matches "who has looked" (newest first, ties by id), so PostgreSQL reads only the
            # rows it shows, however long a person's history.
            models.Index(fields=["person_id", "-at", "-id"], name="core_audit_person_at_id_idx"),
            models.Index(fields=["actor", "-at"], name="core_audite_actor_i_056053_idx"),
            models.Index(fields=["organisation_id", "-at"], name="core_audit_org_at_idx"),
            # The lead's audit trail filtered by one kind of action (every refusal, newest
            # first): without it a rare kind meant reading the whole log backwards.
            models.Index(fields=["action", "-at", "-id"], name="core_audit_action_at_id_idx"),
            # What was done to one thing of a person's (their sign-in set up, by whose invite
            # code: the person's home asks on every visit): without it every entry about the
            # person was read, each look at their record included (3.7 ms at 12,000).
            models.Index(
                fields=["person_id", "object_type", "action", "at", "id"],
                name="core_audit_person_object_idx",
            ),
            # What staff did that names no record (signing in, being stopped at a page): the
            # lead's audit trail reads these newest first, and by kind. Without them it read
            # every row naming no person, the organisation's own page views included, to find
            # them (20,000 rows on the bench for 685; issue 11). Partial, so only these rows.
            models.Index(
                fields=["-at", "-id"],
                condition=models.Q(organisation_id=None, person_id=None),
                name="core_audit_no_record_at_idx",
            ),
            models.Index(
                fields=["action", "-at", "-id"],
                condition=models.Q(organisation_id=None, person_id=None),
                name="core_audit_no_record_kind_idx",
            ),
        ]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN201
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class Job(models.Model):
    """A piece of work done in the background (alongside.core.jobs): what it is, who started
    it, how far it has got, and how it ended, in words the people who started it can read.

    The queue itself is django-tasks' table; this row is ours, so progress, retries, a failure
    message and "which run holds it" (`lease`) survive any restart of the worker."""

    class Status(models.TextChoices):
        WAITING = "waiting", "waiting to start"
        RUNNING = "running", "under way"
        DONE = "done", "finished"
        FAILED = "failed", "stopped with a problem"

    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Plain ids for the same reason as the audit log's: core names what is above it by id.
    organisation_id = models.BigIntegerField(null=True, blank=True)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # What happened, for people: the result when it finished, the reason when it stopped.
    message = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=4)
    # The run that holds the job writes its token here; a run whose token is gone (the job was
    # taken over after its worker stopped answering) may not finish it.
    lease = models.CharField(max_length=32, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-created_at"]),
            models.Index(fields=["status", "heartbeat"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ScheduledRun(models.Model):
    """When each piece of scheduled work (`core.schedule`) last ran."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

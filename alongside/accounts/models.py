"""Who is who: organisations, areas, memberships with roles, and invite codes for people."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    COACH = "coach", "Coach"
    CONVENER = "convener", "Convener"
    LISTENER = "listener", "Listener"
    LEAD = "lead", "Lead"
    COMMISSIONER = "commissioner", "Commissioner"
    ASSESSOR = "assessor", "Assessor"
    # An area's analyst (issue 14): imports the area's service data and works on its insight.
    # Like a commissioner, sees aggregates only, never a person's record.
    ANALYST = "analyst", "Analyst"


class Area(models.Model):
    """A place, and the organisations working in it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", "Provider"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NETWORK = "network", "Network"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROVIDER)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    requires_two_factor = models.BooleanField(
        default=False, help_text="Everyone on the staff signs in with a code from an app."
    )
    # The organisation agrees that the barriers its people chose to share join the area's
    # system themes (convening), counted with disclosure control outside the organisation.
    shares_barriers_in_area = models.BooleanField(
        "share barriers with the area's convening", default=False
    )
    # Area insight (issue 14): the organisation's coaching figures (check-in changes, goals,
    # relationships restarted, barriers answered), aggregated and protected, never a person.
    shares_coaching_figures_in_area = models.BooleanField(
        "share coaching figures with the area's insight", default=False
    )
    # The networks this organisation is a member of (issue 15): their events, resources and
    # accreditation are open to its staff, and it keeps its own entries in their directory.
    networks = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "network"},
    )
    keep_in_touch_weeks = models.PositiveSmallIntegerField(
        default=settings.KEEP_IN_TOUCH_WEEKS_DEFAULT,
        help_text="After this many weeks without contact, coaches get a gentle prompt.",
    )

    # Personal budgets (pence). A coach approves up to the limit; above it, a lead.
    budget_allocation_pence = models.PositiveIntegerField(
        default=50000, help_text="Each person's personal budget, in pence."
    )
    coach_approval_limit_pence = models.PositiveIntegerField(
        default=10000, help_text="Coaches approve spends up to this; leads approve above it."
    )

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Staff and people alike. A person's account is linked from coaching.Person.user."""

    # "Sign out everywhere": bumping this changes the session hash, so every session the
    # user has, on any device, stops working at its next request.
    session_generation = models.PositiveIntegerField(default=0)
    # A coach's home shows what changed "since you last looked": when they last opened it,
    # and where the news it shows begins (kept through one sitting, so nothing vanishes on a
    # reload). Set by home.services.home_looked.
    home_seen_at = models.DateTimeField(null=True, blank=True)
    home_news_since = models.DateTimeField(null=True, blank=True)

    def get_session_auth_hash(self) -> str:
        from django.utils.crypto import salted_hmac

        key_salt = "alongside.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, algorithm="sha256").hexdigest()

    def display_name(self) -> str:
        person = getattr(self, "person", None)
        if person is not None:
            return person.chosen_name
        return self.first_name or self.username

    @property
    def is_person(self) -> bool:
        return hasattr(self, "person")


class Membership(models.Model):
    """A role a user holds in an organisation. One user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_role_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.organisation}"


# Letters and digits that cannot be mistaken for one another when read aloud or off paper.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class InviteCodeQuerySet(models.QuerySet):
    def usable(self) -> InviteCodeQuerySet:
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def matching(self, code: str) -> InviteCodeQuerySet:
        return self.filter(code_hash=_hash_code(code))


class InviteCode(models.Model):
    """A single-use code a coach gives a person so they can set up their own sign-in.

    Only a hash is stored: the code is shown once, to the coach, to pass on.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        "coaching.Person", on_delete=models.CASCADE, related_name="invite_codes"
    )
    issued_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invites_issued"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteCodeQuerySet.as_manager()

    @staticmethod
    def new_code() -> str:
        raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(12))
        return "-".join(raw[i : i + 4] for i in range(0, 12, 4))

    @staticmethod
    def hash(code: str) -> str:
        return _hash_code(code)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.INVITE_CODE_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()

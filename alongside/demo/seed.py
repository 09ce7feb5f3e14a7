"""The synthetic demo: one area, four organisations, a sign-in per role, and N people.

    from alongside.demo.seed import seed_demo
    report = seed_demo(people=300, seed=1)

Deterministic for a given seed: every random choice comes from `random.Random(seed)` and
every date is worked out from REFERENCE_DATE, never from today. `as_of` moves the whole story,
every date of every coaching row by the same number of days, so that REFERENCE_DATE falls on
that day: `manage.py seed_demo` (and so `make run`) tells it as of today, so a coach's week has
meetings in it and nothing is a month stale. Idempotent: the demo
organisations' coaching records are removed and built again, inside one transaction.
Seeding is not something a user did, so it writes no audit entries.

Everything here is invented. Never load the demo into a real deployment.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import ProtectedError
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.models import Area, InviteCode, Membership, Organisation, Role
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    CircleMember,
    Conversation,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    Person,
    Relationship,
    RelationshipChange,
    SafetyPlan,
    SpendRequest,
    Strength,
)

from . import text
from .sign_ins import (
    AREA,
    DEMO_OTHER_COACH,
    DEMO_PERSON_NAME,
    DEMO_SIGN_INS,
    ORGANISATIONS,
    DemoSignIn,
)

REFERENCE_DATE = date(2026, 11, 1)
BATCH_SIZE = 2000
PEOPLE_PER_COACH = 60
OTHER_COACH_PASSPHRASE = "demo coach river bend"  # noqa: S105 (public, demo only)
EXTRA_COACH_PREFIX = "demo-coach-"
TOTP_DEVICE_NAME = "demo authenticator"
HOME_SLUG = "harbour-lane"
OTHER_SLUG = "riverside-futures"
PROVIDER_SLUGS = (HOME_SLUG, OTHER_SLUG)
ONS4_ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")

State = Relationship.State
Intensity = Relationship.Intensity
HOW_OFTEN = {
    Intensity.WEEKLY: "every week",
    Intensity.FORTNIGHTLY: "every other week",
    Intensity.MONTHLY: "once a month",
    Intensity.WHEN_I_ASK: "only when they ask",
}


@dataclass
class SeedReport:
    """What one run made. `skipped` is true when --first-time-only found a demo already."""

    skipped: bool = False
    people: int = 0
    coaches: int = 0
    relationships: int = 0
    relationship_changes: int = 0
    conversations: int = 0
    strengths: int = 0
    goals: int = 0
    check_ins: int = 0
    milestones: int = 0
    spend_requests: int = 0
    barriers: int = 0
    seconds: float = 0.0


@dataclass
class _Rows:
    """Unsaved rows, collected for bulk_create in foreign-key order."""

    people: list[Person] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    changes: list[RelationshipChange] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    spend_requests: list[SpendRequest] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)
    steps: list[GoalStep] = field(default_factory=list)
    safety_plans: list[SafetyPlan] = field(default_factory=list)
    circle: list[CircleMember] = field(default_factory=list)


def at(day: date, hour: int = 11, minute: int = 0) -> datetime:
    """A fixed moment on a given day (UTC), for created_at and friends."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# --- the public entry points -------------------------------------------------------------


def demo_exists() -> bool:
    slugs = [slug for _, slug, _ in ORGANISATIONS]
    return Area.objects.filter(slug=AREA[1]).exists() and Organisation.objects.filter(
        slug__in=slugs
    ).count() == len(slugs)


def seed_demo(
    people: int = 300, seed: int = 1, first_time_only: bool = False, as_of: date | None = None
) -> SeedReport:
    """Build (or rebuild) the demo. `people` includes Sam, the demo person; `as_of` is the day
    the story is told from (REFERENCE_DATE if not given)."""
    started = time.perf_counter()
    if first_time_only and demo_exists():
        return SeedReport(skipped=True, seconds=time.perf_counter() - started)
    people = max(1, int(people))
    rng = random.Random(seed)
    with transaction.atomic():
        orgs = _ensure_organisations()
        users = _ensure_sign_ins(orgs)
        _clear_coaching(orgs)
        coaches = _ensure_coaches(orgs, users, people)
        rows = _Rows()
        _sam(rows, orgs[HOME_SLUG], users["sam"], users["priya"])
        _synthetic_people(rows, rng, people - 1, orgs, coaches, users["morag"])
        _save(rows, shift=(as_of - REFERENCE_DATE) if as_of else timedelta(0))
        exercise = _listening(orgs[HOME_SLUG], users, seed)
        _convening(orgs, users, seed, as_of)
        _insight(orgs, users, exercise, seed, as_of)
        _network(orgs, users, seed, as_of)
    return SeedReport(
        people=len(rows.people),
        coaches=sum(len(c) for c in coaches.values()),
        relationships=len(rows.relationships),
        relationship_changes=len(rows.changes),
        conversations=len(rows.conversations),
        strengths=len(rows.strengths),
        goals=len(rows.goals),
        check_ins=len(rows.check_ins),
        milestones=len(rows.milestones),
        spend_requests=len(rows.spend_requests),
        barriers=len(rows.barriers),
        seconds=time.perf_counter() - started,
    )


def _listening(organisation: Organisation, users: dict[str, Any], seed: int) -> Any:
    """One finished listening exercise, heard by Kofi with Morag, its report published."""
    from alongside.demo.listening import seed_listening
    from alongside.demo.listening_report import finish_demo_report

    exercise = seed_listening(organisation, [users["kofi"], users["morag"]], random.Random(seed))
    finish_demo_report(exercise)
    return exercise


def _convening(
    orgs: dict[str, Organisation], users: dict[str, Any], seed: int, as_of: date | None
) -> None:
    """System themes across Northfield, groups, experiments and answered recommendations."""
    from alongside.demo.convening import seed_convening

    shift = (as_of - REFERENCE_DATE) if as_of else timedelta(0)
    seed_convening(orgs, users, random.Random(seed), shift=shift)


def _insight(
    orgs: dict[str, Organisation],
    users: dict[str, Any],
    exercise: Any,
    seed: int,
    as_of: date | None,
) -> None:
    """Northfield's insight: its data sets, who is let down most, what good looks like, and
    the pulse, kept by the council and made by its analyst, Nadia."""
    from alongside.demo.insight import seed_insight

    council = orgs["northfield-council"]
    seed_insight(
        area=council.area,
        council=council,
        analyst=users["nadia"],
        providers=[orgs[slug] for slug in PROVIDER_SLUGS],
        exercise=exercise,
        rng=random.Random(seed),
        shift=(as_of - REFERENCE_DATE) if as_of else timedelta(0),
    )


def _network(
    orgs: dict[str, Organisation], users: dict[str, Any], seed: int, as_of: date | None
) -> None:
    """The Strengths Network: its members' directory entries, an accreditation in review and
    one decided, events, resources and news."""
    from alongside.demo.network import seed_network

    seed_network(orgs, users, random.Random(seed), as_of=as_of or REFERENCE_DATE)


def sign_ins() -> list[tuple[str, str, str, str]]:
    """(role, username, passphrase, organisation) for every demo sign-in, and the other coach."""
    rows = [(s.role, s.username, s.passphrase, s.organisation_slug) for s in DEMO_SIGN_INS]
    username, _, slug = DEMO_OTHER_COACH
    rows.insert(1, (Role.COACH, username, OTHER_COACH_PASSPHRASE, slug))
    return [(str(role), u, p, o) for role, u, p, o in rows]


def sign_in_table() -> str:
    """The demo sign-ins as a plain-text table, for the terminal."""
    header = ("role", "username", "passphrase", "organisation")
    rows = [header, *sign_ins()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lead, *others = [s for s in DEMO_SIGN_INS if s.totp_key_hex]
    lines += [
        "",
        f"{lead.username} ({lead.role}) also needs a code from an authenticator app.",
        f"Add this secret to the app: {lead.totp_base32()}",
        "or run `DEBUG=1 .venv/bin/python manage.py demo_totp` for the current 6-digit code.",
    ]
    for other in others:
        lines.append(f"{other.username} ({other.role}) too: add {other.totp_base32()} to the app.")
    return "\n".join(lines)


# --- organisations and sign-ins ----------------------------------------------------------


def _ensure_organisations() -> dict[str, Organisation]:
    area, _ = Area.objects.update_or_create(slug=AREA[1], defaults={"name": AREA[0]})
    orgs = {}
    for name, slug, kind in ORGANISATIONS:
        # A network spans areas; the others belong to Northfield.
        in_area = None if kind == Organisation.Kind.NETWORK else area
        orgs[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "area": in_area}
        )
    return orgs


def _ensure_user(username: str, first_name: str, passphrase: str | None) -> Any:
    User = get_user_model()  # noqa: N806
    user, _ = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.is_active = True
    if passphrase is None:
        user.set_unusable_password()
    else:
        user.set_password(passphrase)
    user.save()
    return user


def _ensure_membership(user: Any, org: Organisation, role: str) -> None:
    Membership.objects.get_or_create(
        user=user, organisation=org, role=role, defaults={"created_at": at(REFERENCE_DATE)}
    )


def _ensure_sign_ins(orgs: dict[str, Organisation]) -> dict[str, Any]:
    users: dict[str, Any] = {}
    entries: list[DemoSignIn] = list(DEMO_SIGN_INS)
    for entry in entries:
        user = _ensure_user(entry.username, entry.first_name, entry.passphrase)
        if entry.role != "person":
            for role in (entry.role, *entry.also):
                _ensure_membership(user, orgs[entry.organisation_slug], role)
        if entry.totp_key_hex:
            TOTPDevice.objects.update_or_create(
                user=user,
                name=TOTP_DEVICE_NAME,
                defaults={"key": entry.totp_key_hex, "confirmed": True, "last_t": -1},
            )
        users[entry.username] = user
    username, first_name, slug = DEMO_OTHER_COACH
    users[username] = _ensure_user(username, first_name, OTHER_COACH_PASSPHRASE)
    _ensure_membership(users[username], orgs[slug], Role.COACH)
    return users


def _ensure_coaches(
    orgs: dict[str, Organisation], users: dict[str, Any], people: int
) -> dict[str, list[Any]]:
    """Roughly one coach for every 60 people, split across the two providers.

    The named demo coaches come first; the rest cannot sign in (unusable passwords).
    Extra coaches a bigger earlier run made, and this one does not need, are removed.
    """
    User = get_user_model()  # noqa: N806
    total = max(2, people // PEOPLE_PER_COACH)
    wanted = {HOME_SLUG: (total + 1) // 2, OTHER_SLUG: total // 2}
    named = {HOME_SLUG: users["priya"], OTHER_SLUG: users[DEMO_OTHER_COACH[0]]}
    extra_names: dict[str, list[tuple[str, str, str]]] = {}
    for slug, short in ((HOME_SLUG, "hl"), (OTHER_SLUG, "rf")):
        extra_names[slug] = []
        for i in range(1, wanted[slug]):
            n = i if slug == HOME_SLUG else i + 1000
            first = text.COACH_FIRST_NAMES[n % len(text.COACH_FIRST_NAMES)]
            last = text.SURNAMES[(n * 7) % len(text.SURNAMES)]
            extra_names[slug].append((f"{EXTRA_COACH_PREFIX}{short}-{i:03d}", first, last))
    all_usernames = [u for names in extra_names.values() for u, _, _ in names]
    surplus = User.objects.filter(username__startswith=EXTRA_COACH_PREFIX).exclude(
        username__in=all_usernames
    )
    try:
        surplus.delete()
    except ProtectedError:
        pass  # something else now refers to them; leaving them is harmless
    existing = {u.username: u for u in User.objects.filter(username__in=all_usernames)}
    new_users = []
    for names in extra_names.values():
        for username, first, last in names:
            if username not in existing:
                user = User(username=username, first_name=first, last_name=last)
                user.set_unusable_password()
                new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    existing = {u.username: u for u in User.objects.filter(username__in=all_usernames)}
    coaches: dict[str, list[Any]] = {}
    memberships = []
    have = set(
        Membership.objects.filter(user__username__in=all_usernames, role=Role.COACH).values_list(
            "user__username", "organisation__slug"
        )
    )
    for slug, names in extra_names.items():
        coaches[slug] = [named[slug]] + [existing[u] for u, _, _ in names]
        for username, _, _ in names:
            if (username, slug) not in have:
                memberships.append(
                    Membership(
                        user=existing[username],
                        organisation=orgs[slug],
                        role=Role.COACH,
                        created_at=at(REFERENCE_DATE),
                    )
                )
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    return coaches


def _clear_coaching(orgs: dict[str, Organisation]) -> None:
    """Remove the demo providers' coaching records, children first, so deletes stay cheap."""
    org_ids = [orgs[slug].pk for slug in PROVIDER_SLUGS]
    cleared: set[type[models.Model]] = set()
    links = Conversation.goals.through
    # Consent events are append-only, in the database too: they stay, pointing at ids no
    # person has any more (their link to Person has no constraint, and ids are not reused).
    for model, qs in (
        (ErasureRequest, ErasureRequest.objects.filter(organisation_id__in=org_ids)),
        (CorrectionRequest, CorrectionRequest.objects.filter(person__organisation_id__in=org_ids)),
        (Payment, Payment.objects.filter(spend_request__person__organisation_id__in=org_ids)),
        (links, links.objects.filter(conversation__person__organisation_id__in=org_ids)),
        (GoalStep, GoalStep.objects.filter(goal__person__organisation_id__in=org_ids)),
        (SafetyPlan, SafetyPlan.objects.filter(person__organisation_id__in=org_ids)),
        (CircleMember, CircleMember.objects.filter(person__organisation_id__in=org_ids)),
        (SpendRequest, SpendRequest.objects.filter(person__organisation_id__in=org_ids)),
        (Barrier, Barrier.objects.filter(person__organisation_id__in=org_ids)),
        (Milestone, Milestone.objects.filter(person__organisation_id__in=org_ids)),
        (CheckIn, CheckIn.objects.filter(person__organisation_id__in=org_ids)),
        (Strength, Strength.objects.filter(person__organisation_id__in=org_ids)),
        (Conversation, Conversation.objects.filter(person__organisation_id__in=org_ids)),
        (Goal, Goal.objects.filter(person__organisation_id__in=org_ids)),
        (
            RelationshipChange,
            RelationshipChange.objects.filter(relationship__organisation_id__in=org_ids),
        ),
        (Relationship, Relationship.objects.filter(organisation_id__in=org_ids)),
        (InviteCode, InviteCode.objects.filter(person__organisation_id__in=org_ids)),
        (Person, Person.objects.filter(organisation_id__in=org_ids)),
    ):
        _delete(qs, cleared)
        cleared.add(model)


def _delete(qs: models.QuerySet, cleared: set[type[models.Model]]) -> None:
    """Delete straight away when every row that could point here is already gone;
    otherwise let Django's collector follow the relations (anything a later module adds)."""
    handled = all(
        rel.related_model in cleared or rel.on_delete is models.DO_NOTHING
        for rel in qs.model._meta.related_objects
    )
    if handled:
        qs._raw_delete(qs.db)
    else:
        qs.delete()


# --- saving ----------------------------------------------------------------------------


def _save(rows: _Rows, shift: timedelta = timedelta(0)) -> None:
    """bulk_create in foreign-key order, every date and time moved by `shift` first. Django
    5.2 sets primary keys on the saved objects (SQLite and PostgreSQL both return them), and
    fills in each child's foreign key from its now-saved parent."""
    for model, objs in (
        (Person, rows.people),
        (Relationship, rows.relationships),
        (RelationshipChange, rows.changes),
        (Goal, rows.goals),
        (Conversation, rows.conversations),
        (Strength, rows.strengths),
        (CheckIn, rows.check_ins),
        (Milestone, rows.milestones),
        (SpendRequest, rows.spend_requests),
        (Payment, rows.payments),
        (Barrier, rows.barriers),
        (GoalStep, rows.steps),
        (SafetyPlan, rows.safety_plans),
        (CircleMember, rows.circle),
    ):
        if shift:
            _move(model, objs, shift)
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _move(model: type[models.Model], objs: list[Any], shift: timedelta) -> None:
    """Move every date and time of these rows by `shift` (DateTimeField is a DateField)."""
    names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    for obj in objs:
        for name in names:
            value = getattr(obj, name)
            if value is not None:
                setattr(obj, name, value + shift)


# --- Sam: the demo person, written by hand ---------------------------------------------


def _sam(rows: _Rows, org: Organisation, user: Any, priya: Any) -> None:
    d = date
    sam = Person(
        organisation=org,
        chosen_name=DEMO_PERSON_NAME,
        pronouns="he/him",
        user=user,
        created_at=at(d(2026, 3, 9), 10),
        budget_allocation_pence=50000,
    )
    rows.people.append(sam)
    rel = Relationship(
        person=sam,
        coach=priya,
        organisation=org,
        state=State.WORKING_TOGETHER,
        intensity=Intensity.FORTNIGHTLY,
        started_on=d(2026, 3, 9),
        last_contact_on=d(2026, 10, 27),
        next_meeting_on=d(2026, 11, 10),
    )
    rows.relationships.append(rel)
    for when, frm, to, intensity, note in [
        (d(2026, 3, 9), "", State.GETTING_TO_KNOW, Intensity.WEEKLY, ""),
        (d(2026, 4, 6), State.GETTING_TO_KNOW, State.WORKING_TOGETHER, Intensity.WEEKLY, ""),
        (
            d(2026, 7, 1),
            State.WORKING_TOGETHER,
            State.WORKING_TOGETHER,
            Intensity.FORTNIGHTLY,
            "Sam asked to meet every other week now the flat search is going well.",
        ),
    ]:
        rows.changes.append(
            RelationshipChange(
                relationship=rel,
                at=at(when, 12),
                by=priya,
                from_state=frm,
                to_state=to,
                intensity=intensity,
                note=note,
            )
        )
    for when, place, notes, reflection in [
        (
            d(2026, 3, 9),
            "the library café",
            "Sam chose to meet at the library café: quiet, warm, and near his bus stop. "
            "We got to know each other. Sam talked about his kids, Ellie and Jay, and about "
            "the bikes he fixes for people on the estate. Sam didn't want to talk about housing "
            "yet, and that's fine. We agreed to meet again next week, same place.",
            "Easier than I thought. Nobody asked me to fill in a form.",
        ),
        (
            d(2026, 4, 6),
            "a walk along the river",
            "Sam wanted to walk and talk. We talked about what a good year would look like: "
            "a flat near the kids, his licence back, and riding with the Saturday group again. "
            "Sam wrote three goals down in his own words. I noticed how clearly Sam knows what "
            "matters to him.",
            "Writing it down made it feel real.",
        ),
        (
            d(2026, 6, 2),
            "the library café",
            "Sam brought the letter from the housing team and we read it together. The local "
            "connection rule had been applied because of his two years in Leeds. Sam decided to "
            "write back himself and asked me for a letter to go with it. Sam was calm and sharp "
            "about the details: he remembered every date.",
            "",
        ),
        (
            d(2026, 8, 18),
            "Sam's new flat",
            "First time meeting at Sam's flat, his choice. Sam showed me round, and the bike "
            "rack he built in the hallway from an old pallet. We looked at his budget and what "
            "would make the flat feel like home. Sam decided to ask for bedding and a kettle "
            "first, and to leave the rest until Ellie has stayed over.",
            "Proud of this place. Ellie's staying over next month.",
        ),
        (
            d(2026, 10, 27),
            "the bike shed at the Hub",
            "Sam chose to meet at the Hub while he trued a wheel for one of the volunteers. We "
            "talked about the driving theory test: Sam has been revising on his phone every "
            "night and is getting most of the hazard clips. I mentioned the bike maintenance "
            "course at the college as something he might enjoy; Sam wants to think about it. "
            "Sam will book the theory test when the money comes through.",
            "Less wound up than in the spring. Sleeping better.",
        ),
    ]:
        rows.conversations.append(
            Conversation(
                person=sam,
                relationship=rel,
                happened_on=when,
                place=place,
                notes=notes,
                reflection=reflection,
                written_by=priya,
                created_at=at(when, 15),
            )
        )
    for kind, words in [
        (Strength.Kind.SKILL, "I can fix pretty much any bike"),
        (Strength.Kind.QUALITY, "I don't give up, even when it takes ages"),
        (Strength.Kind.INTEREST, "Cycling, I used to ride every Sunday"),
        (Strength.Kind.PERSON, "My daughter Ellie"),
        (Strength.Kind.PLACE, "The library, it's quiet and warm"),
        (Strength.Kind.GROUP, "The Saturday bike ride from the Hub"),
    ]:
        rows.strengths.append(
            Strength(person=sam, kind=kind, words=words, created_at=at(d(2026, 4, 6), 14))
        )
    licence = Goal(
        person=sam,
        words="Get my driving licence back",
        why_it_matters="So I can see my kids at weekends without three buses each way.",
        status=Goal.Status.WORKING_ON_IT,
        created_at=at(d(2026, 4, 6), 14),
    )
    flat = Goal(
        person=sam,
        words="Find a flat of my own near the kids",
        why_it_matters="I want a door I can lock, and somewhere Ellie and Jay can stay.",
        status=Goal.Status.ACHIEVED,
        achieved_on=d(2026, 8, 14),
        created_at=at(d(2026, 4, 6), 14),
    )
    riding = Goal(
        person=sam,
        words="Ride with the Saturday group again",
        why_it_matters="It's the only time my head goes quiet.",
        status=Goal.Status.DREAMING,
        created_at=at(d(2026, 4, 6), 14),
    )
    course = Goal(
        person=sam,
        words="Try the bike maintenance course at the college",
        why_it_matters="Priya's idea: Sam already fixes half the estate's bikes, and this "
        "could lead to paid work if he wants it to.",
        status=Goal.Status.DREAMING,
        suggested_by=priya,
        accepted_at=None,
        created_at=at(d(2026, 10, 27), 16),
    )
    rows.goals += [licence, flat, riding, course]
    for when, answers in [
        (d(2026, 3, 9), {"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 8}),
        (d(2026, 4, 6), {"life_satisfaction": 4, "worthwhile": 5, "anxiety": 7}),
        (d(2026, 6, 2), {"life_satisfaction": 4, "worthwhile": 5, "happiness": 4, "anxiety": 7}),
        (d(2026, 8, 18), {"life_satisfaction": 6, "worthwhile": 7, "happiness": 6, "anxiety": 5}),
        (d(2026, 10, 27), {"life_satisfaction": 7, "worthwhile": 7, "happiness": 7, "anxiety": 4}),
    ]:
        rows.check_ins.append(
            CheckIn(person=sam, taken_on=when, answers=answers, created_at=at(when, 16))
        )
    rows.milestones += [
        Milestone(
            person=sam,
            kind="own home",
            words="Got the keys to my flat on Elm Road",
            happened_on=d(2026, 8, 14),
            created_at=at(d(2026, 8, 18), 16),
        ),
        Milestone(
            person=sam,
            kind="reconnected with family",
            words="Ellie stayed over for the first time",
            happened_on=d(2026, 9, 19),
            created_at=at(d(2026, 10, 27), 16),
        ),
    ]
    rows.steps += [
        GoalStep(goal=licence, words="Apply for a provisional licence", done_on=d(2026, 5, 20)),
        GoalStep(goal=licence, words="Revise for the theory test on my phone"),
        GoalStep(goal=licence, words="Book the theory test"),
        GoalStep(goal=flat, words="Get onto the housing register", done_on=d(2026, 6, 20)),
        GoalStep(goal=flat, words="Look at flats near the school", done_on=d(2026, 7, 30)),
    ]
    for step in rows.steps[-5:]:
        step.created_at = at(d(2026, 4, 20), 12)
    rows.safety_plans.append(
        SafetyPlan(
            person=sam,
            version=1,
            keeps_me_safe="Being out on the bike. Seeing the kids. Having my own key.",
            early_signs="I stop answering my phone and stay in bed past noon.",
            what_helps="A text from Priya, not a call. A walk. Someone to fix a bike with.",
            who_to_contact="My brother Dan first. Priya if Dan can't be reached.",
            what_others_can_do="Don't turn up unannounced. Ask me to come out for a walk.",
            visible_to=[SafetyPlan.Audience.MY_COACH],
            written_by=user,
            created_at=at(d(2026, 6, 2), 16),
        )
    )
    for name, kind, about, since, until in [
        ("Dan, my brother", CircleMember.Kind.PERSON, "Rings most Sundays", d(2026, 3, 9), None),
        ("The Hub bike shed", CircleMember.Kind.GROUP, "Saturday rides", d(2026, 3, 9), None),
        ("Housing options team", CircleMember.Kind.SERVICE, "", d(2026, 3, 9), d(2026, 8, 14)),
        ("Day centre", CircleMember.Kind.SERVICE, "Lunches", d(2026, 3, 9), d(2026, 9, 1)),
        ("GP at Elm Road surgery", CircleMember.Kind.SERVICE, "", d(2026, 8, 20), None),
    ]:
        rows.circle.append(
            CircleMember(
                person=sam,
                name=name,
                kind=kind,
                about=about,
                since=since,
                until=until,
                consent_to_contact=kind == CircleMember.Kind.SERVICE,
                added_by=priya,
                created_at=at(since, 16),
            )
        )
    paid, asked_for = SpendRequest.Status.PAID, SpendRequest.Status.REQUESTED
    for goal, what_for, category, pence, status, asked in [
        (licence, "Provisional licence", "training", 3400, paid, d(2026, 5, 5)),
        (flat, "Bedding and a kettle", "home", 6500, paid, d(2026, 8, 18)),
        (licence, "Driving theory test", "training", 2300, asked_for, d(2026, 10, 27)),
    ]:
        decided = status != asked_for
        spend = SpendRequest(
            person=sam,
            goal=goal,
            what_for=what_for,
            category=category,
            amount_pence=pence,
            status=status,
            requested_by=priya,
            decided_by=priya if decided else None,
            decided_at=at(asked + timedelta(days=2), 10) if decided else None,
            created_at=at(asked, 16),
        )
        rows.spend_requests.append(spend)
        if status == paid:
            rows.payments.append(_payment(spend, asked + timedelta(days=3), priya))
    rows.barriers.append(
        Barrier(
            person=sam,
            service="Housing register: local connection rule",
            what_happened="Sam was told he couldn't join the housing register because he'd "
            "spent two years in Leeds, even though his kids live here.",
            what_we_did="Sam wrote to the housing team himself, with a letter from me and one "
            "from the kids' mum about how often he sees them.",
            outcome="Accepted onto the register in June; keys to the flat in August.",
            happened_on=d(2026, 5, 28),
            response=Barrier.Response.CHALLENGE,
            share_with_convening=True,
            created_at=at(d(2026, 6, 2), 16),
        )
    )


def _payment(spend: SpendRequest, paid_on: date, by: Any) -> Payment:
    return Payment(
        spend_request=spend,
        amount_pence=spend.amount_pence,
        paid_on=paid_on,
        paid_by=by,
        created_at=at(paid_on, 14),
    )


# --- everyone else ---------------------------------------------------------------------


def _synthetic_people(
    rows: _Rows,
    rng: random.Random,
    count: int,
    orgs: dict[str, Organisation],
    coaches: dict[str, list[Any]],
    lead: Any,
) -> None:
    # Sam already sits with priya, so priya's round starts at the next coach.
    turn = {HOME_SLUG: 1, OTHER_SLUG: 0}
    for _ in range(count):
        slug = HOME_SLUG if rng.random() < 0.5 else OTHER_SLUG
        team = coaches[slug]
        coach = team[turn[slug] % len(team)]
        turn[slug] += 1
        _one_person(rows, rng, orgs[slug], coach, lead if slug == HOME_SLUG else None)


NAME_BANKS = {
    "feminine": text.FEMININE_NAMES,
    "masculine": text.MASCULINE_NAMES,
    "unisex": text.UNISEX_NAMES,
}


def _choose_name(rng: random.Random) -> tuple[str, str]:
    """A chosen name (full name, first name or nickname) and pronouns, if given."""
    bank = rng.choices(list(NAME_BANKS), weights=[45, 45, 10])[0]
    first = rng.choice(NAME_BANKS[bank])
    roll = rng.random()
    if roll < 0.45:
        name = f"{first} {rng.choice(text.SURNAMES)}"
    elif roll < 0.85:
        name = first
    else:
        name, bank = rng.choice(text.NICKNAMES)
    return name, rng.choice(text.PRONOUNS[bank])


def _spread_dates(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    """n sorted dates from start to end, the last one on `end`."""
    span = max(0, (end - start).days)
    if n <= 1:
        return [end]
    inner = sorted(rng.randint(0, span) for _ in range(n - 2))
    return [start] + [start + timedelta(days=x) for x in inner] + [end]


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _one_person(
    rows: _Rows,
    rng: random.Random,
    org: Organisation,
    coach: Any,
    lead: Any | None,
) -> None:
    ref = REFERENCE_DATE
    name, pronouns = _choose_name(rng)
    short = name.split(" ")[0]

    # The shape of the relationship, and the dates that follow from it.
    roll = rng.random()
    if roll < 0.10:
        state = State.PAUSED
    elif roll < 0.18:
        state = State.ENDED
    elif roll < 0.32:
        state = State.GETTING_TO_KNOW
    else:
        state = State.WORKING_TOGETHER
    intensity = rng.choices(
        [Intensity.WEEKLY, Intensity.FORTNIGHTLY, Intensity.MONTHLY, Intensity.WHEN_I_ASK],
        weights=[3, 5, 3, 1],
    )[0]
    next_meeting = None
    if state == State.GETTING_TO_KNOW:
        started = ref - timedelta(days=rng.randint(5, 70))
        last_contact = ref - timedelta(days=rng.randint(0, min(14, (ref - started).days)))
        next_meeting = ref + timedelta(days=rng.randint(1, 14))
    elif state == State.WORKING_TOGETHER:
        started = ref - timedelta(days=rng.randint(60, 900))
        if rng.random() < 0.12:  # not heard from in a while: a prompt to keep in touch
            days_ago = rng.randint(43, min(120, (ref - started).days - 14))
            last_contact = ref - timedelta(days=days_ago)
        else:
            last_contact = ref - timedelta(days=rng.randint(0, 21))
            next_meeting = ref + timedelta(days=rng.randint(1, 21))
    else:
        last_contact = ref - timedelta(days=rng.randint(10, 240))
        started = last_contact - timedelta(days=rng.randint(45, 600))
    span = (last_contact - started).days

    person = Person(
        organisation=org,
        chosen_name=name,
        pronouns=pronouns,
        created_at=at(started, rng.randint(9, 17)),
        budget_allocation_pence=rng.choice([25000, 50000, 50000, 50000, 75000, 100000]),
    )
    rows.people.append(person)
    rel = Relationship(
        person=person,
        coach=coach,
        organisation=org,
        state=state,
        intensity=intensity,
        started_on=started,
        last_contact_on=last_contact,
        next_meeting_on=next_meeting,
    )
    rows.relationships.append(rel)
    _changes(rows, rng, rel, coach, short, started, span)

    # Conversations, from the first meeting to the last contact.
    n_conv = rng.randint(2, 3) if state == State.GETTING_TO_KNOW else rng.randint(2, 8)
    favourite = rng.choice(text.PLACES)
    for when in _spread_dates(rng, started, last_contact, n_conv):
        place = favourite if rng.random() < 0.6 else rng.choice(text.PLACES)
        parts = [
            rng.choice(text.OPENINGS).format(name=short, place=place),
        ]
        topic, follow_up = rng.choice(text.TOPICS)
        parts.append(topic.format(name=short))
        if rng.random() < 0.7:
            parts.append(rng.choice(text.NOTICED).format(name=short))
        if not follow_up or rng.random() < 0.3:
            follow_up = rng.choice(text.NEXT_STEPS)
        parts.append(follow_up.format(name=short))
        reflection = rng.choice(text.REFLECTIONS) if rng.random() < 0.35 else ""
        rows.conversations.append(
            Conversation(
                person=person,
                relationship=rel,
                happened_on=when,
                place=place,
                notes=" ".join(parts),
                reflection=reflection,
                written_by=coach,
                created_at=at(when, rng.randint(10, 18), rng.randint(0, 59)),
            )
        )

    # Strengths, across different kinds.
    kinds = rng.sample(list(text.STRENGTHS), rng.randint(2, 5))
    for kind in kinds:
        rows.strengths.append(
            Strength(
                person=person,
                kind=kind,
                words=rng.choice(text.STRENGTHS[kind]),
                created_at=at(started + timedelta(days=rng.randint(0, span)), 14),
            )
        )

    # Goals, and the spending and milestones that go with them.
    remaining = person.budget_allocation_pence
    spend_people = rng.random() < 0.65
    for theme in rng.sample(text.GOAL_THEMES, rng.randint(1, 4)):
        created = started + timedelta(days=rng.randint(0, span))
        status_roll = rng.random()
        if state == State.GETTING_TO_KNOW:
            status = Goal.Status.DREAMING if status_roll < 0.6 else Goal.Status.WORKING_ON_IT
        elif status_roll < 0.22:
            status = Goal.Status.ACHIEVED
        elif status_roll < 0.65:
            status = Goal.Status.WORKING_ON_IT
        elif status_roll < 0.9:
            status = Goal.Status.DREAMING
        else:
            status = Goal.Status.CHANGED_MY_MIND
        why = rng.choice(theme["why"])
        why = why[0].upper() + why[1:] + "."
        if status == Goal.Status.CHANGED_MY_MIND:
            why += " " + rng.choice(text.CHANGED_MY_MIND_WHY)
        suggested_by = None
        accepted_at = None
        suggestion_roll = rng.random()
        if suggestion_roll < 0.2:
            suggested_by = coach
            accepted_at = at(created + timedelta(days=rng.randint(0, 14)), 15)
        elif suggestion_roll < 0.28 and status in (Goal.Status.DREAMING,):
            suggested_by = coach  # still a suggestion: the person hasn't said yes yet
        achieved_on = None
        if status == Goal.Status.ACHIEVED:
            achieved_on = created + timedelta(days=rng.randint(0, max(0, (ref - created).days)))
            achieved_on = min(achieved_on, last_contact)
            achieved_on = max(achieved_on, created)
        goal = Goal(
            person=person,
            words=rng.choice(theme["words"]),
            why_it_matters=why,
            status=status,
            suggested_by=suggested_by,
            accepted_at=accepted_at,
            achieved_on=achieved_on,
            created_at=at(created, 15),
        )
        rows.goals.append(goal)
        if achieved_on is not None and theme["milestone"]:
            kind, words = theme["milestone"]
            rows.milestones.append(
                Milestone(
                    person=person,
                    kind=kind,
                    words=words,
                    happened_on=achieved_on,
                    created_at=at(achieved_on, 16),
                )
            )
        is_open = status in (Goal.Status.WORKING_ON_IT, Goal.Status.ACHIEVED)
        if spend_people and is_open and theme["spends"]:
            for what_for, category, low, high in rng.sample(
                theme["spends"], rng.randint(1, min(2, len(theme["spends"])))
            ):
                pence = rng.randint(low // 100, high // 100) * 100
                if pence > remaining:
                    continue
                if status == Goal.Status.ACHIEVED:
                    spend_status = SpendRequest.Status.PAID
                else:
                    spend_status = rng.choices(
                        [
                            SpendRequest.Status.REQUESTED,
                            SpendRequest.Status.APPROVED,
                            SpendRequest.Status.PAID,
                            SpendRequest.Status.DECLINED,
                        ],
                        weights=[3, 2, 5, 1],
                    )[0]
                if spend_status != SpendRequest.Status.DECLINED:
                    remaining -= pence
                asked = min(created + timedelta(days=rng.randint(0, 30)), ref)
                decided_by = None
                decided_at = None
                if spend_status != SpendRequest.Status.REQUESTED:
                    decided_by = lead if (lead is not None and pence > 10000) else coach
                    decided_at = at(min(asked + timedelta(days=rng.randint(0, 5)), ref), 10)
                spend = SpendRequest(
                    person=person,
                    goal=goal,
                    what_for=what_for,
                    category=category,
                    amount_pence=pence,
                    status=spend_status,
                    requested_by=coach,
                    decided_by=decided_by,
                    decided_at=decided_at,
                    created_at=at(asked, 16),
                )
                rows.spend_requests.append(spend)
                if spend_status == SpendRequest.Status.PAID:
                    rows.payments.append(_payment(spend, decided_at.date(), coach))
    if rng.random() < 0.15:
        kind, words = rng.choice(text.EXTRA_MILESTONES)
        when = started + timedelta(days=rng.randint(0, span))
        rows.milestones.append(
            Milestone(person=person, kind=kind, words=words, happened_on=when, created_at=at(when))
        )

    # Check-ins, roughly monthly, with a gentle trend and some noise.
    months = max(0, span // 30)
    n_checks = min(rng.randint(1, 6), months + 1)
    trend = rng.choice([0.7, 0.5, 0.4, 0.3, 0.2, 0.0, -0.2])
    base = {
        "life_satisfaction": rng.randint(2, 6),
        "worthwhile": rng.randint(3, 7),
        "happiness": rng.randint(2, 6),
        "anxiety": rng.randint(4, 9),
    }
    step = min(30, span // max(1, n_checks - 1))  # about monthly, within the relationship
    for k in range(n_checks):
        jitter = rng.randint(-3, 3) if 0 < k < n_checks - 1 else 0
        taken = started + timedelta(days=k * step + jitter)
        answers = {}
        for item in ONS4_ITEMS:
            if rng.random() < 0.05:
                continue  # skipped: the key is simply absent
            drift = -trend * k if item == "anxiety" else trend * k
            answers[item] = _clamp(base[item] + drift + rng.gauss(0, 0.8))
        rows.check_ins.append(
            CheckIn(person=person, taken_on=taken, answers=answers, created_at=at(taken, 16))
        )

    # Something in the system that got in the way, for about one person in seven.
    if rng.random() < 0.15:
        barrier = rng.choice(text.BARRIERS)
        when = started + timedelta(days=rng.randint(0, span))
        rows.barriers.append(
            Barrier(
                person=person,
                service=barrier["service"],
                what_happened=barrier["what_happened"].format(name=short),
                what_we_did=barrier["what_we_did"].format(name=short),
                outcome=barrier["outcome"],
                share_with_convening=rng.random() < 0.5,
                created_at=at(when, 16),
            )
        )


def _changes(
    rows: _Rows,
    rng: random.Random,
    rel: Relationship,
    coach: Any,
    name: str,
    started: date,
    span: int,
) -> None:
    """The history that leads to the relationship's current state and intensity."""
    state, intensity, last_contact = rel.state, rel.intensity, rel.last_contact_on
    first_intensity = intensity if rng.random() < 0.7 else Intensity.WEEKLY
    history: list[tuple[date, str, str, str, str]] = [
        (started, "", State.GETTING_TO_KNOW, first_intensity, "")
    ]
    if state != State.GETTING_TO_KNOW:
        working = started + timedelta(days=min(rng.randint(14, 45), max(1, span // 3)))
        history.append(
            (working, State.GETTING_TO_KNOW, State.WORKING_TOGETHER, first_intensity, "")
        )
        rest = (last_contact - working).days
        if state == State.WORKING_TOGETHER and rest > 150 and rng.random() < 0.12:
            # Paused for a while, then picked up again: no re-referral, the door was open.
            paused = working + timedelta(days=rest // 4)
            back = paused + timedelta(days=rng.randint(28, 60))
            history.append(
                (
                    paused,
                    State.WORKING_TOGETHER,
                    State.PAUSED,
                    first_intensity,
                    rng.choice(text.PAUSE_NOTES),
                )
            )
            history.append(
                (
                    back,
                    State.PAUSED,
                    State.WORKING_TOGETHER,
                    first_intensity,
                    f"{name} got back in touch and wanted to pick things up again.",
                )
            )
        if first_intensity != intensity:
            changed = working + timedelta(days=max(1, rest * 2 // 3))
            label = HOW_OFTEN[intensity]
            history.append(
                (
                    changed,
                    State.WORKING_TOGETHER,
                    State.WORKING_TOGETHER,
                    intensity,
                    f"{name} would rather meet {label} now.",
                )
            )
    now = history[-1][2]
    if state == State.PAUSED:
        history.append((last_contact, now, State.PAUSED, intensity, rng.choice(text.PAUSE_NOTES)))
    elif state == State.ENDED:
        history.append((last_contact, now, State.ENDED, intensity, rng.choice(text.ENDED_NOTES)))
    for when, frm, to, how_often, note in history:
        rows.changes.append(
            RelationshipChange(
                relationship=rel,
                at=at(min(when, REFERENCE_DATE), 12),
                by=coach,
                from_state=frm,
                to_state=to,
                intensity=how_often,
                note=note,
            )
        )

"""A large synthetic organisation, fast: a small `seed_demo` run, then bulk rows on top.

    python -m bench.seed_large --people 10000 --database-url sqlite:///bench/.data/x.sqlite3

`seed_demo(people=1)` makes what the pages need and what is slow to make by hand: the
organisations, the demo sign-ins (Priya, Morag with her authenticator, Sam...), Sam's
hand-written record and the finished listening exercise. This module then adds, with
`bulk_create` in batches of about 5,000 rows and one transaction per batch:

- coaches with a coach membership (about one per 50 people, across both demo providers;
  Priya and Tom are two of them), so Priya's caseload is the average caseload;
- people, each with a relationship and its history, about 50 conversations (some linked to
  a goal), about 10 ONS4 check-ins, strengths, goals with steps, a budget with spend requests
  and payments, milestones, and for about one in five a barrier;
- Sam's record topped up to the same size (his hand-written conversations are kept);
- two audit entries per conversation (the coach opening the record and adding the notes:
  about a million rows at full size), and a sign-in for each day a coach wrote one, as the
  audit log of a real organisation would hold;
- a second listening exercise ("Bench: many voices") with 2,000 contributions, their
  redactions found by the same code that runs at capture (vectors are left empty: they only
  matter to theme suggestion, which bench/themes.py times on its own);
- every new shared barrier placed in the demo's system themes (convening), by its service.

10,000 people give 200 coaches, about 500,000 conversations and 100,000 check-ins. Text comes
from alongside/demo/text.py, dates from the demo's REFERENCE_DATE. Deterministic for a seed.
Memory stays bounded: nothing is kept once its batch is saved. On PostgreSQL the command
line ends with ANALYZE (see analyze()).

`grow()` can be called again with bigger sizes (tests/test_query_budgets_scale.py does): it
adds people, tops existing people up to the new sizes and adds contributions.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

BATCH_ROWS = 5000
BENCH_COACH_PREFIX = "bench-coach-"
EXERCISE_TITLE = "Bench: many voices"
GETTING_TO_KNOW_SHARE = 0.10

# Small steps towards a goal, in the person's words (the demo writes only Sam's by hand).
STEPS = [
    "Ring them on Monday morning",
    "Ask my coach to come with me the first time",
    "Find out what I need to bring",
    "Write down what I want to say",
    "Look online at the library",
    "Ask my sister what she thinks",
    "Put some money aside each week",
    "Book it before the end of the month",
]


@dataclass(frozen=True)
class Sizes:
    """How big the organisation is. `coaches` defaults to one per 50 people; the means are
    per person, spread between 70% and 130% of the mean (people still getting to know their
    coach have only a few)."""

    people: int = 10_000
    coaches: int | None = None
    conversations: int = 50
    check_ins: int = 10
    contributions: int = 2_000
    base_people: int = 1

    def coach_count(self) -> int:
        if self.coaches is not None:
            return max(2, self.coaches)
        return max(2, round(self.people / 50))


@dataclass
class _Chunk:
    """Unsaved rows for one batch, saved in foreign-key order."""

    people: list[Any] = field(default_factory=list)
    relationships: list[Any] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    steps: list[Any] = field(default_factory=list)
    conversations: list[Any] = field(default_factory=list)
    # (conversation, goal): linked once both have primary keys.
    links: list[tuple[Any, Any]] = field(default_factory=list)
    strengths: list[Any] = field(default_factory=list)
    check_ins: list[Any] = field(default_factory=list)
    milestones: list[Any] = field(default_factory=list)
    spend_requests: list[Any] = field(default_factory=list)
    payments: list[Any] = field(default_factory=list)
    barriers: list[Any] = field(default_factory=list)

    def rows(self) -> int:
        return len(self.conversations) + len(self.check_ins)


@dataclass
class Timings:
    steps: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.steps[name] = round(self.steps.get(name, 0.0) + seconds, 2)


# --- the entry points --------------------------------------------------------------------


def seed(sizes: Sizes, *, seed: int = 1, log: Callable[[str], None] = print) -> dict[str, Any]:
    """seed_demo(base_people), then grow() to `sizes`. Returns counts and timings."""
    from alongside.demo.seed import seed_demo

    timings = Timings()
    started = time.perf_counter()
    seed_demo(people=sizes.base_people, seed=seed)
    timings.add("seed_demo", time.perf_counter() - started)
    log(f"seed_demo(people={sizes.base_people}): {timings.steps['seed_demo']:.1f}s")
    result = grow(sizes, seed=seed, log=log, timings=timings)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def grow(
    sizes: Sizes,
    *,
    seed: int = 1,
    log: Callable[[str], None] = print,
    timings: Timings | None = None,
) -> dict[str, Any]:
    """Bring the demo up to `sizes` (never down): coaches, people, top-ups, contributions."""
    from alongside.accounts.models import Organisation, User
    from alongside.demo.seed import HOME_SLUG, OTHER_SLUG

    timings = timings or Timings()
    started = time.perf_counter()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=(HOME_SLUG, OTHER_SLUG))}
    users = {u.username: u for u in User.objects.filter(username__in=("priya", "morag", "kofi"))}
    rng = random.Random(f"bench-{seed}-{sizes}")

    step = time.perf_counter()
    coaches = _ensure_coaches(orgs, sizes.coach_count())
    timings.add("coaches", time.perf_counter() - step)

    step = time.perf_counter()
    topped = _top_up(rng, sizes, log)
    timings.add("top_up", time.perf_counter() - step)

    step = time.perf_counter()
    added = _add_people(rng, sizes, orgs, coaches, users["morag"], log)
    timings.add("people", time.perf_counter() - step)

    step = time.perf_counter()
    contributions = _add_contributions(rng, sizes, orgs[HOME_SLUG], users)
    timings.add("contributions", time.perf_counter() - step)
    log(f"contributions: {contributions} added in {time.perf_counter() - step:.1f}s")

    step = time.perf_counter()
    placed = _place_barriers(rng, orgs[HOME_SLUG])
    timings.add("convening", time.perf_counter() - step)
    log(f"convening: {placed} shared barriers placed in system themes")

    step = time.perf_counter()
    choices = _consent_choices(rng)
    timings.add("consent", time.perf_counter() - step)
    log(f"consent: {choices} choices people made")

    return {
        "sizes": asdict(sizes) | {"coaches": sizes.coach_count()},
        "added_people": added,
        "topped_up_people": topped,
        "counts": counts(),
        "steps": timings.steps,
        "grow_seconds": round(time.perf_counter() - started, 2),
    }


def counts() -> dict[str, int]:
    """Rows in the tables the key pages read, for the results file."""
    from alongside.accounts.models import Membership, Role
    from alongside.coaching import models as m
    from alongside.convening.models import BarrierPlacement
    from alongside.core.models import AuditEntry
    from alongside.listening.models import Contribution

    return {
        "people": m.Person.objects.count(),
        "coaches": Membership.objects.filter(role=Role.COACH).values("user").distinct().count(),
        "relationships": m.Relationship.objects.count(),
        "conversations": m.Conversation.objects.count(),
        "check_ins": m.CheckIn.objects.count(),
        "goals": m.Goal.objects.count(),
        "strengths": m.Strength.objects.count(),
        "spend_requests": m.SpendRequest.objects.count(),
        "payments": m.Payment.objects.count(),
        "barriers": m.Barrier.objects.count(),
        "milestones": m.Milestone.objects.count(),
        "contributions": Contribution.objects.count(),
        "barrier_placements": BarrierPlacement.objects.count(),
        "consent_choices": m.ConsentEvent.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


# --- coaches ------------------------------------------------------------------------------


def _ensure_coaches(orgs: dict[str, Any], wanted: int) -> dict[str, list[Any]]:
    """`wanted` coaches across the two demo providers (half each), the demo's own first."""
    from alongside.accounts.models import Membership, Role, User
    from alongside.demo import text
    from alongside.demo.seed import HOME_SLUG, REFERENCE_DATE, at

    per_org = {HOME_SLUG: (wanted + 1) // 2}
    per_org[next(s for s in orgs if s != HOME_SLUG)] = wanted // 2
    result: dict[str, list[Any]] = {}
    for slug, org in orgs.items():
        have = list(
            User.objects.filter(memberships__organisation=org, memberships__role=Role.COACH)
            .distinct()
            .order_by("id")
        )
        short = "hl" if slug == HOME_SLUG else "rf"
        missing = per_org[slug] - len(have)
        if missing > 0:
            taken = set(
                User.objects.filter(
                    username__startswith=f"{BENCH_COACH_PREFIX}{short}-"
                ).values_list("username", flat=True)
            )
            new, n = [], 0
            while len(new) < missing:
                n += 1
                username = f"{BENCH_COACH_PREFIX}{short}-{n:04d}"
                if username in taken:
                    continue
                first = text.COACH_FIRST_NAMES[n % len(text.COACH_FIRST_NAMES)]
                last = text.SURNAMES[(n * 7 + len(short)) % len(text.SURNAMES)]
                user = User(username=username, first_name=first, last_name=last)
                user.set_unusable_password()
                new.append(user)
            User.objects.bulk_create(new, batch_size=BATCH_ROWS)
            joined = at(REFERENCE_DATE)
            memberships = [
                Membership(user=u, organisation=org, role=Role.COACH, created_at=joined)
                for u in new
            ]
            Membership.objects.bulk_create(memberships, batch_size=BATCH_ROWS)
            have += new
        result[slug] = have
    return result


# --- people -------------------------------------------------------------------------------


def _mean_for_others(mean: float, few: float) -> float:
    """The mean for people past getting to know, so that the overall mean is `mean`."""
    return max(1.0, (mean - GETTING_TO_KNOW_SHARE * few) / (1 - GETTING_TO_KNOW_SHARE))


def _around(rng: random.Random, mean: float) -> int:
    return rng.randint(max(1, round(mean * 0.7)), max(1, round(mean * 1.3)))


def _people_per_chunk(sizes: Sizes) -> int:
    per_person = max(1, sizes.conversations + sizes.check_ins)
    return max(1, BATCH_ROWS // per_person)


def _add_people(
    rng: random.Random,
    sizes: Sizes,
    orgs: dict[str, Any],
    coaches: dict[str, list[Any]],
    lead: Any,
    log: Callable[[str], None],
) -> int:
    from django.db import transaction
    from django.db.models import Count

    from alongside.coaching.models import Person, Relationship
    from alongside.demo.seed import HOME_SLUG

    existing = Person.objects.filter(organisation__in=orgs.values()).count()
    missing = sizes.people - existing
    if missing <= 0:
        return 0
    # Each coach's current caseload, so new people go to whoever has fewest.
    load = dict(
        Relationship.objects.filter(organisation__in=orgs.values())
        .values("coach")
        .annotate(n=Count("id"))
        .values_list("coach", "n")
    )
    slots: list[tuple[int, int, str, Any]] = []  # (caseload, order, org slug, coach)
    order = 0
    for slug, team in coaches.items():
        for coach in team:
            slots.append((load.get(coach.pk, 0), order, slug, coach))
            order += 1
    per_chunk = _people_per_chunk(sizes)
    started = time.perf_counter()
    done = 0
    chunk = _Chunk()
    heapq.heapify(slots)
    while done < missing:
        caseload, n, slug, coach = heapq.heappop(slots)
        heapq.heappush(slots, (caseload + 1, n, slug, coach))
        _one_person(chunk, rng, sizes, orgs[slug], coach, lead if slug == HOME_SLUG else None)
        done += 1
        if len(chunk.people) >= per_chunk or done == missing:
            with transaction.atomic():
                _save(chunk)
            chunk = _Chunk()
            if done % max(per_chunk, (missing // 10) or 1) < per_chunk or done == missing:
                elapsed = time.perf_counter() - started
                log(f"people: {done:,} of {missing:,} ({elapsed:.1f}s)")
    return done


def _span_dates(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    """n sorted dates from start to end, the first on `start` and the last on `end`."""
    span = max(0, (end - start).days)
    if n <= 1:
        return [end]
    inner = sorted(rng.randint(0, span) for _ in range(n - 2))
    return [start] + [start + timedelta(days=x) for x in inner] + [end]


def _one_person(
    chunk: _Chunk, rng: random.Random, sizes: Sizes, org: Any, coach: Any, lead: Any | None
) -> None:
    from alongside.coaching.models import Person, Relationship
    from alongside.demo import seed as demo
    from alongside.demo.seed import REFERENCE_DATE, at

    state_enum, intensity_enum = Relationship.State, Relationship.Intensity
    ref = REFERENCE_DATE
    name, pronouns = demo._choose_name(rng)
    short = name.split(" ")[0]
    roll = rng.random()
    if roll < GETTING_TO_KNOW_SHARE:
        state = state_enum.GETTING_TO_KNOW
    elif roll < 0.18:
        state = state_enum.PAUSED
    elif roll < 0.26:
        state = state_enum.ENDED
    else:
        state = state_enum.WORKING_TOGETHER
    intensity = rng.choices(
        [
            intensity_enum.WEEKLY,
            intensity_enum.FORTNIGHTLY,
            intensity_enum.MONTHLY,
            intensity_enum.WHEN_I_ASK,
        ],
        weights=[4, 5, 2, 1],
    )[0]
    next_meeting = None
    if state == state_enum.GETTING_TO_KNOW:
        started = ref - timedelta(days=rng.randint(10, 70))
        last_contact = ref - timedelta(days=rng.randint(0, 9))
        next_meeting = ref + timedelta(days=rng.randint(1, 14))
    elif state == state_enum.WORKING_TOGETHER:
        started = ref - timedelta(days=rng.randint(400, 1500))
        if rng.random() < 0.1:  # not heard from in a while: a prompt to keep in touch
            last_contact = ref - timedelta(days=rng.randint(43, 120))
        else:
            last_contact = ref - timedelta(days=rng.randint(0, 21))
            next_meeting = ref + timedelta(days=rng.randint(1, 21))
    else:
        last_contact = ref - timedelta(days=rng.randint(10, 240))
        started = last_contact - timedelta(days=rng.randint(400, 1300))
    span = (last_contact - started).days

    person = Person(
        organisation=org,
        chosen_name=name,
        pronouns=pronouns,
        created_at=at(started, rng.randint(9, 17)),
        budget_allocation_pence=rng.choice([25000, 50000, 50000, 50000, 75000, 100000]),
    )
    chunk.people.append(person)
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
    chunk.relationships.append(rel)
    history = demo._Rows()
    demo._changes(history, rng, rel, coach, short, started, span)
    chunk.changes += history.changes

    goals = _goals(chunk, rng, person, coach, lead, state, started, last_contact)
    getting_to_know = state == state_enum.GETTING_TO_KNOW
    few_talks, few_checks = 2.5, 1.5
    n_talks = (
        rng.randint(2, 3)
        if getting_to_know
        else _around(rng, _mean_for_others(sizes.conversations, few_talks))
    )
    n_checks = (
        rng.randint(1, 2)
        if getting_to_know
        else _around(rng, _mean_for_others(sizes.check_ins, few_checks))
    )
    _conversations(chunk, rng, person, rel, coach, short, started, last_contact, n_talks, goals)
    _check_ins(chunk, rng, person, started, last_contact, n_checks)
    _strengths(chunk, rng, person, started, span)
    if rng.random() < 0.2:
        _barrier(chunk, rng, person, short, started, span)


def _conversations(
    chunk: _Chunk,
    rng: random.Random,
    person: Any,
    rel: Any,
    coach: Any,
    short: str,
    start: date,
    end: date,
    count: int,
    goals: list[Any],
) -> None:
    from alongside.coaching.models import Conversation
    from alongside.demo import text
    from alongside.demo.seed import at

    favourite = rng.choice(text.PLACES)
    for when in _span_dates(rng, start, end, count):
        place = favourite if rng.random() < 0.6 else rng.choice(text.PLACES)
        topic, follow_up = rng.choice(text.TOPICS)
        parts = [rng.choice(text.OPENINGS).format(name=short, place=place)]
        parts.append(topic.format(name=short))
        if rng.random() < 0.7:
            parts.append(rng.choice(text.NOTICED).format(name=short))
        if not follow_up or rng.random() < 0.3:
            follow_up = rng.choice(text.NEXT_STEPS)
        parts.append(follow_up.format(name=short))
        conversation = Conversation(
            person=person,
            relationship=rel,
            happened_on=when,
            place=place,
            notes=" ".join(parts),
            reflection=rng.choice(text.REFLECTIONS) if rng.random() < 0.35 else "",
            written_by=coach,
            created_at=at(when, rng.randint(10, 18), rng.randint(0, 59)),
        )
        chunk.conversations.append(conversation)
        if goals and rng.random() < 0.25:
            chunk.links.append((conversation, rng.choice(goals)))


def _check_ins(
    chunk: _Chunk, rng: random.Random, person: Any, start: date, end: date, count: int
) -> None:
    from alongside.coaching.models import CheckIn
    from alongside.demo.seed import ONS4_ITEMS, at

    trend = rng.choice([0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.2])
    base = {
        "life_satisfaction": rng.randint(2, 6),
        "worthwhile": rng.randint(3, 7),
        "happiness": rng.randint(2, 6),
        "anxiety": rng.randint(4, 9),
    }
    span = max(0, (end - start).days)
    gap = span / max(1, count - 1)
    for k in range(count):
        taken = start + timedelta(days=min(span, round(k * gap)))
        answers = {}
        for item in ONS4_ITEMS:
            if rng.random() < 0.05:
                continue  # skipped: the key is simply absent
            drift = -trend * k if item == "anxiety" else trend * k
            answers[item] = max(0, min(10, round(base[item] + drift + rng.gauss(0, 0.8))))
        chunk.check_ins.append(
            CheckIn(person=person, taken_on=taken, answers=answers, created_at=at(taken, 16))
        )


def _strengths(chunk: _Chunk, rng: random.Random, person: Any, start: date, span: int) -> None:
    from alongside.coaching.models import Strength
    from alongside.demo import text
    from alongside.demo.seed import at

    for kind in rng.sample(list(text.STRENGTHS), rng.randint(2, 5)):
        chunk.strengths.append(
            Strength(
                person=person,
                kind=kind,
                words=rng.choice(text.STRENGTHS[kind]),
                created_at=at(start + timedelta(days=rng.randint(0, span)), 14),
            )
        )


def _goals(
    chunk: _Chunk,
    rng: random.Random,
    person: Any,
    coach: Any,
    lead: Any | None,
    state: str,
    start: date,
    end: date,
) -> list[Any]:
    """1 to 4 goals in the person's words, with steps, milestones and spending."""
    from alongside.coaching.models import Goal, GoalStep, Milestone, Relationship, SpendRequest
    from alongside.demo import seed as demo
    from alongside.demo import text
    from alongside.demo.seed import REFERENCE_DATE, at

    status_enum = Goal.Status
    span = max(0, (end - start).days)
    remaining = person.budget_allocation_pence
    goals = []
    for theme in rng.sample(text.GOAL_THEMES, rng.randint(1, 4)):
        created = start + timedelta(days=rng.randint(0, span))
        roll = rng.random()
        if state == Relationship.State.GETTING_TO_KNOW:
            status = status_enum.DREAMING if roll < 0.6 else status_enum.WORKING_ON_IT
        elif roll < 0.25:
            status = status_enum.ACHIEVED
        elif roll < 0.65:
            status = status_enum.WORKING_ON_IT
        elif roll < 0.9:
            status = status_enum.DREAMING
        else:
            status = status_enum.CHANGED_MY_MIND
        why = rng.choice(theme["why"])
        why = why[0].upper() + why[1:] + "."
        if status == status_enum.CHANGED_MY_MIND:
            why += " " + rng.choice(text.CHANGED_MY_MIND_WHY)
        suggested_by, accepted_at = None, None
        if rng.random() < 0.2:
            suggested_by = coach
            accepted_at = at(created + timedelta(days=rng.randint(0, 14)), 15)
        achieved_on = None
        if status == status_enum.ACHIEVED:
            achieved_on = min(end, created + timedelta(days=rng.randint(0, 200)))
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
        goals.append(goal)
        chunk.goals.append(goal)
        if status in (status_enum.WORKING_ON_IT, status_enum.ACHIEVED):
            for k, words in enumerate(rng.sample(STEPS, rng.randint(0, 3))):
                done = status == status_enum.ACHIEVED or rng.random() < 0.5
                chunk.steps.append(
                    GoalStep(
                        goal=goal,
                        words=words,
                        done_on=min(end, created + timedelta(days=7 * (k + 1))) if done else None,
                        created_at=at(created, 15, k),
                    )
                )
        if achieved_on is not None and theme["milestone"]:
            kind, words = theme["milestone"]
            chunk.milestones.append(
                Milestone(
                    person=person,
                    kind=kind,
                    words=words,
                    happened_on=achieved_on,
                    created_at=at(achieved_on, 16),
                )
            )
        if status not in (status_enum.WORKING_ON_IT, status_enum.ACHIEVED) or not theme["spends"]:
            continue
        for what_for, category, low, high in rng.sample(
            theme["spends"], rng.randint(1, min(2, len(theme["spends"])))
        ):
            pence = rng.randint(low // 100, high // 100) * 100
            if pence > remaining:
                continue
            if status == status_enum.ACHIEVED:
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
            asked = min(created + timedelta(days=rng.randint(0, 30)), REFERENCE_DATE)
            decided_by, decided_at = None, None
            if spend_status != SpendRequest.Status.REQUESTED:
                decided_by = lead if (lead is not None and pence > 10000) else coach
                decided_at = at(min(asked + timedelta(days=rng.randint(0, 5)), REFERENCE_DATE), 10)
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
            chunk.spend_requests.append(spend)
            if spend_status == SpendRequest.Status.PAID and decided_at is not None:
                chunk.payments.append(demo._payment(spend, decided_at.date(), coach))
    if rng.random() < 0.15:
        kind, words = rng.choice(text.EXTRA_MILESTONES)
        when = start + timedelta(days=rng.randint(0, span))
        chunk.milestones.append(
            Milestone(person=person, kind=kind, words=words, happened_on=when, created_at=at(when))
        )
    return goals


def _barrier(
    chunk: _Chunk, rng: random.Random, person: Any, short: str, start: date, span: int
) -> None:
    from alongside.coaching.models import Barrier
    from alongside.demo import text
    from alongside.demo.seed import at

    barrier = rng.choice(text.BARRIERS)
    when = start + timedelta(days=rng.randint(0, span))
    chunk.barriers.append(
        Barrier(
            person=person,
            service=barrier["service"],
            what_happened=barrier["what_happened"].format(name=short),
            what_we_did=barrier["what_we_did"].format(name=short),
            outcome=barrier["outcome"],
            happened_on=when,
            response=rng.choice([r for r, _ in Barrier.Response.choices]),
            share_with_convening=rng.random() < 0.5,
            created_at=at(when, 16),
        )
    )


def _save(chunk: _Chunk) -> None:
    """bulk_create in foreign-key order; Django sets each saved parent's key on its
    children (SQLite 3.35+ and PostgreSQL return the new keys)."""
    from alongside.coaching import models as m

    for model, objs in (
        (m.Person, chunk.people),
        (m.Relationship, chunk.relationships),
        (m.RelationshipChange, chunk.changes),
        (m.Goal, chunk.goals),
        (m.GoalStep, chunk.steps),
        (m.Conversation, chunk.conversations),
        (m.Strength, chunk.strengths),
        (m.CheckIn, chunk.check_ins),
        (m.Milestone, chunk.milestones),
        (m.SpendRequest, chunk.spend_requests),
        (m.Payment, chunk.payments),
        (m.Barrier, chunk.barriers),
    ):
        if objs:
            model.objects.bulk_create(objs, batch_size=BATCH_ROWS)
    if chunk.links:
        through = m.Conversation.goals.through
        through.objects.bulk_create(
            [through(conversation_id=c.pk, goal_id=g.pk) for c, g in chunk.links],
            batch_size=BATCH_ROWS,
        )
    _audit(chunk.conversations)


def _audit(conversations: list[Any]) -> None:
    """The audit log a real organisation would have by now: for each conversation, the
    coach opening the record that day and adding the notes (two rows per conversation), and
    the coach signing in on each day they wrote one (rows that name no record, as
    core.signals writes them: the lead's audit trail reads these by their own index, and
    PostgreSQL plans that read well only if its statistics have seen such rows)."""
    from datetime import timedelta as delta

    from alongside.core.models import AuditAction, AuditEntry

    rows = []
    signed_in: set[tuple[int, Any]] = set()
    for c in conversations:
        day = (c.written_by_id, c.created_at.date())
        if c.written_by_id is not None and day not in signed_in:
            signed_in.add(day)
            rows.append(
                AuditEntry(
                    at=c.created_at - delta(minutes=30),
                    actor_id=c.written_by_id,
                    action=AuditAction.SIGN_IN,
                    object_type="accounts.user",
                    object_id=str(c.written_by_id),
                )
            )
        org = c.relationship.organisation_id if c.relationship is not None else None
        common = {"actor_id": c.written_by_id, "person_id": c.person_id, "organisation_id": org}
        rows.append(
            AuditEntry(
                at=c.created_at - delta(minutes=20),
                action=AuditAction.VIEW,
                object_type="coaching.person",
                object_id=str(c.person_id),
                detail="record",
                **common,
            )
        )
        rows.append(
            AuditEntry(
                at=c.created_at,
                action=AuditAction.CREATE,
                object_type="coaching.conversation",
                object_id=str(c.pk),
                detail="conversation added",
                **common,
            )
        )
    AuditEntry.objects.bulk_create(rows, batch_size=BATCH_ROWS)


# --- topping up the people already there (Sam) ------------------------------------------


def _top_up(rng: random.Random, sizes: Sizes, log: Callable[[str], None]) -> int:
    """Give people already in the demo providers (Sam, after seed_demo) as many
    conversations and check-ins as a new person would have, keeping what they have."""
    from django.db import transaction

    from alongside.coaching.models import CheckIn, Conversation, Relationship
    from alongside.demo.seed import PROVIDER_SLUGS, REFERENCE_DATE

    relationships = list(
        Relationship.objects.filter(organisation__slug__in=PROVIDER_SLUGS)
        .exclude(state=Relationship.State.GETTING_TO_KNOW)
        .select_related("person", "coach")
        .order_by("id")
    )
    people = [rel.person_id for rel in relationships]
    talks = _count_by_person(Conversation, people)
    checks = _count_by_person(CheckIn, people)
    want_talks = round(_mean_for_others(sizes.conversations, 2.5))
    want_checks = round(_mean_for_others(sizes.check_ins, 1.5))
    chunk = _Chunk()
    topped = 0
    for rel in relationships:
        person = rel.person
        has_talks, has_checks = talks.get(person.pk, 0), checks.get(person.pk, 0)
        if has_talks >= want_talks and has_checks >= want_checks:
            continue
        short = person.chosen_name.split(" ")[0]
        start = rel.started_on
        end = rel.last_contact_on or REFERENCE_DATE
        if has_talks < want_talks:
            goals = list(person.goals.all())
            extra = want_talks - has_talks
            _conversations(chunk, rng, person, rel, rel.coach, short, start, end, extra, goals)
        if has_checks < want_checks:
            _check_ins(chunk, rng, person, start, end, want_checks - has_checks)
        topped += 1
        if chunk.rows() >= BATCH_ROWS:
            with transaction.atomic():
                _save(chunk)
            chunk = _Chunk()
    with transaction.atomic():
        _save(chunk)
    if topped:
        log(f"topped up {topped} existing people")
    return topped


def _count_by_person(model: Any, people: list[int]) -> dict[int, int]:
    from django.db.models import Count

    counted: dict[int, int] = {}
    for begin in range(0, len(people), 500):
        rows = (
            model.objects.filter(person_id__in=people[begin : begin + 500])
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        )
        counted.update(dict(rows))
    return counted


# --- listening ----------------------------------------------------------------------------


def _add_contributions(rng: random.Random, sizes: Sizes, org: Any, users: dict[str, Any]) -> int:
    """A second exercise, with `sizes.contributions` contributions (texts from the labelled
    set bench/themes.py uses), redacted at capture as the listening services do."""
    from django.db import transaction

    from alongside.demo import listening as demo_listening
    from alongside.demo.seed import REFERENCE_DATE, at
    from alongside.listening.building import ContributionFields, build
    from alongside.listening.models import Channel, Contribution, Exercise, Redaction

    from .themes import contributions as sample_texts

    exercise = Exercise.objects.filter(organisation=org, title=EXERCISE_TITLE).first()
    if exercise is None:
        exercise = Exercise.objects.create(
            organisation=org,
            title=EXERCISE_TITLE,
            question="What would make it easier to ask for help?",
            asked_by="The bench",
            area=org.area,
            starts_on=REFERENCE_DATE - timedelta(days=120),
            ends_on=REFERENCE_DATE,
            channels=[value for value, _ in Channel.choices],
            names_to_redact=demo_listening.NAMES_TO_REDACT,
            created_by=users["kofi"],
            created_at=at(REFERENCE_DATE - timedelta(days=130)),
        )
        exercise.team.set([users["kofi"], users["morag"]])
    have = exercise.contributions.count()
    missing = sizes.contributions - have
    if missing <= 0:
        return 0
    texts, _ = sample_texts(sizes.contributions)
    channels = [value for value, _ in Channel.choices]
    places = ["Market Square", "Oxford Street", "the bus station", "Canal Street", "", "the Hub"]
    team = [users["kofi"], users["morag"]]
    added = 0
    for begin in range(have, sizes.contributions, 1000):
        built = []
        for i in range(begin, min(begin + 1000, sizes.contributions)):
            heard_on = REFERENCE_DATE - timedelta(days=rng.randint(0, 120))
            named = rng.random() < 0.4
            contribution = build(
                exercise,
                rng.choice(team),
                ContributionFields(
                    channel=rng.choice(channels),
                    text=texts[i],
                    place=rng.choice(places),
                    heard_on=heard_on,
                    credit=Contribution.Credit.NAMED if named else Contribution.Credit.ANONYMOUS,
                    credit_name=rng.choice(["Jo", "Dee", "Sam", "Mo"]) if named else "",
                    credit_place=rng.choice(places) if named else "",
                    consent_to_quote=rng.random() < 0.7,
                ),
            )
            contribution.captured_at = at(heard_on, rng.randint(9, 18), rng.randint(0, 59))
            if rng.random() < 0.7:  # checked by a person: every suggestion taken out
                for row in contribution._pending_redactions:
                    row.decision = Redaction.Decision.REMOVE
                contribution.state = Contribution.State.REVIEWED
                contribution.reviewed_by = team[0]
                contribution.reviewed_at = contribution.captured_at + timedelta(days=1)
            built.append(contribution)
        with transaction.atomic():
            # As listening.building.save_built, without embedding (see the module docstring).
            saved = Contribution.objects.bulk_create(built, batch_size=BATCH_ROWS)
            rows = []
            for contribution in saved:
                for row in contribution._pending_redactions:
                    row.contribution = contribution
                    rows.append(row)
            Redaction.objects.bulk_create(rows, batch_size=BATCH_ROWS)
        added += len(built)
    return added


# --- convening ----------------------------------------------------------------------------


def _place_barriers(rng: random.Random, home: Any) -> int:
    """The new people's shared barriers join the demo's system themes (Harbour Lane's, across
    the area), as the convener and the suggestion engine would have placed them, so the
    convening home and a system theme page are timed with their evidence at full size."""
    from alongside.demo.convening import place_shared_barriers
    from alongside.demo.seed import REFERENCE_DATE, at

    by_theme, _ = place_shared_barriers(home, rng, at(REFERENCE_DATE))
    return sum(len(rows) for rows in by_theme.values())


# --- consent --------------------------------------------------------------------------------

# Of the people who have not chosen yet, how many made each choice in their own space. Most
# never change the default (sharing their barriers without their name); some say so, a few
# take all or one of their barriers back, and some of those give them again later.
SAID_SHARE = 0.3
WITHDREW_ALL = 0.04
WITHDREW_ONE = 0.06
GAVE_BACK = 0.3
SAID_QUOTE = 0.2


def _consent_choices(rng: random.Random) -> int:
    """The choices people made about their barriers and quotes, as `consent_record` writes
    them, so every consent check is timed against a table the size a real one would be
    (an empty one let PostgreSQL skip the work). Each person with no choice yet gets some."""
    from alongside.coaching.models import Barrier, ConsentEvent, Person
    from alongside.demo.seed import REFERENCE_DATE, at

    chosen = ConsentEvent.objects.values("person_id")
    people = list(Person.objects.exclude(pk__in=chosen).values_list("pk", flat=True))
    shared: dict[int, list[int]] = {}
    for person_id, barrier_id in Barrier.objects.filter(
        person_id__in=people, share_with_convening=True
    ).values_list("person_id", "pk"):
        shared.setdefault(person_id, []).append(barrier_id)
    share, quote = ConsentEvent.Choice.SHARE_BARRIERS, ConsentEvent.Choice.QUOTE_IN_LISTENING
    events: list[Any] = []

    def add(person_id: int, choice: str, given: bool, days_ago: int, scope: str = "") -> None:
        moment = at(REFERENCE_DATE - timedelta(days=days_ago), 10 + rng.randint(0, 8))
        events.append(
            ConsentEvent(person_id=person_id, choice=choice, scope=scope, given=given, at=moment)
        )

    for person_id in people:
        first = rng.randint(200, 700)
        if rng.random() < SAID_SHARE:
            add(person_id, share, True, first)
        if rng.random() < WITHDREW_ALL:
            add(person_id, share, False, first - 100)
            if rng.random() < GAVE_BACK:
                add(person_id, share, True, first - 150)
        elif person_id in shared and rng.random() < WITHDREW_ONE:
            barrier = str(rng.choice(shared[person_id]))
            add(person_id, share, False, first - 120, scope=barrier)
            if rng.random() < GAVE_BACK:
                add(person_id, share, True, first - 180, scope=barrier)
        if rng.random() < SAID_QUOTE:
            add(person_id, quote, rng.random() < 0.8, first - 10)
    ConsentEvent.objects.bulk_create(events, batch_size=BATCH_ROWS)
    return len(events)


def analyze() -> dict[str, Any]:
    """PostgreSQL plans with the statistics ANALYZE gathers; autovacuum gathers them within a
    minute or so of a bulk load, but a server may run without it (the one this bench was
    written on does), and a bench without them measures plans no deployment would use.
    SQLite is left as the application leaves it: nothing in it runs ANALYZE."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"analyzed": False}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (autovacuum,) = cursor.fetchone()
        cursor.execute("ANALYZE")
    return {
        "analyzed": True,
        "analyze_seconds": round(time.perf_counter() - started, 2),
        "autovacuum": autovacuum,
    }


# --- the command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Migrate and seed one database, printing progress; the last line is the result as JSON.
    bench.run starts this in its own process, so its peak memory is the seed's alone."""
    parser = argparse.ArgumentParser(prog="python -m bench.seed_large", description=__doc__)
    parser.add_argument("--people", type=int, default=Sizes.people)
    parser.add_argument("--coaches", type=int, default=None)
    parser.add_argument("--conversations", type=int, default=Sizes.conversations)
    parser.add_argument("--check-ins", type=int, default=Sizes.check_ins)
    parser.add_argument("--contributions", type=int, default=Sizes.contributions)
    parser.add_argument("--base-people", type=int, default=Sizes.base_people)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)

    from .server import configure_django, peak_rss_mb

    configure_django(args.database_url)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    print(f"migrate: {migrate_seconds:.1f}s", file=sys.stderr, flush=True)
    sizes = Sizes(
        people=args.people,
        coaches=args.coaches,
        conversations=args.conversations,
        check_ins=args.check_ins,
        contributions=args.contributions,
        base_people=min(args.base_people, args.people),
    )
    result = seed(sizes, seed=args.seed, log=lambda line: print(line, file=sys.stderr, flush=True))
    result["migrate_seconds"] = round(migrate_seconds, 2)
    result |= analyze()
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Convening for the demo: Harbour Lane's convener, Dee, works across Northfield.

    from alongside.demo.convening import seed_convening
    report = seed_convening(orgs, users, random.Random(seed), shift=timedelta(0))

Both demo providers agree to share their people's barriers in the area, so the same council
rule met at Harbour Lane and at Riverside Futures lands in one system theme with both counts.
The shared barriers are placed in four system themes by their service or rule (a few by the
suggestion engine, the rest by Dee); the hostel, dentist and mental health barriers are left
unplaced, for a convener to place. The themes link to the demo listening exercise's themes.
A housing access group (staff, a partner, a guest with lived experience who agreed to be named,
Sam, who agreed too, and someone who would rather not be named) meets, decides and shares
out actions; an appointments group meets once. Two experiments: a named housing officer (two
cycles) and evening appointments (one). Recommendations: one to Harbour Lane's leadership
accepted by Morag with what changed, one to the commissioner declined by Aisha with the
reason, one sent and overdue, and a draft.

Riverside's synthetic people may by chance share no barrier with a matching service, so four
Riverside barriers are written here, all shared: two about the same housing rule, one about
probation times, and one about a hostel rule that no theme covers yet (it waits to be placed).
They are coaching rows of Riverside's people: the demo's coaching clear-out removes them.

Deterministic for a given `rng`; every date is worked out from REFERENCE_DATE and moved by
`shift`, like the coaching story, so the overdue answer is overdue whatever day it is told on.
Idempotent: the demo organisations' convening rows are removed and built again. Seeding is not
something a user did, so it writes no audit entries. Everything here is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import transaction

from alongside.accounts.models import Organisation
from alongside.coaching.models import Barrier, Person
from alongside.coaching.selectors.me_rights import barriers_for_convening
from alongside.convening.models import (
    Answer,
    BarrierPlacement,
    ConveningGroup,
    Cycle,
    Experiment,
    GroupAction,
    GroupMember,
    Measure,
    Meeting,
    Recommendation,
    Story,
    SystemTheme,
)
from alongside.listening.models import Theme as ListeningTheme

from .sign_ins import ORGANISATIONS

# seed.py calls this module, so it cannot import from seed.py (no cycles inside an app): the
# day the story is told from is its REFERENCE_DATE, and tests/test_demo_convening.py checks
# the two agree.
REFERENCE_DATE = date(2026, 11, 1)
HOME_SLUG, OTHER_SLUG, COUNCIL_SLUG = (slug for _, slug, _ in ORGANISATIONS[:3])


def at(day: date, hour: int = 11) -> datetime:
    """A fixed moment on a given day (UTC)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSystemTheme:
    title: str
    summary: str
    services: tuple[str, ...]  # a shared barrier whose service starts with one of these joins
    listening: tuple[str, ...]  # titles of the demo listening exercise's themes


SYSTEM_THEMES = [
    DemoSystemTheme(
        "Housing register shuts people out",
        "The local connection rule keeps people off the housing register in the place where "
        "their family and their support are, and people are sent from desk to desk before "
        "anyone looks at what the rule allows.",
        ("Housing register",),
        ("Passed from desk to desk", "Cliff edges"),
    ),
    DemoSystemTheme(
        "Proof of who you are before any help",
        "A bill, an address or a photo ID asked for before a GP will register someone or a bank "
        "will open an account, when the national guidance says none is needed.",
        ("GP surgery", "Bank"),
        ("Judged before I'm heard",),
    ),
    DemoSystemTheme(
        "Appointments at times that don't fit a life",
        "Fixed weekday appointments at the jobcentre and probation clash with work, volunteering "
        "and the school run, and a missed one can stop money or support.",
        ("Jobcentre", "Probation"),
        ("Help that fits a life",),
    ),
    DemoSystemTheme(
        "Only one way to get in touch",
        "Claims that need a phone and an email, and letters sent to an address someone left "
        "long ago: when the one way in breaks, the money or the warning never arrives.",
        ("Universal Credit", "Council tax"),
        ("Passed from desk to desk",),
    ),
]
# Every third placement, by the suggestion engine rather than the convener.
SUGGESTED_EVERY = 3

# Shared barriers written for Riverside's people: (service, what happened, what we did,
# outcome, days before REFERENCE_DATE).
RIVERSIDE_BARRIERS = [
    (
        "Housing register: local connection rule",
        "Told they couldn't go on the register after three years away working, though their "
        "mum and sister live two streets from the office.",
        "Asked for the decision in writing and a review, with a letter from the family.",
        "Still waiting for the review.",
        120,
    ),
    (
        "Housing register: local connection rule",
        "Turned away at the housing desk because the last address was a hostel in the next "
        "town over.",
        "Went back together with the council's own allocation scheme, which allows exceptions.",
        "On the register after a second visit.",
        75,
    ),
    (
        "Probation: appointments at fixed times",
        "The only appointments offered were at 10am on weekdays, in the middle of a new job's "
        "shifts.",
        "Asked the probation officer together for a slot after work.",
        "Moved to an evening slot once a fortnight.",
        40,
    ),
    (
        "Hostel: no visitors rule",
        "Couldn't see their daughter at all while living at the hostel: no visitors, ever.",
        "Asked the hostel manager together about a family room at weekends.",
        "No answer yet.",
        12,
    ),
]


@dataclass
class ConveningReport:
    themes: int = 0
    placements: int = 0
    unplaced: int = 0
    groups: int = 0
    meetings: int = 0
    experiments: int = 0
    recommendations: int = 0


def seed_convening(
    orgs: dict[str, Organisation],
    users: dict[str, Any],
    rng: random.Random,
    shift: timedelta = timedelta(0),
) -> ConveningReport:
    """Build (or rebuild) the demo's convening in Harbour Lane, across Northfield."""
    home, other, council = orgs[HOME_SLUG], orgs[OTHER_SLUG], orgs[COUNCIL_SLUG]
    report = ConveningReport()

    def day(d: date) -> date:
        return d + shift

    def moment(d: date, hour: int = 11) -> datetime:
        return at(d, hour) + shift

    with transaction.atomic():
        _clear([o.pk for o in orgs.values()])
        Organisation.objects.filter(pk__in=[home.pk, other.pk]).update(shares_barriers_in_area=True)
        _riverside_barriers(other, shift)
        dee, morag, aisha = users["dee"], users["morag"], users["aisha"]
        area = home.area

        themes = _themes(home, area, dee, moment)
        report.themes = len(themes)
        placements, unplaced = place_shared_barriers(home, rng, moment(REFERENCE_DATE), dee)
        report.placements = sum(len(p) for p in placements.values())
        report.unplaced = unplaced
        housing, proof, appointments, _contact = themes

        housing_group, appointments_group = _groups(
            home, dee, morag, users["sam"], housing, proof, appointments, day, moment
        )
        report.groups = 2
        report.meetings = Meeting.objects.filter(
            group__in=[housing_group, appointments_group]
        ).count()

        named_officer, evenings = _experiments(
            home, dee, housing_group, appointments_group, housing, appointments, day, moment
        )
        report.experiments = 2

        report.recommendations = _recommendations(
            home,
            council,
            dee,
            morag,
            aisha,
            themes,
            placements,
            (named_officer, evenings),
            day,
            moment,
        )
    return report


def _clear(org_ids: list[int]) -> None:
    """Remove the demo organisations' convening rows (their children go with them)."""
    Recommendation.objects.filter(organisation_id__in=org_ids).delete()
    Experiment.objects.filter(organisation_id__in=org_ids).delete()
    ConveningGroup.objects.filter(organisation_id__in=org_ids).delete()
    BarrierPlacement.objects.filter(organisation_id__in=org_ids).delete()
    SystemTheme.objects.filter(organisation_id__in=org_ids).delete()


def _riverside_barriers(other: Organisation, shift: timedelta) -> None:
    people = Person.objects.filter(organisation=other).order_by("pk")[: len(RIVERSIDE_BARRIERS)]
    rows = []
    for person, (service, happened, did, outcome, days_before) in zip(
        people, RIVERSIDE_BARRIERS, strict=False
    ):
        when = REFERENCE_DATE - timedelta(days=days_before)
        rows.append(
            Barrier(
                person=person,
                service=service,
                what_happened=happened,
                what_we_did=did,
                outcome=outcome,
                happened_on=when - timedelta(days=5) + shift,
                response=Barrier.Response.CHALLENGE,
                share_with_convening=True,
                created_at=at(when, 16) + shift,
            )
        )
    Barrier.objects.bulk_create(rows)


def _themes(home: Organisation, area: Any, dee: Any, moment: Any) -> list[SystemTheme]:
    listening = {
        t.title: t
        for t in ListeningTheme.objects.filter(exercise__organisation=home, is_didnt_fit=False)
    }
    themes = []
    for i, spec in enumerate(SYSTEM_THEMES):
        theme = SystemTheme.objects.create(
            organisation=home,
            title=spec.title,
            summary=spec.summary,
            area=area,
            owned_by_convener=True,
            created_by=dee,
            created_at=moment(date(2026, 5, 4) + timedelta(days=7 * i), 10),
        )
        theme.listening_themes.set([listening[t] for t in spec.listening if t in listening])
        themes.append(theme)
    return themes


def place_shared_barriers(
    home: Organisation,
    rng: random.Random,
    now: datetime,
    placed_by: Any = None,
) -> tuple[dict[int, list[BarrierPlacement]], int]:
    """Place every shared barrier of the area not yet in one of `home`'s system themes whose
    service matches a demo theme (every third as the suggestion engine would, with a
    closeness); the rest wait for a convener. Returns the new placements by theme id and how
    many shared barriers wait. The bench calls this again after adding its people."""
    themes = {t.title: t for t in SystemTheme.objects.filter(organisation=home)}
    specs = [(themes[spec.title], spec) for spec in SYSTEM_THEMES if spec.title in themes]
    placed = BarrierPlacement.objects.filter(organisation=home).values("barrier_id")
    shared = (
        barriers_for_convening(home.area)
        .filter(person__organisation__shares_barriers_in_area=True)
        .exclude(pk__in=placed)
        .select_related("person")
        .only("pk", "service", "created_at", "person__id", "person__organisation_id")
        .order_by("created_at", "pk")
    )
    rows: list[BarrierPlacement] = []
    by_theme: dict[int, list[BarrierPlacement]] = {t.pk: [] for t, _ in specs}
    unplaced = 0
    for barrier in shared.iterator(chunk_size=2000):
        theme = next((t for t, spec in specs if barrier.service.startswith(spec.services)), None)
        if theme is None:
            unplaced += 1
            continue
        suggested = len(rows) % SUGGESTED_EVERY == SUGGESTED_EVERY - 1
        placement = BarrierPlacement(
            theme=theme,
            barrier=barrier,
            organisation=home,
            by_convener=not suggested,
            closeness=round(rng.uniform(0.55, 0.92), 2) if suggested else None,
            placed_at=min(barrier.created_at + timedelta(days=rng.randint(1, 12)), now),
            placed_by=None if suggested else placed_by,
        )
        rows.append(placement)
        by_theme[theme.pk].append(placement)
    BarrierPlacement.objects.bulk_create(rows, batch_size=2000)
    return by_theme, unplaced


def _groups(
    home: Organisation,
    dee: Any,
    morag: Any,
    sam: Any,
    housing: SystemTheme,
    proof: SystemTheme,
    appointments: SystemTheme,
    day: Any,
    moment: Any,
) -> tuple[ConveningGroup, ConveningGroup]:
    d = date
    housing_group = ConveningGroup.objects.create(
        organisation=home,
        name="Northfield housing access group",
        purpose="People who have been turned away from housing, the people who turn them away "
        "and the people who go with them, in one room, to change how the register works.",
        created_by=dee,
        created_at=moment(d(2026, 5, 20), 10),
    )
    housing_group.themes.set([housing, proof])
    M = GroupMember.Kind  # noqa: N806
    member_rows = {
        "dee": GroupMember(group=housing_group, user=dee, kind=M.STAFF, agreed_to_be_named=True),
        "morag": GroupMember(
            group=housing_group, user=morag, kind=M.STAFF, agreed_to_be_named=True
        ),
        "janet": GroupMember(
            group=housing_group,
            guest_name="Janet Okoro (Northfield Council housing options)",
            kind=M.PARTNER,
            agreed_to_be_named=True,
        ),
        "lou": GroupMember(
            group=housing_group,
            guest_name="Lou",
            kind=M.LIVED_EXPERIENCE,
            agreed_to_be_named=True,
        ),
        "sam": GroupMember(
            group=housing_group, user=sam, kind=M.LIVED_EXPERIENCE, agreed_to_be_named=True
        ),
        # Someone in the room who would rather not be named: kept with no name at all.
        "unnamed": GroupMember(
            group=housing_group, guest_name="", kind=M.LIVED_EXPERIENCE, agreed_to_be_named=False
        ),
    }
    joined = {"dee": 0, "morag": 0, "janet": 14, "lou": 14, "sam": 42, "unnamed": 42}
    for key, member in member_rows.items():
        member.joined_on = day(d(2026, 5, 20) + timedelta(days=joined[key]))
    GroupMember.objects.bulk_create(member_rows.values())

    meetings = [
        (
            d(2026, 6, 3),
            "First meeting. Lou told the group what happened at the housing desk: three visits, "
            "three different answers. Janet explained how the local connection rule is written "
            "and where the scheme allows exceptions. We agreed to look at every barrier about "
            "the register together before the next meeting.",
            "Meet on the first Wednesday of the month, at the library, with lunch.\n"
            "Lived experience members are paid for their time.",
        ),
        (
            d(2026, 7, 1),
            "Read the housing barriers from both providers together: the same rule, the same "
            "desk, at Harbour Lane and at Riverside. A member with lived experience joined for "
            "the first time and said what helped was a letter from family, which nobody had "
            "asked for.",
            "Try a named officer at the housing desk for people coming with a coach.\n"
            "Ask Riverside Futures to join the group.",
        ),
        (
            d(2026, 9, 2),
            "Looked back at the first cycle of the named officer experiment. Fewer people sent "
            "away, but the officer was only there on Tuesdays. Janet will ask for a second day.",
            "Second cycle: two days a week, and the officer rings people back.\n"
            "Take the local connection rule to the commissioner.",
        ),
        (
            d(2026, 10, 7),
            "Aisha's answer came back: the rule stays until the 2027 review, but the discretion "
            "the scheme allows will be used. The group was disappointed and agreed to give "
            "evidence to the review.",
            "Write up the evidence for the allocation scheme review.",
        ),
    ]
    saved = []
    for held_on, notes, decisions in meetings:
        saved.append(
            Meeting(
                group=housing_group,
                held_on=day(held_on),
                notes=notes,
                decisions=decisions,
                created_at=moment(held_on, 16),
            )
        )
    Meeting.objects.bulk_create(saved)
    first, second, third, fourth = saved
    actions = [
        (
            first,
            "Bring the council's allocation scheme to the next meeting",
            "janet",
            d(2026, 7, 1),
            d(2026, 6, 28),
        ),
        (first, "Book the library room until Christmas", "dee", d(2026, 6, 17), d(2026, 6, 10)),
        (second, "Ask Riverside Futures' convener to join", "dee", d(2026, 7, 15), d(2026, 7, 14)),
        (
            second,
            "Agree a named officer with the housing options team",
            "janet",
            d(2026, 7, 31),
            d(2026, 7, 24),
        ),
        (
            third,
            "Ask for the named officer on a second day",
            "janet",
            d(2026, 9, 16),
            d(2026, 9, 15),
        ),
        (
            third,
            "Write to the commissioner about the local connection rule",
            "dee",
            d(2026, 9, 20),
            d(2026, 9, 18),
        ),
        (
            fourth,
            "Gather the stories for the allocation scheme review",
            "lou",
            d(2026, 10, 28),
            None,
        ),
        (fourth, "Check the review's dates with the council", "janet", d(2026, 11, 18), None),
    ]
    GroupAction.objects.bulk_create(
        GroupAction(
            group=housing_group,
            meeting=meeting,
            what=what,
            owner=member_rows[owner],
            due_on=day(due),
            done_on=day(done) if done else None,
            created_at=meeting.created_at,
        )
        for meeting, what, owner, due, done in actions
    )

    appointments_group = ConveningGroup.objects.create(
        organisation=home,
        name="Appointments that fit",
        purpose="Jobcentre and probation staff with people who juggled their appointments and "
        "work, trying out times that fit a life.",
        created_by=dee,
        created_at=moment(d(2026, 8, 26), 10),
    )
    appointments_group.themes.set([appointments])
    appointment_members = [
        GroupMember(group=appointments_group, user=dee, kind=M.STAFF, agreed_to_be_named=True),
        GroupMember(
            group=appointments_group,
            guest_name="Ravi Mehta (Northfield probation)",
            kind=M.PARTNER,
            agreed_to_be_named=True,
        ),
        GroupMember(
            group=appointments_group,
            guest_name="Jo",
            kind=M.LIVED_EXPERIENCE,
            agreed_to_be_named=True,
        ),
    ]
    for member in appointment_members:
        member.joined_on = day(d(2026, 8, 26))
    GroupMember.objects.bulk_create(appointment_members)
    meeting = Meeting.objects.create(
        group=appointments_group,
        held_on=day(d(2026, 9, 9)),
        notes="Jo talked about losing a week's wages to a 9am appointment. Ravi said evening "
        "slots exist but nobody is told about them.",
        decisions="Offer evening slots to everyone starting work, from the first letter.",
        created_at=moment(d(2026, 9, 9), 16),
    )
    GroupAction.objects.create(
        group=appointments_group,
        meeting=meeting,
        what="Change the first appointment letter to offer an evening slot",
        owner=appointment_members[1],
        due_on=day(d(2026, 10, 1)),
        done_on=day(d(2026, 9, 30)),
        created_at=meeting.created_at,
    )
    return housing_group, appointments_group


def _experiments(
    home: Organisation,
    dee: Any,
    housing_group: ConveningGroup,
    appointments_group: ConveningGroup,
    housing: SystemTheme,
    appointments: SystemTheme,
    day: Any,
    moment: Any,
) -> tuple[Experiment, Experiment]:
    d = date
    K = Measure.Kind  # noqa: N806
    named_officer = Experiment.objects.create(
        organisation=home,
        title="A named officer at the housing desk",
        if_we="give people who come with a coach one named housing officer, who stays with "
        "them until their application is decided",
        then="fewer people are turned away on the local connection rule, and nobody has to "
        "tell their story more than once",
        co_designed_with="The housing access group: Lou and two other members with lived "
        "experience of it, Janet from housing options, and coaches from Harbour Lane and "
        "Riverside.",
        group=housing_group,
        starts_on=day(d(2026, 7, 6)),
        ends_on=day(d(2026, 12, 18)),
        created_by=dee,
        created_at=moment(d(2026, 7, 2), 10),
    )
    named_officer.themes.set([housing])
    Measure.objects.bulk_create(
        [
            Measure(experiment=named_officer, kind=K.THEME_BARRIERS, theme=housing),
            Measure(experiment=named_officer, kind=K.RELATIONSHIPS_RESTARTED),
            Measure(experiment=named_officer, kind=K.STORIES),
        ]
    )
    Cycle.objects.bulk_create(
        [
            Cycle(
                experiment=named_officer,
                number=1,
                plan="One officer at the housing desk on Tuesdays; coaches book people in.",
                tried="Eleven people saw the named officer over eight Tuesdays.",
                reflections="Nobody seen by the named officer was sent away on the local "
                "connection rule. People who could only come on other days still were.",
                what_changed="Ask for a second day, and for the officer to ring people back "
                "rather than asking them to come in again.",
                starts_on=day(d(2026, 7, 6)),
                ends_on=day(d(2026, 8, 28)),
            ),
            Cycle(
                experiment=named_officer,
                number=2,
                plan="Tuesdays and Thursdays, and a call back within two working days.",
                tried="Running since September, with Riverside's coaches booking in too.",
                reflections="Call backs are happening; people say it is the first time they "
                "were rung rather than chased.",
                what_changed="",
                starts_on=day(d(2026, 9, 7)),
                ends_on=None,
            ),
        ]
    )
    Story.objects.bulk_create(
        [
            Story(
                experiment=named_officer,
                told_on=day(d(2026, 7, 28)),
                words="I only had to say it once. She wrote it down and the next time she "
                "already knew.",
                created_at=moment(d(2026, 7, 28), 15),
            ),
            Story(
                experiment=named_officer,
                told_on=day(d(2026, 9, 22)),
                words="They rang me back. I couldn't believe it. I'd been waiting for a "
                "letter saying no.",
                created_at=moment(d(2026, 9, 22), 15),
            ),
            Story(
                experiment=named_officer,
                told_on=day(d(2026, 10, 13)),
                words="The officer said the rule has exceptions and my kids being here is one "
                "of them. Nobody had told me that in two years.",
                created_at=moment(d(2026, 10, 13), 15),
            ),
        ]
    )

    evenings = Experiment.objects.create(
        organisation=home,
        title="Evening appointments from the first letter",
        if_we="offer an evening or phone appointment in the very first letter to anyone in "
        "work or volunteering",
        then="fewer appointments clash with work, and fewer people lose money or support for "
        "a missed one",
        co_designed_with="The appointments group: Jo, Ravi from probation, and Dee.",
        group=appointments_group,
        starts_on=day(d(2026, 10, 5)),
        ends_on=day(d(2027, 1, 29)),
        created_by=dee,
        created_at=moment(d(2026, 9, 30), 10),
    )
    evenings.themes.set([appointments])
    Measure.objects.bulk_create(
        [
            Measure(experiment=evenings, kind=K.THEME_BARRIERS, theme=appointments),
            Measure(experiment=evenings, kind=K.CHECK_IN_CHANGE),
        ]
    )
    Cycle.objects.create(
        experiment=evenings,
        number=1,
        plan="Probation's first letters offer Thursday evening slots for a month.",
        tried="The new letter went out from the fifth of October.",
        reflections="",
        starts_on=day(d(2026, 10, 5)),
    )
    Story.objects.create(
        experiment=evenings,
        told_on=day(d(2026, 10, 22)),
        words="First time I've kept a job and my appointments at the same time.",
        created_at=moment(d(2026, 10, 22), 15),
    )
    return named_officer, evenings


def _recommendations(
    home: Organisation,
    council: Organisation,
    dee: Any,
    morag: Any,
    aisha: Any,
    themes: list[SystemTheme],
    placements: dict[int, list[BarrierPlacement]],
    experiments: tuple[Experiment, Experiment],
    day: Any,
    moment: Any,
) -> int:
    d = date
    housing, proof, appointments, _contact = themes
    named_officer, evenings = experiments
    To, Lands = Recommendation.To, Recommendation.LandsIn  # noqa: N806

    def quotes(theme: SystemTheme, n: int) -> list[BarrierPlacement]:
        # Quotes a convener chose: their own placements, one from each organisation first.
        mine = [p for p in placements[theme.pk] if p.by_convener]
        by_org: dict[int, list[BarrierPlacement]] = {}
        for p in mine:
            by_org.setdefault(p.barrier.person.organisation_id, []).append(p)
        chosen = [rows[0] for rows in by_org.values()]
        chosen += [p for p in mine if p not in chosen]
        return chosen[:n]

    accepted = Recommendation.objects.create(
        organisation=home,
        title="Coaches can go with people to the housing desk",
        what="Give every coach half a day a fortnight to go with people to housing, benefits "
        "and GP appointments, so nobody faces the desk alone.",
        to=To.LEADERSHIP,
        addressed_to=home,
        lands_in=Lands.WORKFORCE,
        answer_by=day(d(2026, 9, 30)),
        sent_at=moment(d(2026, 8, 24), 10),
        created_by=dee,
        created_at=moment(d(2026, 8, 20), 10),
    )
    accepted.themes.set([housing, proof])
    accepted.experiments.set([named_officer])
    accepted.quotes.set(quotes(housing, 2))
    Answer.objects.create(
        recommendation=accepted,
        status=Answer.Status.ACCEPTED,
        words="Yes. Going with people is the job, not extra to it.",
        what_changed="From October every coach can book a half day a fortnight to go with "
        "people to appointments; the rota is on the team board.",
        follow_up_on=day(d(2027, 1, 15)),
        by=morag,
        at=moment(d(2026, 9, 18), 14),
    )

    declined = Recommendation.objects.create(
        organisation=home,
        title="People with children in Northfield count as having a local connection",
        what="Change the allocation scheme so that a parent whose children live in Northfield "
        "has a local connection, wherever they lived before.",
        to=To.COMMISSIONER,
        addressed_to=council,
        lands_in=Lands.SYSTEM,
        answer_by=day(d(2026, 10, 9)),
        sent_at=moment(d(2026, 9, 18), 10),
        created_by=dee,
        created_at=moment(d(2026, 9, 17), 10),
    )
    declined.themes.set([housing])
    declined.experiments.set([named_officer])
    declined.quotes.set(quotes(housing, 3))
    Answer.objects.bulk_create(
        [
            Answer(
                recommendation=declined,
                status=Answer.Status.IN_PROGRESS,
                words="Thank you. I have asked the housing team what the scheme allows now.",
                by=aisha,
                at=moment(d(2026, 9, 25), 9),
            ),
            Answer(
                recommendation=declined,
                status=Answer.Status.DECLINED,
                words="We can't change the scheme before its review in 2027: the rule is set "
                "in it and changing it needs a consultation. The housing team will use the "
                "discretion the scheme already allows for parents, and your evidence will go "
                "to the review.",
                follow_up_on=day(d(2027, 3, 1)),
                what_changed="Housing officers have been reminded of the discretion for "
                "parents whose children live here.",
                by=aisha,
                at=moment(d(2026, 10, 5), 15),
            ),
        ]
    )

    overdue = Recommendation.objects.create(
        organisation=home,
        title="Evening and phone appointments as standard",
        what="Offer every person an evening or phone appointment with their coach, and ask "
        "partners to do the same from their first letter.",
        to=To.STRATEGIC_GROUP,
        addressed_to=home,
        lands_in=Lands.SERVICE_DESIGN,
        answer_by=day(d(2026, 10, 23)),
        sent_at=moment(d(2026, 10, 2), 10),
        created_by=dee,
        created_at=moment(d(2026, 10, 1), 10),
    )
    overdue.themes.set([appointments])
    overdue.experiments.set([evenings])
    overdue.quotes.set(quotes(appointments, 2))

    draft = Recommendation.objects.create(
        organisation=home,
        title="Ask what someone is good at before what is wrong",
        what="Start every first conversation, at Harbour Lane and with partners, with what "
        "the person is good at and what matters to them.",
        to=To.LEADERSHIP,
        addressed_to=home,
        lands_in=Lands.ORGANISATION,
        created_by=dee,
        created_at=moment(d(2026, 10, 28), 10),
    )
    draft.themes.set([proof])
    return 4

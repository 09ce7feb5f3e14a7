"""The demo network: the Strengths Network's directory, accreditation, events and learning.

    from alongside.demo.network import seed_network
    report = seed_network(orgs, users, random.Random(seed), as_of=date(2026, 11, 1))

Nine member organisations, each with an entry in the network's directory (Harbour Lane
Coaching and Riverside Futures, the demo's two providers, and seven invented ones in the
fictional town of Northfield), 20 published services tagged with the network's own practice
vocabulary, and one change Harbour Lane proposed that waits for the network's staff. Harbour
Lane's portfolio has been sent for accreditation and waits for Lena, the assessor; Riverside
Futures' was decided: accredited, with a renewal date. Four events to come (one full, with a
waiting list, one nearly full) and two past, five resources and three news items.

Deterministic for a given `rng` and `as_of`: every id is a uuid5 of a fixed namespace (so a
service's page keeps its address when the demo is built again), every date is worked out from
`as_of`. Idempotent: the network's directory, portfolios, events, resources and news are removed
and built again; the practice vocabulary and the rubric are the network's own and are kept
(`ensure_own_taxonomy`, `ensure_default_rubric`). Seeding is not something a user did, so it
writes no audit entries.

Everything here is invented: the organisations, the people, the addresses (NF postcodes do not
exist), the phone numbers (Ofcom's drama ranges) and the email addresses (example.org).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from alongside.accounts.models import Area, Membership, Organisation, Role
from alongside.network import entries, evidence
from alongside.network.models import (
    Contact,
    CriterionReview,
    DirectoryChange,
    DirectoryOrganisation,
    Event,
    EventPlace,
    Location,
    NewsItem,
    Portfolio,
    PortfolioEntry,
    Resource,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from alongside.network.practice_vocabulary import ensure_own_taxonomy
from alongside.network.rubric_default import ensure_default_rubric

from .sign_ins import AREA, NETWORK_LEAD, NETWORK_MEMBER_SLUGS, NETWORK_SLUG

# Fixed for ever: changing it would give every demo service a new address.
NAMESPACE = uuid.UUID("0b7a3f4e-2c1d-5e6f-8a9b-4c3d2e1f0a5b")
UK = ZoneInfo("Europe/London")
HOME_SLUG = "harbour-lane"
DECIDED_SLUG = "riverside-futures"
ASSESSOR = "lena"
MEMBER_USER_PREFIX = "demo-net-"
EVERY_WEEKDAY = "MO,TU,WE,TH,FR"
MEMBERS_SINCE = date(2026, 11, 1)  # the demo's REFERENCE_DATE (seed.py imports this module)


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on `day` in UK time (events start at 6pm in Northfield, whatever the season)."""
    return datetime.combine(day, time(hour, minute), tzinfo=UK).astimezone(UTC)


# --- the directory, as data --------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """One service: what it is, for whom, when, and the practice terms that describe it."""

    name: str
    description: str
    minimum_age: int | None
    maximum_age: int | None
    # (byday, opens, closes, what the times mean if they need saying)
    times: tuple[tuple[str, str, str, str], ...]
    terms: tuple[str, ...]
    contact: tuple[str, str]  # (name, job title)
    fees: str = "Free."


@dataclass(frozen=True)
class Member:
    slug: str
    name: str
    description: str
    # (place name, first line, second line, postcode, how to get in)
    place: tuple[str, str, str, str, str]
    offers: tuple[Offer, ...]
    lead: str = ""  # the first name of an invented member's lead


STEP_FREE = "Step-free from the street, with an accessible toilet."

MEMBERS: tuple[Member, ...] = (
    Member(
        "harbour-lane",
        "Harbour Lane Coaching",
        "Coaches who walk alongside people through tough times, for as long as it helps. "
        "You decide what to work on, and the door stays open.",
        ("Harbour Lane Coaching", "14 Harbour Lane", "", "NF1 3HL", STEP_FREE),
        (
            Offer(
                "Coaching alongside you",
                "A coach meets you where you feel comfortable, at a pace that suits you, and "
                "works with you on what matters to you. You set the goals, in your own words. "
                "There is a small personal budget for the things that get in the way.",
                18,
                None,
                (("MO,TU,WE,TH,FR", "09:00", "17:00", ""),),
                ("Person-led coaching", "Personal budgets", "Strengths-based conversations"),
                ("Priya", "Coach"),
            ),
            Offer(
                "Harbour café drop-in",
                "Come in for a cup of tea and a chat: no appointment and no forms. If you'd "
                "like, someone will tell you about coaching, or help you find the right place "
                "for something else.",
                16,
                None,
                (("TU,TH", "10:00", "13:00", ""),),
                ("Walk-in, no referral needed", "Peer support"),
                ("Morag", "Lead"),
            ),
        ),
    ),
    Member(
        "riverside-futures",
        "Riverside Futures",
        "Coaching for young adults and anyone starting again, by the river in Northfield. "
        "We stick with people, including when things go quiet.",
        ("Riverside Futures", "2 Wharf Road", "", "NF2 7RF", STEP_FREE),
        (
            Offer(
                "Coaching for young adults",
                "For young people finding their feet: leaving care, leaving home or starting "
                "again. A coach sticks with you, including when you need a break, and you can "
                "pick things up again without being referred.",
                16,
                25,
                (("MO,TU,WE,TH", "10:00", "18:00", ""),),
                ("Person-led coaching", "Leaving care"),
                ("Tom", "Coach"),
            ),
            Offer(
                "Money and paperwork mornings",
                "Bring the letters you have been putting off. We will sit with you, go through "
                "them together and help you make the calls, at your pace.",
                16,
                None,
                (("WE", "09:30", "12:30", ""),),
                ("Money worries", "Walk-in, no referral needed"),
                ("Jo", "Volunteer organiser"),
            ),
        ),
    ),
    Member(
        "kiln-street-womens-circle",
        "Kiln Street Women's Circle",
        "Women supporting women in Northfield since 2009: a weekly circle, coaching, and a "
        "strong voice in how local services are run.",
        (
            "Kiln Street Community Rooms",
            "37 Kiln Street",
            "",
            "NF3 2KS",
            "Step-free through the side door on Pottery Lane. A quiet room is always free.",
        ),
        (
            Offer(
                "Thursday women's circle",
                "A friendly group of women who meet every week to talk, share a meal and back "
                "each other up. Come as you are; there is a crèche in the next room.",
                18,
                None,
                (("TH", "10:00", "13:00", ""),),
                ("Peer support", "Walk-in, no referral needed", "Circles of support"),
                ("Bev", "Circle organiser"),
            ),
            Offer(
                "Coaching for women",
                "One-to-one coaching with a woman coach, for women who want to make a change on "
                "their own terms. Many of our coaches have been through hard times themselves.",
                18,
                None,
                (("MO,WE", "09:30", "16:30", ""),),
                ("Person-led coaching", "Lived experience leadership"),
                ("Efua", "Coach"),
            ),
            Offer(
                "Speaking up together",
                "Women who use our services shape them, and meet the council and other services "
                "to say what would make things better. Training is free and expenses are paid.",
                18,
                None,
                (("TU", "18:00", "20:00", "Every other Tuesday evening"),),
                ("Lived experience leadership", "Made with the people who use it"),
                ("Bev", "Circle organiser"),
            ),
        ),
        "Rosa",
    ),
    Member(
        "larkspur-road-youth",
        "Larkspur Road Youth Project",
        "A youth project on the Larkspur estate, open to every young person in Northfield, "
        "with youth workers who listen and stay.",
        ("Larkspur Road Youth Project", "5 Larkspur Road", "", "NF4 6LR", STEP_FREE),
        (
            Offer(
                "After-school drop-in",
                "A warm, safe place after school with snacks, games, help with homework and "
                "youth workers who listen. Bring a friend.",
                11,
                18,
                ((EVERY_WEEKDAY, "15:30", "19:00", ""),),
                ("Walk-in, no referral needed", "Evenings and weekends"),
                ("Kasia", "Youth worker"),
            ),
            Offer(
                "Moving on from care",
                "A personal adviser, and a peer mentor who has been there too, for young people "
                "leaving care: somewhere to live, money, learning and work, at your pace.",
                16,
                25,
                (("TU,TH", "10:00", "17:00", ""),),
                ("Leaving care", "Peer support", "Person-led coaching"),
                ("Leon", "Personal adviser"),
            ),
        ),
        "Leon",
    ),
    Member(
        "lock-keepers-recovery",
        "Lock Keeper's Recovery Café",
        "An alcohol-free café and recovery community by the canal, run by people in "
        "recovery, open to anyone.",
        (
            "Lock Keeper's Recovery Café",
            "Unit 3, Lock Keeper's Yard",
            "Canal Street",
            "NF2 4LK",
            STEP_FREE,
        ),
        (
            Offer(
                "Recovery café",
                "Good coffee, cheap hot food and people who understand. Nobody asks why you "
                "are here; stay for ten minutes or all day.",
                18,
                None,
                (("MO,TU,WE,TH,FR,SA", "09:00", "15:00", ""),),
                ("Recovery community", "Walk-in, no referral needed", "Run by the community"),
                ("Sol", "Café manager"),
            ),
            Offer(
                "Recovery mentors",
                "Meet a mentor with their own experience of addiction and recovery, as often "
                "as you want, for as long as it helps. Families are welcome too.",
                18,
                None,
                (("WE,FR", "11:00", "16:00", ""),),
                ("Recovery community", "Lived experience leadership", "Peer support"),
                ("Olu", "Mentor"),
            ),
        ),
        "Sol",
    ),
    Member(
        "weavers-yard-housing",
        "Weaver's Yard Housing Support",
        "Homes first, and people who stay: housing support across Northfield for anyone "
        "who has been without a home.",
        ("Weaver's Yard", "61 Mill Street", "", "NF1 8WY", STEP_FREE),
        (
            Offer(
                "Housing first",
                "A home of your own first, with a support worker who stays for as long as you "
                "want them. Nobody has to prove they are ready.",
                18,
                None,
                ((EVERY_WEEKDAY, "09:00", "17:00", ""),),
                ("Housing first", "Person-led coaching", "Personal budgets"),
                ("Hamid", "Support worker"),
            ),
            Offer(
                "Tenancy friends",
                "Volunteers who help you settle into a new home: finding furniture, getting to "
                "know the neighbourhood and keeping on top of the bills.",
                18,
                None,
                (("TU", "17:00", "19:00", ""), ("SA", "10:00", "14:00", "")),
                ("Peer support", "Evenings and weekends", "Money worries"),
                ("Isla", "Volunteer organiser"),
            ),
        ),
        "Isla",
    ),
    Member(
        "millpond-families",
        "Millpond Families Together",
        "A family centre on Millpond Green where parents, carers and children find "
        "company, coaching and a bit of breathing space.",
        ("Millpond Family Centre", "Millpond Green", "Eastgate", "NF5 1MF", STEP_FREE),
        (
            Offer(
                "Family coaching",
                "A coach for the whole family, working on what you decide matters most, from "
                "school mornings to money to time together.",
                None,
                None,
                (("MO,TU,WE,TH", "09:00", "17:00", ""),),
                ("Person-led coaching", "Circles of support"),
                ("Maya", "Family coach"),
            ),
            Offer(
                "Saturday family mornings",
                "Play, breakfast and a chance for parents and carers to talk with others in "
                "the same boat. Children of every age are welcome.",
                None,
                None,
                (("SA", "09:30", "12:00", ""),),
                ("Walk-in, no referral needed", "Peer support", "Evenings and weekends"),
                ("Will", "Centre worker"),
            ),
        ),
        "Maya",
    ),
    Member(
        "bridgewell-welcome",
        "Bridgewell Welcome Project",
        "A welcome for people new to Northfield and new to the UK, with interpreters, "
        "English conversation and coaching.",
        (
            "Bridgewell Chapel Hall",
            "9 Station Road",
            "",
            "NF3 5BW",
            "Two steps at the front; a ramp and bell at the side entrance.",
        ),
        (
            Offer(
                "Welcome mornings",
                "Tea, English conversation and help with forms and appointments. Interpreters "
                "for Arabic, Dari, Tigrinya and Ukrainian are here most weeks.",
                16,
                None,
                (("MO,WE", "10:00", "12:30", ""),),
                ("Help in other languages", "Walk-in, no referral needed"),
                ("Yara", "Welcome coordinator"),
            ),
            Offer(
                "Welcome coaching",
                "A coach, with an interpreter if you would like one, to help you build a life "
                "here on your own terms: work, learning, a home and friends.",
                18,
                None,
                (("TU,TH", "10:00", "16:00", ""),),
                ("Person-led coaching", "Help in other languages"),
                ("Qasim", "Coach"),
            ),
        ),
        "Yara",
    ),
    Member(
        "tanners-row-moving-on",
        "Tanner's Row Moving On",
        "Alongside people leaving prison and their families, from before release day "
        "for as long as it helps.",
        ("Tanner's Row", "22 Tanner's Row", "", "NF4 3TR", STEP_FREE),
        (
            Offer(
                "Through the gate",
                "We meet you before you leave prison, are there at the gate on the day, and "
                "stay alongside you afterwards: somewhere to live, money, and the people who "
                "matter to you.",
                18,
                None,
                ((EVERY_WEEKDAY, "08:30", "17:00", ""),),
                ("Leaving prison", "Person-led coaching", "Personal budgets"),
                ("Nathan", "Coach"),
            ),
            Offer(
                "Tuesday peer group",
                "A weekly group run by people who have been through the justice system "
                "themselves. Nobody judges; everyone is working something out.",
                18,
                None,
                (("TU", "18:00", "20:00", ""),),
                ("Peer support", "Lived experience leadership", "Leaving prison"),
                ("Ben", "Peer group host"),
            ),
            Offer(
                "Family link",
                "Support for partners, parents and children of someone in prison or just out: "
                "visits, money, and someone to talk to who understands.",
                None,
                None,
                (("WE", "10:00", "15:00", ""),),
                ("Circles of support", "Leaving prison"),
                ("Gita", "Family worker"),
            ),
        ),
        "Ben",
    ),
)


@dataclass
class NetworkReport:
    members: int = 0
    services: int = 0
    events: int = 0
    portfolios: int = 0


def seed_network(
    orgs: dict[str, Organisation],
    users: dict[str, Any],
    rng: random.Random,
    *,
    as_of: date,
) -> NetworkReport:
    """Build (or rebuild) the Strengths Network's demo. `orgs` and `users` are the demo's own
    (by slug and by username); the invented members and their leads are made here."""
    network = orgs[NETWORK_SLUG]
    area = Area.objects.get(slug=AREA[1])
    members = _ensure_members(orgs, network)
    member_users = _ensure_member_users(members)
    _clear(network)
    taxonomy = ensure_own_taxonomy(network=network)
    terms = {t.name.casefold(): t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    services = _directory(network, members, area, terms, rng, as_of)
    _waiting_change(network, members[HOME_SLUG], users["morag"], services, as_of)
    portfolios = _accreditation(network, orgs, users, rng, as_of)
    staff = users[NETWORK_LEAD]
    # Twelve people in all, from every member: enough to fill the gathering and wait for it.
    comers = [*member_users, *(users[u] for u in ("priya", "morag", "dee", "kofi", "tom"))]
    events = _events(network, staff, comers, rng, as_of)
    _resources(network, staff, members, users, member_users, as_of)
    _news(network, staff, as_of)
    return NetworkReport(
        members=len(members), services=len(services), events=events, portfolios=portfolios
    )


# --- members and their staff -------------------------------------------------------------------


def _ensure_members(
    orgs: dict[str, Organisation], network: Organisation
) -> dict[str, Organisation]:
    """The demo's providers join the network; the invented members are made (outside any
    area: they are in the directory, not in Northfield's convening or insight)."""
    members: dict[str, Organisation] = {}
    for member in MEMBERS:
        if member.slug in orgs:
            members[member.slug] = orgs[member.slug]
        else:
            members[member.slug], _ = Organisation.objects.update_or_create(
                slug=member.slug,
                defaults={"name": member.name, "kind": Organisation.Kind.PROVIDER, "area": None},
            )
    for slug in NETWORK_MEMBER_SLUGS:
        members.setdefault(slug, orgs[slug])
    have = set(network.members.values_list("pk", flat=True))
    network.members.add(*(org for org in members.values() if org.pk not in have))
    return members


def _ensure_member_users(members: dict[str, Organisation]) -> list[Any]:
    """A lead at each invented member, who cannot sign in: they propose, add resources and
    come to events. (Only a lead: the demo's coaches are Harbour Lane's and Riverside's.)"""
    User = get_user_model()  # noqa: N806
    made = []
    joined = set(
        Membership.objects.filter(
            user__username__startswith=MEMBER_USER_PREFIX, role=Role.LEAD
        ).values_list("user_id", "organisation_id")
    )
    for member in MEMBERS:
        if not member.lead:
            continue
        org = members[member.slug]
        username = f"{MEMBER_USER_PREFIX}{member.slug}-{Role.LEAD}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=member.lead)
            user.set_unusable_password()
            user.save()
        if (user.pk, org.pk) not in joined:
            Membership.objects.create(
                user=user, organisation=org, role=Role.LEAD, created_at=_at(MEMBERS_SINCE)
            )
        made.append(user)
    return made


def _clear(network: Organisation) -> None:
    """The network's demo rows, children first. The vocabulary, the rubric and any feeds stay."""
    Portfolio.objects.filter(network=network).delete()
    DirectoryChange.objects.filter(network=network).delete()
    DirectoryOrganisation.objects.filter(network=network).delete()
    Event.objects.filter(network=network).delete()
    Resource.objects.filter(network=network).delete()
    NewsItem.objects.filter(network=network).delete()


# --- the directory -----------------------------------------------------------------------------


def _terms_for(
    offer: Offer, terms: dict[str, TaxonomyTerm], rng: random.Random
) -> list[TaxonomyTerm]:
    """The offer's own terms; if the vocabulary has since renamed some, others from it, so
    every service still carries at least two."""
    chosen = [terms[name.casefold()] for name in offer.terms if name.casefold() in terms]
    leaves = sorted((t for t in terms.values() if t.parent_id), key=lambda t: t.name)
    while len(chosen) < 2 and len(leaves) > len(chosen):
        extra = rng.choice(leaves)
        if extra not in chosen:
            chosen.append(extra)
    return chosen


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _directory(
    network: Organisation,
    members: dict[str, Organisation],
    area: Area,
    terms: dict[str, TaxonomyTerm],
    rng: random.Random,
    as_of: date,
) -> dict[str, Service]:
    """Every member's entry, place and services, published, in a handful of bulk writes."""
    organisations, locations, services, places, areas = [], [], [], [], []
    schedules, contacts, tagged = [], [], []
    by_name: dict[str, Service] = {}
    phone = 0
    for member in MEMBERS:
        joined = as_of - timedelta(days=rng.randint(200, 700))
        entry = DirectoryOrganisation(
            id=_id("organisation", member.slug),
            network=network,
            member=members[member.slug],
            name=member.name,
            description=member.description,
            email=f"{member.slug}@example.org",
            website=f"https://{member.slug}.example.org/",
            published=True,
            created_at=_at(joined),
            last_modified=_at(joined),
        )
        organisations.append(entry)
        place_name, line_1, line_2, postcode, access = member.place
        location = Location(
            id=_id("location", member.slug),
            address_id=_id("address", member.slug),
            network=network,
            organisation=entry,
            location_type=Location.Type.PHYSICAL,
            name=place_name,
            accessibility=access,
            address_1=line_1,
            address_2=line_2,
            city=AREA[0],
            state_province="Northshire",
            postal_code=postcode,
            created_at=_at(joined),
            last_modified=_at(joined),
        )
        locations.append(location)
        for offer in member.offers:
            key = f"{member.slug}/{offer.name}"
            started = joined + timedelta(days=rng.randint(0, 120))
            service = Service(
                id=_id("service", key),
                network=network,
                organisation=entry,
                name=offer.name,
                description=offer.description,
                url=f"https://{member.slug}.example.org/{_slug(offer.name)}/",
                email=f"{member.slug}@example.org",
                fees=offer.fees,
                minimum_age=offer.minimum_age,
                maximum_age=offer.maximum_age,
                assured_date=as_of - timedelta(days=rng.randint(7, 150)),
                assurer_email="directory@example.org",
                published=True,
                created_at=_at(started),
                last_modified=_at(started),
            )
            services.append(service)
            by_name[key] = service
            at_place = ServiceAtLocation(
                id=_id("service_at_location", key),
                network=network,
                service=service,
                location=location,
                created_at=_at(started),
                last_modified=_at(started),
            )
            places.append(at_place)
            areas.append(
                ServiceArea(
                    id=_id("service_area", key),
                    network=network,
                    service=service,
                    name=AREA[0],
                    area=area,
                    created_at=_at(started),
                    last_modified=_at(started),
                )
            )
            for n, (byday, opens, closes, words) in enumerate(offer.times):
                schedules.append(
                    Schedule(
                        id=_id("schedule", key, n),
                        network=network,
                        service=service,
                        service_at_location=at_place,
                        byday=byday,
                        opens_at=_clock(opens),
                        closes_at=_clock(closes),
                        description=words,
                        attending_type="In person",
                        # Kept in order: the entry lists a service's times by when they were added.
                        created_at=_at(started) + timedelta(minutes=n),
                        last_modified=_at(started),
                    )
                )
            name, title = offer.contact
            number = f"01632 960{100 + phone:03d}" if phone % 3 else f"07700 900{200 + phone:03d}"
            phone += 1
            contacts.append(
                Contact(
                    id=_id("contact", key),
                    phone_id=_id("phone", key),
                    network=network,
                    service=service,
                    name=name,
                    title=title,
                    email=f"{name.lower()}.{member.slug}@example.org",
                    phone=number,
                    phone_description="Leave a message and we will call you back.",
                    created_at=_at(started),
                    last_modified=_at(started),
                )
            )
            tagged += [
                Service.terms.through(service_id=service.pk, taxonomyterm_id=term.pk)
                for term in _terms_for(offer, terms, rng)
            ]
    DirectoryOrganisation.objects.bulk_create(organisations)
    Location.objects.bulk_create(locations)
    Service.objects.bulk_create(services)
    ServiceAtLocation.objects.bulk_create(places)
    ServiceArea.objects.bulk_create(areas)
    Schedule.objects.bulk_create(schedules)
    Contact.objects.bulk_create(contacts)
    Service.terms.through.objects.bulk_create(tagged)
    return by_name


def _slug(words: str) -> str:
    return "-".join("".join(c for c in w if c.isalnum()) for w in words.lower().split())


def _waiting_change(
    network: Organisation,
    member: Organisation,
    lead: Any,
    services: dict[str, Service],
    as_of: date,
) -> None:
    """Morag asks to open the café drop-in on Fridays too: a change waiting for the staff."""
    service = (
        Service.objects.filter(pk=services["harbour-lane/Harbour café drop-in"].pk)
        .prefetch_related(
            "terms",
            "service_areas__area",
            "service_at_locations__location",
            "schedules",
            "contacts",
        )
        .get()
    )
    proposed = entries.service_entry(service)
    proposed["schedules"][0]["byday"] = "TU,TH,FR"
    proposed["description"] = (
        "Come in for a cup of tea and a chat: no appointment and no forms, now on Fridays "
        "too. If you'd like, someone will tell you about coaching, or help you find the right "
        "place for something else."
    )
    DirectoryChange.objects.create(
        network=network,
        kind=DirectoryChange.Kind.SERVICE,
        status=DirectoryChange.Status.WAITING,
        organisation=service.organisation,
        service=service,
        proposed=proposed,
        proposed_by=lead,
        proposed_for=member,
        proposed_at=_at(as_of - timedelta(days=2), 15, 20),
    )


# --- accreditation -----------------------------------------------------------------------------

# What Harbour Lane wrote for each criterion of the default rubric, by its title. A criterion
# this does not know (the rubric is data; a network may change it) gets THE_REST.
HARBOUR_LANE_WROTE = {
    "People start on their own terms": (
        "Anyone can start with us with only the name they choose. Most people first come "
        "to the café drop-in with a friend, and we start coaching that day if they want to. "
        "We stopped asking for referral forms two years ago; the figure shows how many "
        "relationships started with a name only since then."
    ),
    "Goals are the person's own": (
        "Goals are written in the person's own words, in their record, and the coach only "
        "suggests one when asked. A suggestion is not a goal until the person says yes. "
        "People change their minds, and we count that as learning, not failure."
    ),
    "No cliff edges": (
        "Nobody is closed for missing appointments. People pause, and pick up again when "
        "they are ready, without a new referral. Our coaches keep in touch gently while "
        "things are paused, in the way each person asked for."
    ),
    "Strengths and wellbeing, not deficits": (
        "We ask the four ONS wellbeing questions about once a month, only if the person is "
        "happy to, and look at them together. Strengths are written down in people's own "
        "words and come up in every conversation."
    ),
    "The words we use": (
        "The language prompt reminds us when a label slips into a record in place of what "
        "happened. We talk about the trend at our monthly team meeting, and it has fallen "
        "steadily."
    ),
    "Money follows what people want": (
        "Each person has a budget of their own. Coaches decide up to £100 there and then; "
        "above that, Morag decides within two days. Almost all of it is spent on goals "
        "people set themselves: a bike, a course, a deposit, a phone."
    ),
    "Learning from the people we work with": (
        "We held a listening exercise on 'what makes it hard to ask for help', heard from "
        "people in their own words and published the report. Two changes came from it: "
        "evening sessions and no more letters in brown envelopes."
    ),
    "Naming what gets in the way": (
        "Coaches record a barrier when a service or rule gets in someone's way, and the "
        "person decides whether it is shared. Shared barriers go to Northfield's convening "
        "groups, with no names."
    ),
    "Taking learning to people with power": (
        "With Riverside Futures we took the housing barriers to the council; our "
        "recommendation about the evidence asked of people leaving prison was answered and "
        "the form changed."
    ),
    "Influencing through doing": (
        "We share our figures with the council through Northfield's area insight, have "
        "hosted three visits from other organisations, and our lead speaks at the network's "
        "practice circle."
    ),
}
RIVERSIDE_WROTE = (
    "Young people lead their own coaching here. We showed this with our records, two "
    "stories told by young people themselves and a visit from the assessor."
)
THE_REST = (
    "We describe how we work on this in our own words, with the figures from our records beside it."
)


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _frozen(org: Organisation, keys: list[str], as_of: date, when: datetime) -> list[Any]:
    """The chosen figures as they stood on the day the portfolio was sent, worked out from
    the demo's own coaching records."""
    since, until = evidence.last_twelve_months(as_of)
    frozen = []
    for key in keys:
        result = evidence.compute(key, org, since=since, until=until)
        if result is not None:
            frozen.append({**result.as_frozen(), "worked_out_at": when.isoformat()})
    return frozen


def _accreditation(
    network: Organisation,
    orgs: dict[str, Organisation],
    users: dict[str, Any],
    rng: random.Random,
    as_of: date,
) -> int:
    rubric = ensure_default_rubric(network=network)
    criteria = [c for theme in rubric.themes.all() for c in theme.criteria.all()]
    levels = list(rubric.levels.all())
    assessor = users[ASSESSOR]

    # Harbour Lane: sent a few days ago, waiting for Lena.
    sent = _at(as_of - timedelta(days=5), 16, 10)
    home = Portfolio.objects.create(
        organisation=orgs[HOME_SLUG],
        network=network,
        rubric=rubric,
        status=Portfolio.Status.SUBMITTED,
        created_at=sent - timedelta(days=40),
        created_by=users["morag"],
        submitted_at=sent,
        version=len(criteria) + 2,
    )
    PortfolioEntry.objects.bulk_create(
        PortfolioEntry(
            portfolio=home,
            criterion=criterion,
            narrative=HARBOUR_LANE_WROTE.get(criterion.title, THE_REST),
            figure_keys=list(criterion.figure_keys),
            figures_frozen=_frozen(orgs[HOME_SLUG], list(criterion.figure_keys), as_of, sent),
            updated_at=sent - timedelta(days=rng.randint(1, 30)),
            updated_by=users["morag"],
            version=rng.randint(1, 3),
        )
        for criterion in criteria
    )

    # Riverside Futures: decided five months ago, accredited, renewal due three years on.
    decided = _at(as_of - timedelta(days=150), 14, 30)
    riverside_sent = decided - timedelta(days=35)
    level = levels[min(1, len(levels) - 1)] if levels else None
    done = Portfolio.objects.create(
        organisation=orgs[DECIDED_SLUG],
        network=network,
        rubric=rubric,
        status=Portfolio.Status.DECIDED,
        created_at=riverside_sent - timedelta(days=60),
        submitted_at=riverside_sent,
        assessor=assessor,
        decided_at=decided,
        decided_by=assessor,
        outcome=Portfolio.Outcome.ACCREDITED,
        level=level,
        decision_note=(
            "Riverside Futures works alongside young people on their terms, and shows it in "
            "its records and in what young people told me. Keep going with the work on the "
            "language in records, and tell the network what you learn from it."
        ),
        renewal_due_on=_years_on(decided.date(), 3),
        version=len(criteria) + 4,
    )
    PortfolioEntry.objects.bulk_create(
        PortfolioEntry(
            portfolio=done,
            criterion=criterion,
            narrative=RIVERSIDE_WROTE,
            figure_keys=list(criterion.figure_keys),
            figures_frozen=_frozen(
                orgs[DECIDED_SLUG], list(criterion.figure_keys), as_of, riverside_sent
            ),
            updated_at=riverside_sent - timedelta(days=rng.randint(1, 20)),
        )
        for criterion in criteria
    )
    reviews = []
    for n, criterion in enumerate(criteria):
        verdict = CriterionReview.Verdict.PARTLY if n == 4 else CriterionReview.Verdict.MET
        comment = (
            "Shown well in the records and in what young people said."
            if verdict == CriterionReview.Verdict.MET
            else "The prompt is used, but the trend has not moved yet: a year's more to see."
        )
        reviews.append(
            CriterionReview(
                portfolio=done,
                criterion=criterion,
                assessor=assessor,
                verdict=verdict,
                comment=comment,
                at=riverside_sent + timedelta(days=10 + n),
            )
        )
    CriterionReview.objects.bulk_create(reviews)
    return 2


# --- events, resources and news --------------------------------------------------------------

# (title, description, days from as_of, hour, minutes long, online, place slug or "",
#  capacity, booked, waiting)
EVENTS: tuple[tuple[str, str, int, int, int, bool, str, int | None, int, int], ...] = (
    (
        "Practice circle: goals in people's own words",
        "Our monthly practice circle. Bring a goal someone wrote in their own words, and what "
        "it taught you. Coaches, volunteers and leads are all welcome.",
        6,
        12,
        60,
        True,
        "",
        None,
        9,
        0,
    ),
    (
        "Northfield gathering: what gets in the way",
        "An afternoon together in person: members share the barriers people met this year, and "
        "what happened when we took them to the people who could change them. Lunch provided.",
        13,
        12,
        180,
        False,
        "kiln-street-womens-circle",
        8,
        8,
        2,
    ),
    (
        "Personal budgets: what we have learned",
        "Three members talk about how they decide on spending with people, how quickly, and "
        "what they would do differently. Questions welcome.",
        27,
        18,
        75,
        True,
        "",
        12,
        11,
        0,
    ),
    (
        "Accreditation drop-in",
        "Thinking about a portfolio? Come and ask anything: which figures to use, how much to "
        "write, and what the assessors look for.",
        41,
        10,
        60,
        True,
        "",
        20,
        4,
        0,
    ),
    (
        "Practice circle: keeping the door open",
        "How members keep in touch while someone has paused, and what makes it easy to come back.",
        -22,
        12,
        60,
        True,
        "",
        None,
        10,
        0,
    ),
    (
        "Summer get-together at the recovery café",
        "A relaxed afternoon at the Lock Keeper's café: food, a walk along the canal, and a "
        "chance to meet people from every member.",
        -49,
        14,
        150,
        False,
        "lock-keepers-recovery",
        25,
        11,
        0,
    ),
)


# The day of the week each event falls on (0 is Monday): the practice circles on a
# Wednesday, the gathering on a Thursday, and so on, whatever day the story is told from.
EVENT_DAYS = (2, 3, 1, 2, 2, 5)


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _events(
    network: Organisation,
    staff: Any,
    comers: list[Any],
    rng: random.Random,
    as_of: date,
) -> int:
    places_by_slug = {m.slug: m.place for m in MEMBERS}
    org_of = dict(
        Membership.objects.filter(user__in=comers)
        .exclude(organisation__kind=Organisation.Kind.NETWORK)
        .values_list("user_id", "organisation_id")
    )
    made, places = [], []
    for n, (
        title,
        words,
        days,
        hour,
        minutes,
        online,
        at_slug,
        capacity,
        booked,
        waiting,
    ) in enumerate(EVENTS):
        starts = _at(_weekday_on_or_after(as_of + timedelta(days=days), EVENT_DAYS[n]), hour)
        created = _at(as_of + timedelta(days=min(days, 0) - 30 - rng.randint(0, 14)), 11)
        place_name = address = postcode = ""
        if at_slug:
            place_name, line_1, line_2, postcode, _ = places_by_slug[at_slug]
            address = "\n".join(part for part in (line_1, line_2, AREA[0]) if part)
        event = Event.objects.create(
            network=network,
            created_at=created,
            created_by=staff,
            updated_at=created,
            title=title,
            description=words,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            online=online,
            join_url=f"https://example.org/join/strengths-network-{n + 1}" if online else "",
            place_name=place_name,
            address=address,
            postcode=postcode,
            capacity=capacity,
            uid=_id("event", title),
        )
        made.append(event)
        who = rng.sample(comers, min(len(comers), booked + waiting))
        for k, user in enumerate(who):
            when = created + timedelta(days=1 + k // 2, hours=k % 5)
            places.append(
                EventPlace(
                    event=event,
                    user=user,
                    organisation_id=org_of.get(user.pk),
                    status=EventPlace.Status.BOOKED if k < booked else EventPlace.Status.WAITING,
                    created_at=when,
                    updated_at=when,
                )
            )
    EventPlace.objects.bulk_create(places)
    return len(made)


def _resources(
    network: Organisation,
    staff: Any,
    members: dict[str, Organisation],
    users: dict[str, Any],
    member_users: list[Any],
    as_of: date,
) -> None:
    by_username = {u.username: u for u in member_users}
    lead_of = {slug: by_username.get(f"{MEMBER_USER_PREFIX}{slug}-{Role.LEAD}") for slug in members}
    rows = [
        (
            Resource.Kind.LINK,
            "A plain guide to strengths-based conversations",
            "Twelve pages on starting from what is going well, with questions to try.",
            "",
            "https://example.org/guides/strengths-based-conversations",
            "harbour-lane",
            users["morag"],
            64,
        ),
        (
            Resource.Kind.WRITE_UP,
            "What happened when we stopped asking for referral forms",
            "Lock Keeper's on a year of letting anyone walk in.",
            "We took the referral form away in January. We worried we would be overwhelmed; we "
            "were not. More people came, earlier, and fewer stopped coming. The people who "
            "used to be turned away for the wrong paperwork now come for coffee first and "
            "talk to a mentor when they are ready.\n\nWhat we would tell another member: "
            "start with one service, keep a tally for three months, and share it.",
            "",
            "lock-keepers-recovery",
            lead_of.get("lock-keepers-recovery"),
            41,
        ),
        (
            Resource.Kind.LINK,
            "Personal budgets: a short how-to",
            "How to set up a personal budget, who decides, and how to keep the paperwork light.",
            "",
            "https://example.org/guides/personal-budgets",
            "weavers-yard-housing",
            lead_of.get("weavers-yard-housing"),
            33,
        ),
        (
            Resource.Kind.WRITE_UP,
            "Young people wrote our new welcome leaflet",
            "Larkspur Road on handing the pen over.",
            "Six young people rewrote our welcome leaflet over four Thursday evenings. They "
            "took out every word they said sounded like a letter from the council, and put "
            "in what they wish someone had told them on their first day.\n\nIt took longer, "
            "and it is far better.",
            "",
            "larkspur-road-youth",
            lead_of.get("larkspur-road-youth"),
            18,
        ),
        (
            Resource.Kind.LINK,
            "The accreditation rubric, explained",
            "What each criterion asks for, what counts as evidence, and examples from members.",
            "",
            "https://example.org/strengths-network/accreditation",
            "",
            staff,
            9,
        ),
    ]
    Resource.objects.bulk_create(
        Resource(
            network=network,
            kind=kind,
            title=title,
            summary=summary,
            body=body,
            url=url,
            organisation=members.get(slug) if slug else None,
            created_by=by or staff,
            created_at=_at(as_of - timedelta(days=days_ago), 13),
        )
        for kind, title, summary, body, url, slug, by, days_ago in rows
    )


def _news(network: Organisation, staff: Any, as_of: date) -> None:
    rows = [
        (
            "Welcome to our newest members",
            "Bridgewell Welcome Project and Tanner's Row Moving On joined the network this "
            "month. Both have services in the directory already: do say hello at the next "
            "practice circle.",
            3,
        ),
        (
            "Riverside Futures accredited",
            "Riverside Futures is accredited at the Established level. The assessor, Lena, "
            "said young people lead their own coaching there, and it shows in the records and "
            "in what they said. Congratulations to the whole team.",
            148,
        ),
        (
            "The directory is open to the council's team",
            "Northfield Council's directory team now reads our directory through its Open "
            "Referral feed, so members' services appear in the council's own search too. Keep "
            "your entries up to date and they will stay up to date there.",
            61,
        ),
    ]
    NewsItem.objects.bulk_create(
        NewsItem(
            network=network,
            created_by=staff,
            title=title,
            body=body,
            created_at=_at(as_of - timedelta(days=days_ago), 9),
            published_at=_at(as_of - timedelta(days=days_ago), 9, 30),
        )
        for title, body, days_ago in rows
    )

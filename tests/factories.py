"""Small builders for test data. Plain functions: easy to read, no magic."""

from __future__ import annotations

import itertools
from typing import Any

from alongside.accounts.models import Area, Membership, Organisation, Role, User
from alongside.coaching.models import Person, Relationship

_counter = itertools.count(1)


def area(name: str = "Testford") -> Area:
    n = next(_counter)
    return Area.objects.create(name=f"{name} {n}", slug=f"area-{n}")


def organisation(
    kind: str = Organisation.Kind.PROVIDER, area_obj: Area | None = None, **extra: Any
) -> Organisation:
    n = next(_counter)
    return Organisation.objects.create(
        name=f"Organisation {n}", slug=f"org-{n}", kind=kind, area=area_obj, **extra
    )


def staff(role: str, org: Organisation, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"{role}{next(_counter)}", password="a long test passphrase"
    )
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def person(org: Organisation, coach: User | None = None, name: str = "Sam") -> Person:
    p = Person.objects.create(organisation=org, chosen_name=name)
    if coach is not None:
        Relationship.objects.create(person=p, coach=coach, organisation=org)
    return p


def person_with_sign_in(org: Organisation, coach: User | None = None, name: str = "Sam") -> Person:
    p = person(org, coach, name)
    p.user = User.objects.create_user(
        username=f"person{next(_counter)}", password="a long test passphrase"
    )
    p.save()
    return p


def world() -> dict[str, Any]:
    """Two provider organisations in one area, a council, a network, one of each role."""
    place = area()
    home = organisation(area_obj=place)
    other = organisation(area_obj=place)
    council = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=place)
    network = organisation(Organisation.Kind.NETWORK)
    coach = staff(Role.COACH, home)
    other_coach = staff(Role.COACH, other)
    home.networks.add(network)  # `other` is not a member of the network
    return {
        "area": place,
        "home": home,
        "other": other,
        "council": council,
        "network": network,
        "coach": coach,
        "other_coach": other_coach,
        "second_coach": staff(Role.COACH, home),
        "lead": staff(Role.LEAD, home),
        "other_lead": staff(Role.LEAD, other),
        "convener": staff(Role.CONVENER, home),
        "listener": staff(Role.LISTENER, home),
        "commissioner": staff(Role.COMMISSIONER, council),
        "analyst": staff(Role.ANALYST, council),
        "assessor": staff(Role.ASSESSOR, network),
        "network_lead": staff(Role.LEAD, network),
        "sam": person_with_sign_in(home, coach, "Sam"),
        "alex": person_with_sign_in(home, coach, "Alex"),
        "jo": person_with_sign_in(other, other_coach, "Jo"),
    }


def text_of(response: Any) -> str:
    """The page as a reader sees its words: HTML entities such as &#x27; turned back."""
    import html

    return html.unescape(response.content.decode())


def demo_exercise(org: Organisation, team: list[User]) -> Any:
    """The demo listening exercise with its finished, published report."""
    import random

    from alongside.demo.listening import seed_listening
    from alongside.demo.listening_report import finish_demo_report

    exercise = seed_listening(org, team, random.Random(1))
    finish_demo_report(exercise)
    return exercise


def listening_ids(exercise: Any) -> dict[str, Any]:
    """Ids to fill listening page paths: the exercise, a quoted contribution and its theme."""
    quote = exercise.themes.exclude(is_didnt_fit=True).first().headline
    return {
        "exercise": exercise.pk,
        "contribution": quote.contribution_id,
        "theme": quote.theme_id,
        "token": exercise.report.public_token,
    }

"""Make a database ready for the load and fault tests, and describe it (a process of its own).

    python -m loadtest.prepare --people 240        (DATABASE_URL and SECRET_KEY from the env)

Migrates, seeds the demo (`seed_demo`, with the stand-in sentence model of loadtest.worker:
the demo's listening exercise does not need the real one), gives the demo's extra coaches a
passphrase so they can sign in too, and prints, as its last line, the plan as JSON: who can
sign in (passphrase, two-factor key), which people each coach works alongside, which people a
lead may decide spends for, and the listening exercise with a listener on its team.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

EXTRA_COACH_PASSPHRASE = "load test passphrase for {username}"  # noqa: S105 (invented people)


def plan() -> dict[str, Any]:
    from alongside.accounts.models import Membership, Organisation, Role, User
    from alongside.coaching.models import Person, Relationship
    from alongside.demo.seed import EXTRA_COACH_PREFIX, sign_ins
    from alongside.demo.sign_ins import DEMO_SIGN_INS
    from alongside.listening.models import Exercise

    keys = {s.username: s.totp_key_hex for s in DEMO_SIGN_INS}
    users: dict[str, dict[str, Any]] = {
        username: {"passphrase": passphrase, "totp_key_hex": keys.get(username)}
        for _, username, passphrase, _ in sign_ins()
    }
    for user in User.objects.filter(username__startswith=EXTRA_COACH_PREFIX).order_by("username"):
        passphrase = EXTRA_COACH_PASSPHRASE.format(username=user.username)
        user.set_password(passphrase)
        user.save(update_fields=["password"])
        users[user.username] = {"passphrase": passphrase, "totp_key_hex": None}

    coaches: dict[str, Any] = {}
    for membership in Membership.objects.filter(
        role=Role.COACH, user__username__in=list(users)
    ).select_related("user", "organisation"):
        people = list(
            Relationship.objects.filter(coach=membership.user, organisation=membership.organisation)
            .exclude(state=Relationship.State.ENDED)
            .exclude(person__user__isnull=False)  # not Sam: his own account writes too
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        if people:
            coaches[membership.user.username] = {
                "organisation_id": membership.organisation_id,
                "people": people,
            }
    leads: dict[str, Any] = {}
    for membership in Membership.objects.filter(
        role=Role.LEAD, user__username__in=list(users)
    ).select_related("user"):
        lead = leads.setdefault(membership.user.username, {"organisation_ids": []})
        lead["organisation_ids"].append(membership.organisation_id)
    exercise = Exercise.objects.order_by("pk").first()
    team = [] if exercise is None else sorted(u.username for u in exercise.team.all())
    return {
        "users": users,
        "coaches": coaches,
        "leads": leads,
        "coach_approval_limit_pence": min(
            Organisation.objects.values_list("coach_approval_limit_pence", flat=True)
        ),
        "people_by_organisation": {
            str(org_id): list(
                Person.objects.filter(organisation_id=org_id, user__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for org_id in {c["organisation_id"] for c in coaches.values()}
        },
        "exercise": None
        if exercise is None
        else {
            "id": exercise.pk,
            "channel": (exercise.channels or ["face_to_face"])[0],
            "team": team,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.prepare", description=__doc__)
    parser.add_argument("--people", type=int, default=240)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from alongside.demo.seed import seed_demo

    from .worker import use_stand_in_model

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    use_stand_in_model()
    report = seed_demo(people=args.people, seed=args.seed)
    result = plan()
    result["people"] = report.people
    result["seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

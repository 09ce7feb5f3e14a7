"""axe on every page a signed-in role can open: the same list the header test walks
(tests/test_security_headers.PAGES), so a new page is checked in both places at once."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role, User
from alongside.coaching.models import Person
from alongside.demo.listening import TITLE as DEMO_EXERCISE_TITLE
from alongside.demo.sign_ins import DEMO_SIGN_INS
from alongside.listening.building import ContributionFields
from alongside.listening.models import Exercise
from alongside.listening.services.imports import contributions_import_start

from ..factories import listening_ids
from ..test_demo_convening import demo_convening_ids
from ..test_insight_demo import demo_insight_ids
from ..test_network_demo import demo_network_ids
from ..test_security_headers import PAGES
from .helpers import account_for, assert_accessible, sign_in

pytestmark = pytest.mark.browser

ROLE_OF = {
    "coach": Role.COACH,
    "lead": Role.LEAD,
    "convener": Role.CONVENER,
    "listener": Role.LISTENER,
    "commissioner": Role.COMMISSIONER,
    "assessor": Role.ASSESSOR,
    "analyst": Role.ANALYST,
    "person": "person",
    "network_lead": Role.LEAD,
}
# Where a role has more than one demo sign-in, the one that plays it here.
USERNAME_OF = {"network_lead": "nell"}


def _account(who: str):
    if who in USERNAME_OF:
        return next(a for a in DEMO_SIGN_INS if a.username == USERNAME_OF[who])
    return account_for(ROLE_OF[who])


@pytest.mark.parametrize("who", sorted({who for who, _ in PAGES if who is not None}))
def test_every_page_for_this_role_is_accessible(demo, page, who):
    sam = Person.objects.get(user__username="sam")
    relationship = sam.relationships.get()
    sign_in(page, _account(who))
    exercise = Exercise.objects.get(title=DEMO_EXERCISE_TITLE)
    ids = {"sam": sam.pk, "rel": relationship.pk} | listening_ids(exercise)
    if any("{import_job}" in path for w, path in PAGES if w == who):
        listener = User.objects.get(username=account_for(Role.LISTENER).username)
        rows = [ContributionFields(channel="phone", text="The forms are long.")]
        ids["import_job"] = contributions_import_start(
            actor=listener, exercise=exercise, rows=rows, source="CSV", file_name="heard.csv"
        ).pk
    ids |= demo_convening_ids()
    if any("/insight/" in path or "/pulse/" in path for w, path in PAGES if w == who):
        ids |= demo_insight_ids()
    if any(path.startswith(("/network/", "/directory/")) for w, path in PAGES if w == who):
        ids |= demo_network_ids()
    paths = [path.format(**ids) for w, path in PAGES if w == who]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response.status}"
        assert_accessible(page, path)


# The pulse is answered on a phone, without an account (the loop above walks signed-in roles).
PHONE = {"width": 360, "height": 740}


def test_the_pulse_pages_are_accessible_on_a_phone_without_an_account(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    ids = demo_insight_ids()
    for path in [p.format(**ids) for w, p in PAGES if w is None and p.startswith("/pulse/")]:
        response = page.goto(path)
        expected = 404 if "no-such" in path else 200
        assert response is not None and response.status == expected, f"{path}: {response.status}"
        assert_accessible(page, path)


def test_the_public_directory_is_accessible_on_a_phone_without_an_account(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    ids = demo_network_ids()
    for path in [p.format(**ids) for w, p in PAGES if w is None and p.startswith("/directory/")]:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response.status}"
        assert_accessible(page, path)

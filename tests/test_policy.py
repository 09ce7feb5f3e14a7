"""One policy module: for each role, what it may do and what it may not."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from alongside.accounts.policy import Action, authorize, can
from alongside.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

# (user key, action, object key, expected)
CASES = [
    # A coach: the people they work alongside, not others, not other organisations.
    ("coach", Action.PERSON_VIEW, "sam", True),
    ("coach", Action.PERSON_CHANGE, "sam", True),
    ("coach", Action.PERSON_INVITE, "sam", True),
    ("coach", Action.PERSON_VIEW, "jo", False),  # another organisation's person
    ("second_coach", Action.PERSON_VIEW, "sam", False),  # same org, not their relationship
    ("coach", Action.PERSON_START, "home", True),
    ("coach", Action.PERSON_START, "other", False),
    ("coach", Action.ORGANISATION_AGGREGATES, "home", False),
    ("coach", Action.ORGANISATION_MANAGE, "home", False),
    ("other_coach", Action.PERSON_VIEW, "sam", False),
    # A lead: their organisation's records and figures, nobody else's.
    ("lead", Action.PERSON_VIEW, "sam", True),
    ("lead", Action.PERSON_VIEW, "jo", False),
    ("lead", Action.ORGANISATION_MANAGE, "home", True),
    ("lead", Action.ORGANISATION_MANAGE, "other", False),
    ("lead", Action.ORGANISATION_AGGREGATES, "home", True),
    ("lead", Action.ORGANISATION_AGGREGATES, "other", False),
    ("other_lead", Action.PERSON_VIEW, "sam", False),
    # A person: their own record only; they cannot invite themselves.
    ("sam_user", Action.PERSON_VIEW, "sam", True),
    ("sam_user", Action.PERSON_CHANGE, "sam", True),
    ("sam_user", Action.PERSON_INVITE, "sam", False),
    ("sam_user", Action.PERSON_VIEW, "alex", False),  # another person, same coach
    ("sam_user", Action.PERSON_VIEW, "jo", False),
    ("sam_user", Action.ORGANISATION_AGGREGATES, "home", False),
    # A commissioner: area aggregates, never a single record.
    ("commissioner", Action.PERSON_VIEW, "sam", False),
    ("commissioner", Action.PERSON_CHANGE, "sam", False),
    ("commissioner", Action.AREA_AGGREGATES, "area", True),
    ("commissioner", Action.ORGANISATION_AGGREGATES, "home", True),
    ("commissioner", Action.ORGANISATION_MANAGE, "home", False),
    # Conveners, listeners and assessors: their own work, no personal records.
    ("convener", Action.PERSON_VIEW, "sam", False),
    ("convener", Action.CONVENING_WORK, "home", True),
    ("convener", Action.CONVENING_WORK, "other", False),
    ("convener", Action.LISTENING_WORK, "home", False),
    ("listener", Action.PERSON_VIEW, "sam", False),
    ("listener", Action.LISTENING_WORK, "home", True),
    ("listener", Action.AREA_AGGREGATES, "area", False),
    ("assessor", Action.PERSON_VIEW, "sam", False),
    ("assessor", Action.NETWORK_ASSESS, "network", True),
    ("assessor", Action.NETWORK_ASSESS, "home", False),
    ("assessor", Action.AREA_AGGREGATES, "area", False),
]


def _resolve(world, key):
    if key.endswith("_user"):
        return world[key.removesuffix("_user")].user
    return world[key]


@pytest.mark.parametrize("user_key,action,obj_key,expected", CASES)
def test_policy_table(world, user_key, action, obj_key, expected):
    assert can(_resolve(world, user_key), action, _resolve(world, obj_key)) is expected


def test_anonymous_and_inactive_users_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), Action.PERSON_VIEW, world["sam"])
    coach = world["coach"]
    coach.is_active = False
    assert not can(coach, Action.PERSON_VIEW, world["sam"])


def test_a_coach_whose_relationship_ended_still_sees_the_history(world):
    # Ending is the person's choice and the door stays open; the record stays readable.
    world["sam"].relationships.update(state="ended")
    assert can(world["coach"], Action.PERSON_VIEW, world["sam"])


def test_a_coach_who_left_the_organisation_loses_access(world):
    world["coach"].memberships.all().delete()
    coach = type(world["coach"]).objects.get(pk=world["coach"].pk)  # drop the cached roles
    assert not can(coach, Action.PERSON_VIEW, world["sam"])


def test_authorize_audits_the_read(world):
    request = RequestFactory().get("/")
    request.user = world["coach"]
    authorize(request, Action.PERSON_VIEW, world["sam"], detail="record")
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.VIEW
    assert entry.actor_id == world["coach"].pk
    assert entry.person_id == world["sam"].pk
    assert entry.organisation_id == world["home"].pk


def test_authorize_audits_and_refuses(world):
    request = RequestFactory().get("/")
    request.user = world["commissioner"]
    with pytest.raises(PermissionDenied):
        authorize(request, Action.PERSON_VIEW, world["sam"])
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.DENIED
    assert entry.person_id == world["sam"].pk


@pytest.mark.parametrize(
    ("user_key", "pence", "expected"),
    [
        ("coach", 10000, True),  # at the organisation's coach limit
        ("coach", 10001, False),  # above it: a lead decides
        ("lead", 90000, True),
        ("other_lead", 500, False),
        ("other_coach", 500, False),
        ("second_coach", 500, False),  # same organisation, not Sam's coach
        ("commissioner", 500, False),
        ("sam_user", 500, False),  # nobody approves their own request
    ],
)
def test_who_may_decide_a_spend_request(world, user_key, pence, expected):
    from alongside.coaching.models import SpendRequest

    spend = SpendRequest.objects.create(
        person=world["sam"], what_for="bus pass", amount_pence=pence
    )
    user = world["sam"].user if user_key == "sam_user" else world[user_key]
    assert can(user, Action.SPEND_DECIDE, spend) is expected


def test_export_follows_who_may_view(world):
    assert can(world["coach"], Action.PERSON_EXPORT, world["sam"])
    assert can(world["sam"].user, Action.PERSON_EXPORT, world["sam"])
    assert not can(world["commissioner"], Action.PERSON_EXPORT, world["sam"])
    assert not can(world["alex"].user, Action.PERSON_EXPORT, world["sam"])


# Convening (issue 13): a convener works on what their organisation keeps; a recommendation is
# seen by its conveners and whom it is addressed to, and answered only by whom it is addressed
# to (the leads of that organisation, or, to a commissioner, the commissioners of its area).
CONVENING_ROLES = [
    "coach",
    "second_coach",
    "other_coach",
    "lead",
    "other_lead",
    "convener",
    "other_convener",
    "listener",
    "commissioner",
    "far_commissioner",
    "assessor",
    "sam_user",
]
# (object key, action) -> the roles that may; every other role in CONVENING_ROLES may not.
CONVENING_MAY = {
    ("theme", Action.CONVENING_ITEM): {"convener"},
    ("group", Action.CONVENING_ITEM): {"convener"},
    ("experiment", Action.CONVENING_ITEM): {"convener"},
    ("rec_lead", Action.CONVENING_ITEM): {"convener"},
    ("other_theme", Action.CONVENING_ITEM): {"other_convener"},
    ("rec_lead", Action.RECOMMENDATION_VIEW): {"convener", "lead"},
    ("rec_lead", Action.RECOMMENDATION_ANSWER): {"lead"},
    ("rec_commissioner", Action.RECOMMENDATION_VIEW): {"convener", "commissioner"},
    ("rec_commissioner", Action.RECOMMENDATION_ANSWER): {"commissioner"},
    # Addressed to another organisation's leadership: its leads answer, not ours, and not
    # the commissioner (it was not sent to a commissioner).
    ("rec_other_lead", Action.RECOMMENDATION_VIEW): {"convener", "other_lead"},
    ("rec_other_lead", Action.RECOMMENDATION_ANSWER): {"other_lead"},
    # Another organisation's recommendation, to its own leads: our convener sees nothing.
    ("other_rec", Action.RECOMMENDATION_VIEW): {"other_convener", "other_lead"},
    ("other_rec", Action.RECOMMENDATION_ANSWER): {"other_lead"},
}
CONVENING_CASES = [
    (role, action, obj, role in may)
    for (obj, action), may in CONVENING_MAY.items()
    for role in CONVENING_ROLES
]


@pytest.fixture
def convening_world(world):
    from alongside.accounts.models import Organisation, Role
    from alongside.convening.models import ConveningGroup, Experiment, Recommendation, SystemTheme

    from .factories import area, organisation, staff

    home, other, council = world["home"], world["other"], world["council"]
    far_council = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=area("Farley"))
    theme = SystemTheme.objects.create(organisation=home, title="Housing register")

    def rec(org, to, addressed_to):
        return Recommendation.objects.create(
            organisation=org,
            title="Go with people",
            what="Coaches go with people to the desk.",
            to=to,
            addressed_to=addressed_to,
            lands_in=Recommendation.LandsIn.WORKFORCE,
        )

    return {
        **world,
        "other_convener": staff(Role.CONVENER, other),
        "far_commissioner": staff(Role.COMMISSIONER, far_council),
        "theme": theme,
        "other_theme": SystemTheme.objects.create(organisation=other, title="Housing register"),
        "group": ConveningGroup.objects.create(organisation=home, name="Housing access"),
        "experiment": Experiment.objects.create(
            organisation=home,
            title="A named officer",
            if_we="give people one named officer",
            then="fewer are turned away",
            starts_on="2026-07-01",
        ),
        "rec_lead": rec(home, Recommendation.To.LEADERSHIP, home),
        "rec_commissioner": rec(home, Recommendation.To.COMMISSIONER, council),
        "rec_other_lead": rec(home, Recommendation.To.STRATEGIC_GROUP, other),
        "other_rec": rec(other, Recommendation.To.LEADERSHIP, other),
    }


@pytest.mark.parametrize("user_key,action,obj_key,expected", CONVENING_CASES)
def test_convening_policy_table(convening_world, user_key, action, obj_key, expected):
    user = _resolve(convening_world, user_key)
    assert can(user, action, convening_world[obj_key]) is expected


def test_every_role_has_a_may_and_a_may_not_row_in_convening():
    for action in (
        Action.CONVENING_ITEM,
        Action.RECOMMENDATION_VIEW,
        Action.RECOMMENDATION_ANSWER,
    ):
        rows = [(role, expected) for role, a, _, expected in CONVENING_CASES if a == action]
        assert {role for role, e in rows if not e} == set(CONVENING_ROLES)
    may = {role for role, _, _, expected in CONVENING_CASES if expected}
    # Staff who may act somewhere in convening; a person, a coach, a listener and an
    # assessor never may.
    assert may == {"convener", "other_convener", "lead", "other_lead", "commissioner"}


def test_a_convener_who_left_loses_their_organisations_convening(convening_world):
    convener = convening_world["convener"]
    convener.memberships.all().delete()
    convener = type(convener).objects.get(pk=convener.pk)  # drop the cached roles
    assert not can(convener, Action.CONVENING_ITEM, convening_world["theme"])
    assert not can(convener, Action.RECOMMENDATION_VIEW, convening_world["rec_lead"])


def test_a_commissioner_answers_only_while_the_organisation_is_in_their_area(convening_world):
    rec = convening_world["rec_commissioner"]
    assert can(convening_world["commissioner"], Action.RECOMMENDATION_ANSWER, rec)
    council = rec.addressed_to
    council.area = None
    council.save()
    rec.refresh_from_db()
    assert not can(convening_world["commissioner"], Action.RECOMMENDATION_ANSWER, rec)


# Area insight (issue 14): the analysts and commissioners of an area work on what the area
# keeps; nobody else, and not those of another area.
INSIGHT_ROLES = [
    "coach",
    "lead",
    "convener",
    "listener",
    "commissioner",
    "analyst",
    "far_commissioner",
    "far_analyst",
    "assessor",
    "sam_user",
]
INSIGHT_MAY = {
    ("area", Action.INSIGHT_WORK): {"commissioner", "analyst"},
    ("data_set", Action.INSIGHT_ITEM): {"commissioner", "analyst"},
    ("far_area", Action.INSIGHT_WORK): {"far_commissioner", "far_analyst"},
    ("far_data_set", Action.INSIGHT_ITEM): {"far_commissioner", "far_analyst"},
}
INSIGHT_CASES = [
    (role, action, obj, role in may)
    for (obj, action), may in INSIGHT_MAY.items()
    for role in INSIGHT_ROLES
]


@pytest.fixture
def insight_world(world):
    from alongside.accounts.models import Organisation, Role
    from alongside.insight.models import DataSet

    from .factories import area, organisation, staff

    far_area = area("Farley")
    far_council = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=far_area)

    def data_set(place, keeper):
        return DataSet.objects.create(
            area=place, organisation=keeper, kind=DataSet.Kind.RECORDS, title="Services 2026"
        )

    return {
        **world,
        "far_area": far_area,
        "far_commissioner": staff(Role.COMMISSIONER, far_council),
        "far_analyst": staff(Role.ANALYST, far_council),
        "data_set": data_set(world["area"], world["council"]),
        "far_data_set": data_set(far_area, far_council),
    }


@pytest.mark.parametrize("user_key,action,obj_key,expected", INSIGHT_CASES)
def test_insight_policy_table(insight_world, user_key, action, obj_key, expected):
    user = _resolve(insight_world, user_key)
    assert can(user, action, insight_world[obj_key]) is expected


def test_an_analyst_never_sees_a_persons_record(world):
    assert not can(world["analyst"], Action.PERSON_VIEW, world["sam"])
    assert not can(world["analyst"], Action.ORGANISATION_AGGREGATES, world["home"])

"""Every page carries the security headers, and every form is protected against CSRF."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from alongside.listening.building import ContributionFields
from alongside.listening.services.imports import contributions_import_start

from .factories import demo_exercise, listening_ids, text_of
from .test_insight_demo import INSIGHT_KEYS, world_insight_ids

pytestmark = pytest.mark.django_db

# (who, path): every page that exists, as someone who may open it.
PAGES = [
    (None, "/accounts/sign-in/"),
    (None, "/accounts/welcome/"),
    (None, "/healthz"),
    (None, "/api/health"),
    (None, "/no-such-page/"),
    ("coach", "/"),
    ("coach", "/people/"),
    ("coach", "/people/?q=sa"),
    ("coach", "/design/"),
    ("coach", "/people/{sam}/"),
    ("coach", "/people/start/"),
    ("coach", "/people/{sam}/record/"),
    ("coach", "/people/{sam}/relationship/{rel}/pause/"),
    ("coach", "/people/{sam}/relationship/{rel}/end/"),
    ("coach", "/people/{sam}/relationship/{rel}/how-often/"),
    ("coach", "/people/{sam}/relationship/{rel}/dates/"),
    ("coach", "/people/{sam}/circle/add/"),
    ("coach", "/people/{sam}/budget/"),
    ("coach", "/people/{sam}/budget/ask/"),
    ("coach", "/people/{sam}/safety-plan/"),
    ("coach", "/people/{sam}/safety-plan/edit/"),
    ("coach", "/people/{sam}/barriers/add/"),
    ("coach", "/people/{sam}/conversations/add/"),
    ("coach", "/people/{sam}/goals/add/"),
    ("coach", "/people/{sam}/strengths/"),
    ("coach", "/people/{sam}/strengths/add/"),
    ("coach", "/people/{sam}/milestones/add/"),
    ("coach", "/people/{sam}/check-ins/"),
    ("coach", "/people/{sam}/check-ins/add/?instrument=ons4"),
    ("lead", "/people/instruments/"),
    ("lead", "/people/instruments/load/"),
    ("lead", "/people/language/"),
    ("lead", "/people/milestones/"),
    ("lead", "/people/budget/ledger/"),
    ("lead", "/everyone/"),
    ("lead", "/people/{sam}/budget/allocation/"),
    ("lead", "/"),
    ("lead", "/accounts/organisation/"),
    ("lead", "/audit/"),
    ("convener", "/convening/"),
    # Convening: {system_theme} and the ids beside it are made by _convening_ids (here) and
    # read from the demo (tests/browser/test_every_page_accessible.py).
    ("convener", "/convening/themes/"),
    ("convener", "/convening/themes/new/"),
    ("convener", "/convening/themes/suggested/"),
    ("convener", "/convening/themes/{system_theme}/"),
    ("convener", "/convening/themes/{system_theme}/edit/"),
    ("convener", "/convening/themes/{system_theme}/listening/"),
    ("convener", "/convening/themes/{system_theme}/briefing/"),
    ("convener", "/convening/groups/"),
    ("convener", "/convening/groups/new/"),
    ("convener", "/convening/groups/{group}/"),
    ("convener", "/convening/groups/{group}/edit/"),
    ("convener", "/convening/groups/{group}/members/add/"),
    ("convener", "/convening/groups/{group}/meetings/add/"),
    ("convener", "/convening/groups/{group}/meetings/{meeting}/"),
    ("convener", "/convening/groups/{group}/actions/add/"),
    ("convener", "/convening/experiments/"),
    ("convener", "/convening/experiments/new/"),
    ("convener", "/convening/experiments/{experiment}/"),
    ("convener", "/convening/experiments/{experiment}/edit/"),
    ("convener", "/convening/experiments/{experiment}/cycles/new/"),
    ("convener", "/convening/experiments/{experiment}/cycles/{cycle}/"),
    ("convener", "/convening/experiments/{experiment}/stories/add/"),
    ("convener", "/convening/recommendations/"),
    ("convener", "/convening/recommendations/new/"),
    ("convener", "/convening/recommendations/{recommendation}/"),
    ("convener", "/convening/recommendations/{draft}/edit/"),
    ("convener", "/convening/recommendations/{recommendation}/briefing/"),
    ("lead", "/convening/recommendations/"),
    ("lead", "/convening/recommendations/{recommendation}/"),
    ("lead", "/convening/recommendations/{recommendation}/briefing/"),
    ("commissioner", "/convening/recommendations/"),
    ("commissioner", "/"),
    ("commissioner", "/convening/recommendations/{to_commissioner}/"),
    ("lead", "/me/erasure-requests/"),
    ("listener", "/listening/"),
    ("listener", "/listening/add/"),
    ("lead", "/listening/"),
    ("lead", "/listening/add/"),
    # {exercise} and the ids under it are the demo exercise with its finished report.
    ("listener", "/listening/{exercise}/"),
    ("listener", "/listening/{exercise}/edit/"),
    ("listener", "/listening/{exercise}/add/"),
    ("listener", "/listening/{exercise}/import/"),
    ("listener", "/listening/{exercise}/imports/{import_job}/"),
    ("listener", "/listening/{exercise}/contributions/"),
    ("listener", "/listening/{exercise}/contributions/{contribution}/"),
    ("listener", "/listening/{exercise}/contributions/{contribution}/review/"),
    ("listener", "/listening/{exercise}/themes/"),
    ("listener", "/listening/{exercise}/themes/{theme}/"),
    ("listener", "/listening/{exercise}/themes/{theme}/merge/"),
    ("listener", "/listening/{exercise}/themes/{theme}/split/"),
    ("listener", "/listening/{exercise}/themes/contributions/{contribution}/move/"),
    ("listener", "/listening/{exercise}/themes/contributions/{contribution}/excerpt/"),
    ("listener", "/listening/{exercise}/report/"),
    ("listener", "/listening/{exercise}/report/edit/"),
    ("lead", "/listening/{exercise}/"),
    (None, "/listening/reports/{token}/"),
    (None, "/listening/reports/not-published/"),
    ("commissioner", "/area/"),
    ("assessor", "/network/"),
    ("person", "/"),
    ("person", "/me/"),
    ("person", "/me/record/"),
    ("person", "/me/goals/add/"),
    ("person", "/me/strengths/add/"),
    ("person", "/me/check-in/"),
    ("person", "/me/who-has-looked/"),
    ("person", "/me/choices/"),
    ("person", "/me/my-data/"),
    ("person", "/me/my-data/erase/"),
    # Area insight (issue 14): {dataset}, {analysis} and the rest are filled by
    # tests/test_insight_demo.world_insight_ids (here) and demo_insight_ids (the axe walk).
    ("analyst", "/insight/"),
    ("analyst", "/insight/data/"),
    ("analyst", "/insight/data/new/"),
    ("analyst", "/insight/data/{dataset}/"),
    ("analyst", "/insight/data/{population}/"),
    ("analyst", "/insight/data/{dataset}/delete/"),
    ("analyst", "/insight/analyses/"),
    ("analyst", "/insight/analyses/new/"),
    ("analyst", "/insight/analyses/new/?records={dataset}"),
    ("analyst", "/insight/analyses/{analysis}/"),
    ("analyst", "/insight/findings/{finding}/"),
    ("analyst", "/insight/good/"),
    ("analyst", "/insight/good/new/"),
    ("analyst", "/insight/good/{statement}/"),
    ("analyst", "/insight/good/{statement}/edit/"),
    ("analyst", "/insight/good/{statement}/people/"),
    ("analyst", "/insight/good/{statement}/trackers/new/"),
    ("analyst", "/insight/trackers/{tracker}/values/"),
    ("analyst", "/insight/pulse/"),
    ("analyst", "/insight/pulse/new/"),
    ("analyst", "/insight/pulse/new/?audience=workers"),
    ("analyst", "/insight/pulse/{pulse}/"),
    ("analyst", "/insight/pulse/{pulse}/rounds/new/"),
    ("analyst", "/insight/pulse/{pulse}/rounds/{pulse_round}/links/"),
    ("analyst", "/insight/wellbeing/"),
    ("analyst", "/insight/briefing/"),
    ("commissioner", "/insight/"),
    ("commissioner", "/insight/analyses/{analysis}/"),
    ("commissioner", "/insight/findings/{finding}/"),
    ("commissioner", "/insight/good/{statement}/"),
    ("commissioner", "/insight/pulse/{pulse}/"),
    ("commissioner", "/insight/wellbeing/"),
    ("commissioner", "/insight/briefing/"),
    (None, "/pulse/{pulse_token}/"),
    (None, "/pulse/thanks/"),
    (None, "/pulse/no-such-link/"),
    # The network (issue 15): {net_event}, {portfolio} and the rest are made by _network_ids
    # (here). "lead" leads "home", a member; "network_lead" and "assessor" are its staff.
    ("lead", "/network/"),
    ("network_lead", "/network/"),
    ("lead", "/network/events/"),
    ("lead", "/network/events/{net_event}/"),
    ("network_lead", "/network/events/{net_event}/"),
    ("network_lead", "/network/events/new/"),
    ("network_lead", "/network/events/{net_event}/edit/"),
    ("network_lead", "/network/events/{net_event}/cancel/"),
    (None, "/network/events.ics"),
    (None, "/network/events/{net_event}.ics"),
    ("lead", "/network/resources/"),
    ("lead", "/network/resources/?kind=write_up&words=strengths"),
    ("lead", "/network/resources/new/"),
    ("lead", "/network/resources/{net_resource}/"),
    ("lead", "/network/resources/{net_resource}/remove/"),
    ("lead", "/network/news/"),
    ("lead", "/network/news/{net_news}/"),
    ("network_lead", "/network/news/new/"),
    ("network_lead", "/network/news/{net_news}/edit/"),
    ("lead", "/network/accreditation/"),
    ("lead", "/network/accreditation/{portfolio}/"),
    ("lead", "/network/accreditation/{portfolio}/criteria/{portfolio_entry}/"),
    ("lead", "/network/accreditation/{portfolio}/document/"),
    ("assessor", "/network/accreditation/"),
    ("assessor", "/network/accreditation/{portfolio}/document/"),
    ("assessor", "/network/assessing/"),
    ("assessor", "/network/assessing/{portfolio}/"),
    ("assessor", "/network/assessing/{portfolio}/criteria/{portfolio_entry}/"),
    ("network_lead", "/network/feeds/"),
    ("network_lead", "/network/feeds/add/"),
    ("network_lead", "/network/feeds/{feed}/"),
    ("network_lead", "/network/feeds/{feed}/edit/"),
    ("network_lead", "/network/feeds/runs/{feed_run}/"),
    ("lead", "/network/directory/"),
    ("lead", "/network/directory/organisations/new/"),
    ("lead", "/network/directory/organisations/{directory_organisation}/"),
    ("lead", "/network/directory/organisations/{directory_organisation}/edit/"),
    ("lead", "/network/directory/organisations/{directory_organisation}/services/new/"),
    ("lead", "/network/directory/services/{directory_service}/edit/"),
    ("lead", "/network/directory/services/{directory_service}/withdraw/"),
    ("lead", "/network/directory/services/{directory_service}/history/"),
    ("lead", "/network/directory/changes/{directory_change}/"),
    ("network_lead", "/network/directory/"),
    ("network_lead", "/network/directory/changes/"),
    ("network_lead", "/network/directory/changes/{directory_change}/"),
    ("network_lead", "/network/directory/file/"),
    (None, "/directory/"),
    (None, "/directory/?q=drop-in&day=FR"),
    (None, "/directory/services/{directory_service}/"),
    (None, "/directory/organisations/{directory_organisation}/"),
]
FORM_PAGES = ["/accounts/sign-in/", "/accounts/welcome/"]


def _client(world, login, who):
    if who is None:
        return Client()
    if who == "person":
        return login(world["sam"].user)
    return login(world[who])


def _path(world, path: str) -> str:
    sam = world["sam"]
    ids = {"sam": sam.pk, "rel": sam.relationships.get().pk}
    if "{exercise}" in path or "{token}" in path:
        exercise = demo_exercise(world["home"], [world["listener"]])
        ids |= listening_ids(exercise)
        if "{import_job}" in path:
            rows = [ContributionFields(channel="phone", text="The <b>forms</b> are long.")]
            ids["import_job"] = contributions_import_start(
                actor=world["listener"], exercise=exercise, rows=rows, source="CSV"
            ).pk
    if any("{" + key + "}" in path for key in CONVENING_KEYS):
        ids |= _convening_ids(world)
    if any("{" + key + "}" in path for key in INSIGHT_KEYS):
        ids |= world_insight_ids(world)
    if any("{" + key + "}" in path for key in NETWORK_KEYS):
        ids |= _network_ids(world)
    return path.format(**ids)


NETWORK_KEYS = (
    "net_event",
    "net_resource",
    "net_news",
    "portfolio",
    "portfolio_entry",
    "feed",
    "feed_run",
    "directory_organisation",
    "directory_service",
    "directory_change",
)


def _network_ids(world) -> dict[str, object]:
    """A little of everything the network keeps: an event, a write-up in the library, news,
    home's portfolio sent to the assessors, a feed with a refused run, and home's directory
    entry with a service and a change to it waiting for the network's staff."""
    from datetime import timedelta

    from django.utils import timezone

    from alongside.network import entries
    from alongside.network.models import FeedRun
    from alongside.network.services import accreditation, directory, events, feeds, news
    from alongside.network.services import resources as library

    from .test_network_directory_support import listed_organisation, listed_service

    network, staff, lead = world["network"], world["network_lead"], world["lead"]
    start = timezone.now() + timedelta(days=7)
    event = events.event_create(
        actor=staff,
        network=network,
        fields=events.EventFields(
            title="Strengths in practice",
            description="An hour together.",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            online=True,
            join_url="https://meet.example.org/gathering",
        ),
    )
    resource = library.resource_add(
        actor=lead,
        network=network,
        kind="write_up",
        title="How we start with strengths",
        body="We ask what is going well first.",
    )
    item = news.news_create(actor=staff, network=network, title="Welcome", body="Hello.")
    portfolio = accreditation.portfolio_start(
        actor=lead, network=network, organisation=world["home"]
    )
    for entry in portfolio.entries.select_related("criterion"):
        accreditation.entry_save(
            actor=lead,
            entry=entry,
            version=entry.version,
            narrative=f"What we do for {entry.criterion.title}.",
            figure_keys=[],
        )
    portfolio.refresh_from_db()
    accreditation.portfolio_submit(actor=lead, portfolio=portfolio, version=portfolio.version)
    feed = feeds.feed_add(
        actor=staff,
        network=network,
        name="Council",
        url="https://council.example/openreferral",
        every_hours=24,
    )
    run = FeedRun.objects.create(
        feed=feed,
        status=FeedRun.Status.REFUSED,
        finished_at=timezone.now(),
        problems=[{"record": 3, "id": "x-1", "problem": "It has no name."}],
    )
    organisation = listed_organisation(network, world["home"], name="Home Trust")
    service = listed_service(organisation)
    change = directory.service_change_propose(
        actor=lead,
        service=service,
        entry={**entries.service_entry(service), "name": "Friday drop-in and lunch"},
        version=service.version,
    )
    return {
        "net_event": event.pk,
        "net_resource": resource.pk,
        "net_news": item.pk,
        "portfolio": portfolio.pk,
        "portfolio_entry": portfolio.entries.order_by("pk").first().pk,
        "feed": feed.pk,
        "feed_run": run.pk,
        "directory_organisation": organisation.pk,
        "directory_service": service.pk,
        "directory_change": change.pk,
    }


CONVENING_KEYS = (
    "system_theme",
    "group",
    "meeting",
    "experiment",
    "cycle",
    "recommendation",
    "to_commissioner",
    "draft",
)


def _convening_ids(world) -> dict[str, int]:
    """A little of everything convening keeps, in the convener's organisation: a system theme
    across the area with a shared barrier placed in it, a group with a meeting, an experiment
    with a cycle, a recommendation sent to the lead, one sent to the commissioner, a draft."""
    from alongside.coaching.models import Barrier
    from alongside.convening import models as c

    home, convener = world["home"], world["convener"]
    theme = c.SystemTheme.objects.create(
        organisation=home, title="Housing register", area=world["area"], created_by=convener
    )
    barrier = Barrier.objects.create(
        person=world["sam"],
        service="Housing register: local connection rule",
        what_happened="Told no because of years in another town.",
        share_with_convening=True,
    )
    c.BarrierPlacement.objects.create(
        theme=theme, barrier=barrier, organisation=home, by_convener=True
    )
    group = c.ConveningGroup.objects.create(organisation=home, name="Housing access")
    group.themes.add(theme)
    meeting = c.Meeting.objects.create(group=group, held_on="2026-06-03", notes="We met.")
    experiment = c.Experiment.objects.create(
        organisation=home,
        title="A named officer",
        if_we="give people one named officer",
        then="fewer are turned away",
        group=group,
        starts_on="2026-07-06",
    )
    experiment.themes.add(theme)
    c.Measure.objects.create(experiment=experiment, kind="theme_barriers", theme=theme)
    cycle = c.Cycle.objects.create(
        experiment=experiment, number=1, plan="Tuesdays at the desk", starts_on="2026-07-06"
    )

    def recommendation(to: str, addressed_to, sent: bool) -> c.Recommendation:
        from django.utils import timezone

        made = c.Recommendation.objects.create(
            organisation=home,
            title=f"Go with people ({to})",
            what="Coaches go with people to the housing desk.",
            to=to,
            addressed_to=addressed_to,
            lands_in=c.Recommendation.LandsIn.WORKFORCE,
            sent_at=timezone.now() if sent else None,
            created_by=convener,
        )
        made.themes.add(theme)
        return made

    return {
        "system_theme": theme.pk,
        "group": group.pk,
        "meeting": meeting.pk,
        "experiment": experiment.pk,
        "cycle": cycle.number,
        "recommendation": recommendation("leadership", home, sent=True).pk,
        "to_commissioner": recommendation("commissioner", world["council"], sent=True).pk,
        "draft": recommendation("leadership", home, sent=False).pk,
    }


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in directives}


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_each_page_sends_strict_headers(world, login, who, path):
    response = _client(world, login, who).get(_path(world, path))
    assert response.status_code in (200, 404), response.status_code
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'", "no inline or remote script"
    assert csp["style-src"] == "'self'", "no inline or remote style"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if who is not None:  # signed-in pages may hold personal data: never cached
        assert "no-store" in response["Cache-Control"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize(("who", "path"), [p for p in PAGES if p[1].startswith("/convening/")])
def test_each_convening_page_opens_for_its_role(world, login, who, path):
    # A wrong id or role would pass the header test above with a 404: these must open.
    assert _client(world, login, who).get(_path(world, path)).status_code == 200


@pytest.mark.parametrize(
    ("who", "path"),
    [p for p in PAGES if p[1].startswith(("/insight/", "/pulse/")) and "no-such" not in p[1]],
)
def test_each_insight_page_opens_for_its_role(world, login, who, path):
    # As for convening: a wrong id or role would pass the header test with a 404.
    assert _client(world, login, who).get(_path(world, path)).status_code == 200


@pytest.mark.parametrize(
    ("who", "path"), [p for p in PAGES if p[1].startswith(("/network/", "/directory/"))]
)
def test_each_network_page_opens_for_its_role(world, login, who, path):
    # As for convening: a wrong id or role would pass the header test with a 404.
    assert _client(world, login, who).get(_path(world, path)).status_code == 200


@pytest.mark.parametrize(("who", "path"), [p for p in PAGES if not p[1].startswith(("/api", "/h"))])
def test_no_inline_script_or_style_in_any_page(world, login, who, path):
    body = _client(world, login, who).get(_path(world, path)).content.decode()
    assert "<style" not in body
    assert " style=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "every script is a file"
    assert not re.search(r"\son[a-z]+=", body), "no inline event handlers"


# The Open Referral UK API (issue 15): JSON for any site to read, errors too, never sniffed.
OPENREFERRAL = [
    ("/openreferral/", 200),
    ("/openreferral/openapi.json", 200),
    ("/openreferral/services", 200),
    ("/openreferral/services?search=drop&page=1&per_page=5&day=friday", 200),
    ("/openreferral/services/{directory_service}", 200),
    ("/openreferral/service_at_locations", 200),
    ("/openreferral/organizations", 200),
    ("/openreferral/organizations/{directory_organisation}", 200),
    ("/openreferral/taxonomies", 200),
    ("/openreferral/taxonomy_terms", 200),
    ("/openreferral/services?per_page=lots", 400),
    ("/openreferral/services/00000000-0000-0000-0000-000000000000", 404),
    ("/openreferral/no-such-list", 404),
]


@pytest.mark.parametrize(("path", "status"), OPENREFERRAL)
def test_the_open_referral_api_is_open_to_any_site_and_never_sniffed(world, path, status):
    response = Client().get(_path(world, path))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert _csp(response)["frame-ancestors"] == "'none'"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_browser_asking_first_may_read_the_open_referral_api(world):
    response = Client().options("/openreferral/services", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_settings_send_hsts_and_secure_cookies(world):
    client = Client()
    response = client.get("/accounts/sign-in/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response.cookies["csrftoken"]["secure"]
    signed_in = client.post(
        "/accounts/sign-in/",
        {"username": world["coach"].username, "password": "a long test passphrase"},
        secure=True,
    )
    assert signed_in.cookies["sessionid"]["secure"]
    assert signed_in.cookies["sessionid"]["httponly"]


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_form_carries_a_csrf_token(path):
    body = Client().get(path).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", body, flags=re.S)
    assert forms
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form


def test_signed_in_pages_sign_out_form_carries_a_csrf_token(world, login):
    body = login(world["coach"]).get("/").content.decode()
    sign_out = re.search(r"<form[^>]*action=\"/accounts/sign-out/\".*?</form>", body, flags=re.S)
    assert sign_out and 'name="csrfmiddlewaretoken"' in sign_out.group(0)


def test_a_post_without_the_csrf_token_is_refused_in_plain_words(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/sign-in/",
        {"username": world["coach"].username, "password": "a long test passphrase"},
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_clickjacking_and_csp_headers_also_on_errors(world, login):
    response = login(world["coach"]).get(f"/people/{world['jo'].pk}/")
    assert response.status_code == 403
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "not" in text_of(response).lower()

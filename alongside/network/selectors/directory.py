"""The directory (issue 15, item 1): the reads.

The public pages read only what is published: a published service of a published organisation,
not closed for good. A search page costs the same handful of queries however many services it
finds (the page's rows and their places and times are fetched in one go each).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role, User
from alongside.core import written
from alongside.core.words import when_words

from .. import entries
from ..models import (
    DirectoryChange,
    DirectoryOrganisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..searching import with_words

PER_PAGE = 20
DAY_ALIASES = {name.lower(): code for code, name in entries.DAY_NAMES.items()}
SERVICE_PARTS = (
    "terms",
    "service_areas__area",
    Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location"),
    ),
    "schedules",
    "contacts",
)


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(published=True, organisation__published=True).exclude(
        status=Service.Status.DEFUNCT
    )


# --- search --------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    term: uuid.UUID | None = None
    area: str = ""
    age: int | None = None
    day: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.q or self.term or self.area or self.age is not None or self.day)


def read_filters(params: Any) -> Filters:
    """The search's filters from the query string; anything unreadable is left out and said."""
    found = Filters(q=" ".join(str(params.get("q", "")).replace("\x00", "").split())[:200])
    term = str(params.get("term", "")).strip()
    if term:
        try:
            found.term = uuid.UUID(term)
        except ValueError:
            found.problems.append("That kind of help is not one we know, so it was left out.")
    found.area = str(params.get("area", "")).strip()[:50]
    age = str(params.get("age", "")).strip()
    if age:
        if age.isascii() and age.isdigit() and int(age) <= 120:
            found.age = int(age)
        else:
            found.problems.append("An age is a whole number of years, such as 19.")
    day = str(params.get("day", "")).strip()
    if day:
        code = day.upper() if day.upper() in entries.DAY_CODES else DAY_ALIASES.get(day.lower())
        if code:
            found.day = code
        else:
            found.problems.append("Choose a day of the week.")
    return found


def filtered(filters: Filters) -> QuerySet[Service]:
    services = with_words(published_services(), filters.q)
    if filters.term:
        # A group (a parent term) finds the services tagged with any term in it.
        tagged = Service.terms.through.objects.filter(
            Q(taxonomyterm_id=filters.term) | Q(taxonomyterm__parent_id=filters.term)
        ).values("service_id")
        services = services.filter(pk__in=tagged)
    if filters.area:
        working = ServiceArea.objects.filter(area__slug=filters.area).values("service_id")
        services = services.filter(pk__in=working)
    if filters.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.age),
        )
    if filters.day:
        open_then = Schedule.objects.filter(byday__icontains=filters.day).values("service_id")
        services = services.filter(pk__in=open_then)
    return services.order_by("name", "pk")


@dataclass
class Result:
    pk: uuid.UUID
    name: str
    organisation: str
    line: str
    towns: str
    days: str


def _first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _result(service: Service) -> Result:
    towns = sorted(
        {sal.location.city for sal in service.service_at_locations.all() if sal.location.city}
    )
    days = ",".join(one.byday for one in service.schedules.all() if one.byday)
    return Result(
        pk=service.pk,
        name=service.name,
        organisation=service.organisation.name,
        line=_first_line(service.description),
        towns=entries._join(towns),
        days=entries.days_words(days),
    )


@dataclass
class Search:
    filters: Filters
    page: Page[Any]
    results: list[Result]
    total: int


# A search page's services are rows, not instances, and their towns and days two queries of
# rows: prefetching onto instances cloned a queryset for every service on the page (issue 11).
_ROW_COLUMNS = ("pk", "name", "organisation__name", "description")


class _Matching:
    """What the paginator pages through: how many services match, and a page of them as
    (pk, name, organisation, description) rows. With nothing asked (the directory's front
    page) both queries are constant, so they are written by the ORM once per connection."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self._filtered: QuerySet[Service] | None = None

    def _asked(self) -> QuerySet[Service]:
        # Built once for both the count and the page: each filter costs the ORM a lot to add.
        if self._filtered is None:
            self._filtered = filtered(self.filters)
        return self._filtered

    def count(self) -> int:
        if self.filters.any:
            return self._asked().count()
        found = written.rows(_count_every, _count_every, [])
        return found[0][0] if found else 0

    def __getitem__(self, where: slice) -> list[tuple[Any, ...]]:
        if where.start == where.stop:
            return []  # as an empty slice of a queryset: no query
        if self.filters.any:
            return list(self._asked().values_list(*_ROW_COLUMNS)[where])
        return written.rows(
            ("directory page", where.start, where.stop),
            lambda _: published_services().order_by("name", "pk").values_list(*_ROW_COLUMNS)[where],
            [],
        )


def _count_every(_: list[int]) -> QuerySet[Any]:
    # Grouped by a column the filter fixes: one row holding the count, or none.
    return (
        published_services()
        .order_by()
        .values("published")
        .annotate(found=Count("pk"))
        .values_list("found")
    )


def _towns(*ids: uuid.UUID) -> QuerySet[Any]:
    return ServiceAtLocation.objects.filter(service_id__in=ids).values_list(
        "service_id", "location__city"
    )


def _days(*ids: uuid.UUID) -> QuerySet[Any]:
    return Schedule.objects.filter(service_id__in=ids).values_list("service_id", "byday")


def _results(found: list[tuple[Any, ...]]) -> list[Result]:
    ids = [row[0] for row in found]
    towns: dict[uuid.UUID, set[str]] = {}
    days: dict[uuid.UUID, list[str]] = {}
    if ids:
        for service_id, city in written.rows_by_values(_towns, *ids):
            if city:
                towns.setdefault(service_id, set()).add(city)
        for service_id, byday in written.rows_by_values(_days, *ids):
            if byday:
                days.setdefault(service_id, []).append(byday)
    return [
        Result(
            pk=pk,
            name=name,
            organisation=organisation,
            line=_first_line(description),
            towns=entries._join(sorted(towns.get(pk, ()))),
            days=entries.days_words(",".join(days.get(pk, ()))),
        )
        for pk, name, organisation, description in found
    ]


def search(params: Any) -> Search:
    filters = read_filters(params)
    # The paginator asks only count() and a slice of what it pages (a queryset's protocol);
    # the stubs ask for a whole sequence.
    matching: Any = _Matching(filters)
    paginator: Paginator[tuple[Any, ...]] = Paginator(matching, PER_PAGE)
    page = paginator.get_page(params.get("page"))
    return Search(
        filters=filters,
        page=page,
        results=_results(list(page.object_list)),
        total=paginator.count,
    )


def _terms(_: list[int]) -> QuerySet[Any]:
    return TaxonomyTerm.objects.order_by("taxonomy__name", "taxonomy_id", "name").values_list(
        "pk", "parent_id", "name", "taxonomy__name"
    )


def term_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The terms to choose from, grouped by taxonomy: a group's own terms indented under it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    by_parent: dict[Any, list[tuple[Any, ...]]] = {}
    for term in written.rows(_terms, _terms, []):
        by_parent.setdefault(term[1], []).append(term)
    for pk, _, name, taxonomy in by_parent.get(None, []):
        choices = groups.setdefault(taxonomy, [])
        choices.append((str(pk), name))
        for child in by_parent.get(pk, []):
            choices.append((str(child[0]), f"– {child[2]}"))
    return list(groups.items())


def _areas(_: list[int]) -> QuerySet[Any]:
    return (
        Area.objects.filter(
            pk__in=ServiceArea.objects.filter(service__published=True).values("area_id")
        )
        .order_by("name")
        .values_list("slug", "name")
    )


def area_choices() -> list[tuple[str, str]]:
    return [(slug, name) for slug, name in written.rows(_areas, _areas, [])]


# --- one service, one organisation ---------------------------------------------------------


def public_service(pk: uuid.UUID) -> Service | None:
    return (
        published_services()
        .select_related("organisation")
        .prefetch_related(*SERVICE_PARTS, "terms__taxonomy")
        .filter(pk=pk)
        .first()
    )


def service_page(service: Service) -> dict[str, Any]:
    places = sorted(
        (sal.location for sal in service.service_at_locations.all()),
        key=lambda place: (place.name, place.address_1),
    )
    schedules = sorted(service.schedules.all(), key=lambda s: (s.created_at, str(s.pk)))
    return {
        "service": service,
        "organisation": service.organisation,
        "ages": entries.ages_words(service.minimum_age, service.maximum_age),
        "opening": [
            entries.opening_words(one.byday, one.opens_at, one.closes_at, one.description)
            for one in schedules
        ],
        "places": [{"name": place.name, "lines": entries.address_lines(place)} for place in places],
        "contacts": list(service.contacts.all()),
        "terms": sorted(service.terms.all(), key=lambda term: term.name),
        "areas": [part.area.name for part in service.service_areas.all() if part.area],
        "closed_for_now": service.status != Service.Status.ACTIVE,
    }


def public_organisation(pk: uuid.UUID) -> DirectoryOrganisation | None:
    return DirectoryOrganisation.objects.filter(pk=pk, published=True).first()


def organisation_services(organisation: DirectoryOrganisation) -> list[Result]:
    services = (
        published_services()
        .filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related(SERVICE_PARTS[2], "schedules")
        .order_by("name", "pk")
    )
    return [_result(service) for service in services]


# --- keeping entries -----------------------------------------------------------------------


def member_organisations(user: User) -> list[Organisation]:
    """The organisations this user leads that belong to a network: those may ask to be listed."""
    led = policy.organisations_where(user, Role.LEAD)
    return list(
        Organisation.objects.filter(pk__in=led, networks__isnull=False)
        .prefetch_related("networks")
        .distinct()
        .order_by("name")
    )


def kept_entries(user: User) -> list[DirectoryOrganisation]:
    led = policy.organisations_where(user, Role.LEAD)
    return list(
        DirectoryOrganisation.objects.filter(member_id__in=led)
        .prefetch_related("services")
        .order_by("name")
    )


def staff_entries(user: User, page_number: Any) -> Page[Any] | None:
    networks = policy.network_staff_ids(user)
    if not networks:
        return None
    found = (
        DirectoryOrganisation.objects.filter(network_id__in=networks)
        .select_related("source_feed")
        .order_by("name", "pk")
    )
    return Paginator(found, 50).get_page(page_number)


def own_proposals(user: User) -> list[DirectoryChange]:
    """The proposals of the organisations this user leads, newest first (the last 50)."""
    led = policy.organisations_where(user, Role.LEAD)
    return list(
        DirectoryChange.objects.filter(proposed_for_id__in=led)
        .select_related("organisation", "service")
        .order_by("-proposed_at", "-id")[:50]
    )


def directory_organisation(pk: uuid.UUID) -> DirectoryOrganisation | None:
    return DirectoryOrganisation.objects.select_related("member").filter(pk=pk).first()


def keep_service(pk: uuid.UUID) -> Service | None:
    return (
        Service.objects.select_related("organisation")
        .prefetch_related(*SERVICE_PARTS)
        .filter(pk=pk)
        .first()
    )


def organisation_keep_page(organisation: DirectoryOrganisation) -> dict[str, Any]:
    services = list(organisation.services.order_by("name", "pk"))
    waiting = set(
        DirectoryChange.objects.filter(
            organisation=organisation, status=DirectoryChange.Status.WAITING
        ).values_list("service_id", flat=True)
    )
    changes = list(
        DirectoryChange.objects.filter(organisation=organisation)
        .select_related("service")
        .order_by("-proposed_at", "-id")[:30]
    )
    return {
        "organisation": organisation,
        "services": [{"service": one, "waiting": one.pk in waiting} for one in services],
        "organisation_waiting": None in waiting,
        "changes": [change_summary(change) for change in changes],
    }


def change_summary(change: DirectoryChange) -> dict[str, Any]:
    return {
        "change": change,
        "name": change.proposed.get("name") or (change.service.name if change.service else ""),
        "when": when_words(change.proposed_at),
        "decided": when_words(change.decided_at),
    }


def queue(network_ids: set[int]) -> list[dict[str, Any]]:
    waiting = (
        DirectoryChange.objects.filter(
            network_id__in=network_ids, status=DirectoryChange.Status.WAITING
        )
        .select_related("proposed_for", "organisation", "service")
        .order_by("proposed_at", "id")
    )
    return [change_summary(change) for change in waiting]


def change_of(pk: int) -> DirectoryChange | None:
    return (
        DirectoryChange.objects.select_related(
            "network", "organisation", "service", "proposed_for", "proposed_by", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )


def _live_entry(change: DirectoryChange) -> dict[str, Any]:
    """What the entry says now, to compare a waiting change against."""
    if change.kind in (DirectoryChange.Kind.SERVICE, DirectoryChange.Kind.WITHDRAW_SERVICE):
        service = keep_service(change.service_id) if change.service_id else None
        return entries.service_entry(service) if service else {}
    if change.kind == DirectoryChange.Kind.ORGANISATION and change.organisation:
        return entries.organisation_entry(change.organisation)
    return {}


def is_stale(change: DirectoryChange, live: dict[str, Any]) -> bool:
    based_on = change.proposed.get("based_on_version")
    return based_on is not None and live.get("based_on_version") != based_on


def change_page(change: DirectoryChange) -> dict[str, Any]:
    if change.status == DirectoryChange.Status.WAITING:
        before = _live_entry(change)
        stale = is_stale(change, before)
    else:
        before = change.replaced or {}
        stale = False
    return {
        **change_summary(change),
        "differences": entries.differences(before, change.proposed),
        "stale": stale,
        "waiting": change.status == DirectoryChange.Status.WAITING,
    }


def history(service: Service) -> list[dict[str, Any]]:
    """Every approved change of a service, newest first, each with what it changed."""
    approved = (
        DirectoryChange.objects.filter(service=service, status=DirectoryChange.Status.APPROVED)
        .select_related("proposed_by", "decided_by", "proposed_for")
        .order_by("-decided_at", "-id")
    )
    return [
        {
            "change": change,
            "when": when_words(change.decided_at),
            "by": change.proposed_by.display_name() if change.proposed_by else "",
            "approved_by": change.decided_by.display_name() if change.decided_by else "",
            "differences": entries.differences(change.replaced or {}, change.proposed),
        }
        for change in approved
    ]


def term_choices(network_id: int) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, str]]:
    """The terms a member may tag a service with, in groups, and each one's own name: the
    network's taxonomies, a group's terms under it (a group with terms is a heading, not a
    choice; a taxonomy without groups is one group)."""
    terms = list(
        TaxonomyTerm.objects.filter(network_id=network_id)
        .select_related("taxonomy")
        .order_by("taxonomy__name", "taxonomy_id", "name")
    )
    by_parent: dict[Any, list[TaxonomyTerm]] = {}
    for term in terms:
        by_parent.setdefault(term.parent_id, []).append(term)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    loose: dict[str, list[tuple[str, str]]] = {}
    for root in by_parent.get(None, []):
        children = by_parent.get(root.pk, [])
        if children:
            groups.append((root.name, [(str(child.pk), child.name) for child in children]))
        else:
            loose.setdefault(root.taxonomy.name, []).append((str(root.pk), root.name))
    groups += list(loose.items())
    return groups, {str(term.pk): term.name for term in terms}


def all_area_choices() -> list[tuple[str, str]]:
    return [(area.slug, area.name) for area in Area.objects.order_by("name")]

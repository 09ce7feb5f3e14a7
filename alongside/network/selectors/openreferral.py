"""What the Open Referral UK API and the export read: only published services of published
organisations, with everything a response nests prefetched, so the number of queries stays
the same however many records a page holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet

from alongside.accounts import policy
from alongside.accounts.models import Organisation

from .. import hsds
from ..models import (
    Contact,
    DirectoryOrganisation,
    Feed,
    FeedRun,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ..searching import with_words

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ServiceFilters:
    """The `/services` query, already checked (the view turns bad values into a 400)."""

    search: str = ""
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    modified_after: datetime | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: str = ""
    start_time: time | None = None
    end_time: time | None = None


def published_services(network_id: int | None = None) -> QuerySet[Service]:
    rows = Service.objects.filter(published=True, organisation__published=True)
    if network_id is not None:
        rows = rows.filter(network_id=network_id)
    return rows


def published_organisations(network_id: int | None = None) -> QuerySet[DirectoryOrganisation]:
    rows = DirectoryOrganisation.objects.filter(published=True)
    if network_id is not None:
        rows = rows.filter(network_id=network_id)
    return rows


def _terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy")


def with_summary(rows: QuerySet[Service]) -> QuerySet[Service]:
    return rows.select_related("organisation")


def with_everything(rows: QuerySet[Service]) -> QuerySet[Service]:
    """A full service: its organisation, places, contacts, times, areas and terms."""
    # Ordered by id, so an export brought back in answers in the same order.
    return rows.select_related("organisation").prefetch_related(
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        Prefetch("service_areas", queryset=ServiceArea.objects.order_by("id")),
        Prefetch("contacts", queryset=Contact.objects.order_by("id")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").order_by("id"),
        ),
        Prefetch("terms", queryset=_terms().order_by("name", "id")),
    )


def filter_services(rows: QuerySet[Service], filters: ServiceFilters) -> QuerySet[Service]:
    if filters.search:
        rows = with_words(rows, filters.search)
    if filters.taxonomy_term_id is not None:
        rows = rows.filter(terms__id=filters.taxonomy_term_id)
    if filters.taxonomy_id is not None:
        rows = rows.filter(terms__taxonomy_id=filters.taxonomy_id)
    if filters.organization_id is not None:
        rows = rows.filter(organisation_id=filters.organization_id)
    if filters.modified_after is not None:
        rows = rows.filter(last_modified__gte=filters.modified_after)
    # As the standard words it: a minimum age of at least the one asked, a maximum of at
    # most it.
    if filters.minimum_age is not None:
        rows = rows.filter(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        rows = rows.filter(maximum_age__lte=filters.maximum_age)
    # The day and times must hold for one and the same opening time.
    opening: dict[str, object] = {}
    if filters.day:
        opening["schedules__byday__contains"] = filters.day
    if filters.start_time is not None:
        opening["schedules__opens_at__gte"] = filters.start_time
    if filters.end_time is not None:
        opening["schedules__closes_at__lte"] = filters.end_time
    if opening:
        rows = rows.filter(**opening)
    if filters.taxonomy_term_id or filters.taxonomy_id or opening:
        rows = rows.distinct()
    return rows.order_by("name", "id")


def service(pk: UUID) -> Service | None:
    return with_everything(published_services()).filter(pk=pk).first()


def service_at_locations(network_id: int | None = None) -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(
            service__published=True, service__organisation__published=True
        )
        .filter(**({"network_id": network_id} if network_id is not None else {}))
        .select_related("location", "service__organisation")
        .order_by("service__name", "id")
    )


def organisation_services(org: DirectoryOrganisation) -> list[Service]:
    return list(with_everything(published_services().filter(organisation=org)).order_by("name"))


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "id")


def taxonomy(pk: UUID) -> Taxonomy | None:
    return (
        Taxonomy.objects.prefetch_related(
            Prefetch("terms", queryset=_terms().order_by("name", "id"))
        )
        .filter(pk=pk)
        .first()
    )


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return _terms().order_by("taxonomy__name", "name", "id")


def locations_of(org_ids: list[UUID]) -> QuerySet[Location]:
    return Location.objects.filter(organisation_id__in=org_ids)


def directory_document(network_id: int) -> dict[str, object]:
    """A network's whole published directory as one HSDS document (what `directory_export`
    writes and `directory_import` reads back): its taxonomies with their terms, its
    organisations, and every published service in full."""
    taxonomy_rows = Taxonomy.objects.filter(network_id=network_id).prefetch_related(
        Prefetch("terms", queryset=_terms().order_by("name", "id"))
    )
    return {
        "hsds_version": hsds.HSDS_VERSION,
        "profile": hsds.PROFILE_URL,
        "taxonomies": [
            hsds.taxonomy(row, with_terms=True) for row in taxonomy_rows.order_by("name", "id")
        ],
        "organizations": [
            hsds.organization(row)
            for row in published_organisations(network_id).order_by("name", "id")
        ],
        "services": [
            hsds.service(row)
            for row in with_everything(published_services(network_id)).order_by("name", "id")
        ],
    }


# --- feeds (the staff pages) ------------------------------------------------------------


def staff_networks(user: object) -> list[Organisation]:
    """The networks whose feeds this user looks after: those they are staff of."""
    ids = policy.network_staff_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@dataclass(frozen=True)
class FeedRow:
    feed: Feed
    last_run: FeedRun | None
    records: int


def feeds_of(networks: list[Organisation]) -> list[FeedRow]:
    feeds = list(
        Feed.objects.filter(network__in=networks).select_related("network").order_by("name", "pk")
    )
    latest: dict[int, FeedRun] = {}
    for run in FeedRun.objects.filter(feed__in=feeds).order_by("feed_id", "-started_at", "-id"):
        latest.setdefault(run.feed_id, run)
    counts = dict(
        Service.objects.filter(source_feed__in=feeds)
        .values_list("source_feed")
        .annotate(n=Count("pk"))
        .values_list("source_feed", "n")
    )
    return [FeedRow(feed, latest.get(feed.pk), counts.get(feed.pk, 0)) for feed in feeds]


def runs_of(feed: Feed, *, limit: int = 20) -> list[FeedRun]:
    return list(feed.runs.order_by("-started_at", "-id")[:limit])


def services_of_feed(feed: Feed) -> int:
    return Service.objects.filter(source_feed=feed).count()

"""The network (DESIGN.md, seeds 000 and 002): organisations that work this way find each
other, show the evidence and learn together.

- `directory.py`: the public directory of organisations and their services, shaped as Open
  Referral UK (HSDS 3.0) so it can be served, imported and exported as that standard; ids are
  UUIDs. Member organisations propose changes, network staff approve them, every change is kept.
- `accreditation.py`: a rubric as data (themes, criteria, levels), an organisation's portfolio
  built from live evidence, and an assessor's review and decision.
- `learning.py`: events with places and a waiting list, a resources library and news.

A network is an `accounts.Organisation` of kind NETWORK; its members are the organisations
whose `networks` include it. Its staff are its leads and assessors (`policy.NETWORK_STAFF`).
"""

from alongside.network.models.accreditation import (
    Criterion,
    CriterionReview,
    Level,
    Portfolio,
    PortfolioDocument,
    PortfolioEntry,
    RenewalReminder,
    Rubric,
    RubricTheme,
)
from alongside.network.models.directory import (
    Contact,
    DirectoryChange,
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
from alongside.network.models.learning import Event, EventPlace, NewsItem, Resource

__all__ = [
    "Contact",
    "Criterion",
    "CriterionReview",
    "DirectoryChange",
    "DirectoryOrganisation",
    "Event",
    "EventPlace",
    "Feed",
    "FeedRun",
    "Level",
    "Location",
    "NewsItem",
    "Portfolio",
    "PortfolioDocument",
    "PortfolioEntry",
    "RenewalReminder",
    "Resource",
    "Rubric",
    "RubricTheme",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "Taxonomy",
    "TaxonomyTerm",
]

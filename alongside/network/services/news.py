"""The network's news (issue 15, item 4): the writes. The network's staff (NETWORK_STAFF)
write and change news items; a change carries the `version` it started from, so an edit from
an older page is refused (`NewsConflictError`) rather than written over someone else's."""

from __future__ import annotations

from django.db.models import F

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from ..models import NewsItem

Action = policy.Action


class NewsError(ValueError):
    """A news item that cannot be saved; the message says why, plainly."""


class NewsConflictError(Exception):
    """Someone else saved the item first. `current` is the item as they saved it."""

    def __init__(self, current: NewsItem) -> None:
        super().__init__("news item changed by someone else")
        self.current = current


def _clean(text: str) -> str:
    return text.replace("\x00", "").replace("\r\n", "\n").strip()


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = _clean(title), _clean(body)
    if not title:
        raise NewsError("Give the news a title.")
    if not body:
        raise NewsError("Write the news.")
    return title, body


def news_create(*, actor: User, network: Organisation, title: str, body: str) -> NewsItem:
    title, body = _checked(title, body)
    with policy.writing(actor, Action.NETWORK_STAFF, network, detail="news add") as write:
        item = NewsItem.objects.create(network=network, created_by=actor, title=title, body=body)
        write.audit(AuditAction.CREATE, item, detail="news added")
    return item


def news_update(*, actor: User, item: NewsItem, version: int, title: str, body: str) -> NewsItem:
    """Save an edit that started from `version`."""
    title, body = _checked(title, body)
    with policy.writing(actor, Action.NETWORK_STAFF, item.network, detail="news edit") as write:
        changed = NewsItem.objects.filter(pk=item.pk, version=version).update(
            title=title, body=body, version=F("version") + 1
        )
        if not changed:
            raise NewsConflictError(NewsItem.objects.get(pk=item.pk))
        item.refresh_from_db()
        write.audit(AuditAction.CHANGE, item, detail=f"news changed to version {item.version}")
    return item

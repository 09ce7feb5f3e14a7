"""The network's resources library (issue 15, item 4): the writes.

Members of a network (NETWORK_MEMBER) add a document, a link or a short write-up. A document
is checked by its content (`resource_uploads.check_document`) here as well as in the form, and
kept under a name of our own; the name people see is a cleaned copy of theirs. Whoever added
a resource, or the network's staff, may remove it: it leaves the library and its file is
deleted once the removal is committed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction
from alongside.core.templatetags.alongside import safe_link

from ..models import Resource
from ..resource_uploads import DocumentProblemError, check_document, safe_name
from ..selectors.learning import organisation_for_place

Action = policy.Action
Kind = Resource.Kind


class ResourceError(ValueError):
    """A resource that cannot be added; the message says why, plainly."""


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()


def resource_add(
    *,
    actor: User,
    network: Organisation,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    upload: Any = None,
) -> Resource:
    if kind not in Kind.values:
        raise ResourceError("Choose what you are adding: a document, a link or a write-up.")
    title = _clean(title)
    if not title:
        raise ResourceError("Give it a title.")
    fields: dict[str, Any] = {"title": title, "summary": _clean(summary), "kind": kind}
    document = None
    if kind == Kind.DOCUMENT:
        if upload is None:
            raise ResourceError("Choose the document to add.")
        try:
            document = check_document(upload)
        except DocumentProblemError as problem:
            raise ResourceError(str(problem)) from problem
        fields.update(
            file_name=safe_name(getattr(upload, "name", ""), document),
            content_type=document.content_type,
            size=int(upload.size or 0),
        )
    elif kind == Kind.LINK:
        url = _clean(url)
        if not safe_link(url):
            raise ResourceError("Give a web address starting https:// (or http://).")
        fields["url"] = url
    else:
        body = _clean(body)
        if not body:
            raise ResourceError("Write the write-up.")
        fields["body"] = body
    stored = ""
    try:
        with policy.writing(actor, Action.NETWORK_MEMBER, network, detail="resource add") as write:
            resource = Resource(
                network=network,
                created_by=actor,
                organisation=organisation_for_place(actor, network),
                **fields,
            )
            if document is not None:
                upload.seek(0)
                name = f"{uuid.uuid4().hex}{document.extension}"
                resource.file.save(name, upload, save=False)
                stored = resource.file.name or ""
            resource.save()
            write.audit(AuditAction.CREATE, resource, detail=f"resource added: {kind}")
    except BaseException:
        # A write that did not happen leaves no file behind.
        if stored:
            default_storage.delete(stored)
        raise
    return resource


def may_remove(actor: User, resource: Resource) -> bool:
    return policy.can(actor, Action.RESOURCE_REMOVE, resource)


def resource_remove(*, actor: User, resource: Resource) -> Resource:
    """Whoever added it, or the network's staff."""
    with policy.writing(actor, Action.RESOURCE_REMOVE, resource, detail="resource remove") as write:
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if locked.removed_at is not None:
            raise ResourceError("This resource has already been taken out.")
        name = locked.file.name if locked.file else ""
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])
        write.audit(AuditAction.CHANGE, locked, detail="resource removed")
    if name:
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    return locked

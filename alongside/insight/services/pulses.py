"""Writes for the system-health pulse (issue 14, item 6): a pulse, a round with its private
links, and an answer given through one of them.

A pulse and its rounds are made by an area's analysts and commissioners (INSIGHT_WORK on the
area, INSIGHT_ITEM on the pulse). An answer needs no account: the private link is the
permission, it works once, and nothing about who answered is kept. Only a hash of each link
is stored; the answer does not point back to the link; the audit entry says "a pulse
answer" and names no link, answer or person.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser

from alongside.accounts import policy
from alongside.accounts.models import Area, User
from alongside.core.models import AuditAction

from ..models import Pulse, PulseAnswer, PulseLink, PulseRound, hash_token
from ..pulse_items import MAX_ITEMS, SCALE, items_for
from ..selectors.areas import keeping_organisation
from ..selectors.pulses import round_state

Action = policy.Action

MAX_LINKS = 2000
# secrets.token_urlsafe(16) is 22 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 64
_SCALE_VALUES = frozenset(value for value, _ in SCALE)


class LinkUnknownError(Exception):
    """No link has this token (mistyped, made up, or its round was removed)."""


class LinkUsedError(Exception):
    """The link has given its one answer."""


class RoundClosedError(Exception):
    """The round has closed."""


class RoundNotOpenError(Exception):
    """The round opens later."""

    def __init__(self, opens_on: date) -> None:
        super().__init__("not open yet")
        self.opens_on = opens_on


def pulse_create(
    *, actor: User, area: Area, audience: str, title: str, item_keys: Iterable[str]
) -> Pulse:
    """A new pulse for one audience, asking the chosen items in their usual order."""
    chosen = set(item_keys)
    items = [item.as_stored() for item in items_for(audience) if item.key in chosen]
    # Asked inside, so someone refused is told so (and audited) whatever they sent.
    with policy.writing(actor, Action.INSIGHT_WORK, area, detail="pulse add") as write:
        if not items:
            raise ValueError("Choose at least one statement to ask.")
        if len(items) > MAX_ITEMS:
            raise ValueError(f"Ask at most {MAX_ITEMS} statements.")
        pulse = Pulse.objects.create(
            area=area,
            organisation=keeping_organisation(actor, area),
            created_by=actor,
            audience=audience,
            title=title.strip(),
            items=items,
        )
        write.audit(AuditAction.CREATE, pulse, detail=f"pulse added for {audience}")
    return pulse


def round_create(
    *,
    actor: User,
    pulse: Pulse,
    title: str,
    opens_on: date,
    closes_on: date | None,
    links: int,
) -> tuple[PulseRound, list[str]]:
    """A new round with `links` private links. The tokens are returned once, for the
    analyst to hand out; only their hashes are kept, so they cannot be shown again."""
    with policy.writing(actor, Action.INSIGHT_ITEM, pulse, detail="pulse round add") as write:
        if not 1 <= links <= MAX_LINKS:
            raise ValueError(f"Make between 1 and {MAX_LINKS:,} links.")
        if closes_on is not None and closes_on < opens_on:
            raise ValueError("A round closes on or after the day it opens.")
        tokens = _new_tokens(links)
        one = PulseRound.objects.create(
            pulse=pulse, title=title.strip(), opens_on=opens_on, closes_on=closes_on
        )
        PulseLink.objects.bulk_create(
            [PulseLink(round=one, token_hash=hash_token(token)) for token in tokens],
            batch_size=500,
        )
        write.audit(
            AuditAction.CREATE,
            one,
            detail=f"pulse round added with {links} private links",
            organisation_id=pulse.organisation_id,
        )
    return one, tokens


def _new_tokens(count: int) -> list[str]:
    tokens: set[str] = set()
    while len(tokens) < count:  # a repeat is astronomically unlikely, but costs nothing
        tokens.add(secrets.token_urlsafe(16))
    return list(tokens)


def link_for(token: str) -> PulseLink:
    """The link a token opens, with its round and pulse, or LinkUnknownError. A read only: the
    answer page shows the questions before anything is written."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknownError
    link = (
        PulseLink.objects.select_related("round__pulse")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise LinkUnknownError
    return link


def check_open(link: PulseLink) -> None:
    """LinkUsedError, RoundClosedError or RoundNotOpenError, unless the link can be answered now."""
    if link.used:
        raise LinkUsedError
    state = round_state(link.round)
    if state == "closed":
        raise RoundClosedError
    if state == "waiting":
        raise RoundNotOpenError(link.round.opens_on)


def clean_answers(pulse: Pulse, answers: Mapping[str, Any]) -> dict[str, int]:
    """Only the pulse's own items, each 1 to 5; anything else (a skipped item, a made-up
    key) is left out."""
    keys = {item["key"] for item in pulse.items}
    kept: dict[str, int] = {}
    for key, value in answers.items():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if key in keys and number in _SCALE_VALUES:
            kept[key] = number
    return kept


def answer_submit(*, token: str, answers: Mapping[str, Any]) -> None:
    """Keep one set of answers given through a private link, and use the link up.

    In one transaction: lock the link's row, check it is unused and its round open, mark it
    used (only if it still is unused, so two submissions racing on a database without row
    locks still give one answer), and keep the answers with no reference to the link. The
    actor is always anonymous, even for someone signed in, so the audit entry cannot name
    who answered. Raises LinkUnknownError, LinkUsedError, RoundClosedError or RoundNotOpenError."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknownError
    nobody = AnonymousUser()
    with policy.writing_without_check(
        nobody, why="the private link is the permission, and it works once"
    ) as write:
        link = (
            # Only the link's row: locking its round and pulse too would queue every answer.
            PulseLink.objects.select_for_update(of=("self",))
            .filter(token_hash=hash_token(token))
            .select_related("round__pulse")
            .first()
        )
        if link is None:
            raise LinkUnknownError
        check_open(link)
        if not PulseLink.objects.filter(pk=link.pk, used=False).update(used=True):
            raise LinkUsedError
        pulse = link.round.pulse
        PulseAnswer.objects.create(round=link.round, answers=clean_answers(pulse, answers))
        # No link, round, answer or person: only that the organisation's pulse was answered.
        write.audit(
            AuditAction.CREATE, None, detail="a pulse answer", organisation_id=pulse.organisation_id
        )

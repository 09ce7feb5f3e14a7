"""The evidence convening may use: the barriers people agreed to share, and their words only
ever through the listening redaction.

A barrier is usable while both its own "happy for this to be shared" and the person's "share
what got in the way" choice hold (`coaching.selectors.me_rights.barriers_for_convening`), so a
withdrawal takes it out of every count, chart and quote at once. An erased record's barriers
are unshared by the erasure itself (`coaching.parts`), so they drop out the same way.

Which organisations' barriers: a convening organisation always uses its own; when it is in an
area, every organisation of that area that agreed to share its barriers there
(`Organisation.shares_barriers_in_area`) joins it. An organisation that does not share gives
nothing to anyone else's convening.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from alongside.accounts.models import Area, Organisation
from alongside.coaching.models import Barrier
from alongside.coaching.selectors.me_rights import barriers_for_convening
from alongside.listening import redaction

from ..models import SystemTheme


def usable_barriers(*, organisation_id: int, area_id: int | None) -> QuerySet[Barrier]:
    """Consented barriers of the organisation, and, when `area_id` (the organisation's own
    area) is given, of every organisation in that area that shares its barriers there."""
    if area_id is None:
        return barriers_for_convening(Organisation(pk=organisation_id))
    return barriers_for_convening(Area(pk=area_id)).filter(
        Q(organisation_id=organisation_id) | Q(organisation__shares_barriers_in_area=True)
    )


def shared_barriers(*, convening: Organisation) -> QuerySet[Barrier]:
    """The barriers this convening organisation may use: its own organisation's, plus (when
    it has an area) those of every organisation in that area that shares; consent holding."""
    return usable_barriers(organisation_id=convening.pk, area_id=convening.area_id)


def placed(usable: QuerySet[Barrier], **placement: Any) -> QuerySet[Barrier]:
    """`usable` joined to each of its placements that match `placement` (names of
    `BarrierPlacement` fields): one row a placement, the consent rule checked on the placed
    barriers only. `BarrierPlacement.filter(barrier__in=usable)` had PostgreSQL work out every
    usable barrier of the area first, hashing all its people (issue 11). Give every condition
    on the placement here: Django joins a multi-valued relation afresh for each `filter()`."""
    return usable.filter(
        **{f"convening_placements__{name}": value for name, value in placement.items()}
    )


def theme_barriers(*, theme: SystemTheme) -> QuerySet[Barrier]:
    """The barriers a system theme may count: its organisation's own, and, when the theme
    gathers across its organisation's area (`theme.area`), every sharing organisation's
    there. A theme whose organisation has since moved area gathers only its own. Reads
    `theme.organisation` (select it with the theme)."""
    area_id = theme.area_id if theme.area_id == theme.organisation.area_id else None
    return usable_barriers(organisation_id=theme.organisation_id, area_id=area_id)


# Redacting is a pure function of the words and the names, and a theme's page redacts every
# barrier it shows each time it is drawn (about 100,000 Python calls for the bench's busiest
# theme). So each worker keeps the answers it has worked out, the most recent first, keyed by a
# digest of the words and names: what is kept is only what a permitted reader may see, never
# the words as written. Which barriers a page shows is still decided by every request's query.
KEPT_MOST = 20_000
_kept: OrderedDict[bytes, str] = OrderedDict()
_kept_lock = threading.Lock()


def redacted(text: str, extra_names: Iterable[str] = ()) -> str:
    """`text` with names, places, phone numbers, emails, postcodes, dates of birth and
    National Insurance numbers taken out, as listening does before its team sees a
    contribution (`listening.redaction`). `extra_names` (the person's chosen name) are taken
    out wherever they stand, however they are written, whole and each word of them."""
    if not text:
        return ""
    names = extra_names if type(extra_names) in (list, tuple) else tuple(extra_names)
    key = hashlib.blake2b("\x00".join((text, *names)).encode(), digest_size=20).digest()
    # Read without the lock: each of OrderedDict's methods is one step under the GIL, and a
    # page asks a hundred times. Another thread may let the answer go in between.
    answer = _kept.get(key)
    if answer is not None:
        try:
            _kept.move_to_end(key)
        except KeyError:
            pass
        return answer
    answer = _redacted(text, names)
    with _kept_lock:
        _kept[key] = answer
        if len(_kept) > KEPT_MOST:
            _kept.popitem(last=False)
    return answer


def _redacted(text: str, extra_names: Iterable[str]) -> str:
    names = [name.strip() for name in extra_names if name and name.strip()]
    # A coach may write only part of the chosen name ("Rutendo" of "Rutendo Moyo"): each
    # word of it goes too, at the cost of a word like "May" in someone's own words.
    names += [word for name in names for word in name.split() if len(word) >= 2]
    return redaction.apply(text, redaction.find_identifying(text, names))

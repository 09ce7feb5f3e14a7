"""The one write the home page makes: remembering when a coach last looked at it.

This is the coach's own place in their page, not anything about a person's record, so it is
not audited (as Django's own `last_login` is not)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from alongside.accounts.models import User

# Looks closer together than this are one sitting: what is new stays on the page while the
# coach works through it, and only a later sitting starts from where this one ended.
SITTING = timedelta(hours=1)
# How stale "when you last looked" may get before it is written again (so reloading the page
# a few times writes nothing).
REFRESH = timedelta(minutes=5)
# Someone opening their home for the first time sees what happened in the last fortnight.
FIRST_LOOK = timedelta(days=14)


def home_looked(*, user: User, now: datetime | None = None) -> datetime:
    """Note that `user` opened their home now; return where "since you last looked" begins.

    At most one UPDATE, and none when the last look was a moment ago."""
    now = now or timezone.now()
    seen, since = user.home_seen_at, user.home_news_since
    if seen is None:
        since = now - FIRST_LOOK
    elif now - seen > SITTING:
        since = seen
    elif since is None:
        since = seen - FIRST_LOOK
    if seen is None or since != user.home_news_since or now - seen > REFRESH:
        User.objects.filter(pk=user.pk).update(home_seen_at=now, home_news_since=since)
        user.home_seen_at, user.home_news_since = now, since
    return since

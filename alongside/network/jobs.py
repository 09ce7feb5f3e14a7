"""The feed job: read another directory's Open Referral UK API whole, check every record, and
bring it in only if all are good (services.feeds.feed_run_applied). See alongside.core.jobs
for what a job promises.

The reading is `read_feed(url, fetch=...)`: `fetch` takes a URL and gives back its JSON, so
tests serve the standard's examples from a dict and no test touches the network.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings

from alongside.core import jobs
from alongside.core.models import Job

from . import hsds_import
from .models import FeedRun
from .services import feeds as services

TIMEOUT_SECONDS = 20
MAX_BYTES = 10 * 1024 * 1024  # one response
PER_PAGE = 100
MAX_PAGES = 500
MAX_SERVICES = 20_000

Fetch = Callable[[str], Any]


class FeedReadError(Exception):
    """The feed could not be read at all: in plain words for the feed's page."""


def _refuse_inside(url: str) -> None:
    """Refuse an address that leads into this server's own network (its database, a cloud's
    metadata service): a feed is another directory on the open web. Settings may allow
    private addresses (NETWORK_FEEDS_ALLOW_PRIVATE) for a directory on the same intranet."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FeedReadError("A feed's address must start with https:// or http://.")
    if getattr(settings, "NETWORK_FEEDS_ALLOW_PRIVATE", False):
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as problem:
        raise FeedReadError(f"{parts.hostname} could not be found.") from problem
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
        if not ip.is_global:
            raise FeedReadError(
                f"{parts.hostname} is an address inside a private network, not the open web."
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    # Each address a feed redirects to is checked as the first was.
    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        _refuse_inside(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _open(request: urllib.request.Request) -> Any:
    opener = urllib.request.build_opener(_CheckedRedirects)
    return opener.open(request, timeout=TIMEOUT_SECONDS)


def fetch_json(url: str) -> Any:
    """GET a URL and read its JSON, refusing anything slow, huge, private or not JSON."""
    _refuse_inside(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": "application/json", "User-Agent": "Alongside directory feed"}
    )
    try:
        with _open(request) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as problem:
        raise FeedReadError(f"{url} answered {problem.code}.") from problem
    except (urllib.error.URLError, TimeoutError, OSError) as problem:
        raise FeedReadError(f"{url} could not be reached.") from problem
    if len(body) > MAX_BYTES:
        raise FeedReadError(f"{url} sent more than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise FeedReadError(f"{url} did not send JSON.") from problem


def read_feed(base: str, *, fetch: Fetch) -> list[hsds_import.Record]:
    """Every service of a feed, in full: page through `/services`, then fetch each one.
    A page that cannot be read stops the run (FeedReadError); a service that cannot be
    fetched becomes a record the check will name."""
    base = base.rstrip("/")
    summaries: list[Any] = []
    number = 1
    while True:
        page = fetch(f"{base}/services?page={number}&per_page={PER_PAGE}")
        if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
            raise FeedReadError(
                f"Page {number} of {base}/services is not an Open Referral list of services."
            )
        summaries.extend(page["contents"])
        if len(summaries) > MAX_SERVICES:
            raise FeedReadError(f"The feed lists more than {MAX_SERVICES:,} services.")
        total_pages = page.get("total_pages")
        last = (
            page.get("last_page") is True
            or not page["contents"]
            or (isinstance(total_pages, int) and number >= total_pages)
        )
        if last:
            break
        number += 1
        if number > MAX_PAGES:
            raise FeedReadError(f"The feed has more than {MAX_PAGES} pages of services.")
    records: list[hsds_import.Record] = []
    for summary in summaries:
        number = len(records) + 1
        ident = summary.get("id") if isinstance(summary, dict) else None
        if not isinstance(ident, str) or not hsds_import._is_uuid(ident):
            # Kept as listed, so the check names its bad id.
            data = summary if isinstance(summary, dict) else {}
            records.append(hsds_import.Record(number, hsds_import.SERVICE, data))
            continue
        try:
            full = fetch(f"{base}/services/{quote(ident)}")
        except FeedReadError as problem:
            full = {"id": ident, "_unreadable": str(problem)}
        if not isinstance(full, dict):
            full = {"id": ident, "_unreadable": "it is not a JSON object"}
        records.append(hsds_import.Record(number, hsds_import.SERVICE, full))
    return records


def check_feed(records: list[hsds_import.Record], *, run: FeedRun) -> list[hsds_import.Problem]:
    unreadable = [
        hsds_import.Problem(
            record.number,
            record.id,
            f"could not be fetched in full: {record.data['_unreadable']}",
            hsds_import.SERVICE,
        )
        for record in records
        if "_unreadable" in record.data
    ]
    if unreadable:
        return unreadable
    return hsds_import.check(records, network=run.feed.network)


@jobs.handler(services.FEED_JOB)
def run_feed(job: Job, run: jobs.Run) -> None:
    feed_run = (
        FeedRun.objects.select_related("feed__network").filter(pk=job.subject_id).first()
        if job.subject_id is not None
        else None
    )
    if feed_run is None:
        raise jobs.JobProblemError("This feed was taken away before it was read.")
    try:
        with run.alive():
            records = read_feed(feed_run.feed.url, fetch=fetch_json)
            problems = check_feed(records, run=feed_run)
    except FeedReadError as problem:
        with run.finishing("Nothing was brought in: the feed could not be read.") as finishing:
            services.feed_run_failed(run=feed_run, problem=str(problem))
            finishing.message = f"Nothing was brought in: {problem}"[:300]
        return
    except Exception:
        if job.attempts >= job.max_attempts:
            services.feed_run_failed(
                run=feed_run, problem="It stopped with a problem and nothing was changed."
            )
        raise
    with run.finishing("") as finishing:
        result = services.feed_run_applied(run=feed_run, records=records, problems=problems)
        if result.ok:
            finishing.message = (
                f"Brought in: {result.added} added, {result.updated} updated, "
                f"{result.removed} taken out."
            )
        else:
            finishing.message = (
                f"Nothing was brought in: {len(result.problems)} record problems to fix first."
            )

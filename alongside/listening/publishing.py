"""Storing a published version of the report (issue 12, item 5): the one place that writes a
ReportVersion.

The caller decides who may publish and audits it (services.reports.report_publish), or has no
person to audit: the demo seed, and the migration that froze reports published before
versions existed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max

from .models import Report, ReportVersion
from .selectors.reports import Freezing, freezing


def store_version(
    report: Report,
    *,
    published_at: datetime,
    published_by: Any = None,
    frozen: Freezing | None = None,
) -> ReportVersion:
    """Freeze the report's working copy (or `frozen`, already built from it) as its next
    version and publish it. Call it inside a transaction that holds the report's row lock, so
    two at once get numbers 1 and 2. Check `frozen.problems` first: this stores what it is
    given."""
    frozen = frozen or freezing(report.exercise, report)
    last = report.versions.aggregate(last=Max("number"))["last"] or 0
    version = ReportVersion.objects.create(
        report=report,
        number=last + 1,
        published_at=published_at,
        published_by=published_by,
        data=frozen.data,
        digest=frozen.digest,
    )
    report.published_at = published_at
    report.save(update_fields=["published_at"])
    return version

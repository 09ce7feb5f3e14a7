"""The page that shows how far a listening job has got (an import, finding themes): the whole
page, or only the progress when htmx asks again."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.core.models import Job

from ..models import Exercise


def job_progress(
    request: HttpRequest, exercise: Exercise, job: Job, progress: dict[str, Any]
) -> HttpResponse:
    """`progress` holds the words and links for this kind of job: url (this page), stopped,
    again/again_url, done/done_url, running and counted, leave."""
    context = {"exercise": exercise, "job": job, "progress": progress}
    if getattr(request, "htmx", False):
        return render(request, "listening/_job_progress.html", context)
    return render(request, "listening/job_progress.html", context)

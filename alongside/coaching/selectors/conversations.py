"""Reads for conversations and the language prompt's figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from ..models import Conversation, LanguagePromptEvent


def for_record(person: Any) -> dict[str, Any]:
    """The ten most recent conversations, with their goals, in two queries."""
    conversations = list(
        Conversation.objects.filter(person=person)
        .select_related("written_by")
        .prefetch_related("goals")[:10]
    )
    return {"conversations": conversations}


def prompt_counts(organisation: Any) -> list[dict[str, Any]]:
    """How often the prompt fired, per month and phrase, and how often words were kept.
    No names and no text: only phrases and counts."""
    return [
        dict(row)
        for row in LanguagePromptEvent.objects.filter(organisation=organisation)
        .annotate(month=TruncMonth("on"))
        .values("month", "phrase")
        .annotate(fired=Count("id"), kept=Count("id", filter=Q(kept_words=True)))
        .order_by("-month", "-fired", "phrase")
    ]

"""Searching the directory by words: the public search and the Open Referral UK API ask the
same question the same way."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Service


def with_words(services: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Services whose name or description, or whose organisation's name or description, hold
    every word (in any case). Each side is one lower-case column the database keeps
    (`search_text`), so a search scans two short columns rather than upper-casing four."""
    for word in text.split():
        word = word.lower()
        services = services.filter(
            Q(search_text__contains=word) | Q(organisation__search_text__contains=word)
        )
    return services

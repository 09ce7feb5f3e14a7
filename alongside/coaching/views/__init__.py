"""Coaching pages, one module per part of the record. Views stay thin: they ask the policy,
call a service or selector, and render."""

from django.shortcuts import get_object_or_404

from ..models import Person


def person_or_404(person_id: int) -> Person:
    """The person a coaching page is about, with what the policy and the page header read."""
    return get_object_or_404(Person.objects.select_related("organisation", "user"), pk=person_id)

"""Reads for coaching pages, shaped to a fixed number of queries."""

from .record import person_record, relationships_for_coach

__all__ = ["person_record", "relationships_for_coach"]

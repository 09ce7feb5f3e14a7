"""Reads for coaching pages, shaped to a fixed number of queries."""

from .record import person_record

__all__ = ["person_record"]

"""Reads for listening pages."""

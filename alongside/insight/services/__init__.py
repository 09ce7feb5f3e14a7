"""Writes for area insight: keyword-only, typed, each inside policy.writing."""

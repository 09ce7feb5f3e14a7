"""Listening exports built from plain data, so they do not depend on the listening models:
the themed report (Word and PDF), the codebook and coded excerpts as REFI-QDA and CSV.
See docs/listening-exports.md."""

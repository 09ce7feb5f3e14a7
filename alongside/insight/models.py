"""Models for insight: wired in, built by a later issue (see ARCHITECTURE.md)."""

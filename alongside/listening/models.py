"""Models for listening: wired in, built by a later issue (see ARCHITECTURE.md)."""

"""Models for convening: wired in, built by a later issue (see ARCHITECTURE.md)."""

"""Models for network: wired in, built by a later issue (see ARCHITECTURE.md)."""

"""Commands for area insight."""

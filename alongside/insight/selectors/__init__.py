"""Reads for area insight; every figure leaves here disclosure-controlled."""

"""Writes for listening: each checks the policy, audits and runs in a transaction."""

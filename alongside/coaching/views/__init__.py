"""Coaching pages, one module per part of the record. Views stay thin: they ask the policy,
call a service or selector, and render."""

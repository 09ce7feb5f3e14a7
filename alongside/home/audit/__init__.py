"""The audit trail a lead can use: who did what to which record, and when, in words; filtered,
paged over every row, and downloadable. Here at the top floor because it names people
(coaching) and staff (accounts), which the audit log itself (core) may not import."""

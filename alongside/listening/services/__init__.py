"""Writes for listening, one module per part. Each public function is a write made through
`policy.writing` (the policy, one transaction, the change and its audit entry) and takes
keyword arguments only. Building contributions is in `listening.building`, reading an upload
in `listening.uploads`: neither asks the policy nor audits, so they are not services."""

"""Writes to the coaching record, one module per part. Each service checks permission with
`policy.require` first, then changes the data and writes the audit entry in one transaction."""

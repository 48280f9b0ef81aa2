"""The append-only, hash-chained audit trail of every look at and change to protected data."""

"""Tests of the audit trail: append-only storage, the hash chain, verification and checkpoints."""

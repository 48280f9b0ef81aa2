"""Benchmarks: scripts that print figures (see README.md here)."""

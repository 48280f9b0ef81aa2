"""Tests for chronologies: manual entries, corrections and access."""

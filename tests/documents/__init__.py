"""Tests for documents: upload checks, storage, download and access."""

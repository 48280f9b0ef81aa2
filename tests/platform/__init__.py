"""Tests for Threshold."""

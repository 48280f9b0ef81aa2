"""Timescales pages: the work list ("My work") and closing a step as not needed, each module with its patterns."""

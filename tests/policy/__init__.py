"""Tests of the pure-Python policy engine (threshold/policy): no Django, no database."""

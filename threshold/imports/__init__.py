"""Bringing a LADO service's existing records in from spreadsheets (issue 16): map, check, import, re-run, undo."""

"""Deadlines: every clock the packs and the seeds define, stored as a row that work lists and reminders read."""

"""Notifications in the product and by email: what each person is told, and how they chose to hear it."""

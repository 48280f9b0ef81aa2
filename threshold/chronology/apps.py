"""Django app configuration for ``threshold.chronology``."""

from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    """Chronology entries for concerns, allegations and LADO cases."""

    name = "threshold.chronology"
    label = "chronology"

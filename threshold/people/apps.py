"""Django app configuration for ``threshold.people``."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Person records and identity matching."""

    name = "threshold.people"
    label = "people"

    def ready(self) -> None:
        """Keep the LADO records' match keys in step with their saves (``people.receivers``)."""
        from threshold.people import receivers

        receivers.connect()

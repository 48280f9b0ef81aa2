"""Django app configuration for ``threshold.access``."""

from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access rules."""

    name = "threshold.access"
    label = "access"

    def ready(self) -> None:
        """Guard the protected models' managers (``threshold.access.guard``), in tests and production alike."""
        from threshold.access import guard

        guard.install()

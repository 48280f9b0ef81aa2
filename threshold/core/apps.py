"""Django app configuration for ``threshold.core``."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pages and middleware."""

    name = "threshold.core"
    label = "core"

    def ready(self) -> None:
        """Register the ``record`` path converter before any URLconf is read (ADR 0017), and ``in_set``."""
        from django.urls import register_converter

        import threshold.core.lookups  # noqa: F401  # registers the ``in_set`` lookup on every field
        from threshold.core.record_ids import RecordIdConverter

        register_converter(RecordIdConverter, "record")

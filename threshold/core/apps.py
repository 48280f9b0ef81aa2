"""Django app configuration for ``threshold.core``."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pages and middleware."""

    name = "threshold.core"
    label = "core"

    def ready(self) -> None:
        """Register the ``record`` path converter before any URLconf is read (ADR 0017)."""
        from django.urls import register_converter

        from threshold.core.record_ids import RecordIdConverter

        register_converter(RecordIdConverter, "record")

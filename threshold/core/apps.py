"""Django app configuration for ``threshold.core``."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pages and middleware."""

    name = "threshold.core"
    label = "core"

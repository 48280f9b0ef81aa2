"""Django app configuration for ``threshold.concerns``."""

from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    """Concerns and allegations recorded by employers."""

    name = "threshold.concerns"
    label = "concerns"

"""Django app configuration for ``threshold.allegations``."""

from django.apps import AppConfig


class AllegationsConfig(AppConfig):
    """Allegations managed by employers."""

    name = "threshold.allegations"
    label = "allegations"

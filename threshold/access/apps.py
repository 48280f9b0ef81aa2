"""Django app configuration for ``threshold.access``."""

from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access rules."""

    name = "threshold.access"
    label = "access"

"""Django app configuration for ``threshold.demo``."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo world; an app only so that its management commands are found."""

    name = "threshold.demo"
    label = "demo"

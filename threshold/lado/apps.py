"""Django app configuration for ``threshold.lado``."""

from django.apps import AppConfig


class LadoConfig(AppConfig):
    """The LADO service's records."""

    name = "threshold.lado"
    label = "lado"

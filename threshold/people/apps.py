"""Django app configuration for ``threshold.people``."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Person records and identity matching."""

    name = "threshold.people"
    label = "people"

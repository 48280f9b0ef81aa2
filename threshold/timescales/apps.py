"""The timescales app."""

from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    """Stored deadlines, the work lists built on them, and what closes them."""

    name = "threshold.timescales"
    label = "timescales"

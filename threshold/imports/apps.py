"""The imports app."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Spreadsheet imports of a LADO service's history: its runs, and where each imported record came from."""

    name = "threshold.imports"
    label = "imports"

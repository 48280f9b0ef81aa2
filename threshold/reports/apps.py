"""The reports app."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The LADO service's reports, the employer's dashboards, and every list out to a spreadsheet."""

    name = "threshold.reports"
    label = "reports"

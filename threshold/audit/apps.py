"""Django app configuration for ``threshold.audit``."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail."""

    name = "threshold.audit"
    label = "audit"

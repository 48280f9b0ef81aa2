"""Django app configuration for ``threshold.accounts``."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, organisations and memberships; connects sign-in events to the audit trail."""

    name = "threshold.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Connect the receivers that record sign-in events in the audit trail."""
        from threshold.accounts import receivers  # noqa: F401

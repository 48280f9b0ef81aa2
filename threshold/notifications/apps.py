"""The notifications app."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications, email preferences and the record of every email sent."""

    name = "threshold.notifications"
    label = "notifications"

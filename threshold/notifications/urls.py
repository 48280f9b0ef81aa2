"""Notifications URLs (under ``/notifications/``)."""

from __future__ import annotations

from threshold.notifications.views import urlpatterns

__all__ = ["urlpatterns"]

"""The header's count of unread notifications (a template context processor: one count on every signed-in page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from threshold.access.fetch import visible_notifications
from threshold.accounts.models import User


def unread(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: how many of the signed-in person's notifications are unread (None signed out).

    Counted through ``threshold.access`` so a notification about the reader is never counted.
    """
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"unread_notifications": None}
    # Lazily: a page that never shows the header (an email, a download) never counts.
    return {"unread_notifications": _LazyCount(user)}


class _LazyCount:
    """The count, worked out when the template first uses it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._value: int | None = None

    @property
    def value(self) -> int:
        if self._value is None:
            self._value = visible_notifications(self.user).filter(read_at__isnull=True).count()
        return self._value

    def __int__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return str(self.value)

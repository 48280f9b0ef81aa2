"""Small helpers views share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from threshold.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a request (views are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user

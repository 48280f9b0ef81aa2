"""The concerns panel on the home page: concerns awaiting triage, further actions due, the next pattern review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.accounts.models import User
from threshold.concerns import selectors


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For headteachers, DSLs and directors of school; other staff get a way to share a concern."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    organisations = selectors.review_organisations(user)
    if not organisations:
        membership = getattr(request, "membership", None)
        return {"template": "concerns/_home_share.html"} if selectors.may_share(membership) else None
    return {
        "template": "concerns/_home_panel.html",
        "awaiting_triage": list(selectors.awaiting_triage(user)[:20]),
        "actions_due": selectors.actions_due(user),
        "reviews_due": [
            {"organisation": organisation, "due": selectors.next_review_due(organisation=organisation)}
            for organisation in organisations
        ],
        "today": timezone.localdate(),
    }

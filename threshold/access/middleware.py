"""Middleware of the access layer: each user's scope is worked out once per request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from threshold.access.scope import scopes_remembered


class ScopeMiddleware:
    """Remember each user's scope for the request (``threshold.access.scope.scopes_remembered``).

    A page with a home panel per area, a navigation and several lists asked for the same scope a dozen times,
    a query each; the memberships do not change under a request except through its own writes, which forget it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request."""
        # A GET changes no record: rule 2's people are read once for it (ADR 0033); any other method, afresh.
        with scopes_remembered(reads_only=request.method in ("GET", "HEAD")):
            return self.get_response(request)

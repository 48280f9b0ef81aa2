"""What every page's layout needs: the navigation for the user's role and the organisation switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from threshold.access.scope import Scope, scope_for
from threshold.accounts import selectors
from threshold.accounts.models import User


def _item(request: HttpRequest, text: str, name: str) -> dict[str, Any]:
    href = reverse(name)
    current = request.path == href or (href != "/" and request.path.startswith(href))
    return {"text": text, "href": href, "current": current}


def navigation(request: HttpRequest, user: User, scope: Scope) -> list[dict[str, Any]]:
    """The service navigation: only what this person can actually do.

    Items appear as the features behind them exist; a link to a page a role
    cannot use would be a dead end.
    """
    items = [_item(request, "Home", "home")]
    case_work = scope.concern_read_plain or scope.concern_read_routed or scope.allegation_read_plain or scope.governed
    # A trust school's chair of governors reads the concerns routed past its head; an HR business partner
    # reads the low-level concerns shared with them (section 13.3).
    concern_readers = scope.concern_read_plain or scope.concern_read_routed or scope.governed or scope.governed_read
    if case_work or scope.allegation_read_routed or scope.lado_contact_change or scope.is_partner:
        items.append(_item(request, "My work", "my_work"))
    if concern_readers or scope.hr_orgs:
        items.append(_item(request, "Concerns", "concern_list"))
    if scope.allegation_read_plain or scope.allegation_read_routed or scope.governed:
        items.append(_item(request, "Allegations", "allegation_list"))
    if scope.concern_change_routed or scope.concern_change_plain:  # a trust's or a setting's handlers: their figures
        items.append(
            _item(request, "Dashboard", f"employer_{'trust' if scope.concern_change_routed else 'school'}_dashboard")
        )
    if scope.lado_read:
        items.append(_item(request, "Inbox", "lado_inbox"))
    if scope.lado_read or scope.is_partner:
        items.append(_item(request, "LADO cases", "case_list"))
    if scope.lado_read:
        items.append(_item(request, "Search", "lado_search"))
    if scope.lado_report:
        items.append(_item(request, "Reports", "lado_report"))
    if scope.audit_orgs:
        items.append(_item(request, "Audit trail", "audit_events"))
    if selectors.can_administer(user=user):
        items.append(_item(request, "Users", "user_list"))
    if user.is_system_admin:
        items.append(_item(request, "Organisations", "organisation_list"))
    items.append(_item(request, "Your account", "mfa_index"))
    return items


def layout(request: HttpRequest) -> dict[str, Any]:
    """Context for ``layout.html``."""
    from threshold.core.views import switch_form

    user = getattr(request, "user", None)
    signed_in = isinstance(user, User) and user.is_authenticated
    scope = scope_for(user) if isinstance(user, User) and signed_in else None
    return {
        "navigation": navigation(request, user, scope) if isinstance(user, User) and scope else [],
        "current_membership": getattr(request, "membership", None),
        "switch_form": switch_form(request) if signed_in else None,
        "signed_in": signed_in,
        "can_audit": bool(scope and scope.audit_orgs),
        # The nonce is lazy and falsy until read: read it here so the layout's
        # inline script gets one and the header names it.
        "csp_nonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
    }

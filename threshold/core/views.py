"""The home page, the public information pages and the error pages."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from threshold.accounts import selectors
from threshold.accounts.forms import SwitchOrganisationForm
from threshold.accounts.roles import ROLE_DESCRIPTIONS

logger = logging.getLogger(__name__)


def home_panels(request: HttpRequest) -> list[str]:
    """The home page's panels from each feature (``settings.HOME_PANELS``), rendered, in order.

    Each provider is a function ``(request) -> dict | None``; a dict names its
    ``template`` and carries that template's context (available both by name
    and as ``panel``). Features add their own panel (what is due, what is
    overdue) without editing the home page. A panel is a fragment of the page,
    so it is rendered without the request: the layout's context processors
    (navigation, unread count) run once for the page, not once more per panel.

    A panel that shows records names them under ``listed`` (``{"concerns": [ids], "records": ["case:7"]}``, as
    an audit event's details name them), and the page's reading is one audit event naming every panel's
    (``settings.HOME_LISTED``): one write a page, not one a panel.
    """
    rendered: list[str] = []
    listed: dict[str, set[Any]] | None = None
    for dotted in settings.HOME_PANELS:
        panel = import_string(dotted)(request)
        if panel:
            if "listed" in panel:
                listed = listed if listed is not None else {}
                for key, values in panel.pop("listed").items():
                    listed.setdefault(key, set()).update(values)
            rendered.append(render_to_string(panel["template"], {**panel, "panel": panel}))
    if listed is not None:
        import_string(settings.HOME_LISTED)(request, listed)
    return rendered


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's starting page: who they are acting as, what is due, and what they can do here."""
    user = request.user
    membership = getattr(request, "membership", None)
    return render(
        request,
        "core/home.html",
        {
            "membership": membership,
            "role_description": ROLE_DESCRIPTIONS.get(membership.role, "") if membership else "",
            "can_administer": selectors.can_administer(user=user),  # type: ignore[arg-type]
            "panels": home_panels(request),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (public)."""
    return render(request, "core/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (public), naming the controller and data protection officer the deployment sets."""
    return render(
        request,
        "core/privacy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER_NAME,
            "controller_contact": settings.PRIVACY_CONTROLLER_CONTACT,
            "dpo_contact": settings.PRIVACY_DPO_CONTACT,
        },
    )


def health(request: HttpRequest) -> HttpResponse:
    """A load balancer's check: 200 when the database answers, 503 when it does not. Says nothing else.

    Public (no sign-in, on the MFA middleware's allowlist) and free of data:
    no version, no counts, no error text, so it tells a stranger nothing.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # 503 takes this server out of the load balancer's rotation until the
        # database is back; the error itself goes to the log, not the response.
        logger.exception("Health check: the database did not answer.")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def switch_form(request: HttpRequest) -> SwitchOrganisationForm | None:
    """The header's organisation switcher, for people with more than one membership."""
    memberships = getattr(request, "memberships", [])
    if len(memberships) < 2:
        return None
    current = getattr(request, "membership", None)
    return SwitchOrganisationForm(initial={"membership": current.pk if current else None}, memberships=memberships)


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    # Error pages render without the signed-in header: they must work even
    # when the failure is in the code that builds it, and say nothing about
    # the system or the person.
    return render(request, template, {"bare": True}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """400: the request could not be understood."""
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """403: not allowed."""
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """404: not found (also what someone sees for a record they may not see)."""
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: something went wrong; no traceback, no detail.

    Rendered without the request so that no context processor (and so no
    database query) runs: the failure may be the database itself. The CSP
    nonce is passed by hand so the layout's one inline script (which marks
    the page as having JavaScript) still runs under the strict policy.
    """
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return HttpResponse(render_to_string("errors/500.html", {"bare": True, "csp_nonce": nonce}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form that was open too long or came from elsewhere."""
    return render(request, "errors/csrf.html", {"bare": True}, status=403)

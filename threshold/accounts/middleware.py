"""Session timeouts, the MFA requirement and the current organisation, for every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from threshold.accounts import selectors
from threshold.accounts.models import SignInReset
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record

SESSION_STARTED_KEY = "threshold_session_started"
SESSION_LAST_SEEN_KEY = "threshold_session_last_seen"
# How stale the last-seen time may be before a request saves it again (SessionTimeoutMiddleware); a tenth of
# the idle limit when that is shorter, so a one-minute limit still holds an active session.
LAST_SEEN_RESOLUTION_SECONDS = 60
MFA_VERIFIED_KEY = "threshold_mfa_verified_user"
# The sign-in reset this session proved the address for (ADR 0016): only it may then set up the new app.
SIGN_IN_RESET_PROVEN_KEY = "threshold_sign_in_reset_proven"
CURRENT_ORGANISATION_KEY = "threshold_current_organisation"
TIMED_OUT_KEY = "threshold_timed_out"

# After an administrator resets someone's sign-in, the pages that let them
# prove they hold their address before setting up a new authenticator (ADR 0016).
SIGN_IN_RESET_URL_NAMES = frozenset(
    {
        "sign_in_reset_check_email",
        "sign_in_reset_resend",
        "sign_in_reset_open",
        "sign_in_reset_confirm",
    }
)

# Pages a signed-in user may reach before finishing MFA: setting it up, the
# re-authentication it may ask for, signing out, and the public pages.
MFA_EXEMPT_URL_NAMES = (
    frozenset(
        {
            "mfa_activate_totp",
            "account_reauthenticate",
            "mfa_reauthenticate",
            "account_logout",
            "accessibility",
            "privacy",
            "health",
        }
    )
    | SIGN_IN_RESET_URL_NAMES
)


class SessionTimeoutMiddleware:
    """End a session after an idle period or an absolute lifetime, whichever comes first.

    Both limits are settings (``SESSION_IDLE_TIMEOUT_MINUTES``, default 30;
    ``SESSION_ABSOLUTE_TIMEOUT_HOURS``, default 10). Ending a session flushes it
    on the server, so the old cookie is worthless.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request."""
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY)
            if started is None or last_seen is None:
                request.session[SESSION_STARTED_KEY] = started = now
                last_seen = now
            idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            absolute_limit = settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
            reason = ""
            if now - float(last_seen) > idle_limit:
                reason = "idle"
            elif now - float(started) > absolute_limit:
                reason = "absolute"
            if reason:
                audit_record(
                    context=AuditContext.from_request(request, user=user),
                    action="auth.session_expired",
                    record_type="user",
                    record_id=user.pk,
                    details={"reason": reason},
                )
                logout(request)
                return HttpResponseRedirect(_signed_out_redirect(request, reason=reason))
            # Saved at most once a minute (a tenth of a shorter idle limit): writing the session on every
            # request made every page view a database write (on SQLite a commit and a sync). So the idle limit
            # is kept to within that, on the safe side: a session ends a little early, never late.
            resolution = min(LAST_SEEN_RESOLUTION_SECONDS, idle_limit / 10)
            if now - float(last_seen) >= resolution or SESSION_LAST_SEEN_KEY not in request.session:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


def _signed_out_redirect(request: HttpRequest, *, reason: str) -> str:
    """Where a timed-out request goes: sign-in, then back to the page for a GET; a lost form is said so.

    The reason is kept in the new (empty) session rather than the address, so
    the sign-in page says only what the server knows to be true.
    """
    unsaved = request.method not in ("GET", "HEAD")
    request.session[TIMED_OUT_KEY] = {
        "reason": reason,
        "minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
        "hours": settings.SESSION_ABSOLUTE_TIMEOUT_HOURS,
        "unsaved": unsaved,
    }
    query = {"timed_out": "1"}
    if not unsaved:
        query["next"] = request.get_full_path()
    return f"{reverse('account_login')}?{urlencode(query)}"


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def reset_pending_here(request: HttpRequest) -> SignInReset | None:
    """The signed-in person's sign-in reset this browser has still to prove (``selectors.sign_in_reset_pending``)."""
    return selectors.sign_in_reset_pending(
        user=request.user,  # type: ignore[arg-type]
        proven_here=request.session.get(SIGN_IN_RESET_PROVEN_KEY),
    )


class MFARequiredMiddleware:
    """Send a signed-in user who has not completed MFA in this session to set it up.

    allauth's login flow already asks for a code when the user has TOTP; this
    middleware is the backstop that makes MFA a requirement rather than an
    option, and that refuses a session which signed in by any route that did
    not verify a second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request."""
        user = request.user
        if user.is_authenticated and request.session.get(MFA_VERIFIED_KEY) != str(user.pk):
            name = _url_name(request)
            if name not in MFA_EXEMPT_URL_NAMES and not request.path_info.startswith(settings.STATIC_URL):
                if selectors.user_has_totp(user=user):
                    # Signed in without the second factor (should not happen
                    # through allauth): start again rather than trust it.
                    logout(request)
                    return HttpResponseRedirect(reverse("account_login"))
                if reset_pending_here(request) is not None:
                    return HttpResponseRedirect(reverse("sign_in_reset_check_email"))
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            if name == "mfa_activate_totp" and reset_pending_here(request) is not None:
                # The password alone does not set up a new authenticator after
                # a reset: the emailed link must be followed first, in this browser.
                return HttpResponseRedirect(reverse("sign_in_reset_check_email"))
        return self.get_response(request)


class CurrentOrganisationMiddleware:
    """Attach the membership the user is acting through as ``request.membership``.

    The choice is kept in the session and re-checked on every request, so a
    membership ended by an administrator stops working at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request."""
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            memberships = list(selectors.current_memberships(user))
            request.memberships = memberships  # type: ignore[attr-defined]
            chosen = request.session.get(CURRENT_ORGANISATION_KEY)
            current = next((m for m in memberships if m.pk == chosen), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[CURRENT_ORGANISATION_KEY] = current.pk
            request.membership = current  # type: ignore[attr-defined]
        return self.get_response(request)

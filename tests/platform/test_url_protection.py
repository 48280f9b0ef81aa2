"""Every URL is either on a short public allowlist or needs sign-in and MFA.

Adding a URL without protection fails this suite: a new pattern that is not
public must redirect an anonymous visitor to sign in, and a signed-in person
who has not completed MFA to the MFA step.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.urlwalk import Route, all_routes
from threshold.accounts import middleware
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role

pytestmark = pytest.mark.django_db

# Pages anyone may open without signing in. Keep this list short, and say why.
PUBLIC_URL_NAMES = {
    "account_login": "signing in",
    "account_logout": "signing out (does nothing for a visitor)",
    "account_inactive": "tells a deactivated person why they cannot sign in",
    "account_signup": "says accounts are by invitation only",
    "account_reset_password": "asking for a password reset link",
    "account_reset_password_done": "check your email",
    "account_reset_password_from_key": "the emailed reset link",
    "account_reset_password_from_key_done": "password changed",
    "account_confirm_email": "the emailed link that confirms a new address",
    "account_email_verification_sent": "check your email",
    "account_confirm_login_code": "allauth's code step; redirects unless a sign-in is pending",
    "mfa_authenticate": "the second step of signing in",
    "invitation_open": "the emailed invitation link (moves the token into the session)",
    "invitation_accept": "accepting the invitation whose token the session holds",
    "sign_in_reset_open": "the link emailed after a sign-in reset (moves the token into the session)",
    "sign_in_reset_confirm": "uses that link, once the person has signed in with their password (asks them to)",
    "accessibility": "the accessibility statement must be reachable by everyone",
    "privacy": "the privacy notice must be reachable by everyone",
    "health": "the load balancer's check; reveals nothing",
}

# Pages a signed-in person may reach before completing MFA, pinned here rather
# than imported from the middleware: widening the middleware's list must fail
# this suite until someone has written the new page here and said why.
MFA_EXEMPT_URL_NAMES = {
    "mfa_activate_totp": "setting up the authenticator app",
    "account_reauthenticate": "the password check set-up may ask for",
    "mfa_reauthenticate": "the code check set-up may ask for",
    "account_logout": "signing out",
    "sign_in_reset_check_email": "after a sign-in reset: open the emailed link before setting up a new app",
    "sign_in_reset_resend": "after a sign-in reset: send a new link",
    "sign_in_reset_open": "after a sign-in reset: the emailed link",
    "sign_in_reset_confirm": "after a sign-in reset: using the emailed link",
    "accessibility": "public",
    "privacy": "public",
    "health": "public",
}

ROUTES = all_routes()


def test_the_middleware_exempts_from_mfa_exactly_the_pages_pinned_here() -> None:
    assert set(middleware.MFA_EXEMPT_URL_NAMES) == set(MFA_EXEMPT_URL_NAMES)


@override_settings(ROOT_URLCONF="tests.platform.duplicate_urls")
def test_the_url_walker_refuses_a_url_name_used_twice_by_mistake() -> None:
    with pytest.raises(AssertionError, match="'twice' is used by more than one pattern"):
        all_routes()


def test_the_public_allowlist_names_only_urls_that_exist() -> None:
    names = {route.name for route in ROUTES}
    assert set(PUBLIC_URL_NAMES) <= names


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES], ids=lambda r: r.name)
def test_a_protected_url_sends_an_anonymous_visitor_to_sign_in(route: Route, client: Client) -> None:
    response = client.get(route.path)
    assert response.status_code == 302, f"{route.name} answered {response.status_code} to an anonymous visitor"
    assert response["Location"].startswith(reverse("account_login")), response["Location"]


@pytest.fixture
def without_mfa(db: None) -> Client:
    """Someone who has signed in with a password but has no authenticator yet."""
    load = Organisation.objects.create(name="Walker School", kind="school")
    user = User.objects.create_user(email="walker@walker.example", password="x", full_name="Wally Walker")
    Membership.objects.create(user=user, organisation=load, role=Role.STAFF)
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES and r.name not in MFA_EXEMPT_URL_NAMES],
    ids=lambda r: r.name,
)
def test_a_protected_url_sends_someone_without_mfa_to_set_it_up(route: Route, without_mfa: Client) -> None:
    response = without_mfa.get(route.path)
    assert response.status_code == 302, f"{route.name} answered {response.status_code} before MFA"
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES))
def test_a_public_url_answers_an_anonymous_visitor_without_error(name: str, client: Client, demo_world) -> None:
    route = next(r for r in ROUTES if r.name == name)
    response = client.get(route.path)
    assert response.status_code < 500

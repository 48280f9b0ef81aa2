"""Read-only and outside personas change nothing by POSTing to any URL.

The access matrix sends GET only, and a POST-only action answers 405 to a GET
whoever asks. Here every URL (walked from the resolver, pointed at the demo
records as the matrix does) receives an empty POST (the test client skips
CSRF, as an attacker's forged form would not) from the auditor, the partner
agencies, the administrators and a member of staff. Each must be refused
(400/403/404/405) or answered without effect (a page that shows itself again,
with or without the form's errors, or a redirect), never fail (5xx), and the
audit trail must gain no change event (anything but ``record.*``,
``records.*`` and ``audit.*_viewed`` reads). The few legitimate changes are
listed in ``MAY_CHANGE`` with why.
"""

from __future__ import annotations

import pytest

from tests.access.routes import path_for, routes
from threshold.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

POSTERS = ("ada", "pat", "cara", "sid", "olu", "tom")
ROUTES = routes()

# (url name, persona or "*") -> why a POST by them may change something or answer otherwise.
MAY_CHANGE = {
    ("organisation_switch", "*"): "switching organisation changes the session, and is audited",
    ("account_logout", "*"): "signing out",
    ("lado_search", "*"): "a search is audited as a read",
    ("lado_report", "ada"): "the auditor reads the LADO report, so may count its figures again (a POST, ADR 0045):"
    " figures kept for her alone, and a report.produced event; no record changes",
    ("meeting_update_add", "pat"): "Pat adds updates to the strategy meeting shared with her police force",
    ("notification_settings", "*"): "everyone chooses their own emails; an empty POST lacks the version the"
    " form was loaded at, so it gets the conflict notice (409) and saves nothing",
    # Administration: the system administrator (and an organisation admin, in their organisation) act on
    # accounts with a single button, which an empty POST is.
    ("membership_end", "sid"): "administrators end memberships",
    ("membership_end", "olu"): "administrators end memberships",
    ("user_deactivate", "sid"): "administrators deactivate accounts",
    ("user_deactivate", "olu"): "administrators deactivate accounts",
    ("user_reactivate", "sid"): "administrators reactivate accounts",
    ("user_reactivate", "olu"): "administrators reactivate accounts",
    ("user_reset_sign_in", "sid"): "administrators reset a user's sign-in",
    ("user_reset_sign_in", "olu"): "administrators reset a user's sign-in",
    ("invitation_revoke", "sid"): "administrators revoke invitations",
    ("invitation_revoke", "olu"): "administrators revoke invitations",
}
# What an empty POST may get: refused, or nothing done (the page again, a redirect).
ANSWERS = {200, 302, 400, 403, 404, 405}


def _allowed(name: str, persona: str) -> bool:
    return (name, persona) in MAY_CHANGE or (name, "*") in MAY_CHANGE


def _is_change(event: AuditEvent) -> bool:
    return not event.action.startswith(("record.", "records.", "audit.")) or event.action.startswith("audit.checkpoint")


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_an_empty_post_from_a_reader_or_outsider_changes_nothing(route, records, signed_in) -> None:
    path = path_for(route, records)
    # Signed in first: signing in is itself audited.
    clients = {persona: signed_in(persona) for persona in POSTERS if not _allowed(route.name, persona)}
    problems = {}
    for persona, client in clients.items():
        before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        response = client.post(path, {})
        changes = [event.action for event in AuditEvent.objects.filter(sequence__gt=before) if _is_change(event)]
        if changes or response.status_code not in ANSWERS:
            problems[persona] = (response.status_code, changes)
    assert not problems, f"{route.name} at {path}: persona -> (status, change events): {problems}"

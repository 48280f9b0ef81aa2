"""A test helper: mark a signed-in test client as having just confirmed it is them (allauth's re-authentication)."""

from __future__ import annotations

import time

from django.test import Client


def reauthenticated(client: Client) -> Client:
    """Record in the client's session what allauth records when the password is typed on "Confirm it is you".

    The same two session entries allauth's ``record_authentication`` writes,
    so allauth's own ``did_recently_reauthenticate`` is what decides.
    """
    session = client.session
    user_id = session["_auth_user_id"]
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user_id)
    session.save()
    return client

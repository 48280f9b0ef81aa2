"""The allegations panel on the home page: open allegations the user manages, and concluded ones still to follow up.

Concluded allegations join the panel while a DBS or TRA referral, the lessons-learned review, the outcome for a
supply worker's agency or the personnel file is still to be done (``listing.concluded_with_follow_ups``). The
work panel above this one lists the steps the reader owns; each row here says when its allegation's next step is
due, whoever owns it (``listing.open_managed``), and names the follow-ups no work list holds. The panel names
adults, so showing it is an audited read of the allegations listed. It is bounded (``PANEL_LIMIT`` of each, a
link to the full list), so its queries are the same for an authority's first allegation and its thousandth.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from threshold.access import policies
from threshold.access.scope import scope_for
from threshold.accounts.models import User
from threshold.allegations import listing, selectors

# Enough for a home page; the rest are one click away on each allegation.
PANEL_LIMIT = 20


def panel(request: HttpRequest) -> dict[str, Any] | None:
    """For case managers, DSLs, trust roles and HR who may change allegations; nothing for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    # The ``change`` rule for allegations itself says whether this person reaches any: for a LADO or a partner it
    # is nothing, both lists are empty, and the home page need not build their queries.
    manages = policies.allegation_condition(scope_for(user), "change") != policies.NOTHING
    restrictions = bool(selectors.restriction_trusts(user))
    if not manages and not restrictions:
        return None
    allegations = list(listing.open_managed(user)[:PANEL_LIMIT]) if manages else []
    following_up = listing.concluded_with_follow_ups(user, PANEL_LIMIT) if manages else []
    if not allegations and not following_up and not restrictions:
        return None
    shown = allegations + following_up
    return {
        "template": "allegations/_home_panel.html",
        # Reading a list of allegations is audited, as the allegation list is: in the page's one event.
        **({"listed": {"allegations": [allegation.pk for allegation in shown]}} if shown else {}),
        "open_allegations": allegations,
        # The follow-ups without a clock are in nobody's work list: the panel says what they are.
        "following_up": [
            {"allegation": allegation, "to_do": [item.text for item in listing.unclocked(allegation)]}
            for allegation in following_up
        ],
        "show_restrictions": restrictions,
        "today": timezone.localdate(),
    }

"""Telling the HR business partners of a setting and its trust, in the product and by email.

The trust's policy, section 6 step 1: "It is expected that a case manager or Headteacher will advise
L.E.A.D. HR that a referral has been made"; appendix 5: "If at any point there is potentially a disciplinary
case to answer then the headteacher should discuss with their HR business partner." So when a referral to
the LADO is made, and when an outcome gives a disciplinary route (or is substantiated: "internal disciplinary
proceedings will commence"), each HR business partner of the setting or its trust gets a notification and,
if their preference includes immediate emails, an email (the kind is immediate). Neither names anyone nor
says what is alleged: the allegation's reference and a link that needs sign-in. HR business partners already
reach the allegations of the settings they partner (``threshold.access.scope``); nobody is told about an
allegation about themselves.
"""

from __future__ import annotations

from django.urls import reverse

from threshold.accounts.models import User
from threshold.accounts.roles import Role
from threshold.allegations.models import Allegation
from threshold.notifications.models import NotificationKind
from threshold.notifications.recipients import members_in_roles
from threshold.notifications.services import notify_in_transaction

# What HR is told, by event (no names, no detail: the reference and a link).
EVENTS = {
    "referral": "A referral to the LADO has been made",
    "disciplinary": "The outcome says there may be a disciplinary case to answer",
}


def hr_partners(allegation: Allegation) -> list[User]:
    """The HR business partners of the allegation's setting and of its trust."""
    organisation = allegation.organisation
    people = members_in_roles(organisation, [Role.HR_BUSINESS_PARTNER])
    if organisation.trust is not None:
        people += members_in_roles(organisation.trust, [Role.HR_BUSINESS_PARTNER])
    return list({user.pk: user for user in people}.values())


def hr_tell_in_transaction(*, actor: User, allegation: Allegation, event: str) -> int:
    """Tell the HR business partners (not the actor) that ``event`` happened; joins the caller's transaction.

    Once per allegation and event: an updated referral or a revised outcome tells nobody twice. Returns how
    many were told.
    """
    recipients = [user for user in hr_partners(allegation) if user.pk != actor.pk]
    made = notify_in_transaction(
        recipients=recipients,
        kind=NotificationKind.HR_INFORMED,
        text=f"{EVENTS[event]}: allegation {allegation.reference}.",
        key=f"hr:{event}:allegation:{allegation.pk}",
        url=reverse("allegation_detail", args=[allegation.pk]),
        reference=allegation.reference,
        subject=allegation.subject,
        # A setting's own HR partners do not reach an allegation routed past the setting to its trust.
        about=allegation,
    )
    return len(made)

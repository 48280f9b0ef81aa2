"""What a printed record shows: the record page's own presenters and panels, with every action turned off.

Nothing here shapes a record's data again: the case file is the case page's
context (``case_page_context`` and the panels the case page includes), the
contact its page's ``contact_record_context`` and the referral the allegation
page's ``referral_section``, each asked for the view of someone who may change
nothing, so the paper copy carries no links to change pages, no buttons and
no forms. Around them: the heading a paper copy needs (reference, authority,
who printed it and when).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.allegations.presenters.sections import referral_section
from threshold.allegations.selectors import allegation_state
from threshold.chronology.panels import chronology_context
from threshold.documents.panels import documents_context
from threshold.jinja2 import govuk_datetime
from threshold.lado.models import Case, Contact
from threshold.lado.presenters.case import case_page_context
from threshold.lado.presenters.employer import employer_outcome_section, lado_word_section
from threshold.lado.views.contacts import contact_record_context, decisions_panel
from threshold.lado.views.meetings import meetings_panel
from threshold.lado.views.monitoring import monitoring_panel

# The classification every printed record carries, top and bottom of each page.
MARKING = "OFFICIAL-SENSITIVE"

# The panels' own switches for their actions; a paper copy has none of them.
_NO_ACTIONS = {
    "may_change": False,
    "meetings_may_change": False,
    "meetings_may_unshare": False,
    "monitoring_may_change": False,
}


@dataclass(frozen=True)
class PaperHeading:
    """The top of a printed record: what it is, whose it is, who printed it and when, and where to go back."""

    title: str
    reference: str
    authority: str
    printed: str
    back_href: str
    back_text: str
    pdf_href: str
    marking: str = MARKING


def printed_line(user: User) -> str:
    """Who printed a record and when: "Printed by Lara Lado on 4 December 2026 at 2:05pm" (Europe/London)."""
    return f"Printed by {user.full_name} on {govuk_datetime(timezone.now())}"


def case_file(user: User, case: Case) -> dict[str, Any]:
    """The case file: everything the case page shows of a case the reader may ``view``, without its actions."""
    contact = case.contact
    # The employer's outcome shows to those who may see the contact the case came from, as on the case page.
    sees_contact = contact is not None and fetch.visible_contacts(user, "view").filter(pk=contact.pk).exists()
    context: dict[str, Any] = {
        "case": case,
        **case_page_context(case, may_change=False),
        **decisions_panel(user, case),
        **meetings_panel(user, case),
        **monitoring_panel(user, case),
        **documents_context(user=user, record=case, record_type="case", can_upload=False),
        **chronology_context(record=case, record_type="case", can_add=False),
        "employer_outcome": employer_outcome_section(contact if sees_contact else None, may_decide=False),
    }
    # Who the whole case is shared with is part of the record; the case page lists it beside its "stop" buttons.
    context["case_shares"] = context["meetings_case_shares"]
    context.update(_NO_ACTIONS)
    context["monitoring_open_steps"] = [{**step, "close_url": None} for step in context["monitoring_open_steps"]]
    context["heading"] = PaperHeading(
        title=f"LADO case {case.reference}",
        reference=case.reference,
        authority=f"{case.local_authority.name} LADO service",
        printed=printed_line(user),
        back_href=reverse("case_detail", args=[case.pk]),
        back_text="Back to the case",
        pdf_href=reverse("case_pdf", args=[case.pk]),
    )
    return context


def contact_paper(user: User, contact: Contact) -> dict[str, Any]:
    """The contact: what its page shows of the contact itself, without its actions or the search for others."""
    return {
        **contact_record_context(contact, may_change=False, may_decide=False),
        "heading": PaperHeading(
            title=f"Contact {contact.reference}",
            reference=contact.reference,
            authority=f"{contact.local_authority.name} LADO service",
            printed=printed_line(user),
            back_href=reverse("contact_detail", args=[contact.pk]),
            back_text="Back to the contact",
            pdf_href=reverse("contact_pdf", args=[contact.pk]),
        ),
    }


def referral_paper(user: User, allegation: Allegation) -> dict[str, Any] | None:
    """The employer's referral to the LADO that stands on the allegation (None before one is made)."""
    state = allegation_state(allegation)
    referral = state["referral"]
    if referral is None:
        return None
    return {
        "allegation": allegation,
        "referral": referral_section(allegation, referral, state["referral_count"], can_change=False),
        "lado_word": lado_word_section(allegation),
        "heading": PaperHeading(
            title=f"Referral {referral.reference} to the LADO",
            reference=referral.reference,
            authority=f"{allegation.organisation.name}, to the LADO of {referral.local_authority.name}",
            printed=printed_line(user),
            back_href=reverse("allegation_detail", args=[allegation.pk]) + "#referral",
            back_text="Back to the allegation",
            pdf_href=reverse("referral_pdf", args=[allegation.pk]),
        ),
        "reference": referral.reference,
    }

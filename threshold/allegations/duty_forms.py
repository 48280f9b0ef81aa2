"""Forms for what the trust's policy asks of the employer beyond the steps (``threshold.allegations.duties``).

Confidentiality and the press office (section 7), the personnel file (section 8), a review with no lessons
(section 11), and the supply agency's HR manager, invitations, updates and reply (appendix 4). Every message is
written for its field; the services check the rest and their errors are put beside the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.allegations.forms import _choice, _text
from threshold.allegations.models import Allegation, Consulted, LiaisonKind, PersonnelFileChoice
from threshold.allegations.services.confidentiality import confidentiality_errors
from threshold.core.forms import CaseForm, WrittenForm


class ConfidentialityForm(CaseForm):
    """Section 7: who needs to know and what may be shared, as agreed, and the press office."""

    DATES = {
        "agreed_on": ("The date it was agreed", "Enter the date who needs to know was agreed"),
        "press_office_contacted_on": ("The date the press office was contacted", None),
    }
    agreed_with = forms.MultipleChoiceField(
        choices=Consulted.choices,
        required=False,
        error_messages={"invalid_choice": "Choose the LADO, the police or children's social care"},
    )
    who_needs_to_know = _text("Who needs to know", "Enter who needs to know about the allegation")
    what_may_be_shared = _text("Exactly what information can be shared", "Enter exactly what information can be shared")
    speculation = _text("How speculation, leaks and gossip will be managed")
    press_office_not_contacted_reason = _text("Why the press office has not been contacted")

    def __init__(self, *args: Any, allegation: Allegation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation = allegation

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """With whom it was agreed and the press office (a trust's academy), with the form's other errors."""
        return confidentiality_errors(
            self.allegation,
            agreed_on=data.get("agreed_on"),
            agreed_with=data.get("agreed_with") or [],
            who_needs_to_know=data.get("who_needs_to_know") or "",
            what_may_be_shared=data.get("what_may_be_shared") or "",
            press_office_contacted_on=data.get("press_office_contacted_on"),
            press_office_not_contacted_reason=data.get("press_office_not_contacted_reason") or "",
        )


class PersonnelFileForm(CaseForm):
    """Section 8: archived from the personnel file, or kept there with the individual's consent."""

    DATES = {"decided_on": ("The date", "Enter the date the records were archived or the individual consented")}
    choice = _choice(
        "What happened to the records on the personnel file",
        PersonnelFileChoice.choices,
        "Choose whether the records were archived or the individual consents to keep them",
    )
    done_by = _text("Who archived the records", None, 200)
    notes = _text("Notes")


class LessonsReviewForm(CaseForm):
    """Section 11: reviewed with the LADO and the headteacher; no improvements found."""

    DATES = {"reviewed_on": ("The date of the review", "Enter the date the case was reviewed")}
    reviewed_with = _text("Reviewed with", "Enter who the case was reviewed with", 200)
    notes = _text("Notes")


class AgencyHrManagerForm(WrittenForm):
    """Appendix 4: the supply agency's human resources manager or nominated person."""

    name = _text("Name", "Enter the name of the agency's HR manager or nominated person", 200)
    email = _text("Email address", "Enter the email address of the agency's HR manager", 254)


class AgencyLiaisonForm(CaseForm):
    """Appendix 4: an invitation to a meeting or an update sent to the agency's HR manager."""

    DATES = {"sent_on": ("The date it was sent", "Enter the date it was sent")}
    kind = _choice("What was sent", LiaisonKind.choices, "Choose whether this was an invitation or an update")
    about = _text("What it was about", "Enter what it was about, for example the strategy meeting", 300)


class AgencyReplyForm(CaseForm):
    """Appendix 4: the agency's outcome, factual references, assurances and updated letter of comfort."""

    DATES = {
        "outcome_received_on": ("The date the agency's outcome was received", None),
        "reference_received_on": ("The date of the steps on factual references", None),
        "assurances_received_on": ("The date the assurances were received", None),
        "letter_of_comfort_updated_on": ("The date of the updated letter of comfort", None),
    }
    outcome_notes = _text("The outcome of the agency's processes")
    reference_notes = _text("The steps the agency will take on factual references")
    assurances_notes = _text("The agency's assurances")
    letter_of_comfort_notes = _text("The updated letter of comfort")

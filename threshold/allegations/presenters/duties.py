"""The allegation page's parts for confidentiality (7), the personnel file (8), lessons (11) and the agency's HR.

Each part says what was recorded, and, while something the policy asks for is not, a prompt in the
policy's words with the link to record it (for those who may change the allegation).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.allegations import duties
from threshold.allegations.models import (
    AgencyHrManager,
    AgencyReply,
    Allegation,
    Employment,
    PersonnelFileChoice,
)
from threshold.allegations.presenters.common import Link, row
from threshold.jinja2 import govuk_date


def _link(allegation: Allegation, name: str, text: str, *, can_change: bool) -> list[Link]:
    return [Link(reverse(name, args=[allegation.pk]), text)] if can_change else []


def confidentiality_section(allegation: Allegation, *, can_change: bool) -> dict[str, Any]:
    """Section 7: who needs to know and what may be shared, as agreed, and the press office; prompts while missing."""
    record = duties.confidentiality(allegation)
    prompts = []
    if record is None:
        prompts.append(
            "Take advice from the LADO, police and children's social care to agree who needs to know and exactly"
            " what information can be shared, and how to manage speculation, leaks and gossip (policy, section 7)."
        )
    if duties.press_office_outstanding(record, allegation):
        prompts.append(
            "A senior leader should contact the Trust's press office for advice and support in managing the"
            " appropriate sharing of information (policy, section 7)."
        )
    rows = None
    if record is not None:
        agreed = duties.agreed_with_words(record.agreed_with)
        rows = [
            row("Agreed", f"{govuk_date(record.agreed_on)}, with {agreed}"),
            row("Who needs to know", record.who_needs_to_know),
            row("What may be shared", record.what_may_be_shared),
            row("Speculation, leaks and gossip", record.speculation or "Not recorded"),
        ]
        if duties.press_office_applies(allegation):
            press = (
                f"Contacted on {govuk_date(record.press_office_contacted_on)}"
                if record.press_office_contacted_on
                else f"Not contacted: {record.press_office_not_contacted_reason}"
            )
            rows.append(row("The Trust's press office", press))
        rows.append(row("Recorded by", f"{record.recorded_by.full_name}, {govuk_date(record.recorded_at)}"))
    text = "Update who needs to know" if record else "Record who needs to know and what may be shared"
    return {
        "rows": rows,
        "prompts": prompts,
        "links": _link(allegation, "allegation_confidentiality", text, can_change=can_change),
    }


def personnel_file_section(allegation: Allegation, *, can_change: bool) -> dict[str, Any] | None:
    """Section 8, for a malicious or false outcome: archived from the personnel file, or kept with consent."""
    if not duties.personnel_file_applies(allegation):
        return None
    decision = duties.personnel_file_decision(allegation)
    if decision is None:
        return {
            "prompt": "Found to be malicious or false: archive the records from the personnel file, unless the"
            " individual consents to them being kept on the file (policy, section 8). Record which, with the date.",
            "text": "",
            "links": _link(allegation, "allegation_personnel_file", "Record the personnel file", can_change=can_change),
        }
    if decision.choice == PersonnelFileChoice.ARCHIVED:
        text = f"Archived from the personnel file on {govuk_date(decision.decided_on)} by {decision.done_by}."
    else:
        text = f"Kept on the personnel file: the individual consented on {govuk_date(decision.decided_on)}."
    if decision.notes:
        text += f" {decision.notes}"
    return {
        "prompt": "",
        "text": text,
        "links": _link(
            allegation, "allegation_personnel_file", "Change the personnel file record", can_change=can_change
        ),
    }


def lessons_review(allegation: Allegation, *, can_change: bool) -> dict[str, Any] | None:
    """Section 11 after an investigated case: the review due, or done with no lessons; None when none is due."""
    due = duties.lessons_due(allegation)
    if due is None:
        return None
    if due.done_on is None:
        return {
            "prompt": "An investigation was conducted: review the circumstances of the case with the LADO and the"
            " headteacher to decide whether procedures or practice can be improved (policy, section 11). Log each"
            f" lesson learned, or record that there were none. Due {govuk_date(due.due_on)}.",
            "text": "",
            "links": _link(
                allegation, "allegation_lessons_review", "Record the review: no lessons learned", can_change=can_change
            ),
        }
    if not due.no_lessons:
        return None
    review = list(allegation.lessons_reviews.select_related("recorded_by"))[-1]
    text = f"Reviewed with {review.reviewed_with} on {govuk_date(review.reviewed_on)}: no lessons learned."
    return {"prompt": "", "text": text + (f" {review.notes}" if review.notes else ""), "links": []}


def agency_contacts(allegation: Allegation, *, can_change: bool) -> dict[str, Any] | None:
    """Appendix 4, for a supply worker: the agency's HR manager, what was sent to them, and the agency's reply."""
    if allegation.subject_employment != Employment.SUPPLY or not allegation.agency_display:
        return None
    managers: list[AgencyHrManager] = list(allegation.agency_hr_managers.all())
    manager = managers[-1] if managers else None
    replies: list[AgencyReply] = list(allegation.agency_replies.all())
    reply = replies[-1] if replies else None
    manager_links: list[Link] = []
    reply_links: list[Link] = []
    if can_change:
        change = "Change the agency's HR manager" if manager else "Record the agency's HR manager"
        manager_links.append(Link(reverse("allegation_agency_hr_manager", args=[allegation.pk]), change))
        if manager is not None:
            sent = reverse("allegation_agency_liaison", args=[allegation.pk])
            manager_links.append(Link(sent, "Log an invitation or update sent to them"))
        reply_links.append(
            Link(reverse("allegation_agency_reply", args=[allegation.pk]), "Record what the agency sent back")
        )
    reply_rows = None
    if reply is not None:
        reply_rows = [
            row(label, f"{govuk_date(on)}{': ' + notes if notes else ''}" if on else "Not yet")
            for label, on, notes in (
                ("Outcome of the agency's processes", reply.outcome_received_on, reply.outcome_notes),
                ("Steps on factual references", reply.reference_received_on, reply.reference_notes),
                ("Assurances", reply.assurances_received_on, reply.assurances_notes),
                ("Updated letter of comfort", reply.letter_of_comfort_updated_on, reply.letter_of_comfort_notes),
            )
        ]
    return {
        "manager": f"{manager.name}, {manager.email}" if manager else "",
        "sent": [
            f"{govuk_date(item.sent_on)}: {item.get_kind_display()}, {item.about}"
            for item in allegation.agency_liaisons.all()
        ],
        "reply_rows": reply_rows,
        "manager_links": manager_links,
        "reply_links": reply_links,
    }


def duty_parts(allegation: Allegation, *, can_change: bool) -> dict[str, Any]:
    """The parts above, by the names the allegation page's template reads."""
    return {
        "confidentiality": confidentiality_section(allegation, can_change=can_change),
        "personnel_file": personnel_file_section(allegation, can_change=can_change),
        "lessons_review": lessons_review(allegation, can_change=can_change),
        "agency_contacts": agency_contacts(allegation, can_change=can_change),
    }

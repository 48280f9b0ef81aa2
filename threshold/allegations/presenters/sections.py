"""The allegation page's sections before the outcome: the referral, suspension, support, the police and the agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from threshold.allegations.models import (
    AgencyRecord,
    Allegation,
    Employment,
    InformingObjection,
    PoliceInvolvement,
    Referral,
    RiskAssessment,
    SupportRecord,
)
from threshold.allegations.police_and_suspension import police_review_asked, police_review_due
from threshold.allegations.presenters.common import Link, not_given, plural, row, yes_no
from threshold.jinja2 import govuk_date, govuk_datetime
from threshold.timescales.models import Deadline, DeadlineState


def referral_section(
    allegation: Allegation, referral: Referral | None, count: int, *, can_change: bool
) -> dict[str, Any] | None:
    """The referral to the LADO as sent: who made it, the data set, and whether it is still to be completed."""
    if referral is None:
        return None
    supersedes = f" (supersedes {plural(count - 1, 'earlier version')})" if count > 1 else ""
    born = f", born {govuk_date(referral.adult_date_of_birth)}" if referral.adult_date_of_birth else ""
    incident = "Not given"
    if referral.incident_date:
        incident = govuk_date(referral.incident_date) + (" (non-recent)" if referral.non_recent else "")
    assessment = referral.assessment if isinstance(referral.assessment, dict) else {}
    level = assessment.get("level_title") or assessment.get("level") or ""
    return {
        "started": not referral.is_complete,
        "complete_link": Link(reverse("allegation_referral", args=[allegation.pk]), "Complete the referral")
        if can_change
        else None,
        "intro": (
            f"Referral {referral.reference} to the LADO of {referral.local_authority.name}, made by"
            f" {referral.recorded_by.full_name} on {govuk_datetime(referral.recorded_at)}{supersedes}."
        ),
        "rows": [
            row("Adult", referral.adult_name + born),
            row("Address", not_given(referral.adult_address)),
            row(
                "Gender and ethnicity",
                f"{referral.get_adult_gender_display() or 'Gender not given'};"
                f" {referral.get_adult_ethnicity_display() or 'ethnicity not given'}",
            ),
            row("Role or occupation", not_given(referral.adult_role)),
            row(
                "Employing organisation",
                referral.employer_name + (f", agency {referral.agency_name}" if referral.agency_name else ""),
            ),
            row("Referrer", f"{referral.referrer_name}, {referral.referring_organisation}"),
            row("How it came to light", not_given(referral.get_came_to_light_display())),
            row("Category of abuse", not_given(", ".join(referral.abuse_category_labels()))),
            row("Date of incident", incident),
            row("Children involved", not_given(", ".join(child.full_name for child in referral.children.all()))),
            row("Risk managed so far", not_given(referral.get_risk_managed_display())),
            row(
                "Police or children's social care involved",
                f"Police: {yes_no(referral.police_involved)}; children's social care:"
                f" {yes_no(referral.childrens_social_care_involved)}",
            ),
            row("Policy engine's assessment", f"{level} ({referral.pack} {referral.pack_version})"),
            row("Summary", referral.summary),
        ],
    }


def _discussed(day: dt.date | None, reason: str, decided_on: dt.date) -> str:
    """Policy 6.1's discussion before a suspension decision: its date, and why it was not before if it was not."""
    if day is not None and day <= decided_on:
        return govuk_date(day)
    if day is not None:
        return f"{govuk_date(day)}, after the decision: {reason}"
    return f"Not before the decision: {reason}" if reason else "Not recorded"


def suspension_section(assessment: RiskAssessment | None) -> dict[str, Any] | None:
    """The suspension risk assessment that stands: the decision, the areas of risk and the alternatives weighed."""
    if assessment is None:
        return None
    return {
        "rows": [
            row("Decision", f"{assessment.get_decision_display()}, {govuk_date(assessment.decided_on)}"),
            row("Context", assessment.context or "Not recorded"),
            row("Why", assessment.decision_reason),
            row(
                "Options discussed with HR",
                _discussed(assessment.hr_discussed_on, assessment.not_discussed_reason, assessment.decided_on),
            ),
            row(
                "Options reviewed with the LADO",
                _discussed(assessment.lado_reviewed_on, assessment.not_discussed_reason, assessment.decided_on),
            ),
            row("Period for measures", assessment.period_for_measures),
            row("Agreed review date", govuk_date(assessment.review_on)),
            row("Additional notes", assessment.additional_notes or "None"),
        ],
        "risks": [
            [risk.area, risk.responsibilities, risk.potential_risks, risk.mitigation, risk.monitoring]
            for risk in assessment.rows.all()
        ],
        "alternatives": [
            [alternative.get("text", ""), yes_no(alternative.get("used")), alternative.get("reason", "")]
            for alternative in assessment.alternatives
        ],
    }


def support_section(allegation: Allegation, support: SupportRecord | None, updates: list[Any]) -> dict[str, Any]:
    """The support offered to the adult and the progress updates given to them."""
    rows = None
    if support is not None:
        informed = "Not yet informed"
        if support.informed_on:
            informed = f"{govuk_date(support.informed_on)}: {support.informed_of}"
        elif support.objection != InformingObjection.NONE:
            # Section 6.2: told "as soon as possible ... unless there is an objection by the police or social care".
            informed = (
                f"Not yet informed: {InformingObjection(support.objection).held_back}. {support.objection_detail}"
            )
        rows = [
            row("Informed", informed),
            row("Named representative", f"{support.representative_name}, {support.representative_contact}"),
            row("Trade union or colleague advised", yes_no(support.union_advised)),
            row("Welfare counselling (EAP) offered", yes_no(support.eap_offered)),
            row("Occupational health offered", yes_no(support.occupational_health_offered)),
        ]
    return {
        "heading": f"Support for {allegation.subject.full_name}",
        "rows": rows,
        "updates": [
            f"{govuk_date(update.given_on)}: {update.text} ({update.recorded_by.full_name})" for update in updates
        ],
    }


def police_section(
    allegation: Allegation, police: PoliceInvolvement | None, sharing: Deadline | None = None
) -> dict[str, Any] | None:
    """Whether the police are involved and, if they are, whether they have authorised internal proceedings.

    While they are involved on an open allegation: when their investigation's progress is next reviewed (policy
    5.3), or, on a record made before that date was asked for, that none is set. Once their part is complete:
    what was shared on its completion (5.3), or, from its stored row (``sharing``, the latest), that it is not
    recorded yet or why it was not needed.
    """
    if police is None:
        return None
    text = "The police are involved." if police.involved else "The police are not involved."
    if police.police_reference:
        text += f" Reference {police.police_reference}."
    text += f" Consent to share statements: {police.get_consent_to_share_display().lower()}."
    if police.notes:
        text += f" {police.notes}"
    if (review_on := police_review_due(allegation, police)) is not None:
        text += f" Next review of the police investigation's progress: {govuk_date(review_on)}."
    elif police_review_asked(allegation, involved=police.involved):
        text += " No review of the police investigation's progress is set: record police involvement to set one."
    shared = [record for record in allegation.police_records.all() if record.information_shared]
    if sharing is not None and sharing.state == DeadlineState.OPEN:
        text += " What was shared on the completion of the police's part is not recorded yet."
    elif sharing is not None and sharing.state == DeadlineState.NOT_NEEDED:
        text += f" Sharing information on completion was marked as not needed: {sharing.reason}"
    elif shared and not police.involved:
        latest = max(shared, key=lambda record: (record.recorded_at, record.pk))
        text += f" Information shared on completion: {latest.information_shared}"
    authority = None
    if police.involved and police.proceedings_authorised:
        authority = {
            "tag": "Authorised",
            "colour": "green",
            "text": "The police authorised the case manager to commence internal proceedings (recorded by"
            f" {police.recorded_by.full_name}, {govuk_date(police.recorded_at)}).",
        }
    elif police.involved:
        authority = {
            "tag": "Not yet authorised",
            "colour": "yellow",
            "text": "The internal investigation waits until the police authorise the case manager to commence"
            " internal proceedings.",
        }
    return {"text": text, "authority": authority}


def agency_section(
    allegation: Allegation, record: AgencyRecord | None, cover_due: dt.datetime | None, *, can_change: bool
) -> dict[str, Any] | None:
    """For a supply worker, contractor or volunteer: the agency's part (appendix 4); None for an employee."""
    employment = allegation.subject_employment
    if employment == Employment.EMPLOYED and record is None:
        return None
    rows = None
    if record is not None:
        cover = "Not yet due"
        if record.cover_arranged_on:
            cover = f"Arranged on {govuk_date(record.cover_arranged_on)}"
        elif cover_due:
            cover = f"Expected by {govuk_datetime(cover_due)}"
        rows = [
            row("Agency notified", f"{record.agency_display}, {govuk_datetime(record.notified_at)}"),
            row("Suspension or redeployment discussed", record.suspension_discussed),
            row(
                "Suspended or removed from the placement",
                govuk_date(record.removed_on) if record.removed_on else "Not recorded",
            ),
            row("Replacement cover", cover),
            row(
                "Investigation notes sent to the agency",
                govuk_date(record.notes_sent_on) if record.notes_sent_on else "Not yet",
            ),
            row(
                "Outcome sent to the agency",
                govuk_date(record.outcome_sent_on) if record.outcome_sent_on else "Not yet",
            ),
        ]
    contractor = employment == Employment.CONTRACTOR
    outside = ""
    first = ""
    links: list[Link] = []
    if allegation.agency_display:
        if not allegation.agency and allegation.agency_contact:
            kind = "Contracting company" if contractor else "Agency"
            outside = f"{kind} (not in Threshold): {allegation.agency_name}, {allegation.agency_contact}."
        if can_change:
            text = "Record the contracting company's part" if contractor else "Record the agency's part"
            links.append(Link(reverse("allegation_agency", args=[allegation.pk]), text))
    elif employment == Employment.SUPPLY:
        first = (
            "Record the agency on the allegation's details first: choose it if it is in Threshold, or enter its name"
            " and contact details."
        )
    elif contractor:
        first = "Record the contracting company on the allegation's details first."
    return {
        "rows": rows,
        "volunteer": employment == Employment.VOLUNTEER,
        "outside_threshold": outside,
        "first": first,
        "links": links,
    }

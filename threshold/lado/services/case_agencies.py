"""The agencies' part of a case's data set: how the risk was managed, how it was investigated, other bodies.

The protocol's data set asks for "How the risk was managed – ie suspended
/restricted duties", "How allegation was investigated – criminal S47;
disciplinary etc and outcome of investigations" and "Referral to and date of
DBS referral – and details of referral to any other body". Each is an
append-only row: a later investigation row for the same line supersedes the
earlier one, so the history of each line stays on the record.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import BodyReferral, Case, Investigation, RiskMeasure
from threshold.lado.models.cases import Body, InvestigationKind, RiskMeasureKind
from threshold.lado.services.case_rules import require_not_closed
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.deadlines import case_deadlines_sync

# Outcomes are codes so a LADO service can count them (its returns); the free text beside each
# (``outcome_detail``) says what a code alone cannot. "Other" always needs the text.
# KCSIE Part 4: the police decide whether to "charge, caution or take no further action"; a trial ends
# in conviction or acquittal.
_CRIMINAL = (
    ("no_further_action", "No further action"),
    ("charge", "Charged"),
    ("caution", "Caution"),
    ("conviction", "Conviction"),
    ("acquittal", "Acquittal"),
    ("ongoing", "Ongoing"),
    ("other", "Other outcome (described below)"),
)
# A section 47 enquiry (Working Together): concerns substantiated or not, a child protection plan or a
# child in need plan for the child, or no further action.
_SOCIAL_CARE = (
    ("child_protection_plan", "Child protection plan"),
    ("child_in_need", "Child in need plan"),
    ("substantiated", "Concerns substantiated"),
    ("not_substantiated", "Concerns not substantiated"),
    ("no_further_action", "No further action"),
    ("ongoing", "Ongoing"),
    ("other", "Other outcome (described below)"),
)
# The employer's disciplinary process (the trust's policy, 6.5 and 9: dismissal, and "where an individual
# resigns prior to a disciplinary hearing completing").
_DISCIPLINARY = (
    ("dismissal", "Dismissed"),
    ("final_written_warning", "Final written warning"),
    ("written_warning", "Written warning"),
    ("management_advice", "Management advice or guidance (no formal sanction)"),
    ("no_case_to_answer", "No case to answer"),
    ("resigned", "Resigned before the process concluded"),
    ("ongoing", "Ongoing"),
    ("other", "Other outcome (described below)"),
)
_OTHER = (
    ("concluded", "Concluded"),
    ("ongoing", "Ongoing"),
    ("other", "Other outcome (described below)"),
)

# The outcomes each line of investigation can have, in the words each agency uses.
INVESTIGATION_OUTCOMES: dict[str, tuple[tuple[str, str], ...]] = {
    InvestigationKind.CRIMINAL: _CRIMINAL,
    InvestigationKind.SECTION_47: _SOCIAL_CARE,
    InvestigationKind.STRATEGY_DISCUSSION: _SOCIAL_CARE,
    InvestigationKind.DISCIPLINARY: _DISCIPLINARY,
    InvestigationKind.OTHER: _OTHER,
}
ONGOING = "ongoing"
OTHER_OUTCOME = "other"


def _not_future(errors: dict[str, str], name: str, value: dt.date | None, message: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[name] = message


def case_add_risk_measure(
    *,
    actor: User,
    case: Case,
    kind: str,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    notes: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> RiskMeasure:
    """Record how the risk was managed (suspended, restricted duties, redeployed or none) and from when to when."""
    require_case(actor, case, "change")
    require_not_closed(case)
    if errors := risk_measure_errors(kind=kind, started_on=started_on, ended_on=ended_on):
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        measure = RiskMeasure.objects.create(
            case=case, kind=kind, started_on=started_on, ended_on=ended_on, notes=text(notes), recorded_by=actor
        )
        when = f" from {started_on:%d/%m/%Y}" if started_on else ""
        until = f" to {ended_on:%d/%m/%Y}" if ended_on else ""
        record_case_event(
            actor=actor,
            case=case,
            action="case.risk_measure_added",
            text=f"How the risk is managed: {RiskMeasureKind(kind).label}{when}{until}.",
            audit_context=audit_context,
            row=measure.pk,
            details={"fields": ["kind", "started_on", "ended_on", "notes"]},
        )
    return measure


def case_record_investigation(
    *,
    actor: User,
    case: Case,
    kind: str,
    outcome: str,
    outcome_detail: str = "",
    referred_on: dt.date | None = None,
    reference: str = "",
    lead: str = "",
    outcome_on: dt.date | None = None,
    notes: str = "",
    dbs_information: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Investigation:
    """Record a line of investigation (criminal, section 47, strategy discussion, disciplinary, other) and its outcome.

    ``outcome`` is one of the line's codes (``INVESTIGATION_OUTCOMES``), so
    outcomes can be counted; ``outcome_detail`` is the free text beside it,
    required for "other". A later record for the same line supersedes the earlier one. For the
    criminal line, ``dbs_information`` is the police update path of the
    protocol: "information recorded by police may be used to inform future
    Disclosure and Barring Service disclosures".
    """
    require_case(actor, case, "change")
    require_not_closed(case)
    if kind not in INVESTIGATION_OUTCOMES:
        raise ValidationError({"kind": "Choose how the allegation was investigated"})
    outcomes = dict(INVESTIGATION_OUTCOMES[kind])
    errors = investigation_errors(
        kind=kind,
        outcome=outcome,
        outcome_detail=outcome_detail,
        referred_on=referred_on,
        outcome_on=outcome_on,
        dbs_information=dbs_information,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        previous = case.investigations.filter(kind=kind).order_by("-recorded_at", "-pk").first()
        row = Investigation.objects.create(
            case=case,
            supersedes=previous,
            kind=kind,
            referred_on=referred_on,
            reference=text(reference),
            lead=text(lead),
            outcome=outcome,
            outcome_detail=text(outcome_detail),
            outcome_on=outcome_on if outcome != ONGOING else None,
            notes=text(notes),
            dbs_information=text(dbs_information),
            recorded_by=actor,
        )
        line = InvestigationKind(kind).label
        record_case_event(
            actor=actor,
            case=case,
            action="case.investigation_recorded",
            text=f"{line}: {'updated' if previous else 'recorded'}, outcome "
            + (text(outcome_detail) if outcome == OTHER_OUTCOME else outcomes[outcome].lower())
            + "."
            + (" Police information to inform future DBS disclosures recorded." if text(dbs_information) else ""),
            audit_context=audit_context,
            row=row.pk,
            details={
                "kind": kind,
                "outcome": outcome,
                "outcome_detail": bool(text(outcome_detail)),
                "supersedes": previous.pk if previous else None,
            },
        )
    return row


def case_record_body_referral(
    *,
    actor: User,
    case: Case,
    body: str,
    referred: bool,
    referred_on: dt.date | None = None,
    reference: str = "",
    body_name: str = "",
    explanation: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> BodyReferral:
    """Record a referral to the DBS, TRA, Ofsted, a regulator or another body with its date, or why none was made."""
    require_case(actor, case, "change")
    require_not_closed(case)
    errors = body_referral_errors(
        body=body, body_name=body_name, referred=referred, referred_on=referred_on, explanation=explanation
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        row = BodyReferral.objects.create(
            case=case,
            body=body,
            body_name=text(body_name),
            referred=referred,
            referred_on=referred_on if referred else None,
            reference=text(reference) if referred else "",
            explanation="" if referred else text(explanation),
            recorded_by=actor,
        )
        name = text(body_name) or Body(body).label
        record_case_event(
            actor=actor,
            case=case,
            action="case.body_referral_recorded",
            text=f"Referred to {name} on {referred_on:%d/%m/%Y}."
            if referred and referred_on
            else f"Not referred to {name}: {text(explanation)}",
            audit_context=audit_context,
            row=row.pk,
            details={"body": body, "referred": referred},
        )
        # A referral to Ofsted meets (or, explained, stops) the early years notification clock.
        case_deadlines_sync(case)
    return row


# The rules beyond each field alone: each service refuses what they find, and its form says them with its own
# errors, all at once (``CaseForm.rule_errors``).


def risk_measure_errors(*, kind: str, started_on: dt.date | None, ended_on: dt.date | None) -> dict[str, str]:
    """How the risk was managed: a measure other than none has its start, and ends on or after it."""
    errors: dict[str, str] = {}
    if kind not in RiskMeasureKind.values:
        errors["kind"] = "Choose how the risk was managed"
    elif kind != RiskMeasureKind.NONE and started_on is None:
        errors["started_on"] = "Enter the date the measure started"
    if ended_on is not None and started_on is not None and ended_on < started_on:
        errors["ended_on"] = "The date the measure ended must be on or after the date it started"
    if ended_on is not None and started_on is None and "started_on" not in errors:
        errors["started_on"] = "Enter the date the measure started"
    return errors


def investigation_errors(
    *,
    kind: str,
    outcome: str,
    outcome_detail: str,
    referred_on: dt.date | None,
    outcome_on: dt.date | None,
    dbs_information: str,
) -> dict[str, str]:
    """A line of investigation: an outcome of the line's, dated unless ongoing, described if "other", in order."""
    errors: dict[str, str] = {}
    if outcome not in dict(INVESTIGATION_OUTCOMES.get(kind, ())):
        errors["outcome"] = "Choose the outcome so far (or ongoing)"
    elif outcome != ONGOING and outcome_on is None:
        errors["outcome_on"] = "Enter the date of the outcome"
    if outcome == OTHER_OUTCOME and not text(outcome_detail):
        errors["outcome_detail"] = "Describe the outcome"
    if referred_on is None:
        errors["referred_on"] = "Enter the date it was referred or started"
    _not_future(errors, "referred_on", referred_on, "The date it was referred must be today or in the past")
    _not_future(errors, "outcome_on", outcome_on, "The date of the outcome must be today or in the past")
    if outcome_on is not None and referred_on is not None and outcome_on < referred_on:
        errors["outcome_on"] = "The date of the outcome must be on or after the date it was referred"
    if dbs_information and kind != InvestigationKind.CRIMINAL:
        errors["dbs_information"] = "Only the police record information for future DBS disclosures"
    return errors


def body_referral_errors(
    *, body: str, body_name: str, referred: bool | None, referred_on: dt.date | None, explanation: str
) -> dict[str, str]:
    """A referral to a body: a regulator or other body named, and whether it was made, with its date or why not.

    ``referred`` is None when the question was not answered.
    """
    errors: dict[str, str] = {}
    if body not in Body.values:
        errors["body"] = "Choose the body"
    elif body in (Body.REGULATOR, Body.OTHER) and not text(body_name):
        errors["body_name"] = "Enter the name of the body"
    if referred is None:
        errors["referred"] = "Say whether a referral was made"
    elif referred:
        if referred_on is None:
            errors["referred_on"] = "Enter the date of the referral"
        _not_future(errors, "referred_on", referred_on, "The date of the referral must be today or in the past")
    elif not text(explanation):
        errors["explanation"] = "Explain why no referral was made"
    return errors

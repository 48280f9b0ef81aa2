"""Suspension (section 6.1, appendix 3), support for the adult (section 6.2) and police involvement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    ConsentToShare,
    InformingObjection,
    PoliceInvolvement,
    ProgressUpdate,
    RiskAssessment,
    RiskRow,
    Step,
    StepRecord,
    SupportRecord,
    SuspensionDecision,
)
from threshold.allegations.police_and_suspension import (
    POLICE_REVIEW_MISSING,
    POLICE_REVIEW_PAST,
    discussion_errors,
    police_review_asked,
    police_sharing_asked,
)
from threshold.allegations.services.common import _record, _required, _text, require_change, require_open
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext
from threshold.core.errors import ConflictError
from threshold.core.locking import hold
from threshold.core.querysets import last_recorded
from threshold.jinja2 import govuk_date


def _shortened(text: str, limit: int = 70) -> str:
    """An alternative's words as a message names it: whole, or cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def risk_assessment_errors(
    allegation: Allegation,
    *,
    rows: Sequence[Mapping[str, str]],
    alternatives: Sequence[Mapping[str, Any]],
    context: str,
    period_for_measures: str,
    review_on: dt.date | None,
    decision: str,
    decided_on: dt.date | None,
    decision_reason: str,
    hr_discussed_on: dt.date | None,
    lado_reviewed_on: dt.date | None,
    not_discussed_reason: str,
) -> dict[str, str]:
    """What is wrong with a risk assessment, by field: the service refuses it; the form says it all at once.

    Appendix 3's rows (each filled row whole, at least one), each alternative's reason, the period and the review
    on or after the decision, policy 6.1's discussions, and an interim prohibition order's immediate suspension.
    """
    errors: dict[str, str] = {}
    if not _text(context):
        errors["context"] = "Enter the context of the risk assessment"
    filled = [row for row in rows if any(_text(value) for value in row.values())]
    if not filled:
        errors["row_0_area"] = "Enter at least one area of potential risk"
    for index, row in enumerate(rows):
        if row in filled:
            for field, message in (
                ("area", "enter the area of potential risk"),
                ("potential_risks", "enter the potential risks to pupils, school or employee"),
                ("mitigation", "enter the method of potential mitigation"),
            ):
                if not _text(row.get(field)):
                    # Each message names its row: several rows may miss the same answer (issue 17).
                    errors[f"row_{index}_{field}"] = f"Risk {index + 1}: {message}"
    for index, alternative in enumerate(alternatives):
        if not _text(alternative.get("reason")):
            # Named, not "this alternative" three times over: the person sees which one needs its reason.
            named = _shortened(_text(alternative.get("text"))) or "your own alternative"
            errors[f"alternative_{index}_reason"] = f"Say why “{named}” was or was not used"
    if not _text(period_for_measures):
        errors["period_for_measures"] = "Enter the period for the measures"
    if review_on is None:
        errors["review_on"] = "Enter the agreed review date"
    if decision not in SuspensionDecision.values:
        errors["decision"] = "Choose the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if review_on and decided_on and review_on < decided_on:
        errors["review_on"] = "The review date must be on or after the decision"
    if not _text(decision_reason):
        errors["decision_reason"] = "Enter why the decision was taken"
    errors |= discussion_errors(hr_discussed_on, lado_reviewed_on, _text(not_discussed_reason), decided_on)
    if allegation.interim_prohibition_order and decision != SuspensionDecision.SUSPEND:
        errors["decision"] = "An interim prohibition order has been made: the adult must be suspended immediately"
    return errors


def risk_assessment_record(
    *,
    actor: User,
    allegation: Allegation,
    rows: Sequence[Mapping[str, str]],
    additional_notes: str,
    period_for_measures: str,
    review_on: dt.date | None,
    alternatives: Sequence[Mapping[str, Any]],
    decision: str,
    decided_on: dt.date | None,
    decision_reason: str,
    context: str = "",
    hr_discussed_on: dt.date | None = None,
    lado_reviewed_on: dt.date | None = None,
    not_discussed_reason: str = "",
    audit_context: AuditContext | None = None,
) -> RiskAssessment:
    """Record the suspension risk assessment (its context and any number of rows), the alternatives and the decision.

    Rows left wholly empty are ignored. Refused once the allegation is concluded. Policy 6.1: the options are
    discussed with HR and reviewed with the LADO before the decision; ``hr_discussed_on`` and
    ``lado_reviewed_on`` say when (on or before the decision), or ``not_discussed_reason`` why one was not (an
    interim prohibition order's immediate suspension, say).
    """
    require_change(actor=actor, allegation=allegation)
    require_open(allegation)
    errors = risk_assessment_errors(
        allegation,
        rows=rows,
        alternatives=alternatives,
        context=context,
        period_for_measures=period_for_measures,
        review_on=review_on,
        decision=decision,
        decided_on=decided_on,
        decision_reason=decision_reason,
        hr_discussed_on=hr_discussed_on,
        lado_reviewed_on=lado_reviewed_on,
        not_discussed_reason=not_discussed_reason,
    )
    filled = [row for row in rows if any(_text(value) for value in row.values())]
    if errors:
        raise ValidationError(errors)
    assert review_on is not None
    assert decided_on is not None
    with transaction.atomic(durable=True):
        assessment = RiskAssessment.objects.create(
            allegation=allegation,
            context=_text(context),
            additional_notes=_text(additional_notes),
            period_for_measures=_text(period_for_measures),
            review_on=review_on,
            alternatives=[
                {"text": _text(a.get("text")), "used": bool(a.get("used")), "reason": _text(a.get("reason"))}
                for a in alternatives
            ],
            decision=decision,
            decided_on=decided_on,
            decision_reason=_text(decision_reason),
            hr_discussed_on=hr_discussed_on,
            lado_reviewed_on=lado_reviewed_on,
            not_discussed_reason=_text(not_discussed_reason),
            recorded_by=actor,
        )
        for row in filled:
            RiskRow.objects.create(
                assessment=assessment,
                area=_text(row.get("area")),
                responsibilities=_text(row.get("responsibilities")),
                potential_risks=_text(row.get("potential_risks")),
                mitigation=_text(row.get("mitigation")),
                monitoring=_text(row.get("monitoring")),
            )
        StepRecord.objects.create(
            allegation=allegation,
            step=Step.SUSPENSION_CONSIDERED,
            done_on=decided_on,
            decision=f"Risk assessment recorded: {SuspensionDecision(decision).label}. {assessment.decision_reason}",
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.risk_assessed",
            text=(
                f"Suspension risk assessment: {SuspensionDecision(decision).label.lower()};"
                f" review on {review_on:%d %B %Y}."
            ),
            audit_context=audit_context,
            record_id=assessment.pk,
            details={
                "decision": decision,
                "hr_discussed_on": hr_discussed_on.isoformat() if hr_discussed_on else None,
                "lado_reviewed_on": lado_reviewed_on.isoformat() if lado_reviewed_on else None,
            },
        )
        allegation_deadlines_sync(allegation)
    return assessment


def support_errors(
    allegation: Allegation,
    *,
    informed_on: dt.date | None,
    informed_of: str,
    representative_name: str,
    representative_contact: str,
    objection: str,
    objection_detail: str,
) -> dict[str, str]:
    """What is wrong with section 6.2's answers, by field: the service refuses them; the form says them at once.

    The representative, what the adult was told with the date, and an objection with what was asked (no date told
    while it stands; none once the adult has been told, as the record that stands says).
    """
    standing = last_recorded(allegation.support_records.all())
    errors = _required(
        {"representative_name": _text(representative_name), "representative_contact": _text(representative_contact)},
        {
            "representative_name": "Enter the named representative",
            "representative_contact": "Enter the representative's contact details",
        },
    )
    if informed_on and not _text(informed_of):
        errors["informed_of"] = "Enter what the adult was told"
    if objection not in InformingObjection.values:
        errors["objection"] = "Choose whether the police or children's social care object to the adult being told"
    elif objection != InformingObjection.NONE:
        if not _text(objection_detail):
            errors["objection_detail"] = (
                "Enter what the police or children's social care asked, and when it is reviewed"
            )
        if informed_on:
            errors["informed_on"] = (
                "Leave the date blank while the police or children's social care object to the adult being told,"
                " or choose 'No objection' if they have agreed"
            )
        elif standing is not None and standing.informed_on:
            errors["objection"] = (
                f"The adult was told on {govuk_date(standing.informed_on)}: an objection can no longer keep them from"
                " being told. Record what the police or children's social care asked as a progress update"
            )
    if informed_on and informed_on > timezone.localdate():
        errors["informed_on"] = "The date must be today or in the past"
    return errors


def support_record(
    *,
    actor: User,
    allegation: Allegation,
    informed_on: dt.date | None,
    informed_of: str,
    representative_name: str,
    representative_contact: str,
    union_advised: bool,
    eap_offered: bool,
    occupational_health_offered: bool,
    opened_at: int,
    objection: str = InformingObjection.NONE,
    objection_detail: str = "",
    audit_context: AuditContext | None = None,
) -> SupportRecord:
    """Record how the adult is informed and supported; a later record supersedes.

    Section 6.2: the adult is told "as soon as possible ... unless there is an objection by the police or social
    care". An objection is recorded with what was asked, and the adult cannot be recorded as told while it stands;
    once they have been told, an objection can no longer keep them from it. ``opened_at`` is the id of the record
    that stood when the form was opened (0 for none): a form opened before someone else recorded support (an
    objection, say) meets the conflict page rather than quietly replacing it.
    """
    require_change(actor=actor, allegation=allegation)
    require_open(allegation)
    errors = support_errors(
        allegation,
        informed_on=informed_on,
        informed_of=informed_of,
        representative_name=representative_name,
        representative_contact=representative_contact,
        objection=objection,
        objection_detail=objection_detail,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        # One record stands at a time: a second form sent at once waits here, then meets the conflict page.
        hold(allegation)
        now = last_recorded(allegation.support_records.all())
        if (now.pk if now is not None else 0) != opened_at:
            raise ConflictError(allegation)
        record = SupportRecord.objects.create(
            allegation=allegation,
            informed_on=informed_on,
            informed_of=_text(informed_of),
            representative_name=_text(representative_name),
            representative_contact=_text(representative_contact),
            union_advised=union_advised,
            eap_offered=eap_offered,
            occupational_health_offered=occupational_health_offered,
            objection=objection,
            objection_detail=_text(objection_detail) if objection != InformingObjection.NONE else "",
            recorded_by=actor,
        )
        held_back = ""
        if objection != InformingObjection.NONE:
            held_back = f" Not told yet: {InformingObjection(objection).held_back}."
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.support_recorded",
            text=f"Support for the adult recorded; named representative {record.representative_name}.{held_back}",
            audit_context=audit_context,
            record_id=record.pk,
            details={"objection": objection},
        )
        # Telling the adult (6.2) is met, or stopped by an objection.
        allegation_deadlines_sync(allegation)
    return record


def progress_update_add(
    *,
    actor: User,
    allegation: Allegation,
    given_on: dt.date | None,
    text: str,
    audit_context: AuditContext | None = None,
) -> ProgressUpdate:
    """Log a progress update given to the adult; after the outcome, the one that tells them the outcome (Tier 3)."""
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    outcome = last_recorded(allegation.outcomes.all()) if allegation.status == AllegationStatus.CONCLUDED else None
    if given_on is None:
        errors["given_on"] = "Enter the date of the update"
    elif given_on > timezone.localdate():
        errors["given_on"] = "The date must be today or in the past"
    elif outcome is not None and given_on < outcome.concluded_on:
        errors["given_on"] = (
            f"The allegation is concluded: the adult is told the outcome on or after {outcome.concluded_on:%-d %B %Y}"
        )
    if not _text(text):
        errors["text"] = "Enter what the adult was told"
    if errors:
        raise ValidationError(errors)
    assert given_on is not None
    with transaction.atomic(durable=True):
        update = ProgressUpdate.objects.create(
            allegation=allegation, given_on=given_on, text=_text(text), recorded_by=actor
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.progress_update",
            text="Progress update given to the adult.",
            audit_context=audit_context,
            record_id=update.pk,
        )
        allegation_deadlines_sync(allegation)  # after the outcome, it is the outcome told (Tier 3)
    return update


def police_errors(
    allegation: Allegation,
    *,
    involved: bool,
    consent_to_share: str,
    proceedings_authorised: bool,
    next_review_on: dt.date | None,
) -> dict[str, str]:
    """What is wrong with a police record's answers, by field: the service refuses them; the form says them at once.

    Consent to share answered, the police's authority only while they are involved, and, while they are involved
    on an open allegation, the next review of their progress today or later (policy 5.3).
    """
    errors: dict[str, str] = {}
    if consent_to_share not in ConsentToShare.values:
        errors["consent_to_share"] = "Choose whether consent to share statements was obtained"
    if proceedings_authorised and not involved:
        errors["proceedings_authorised"] = "Only the police's authority matters while the police are involved"
    asked = police_review_asked(allegation, involved=involved)
    if asked and next_review_on is None:
        errors["next_review_on"] = POLICE_REVIEW_MISSING
    elif asked and next_review_on is not None and next_review_on < timezone.localdate():
        errors["next_review_on"] = POLICE_REVIEW_PAST
    return errors


def police_record(
    *,
    actor: User,
    allegation: Allegation,
    involved: bool,
    police_reference: str,
    consent_to_share: str,
    notes: str,
    proceedings_authorised: bool = False,
    next_review_on: dt.date | None = None,
    information_shared: str = "",
    audit_context: AuditContext | None = None,
) -> PoliceInvolvement:
    """Record police involvement: while the police are involved the internal investigation is paused.

    Internal investigations may be delayed until the case manager is
    authorised to commence proceedings: ``proceedings_authorised`` records
    that the police have given that authority, which ends the pause.

    While the police are involved, ``next_review_on`` is when the case manager will next review the progress
    of their investigation (policy 5.3; the policy gives no interval, so they choose it): a deadline on the
    allegation that the next police record meets (``services.deadlines``).

    Once the police have been involved, a record that they no longer are may say ``information_shared``: what
    was shared, and with whom, on the completion of their investigation or prosecution (policy 5.3). Until a
    record says it, sharing is due on the allegation from the day the police's part ended.
    """
    require_change(actor=actor, allegation=allegation)
    errors = police_errors(
        allegation,
        involved=involved,
        consent_to_share=consent_to_share,
        proceedings_authorised=proceedings_authorised,
        next_review_on=next_review_on,
    )
    if errors:
        raise ValidationError(errors)
    if not police_review_asked(allegation, involved=involved):
        next_review_on = None  # a date typed before answering "No" is ignored, as GOV.UK asks of hidden answers
    earlier: PoliceInvolvement | None = last_recorded(allegation.police_records.all())
    if not police_sharing_asked(allegation.police_records.all(), involved=involved):
        information_shared = ""  # nothing is complete while the police are involved, or before they ever were
    with transaction.atomic(durable=True):
        record = PoliceInvolvement.objects.create(
            allegation=allegation,
            involved=involved,
            police_reference=_text(police_reference),
            consent_to_share=consent_to_share,
            proceedings_authorised=proceedings_authorised,
            notes=_text(notes),
            next_review_on=next_review_on,
            information_shared=_text(information_shared),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.police_recorded",
            text=_police_text(allegation, record, earlier),
            audit_context=audit_context,
            record_id=record.pk,
            details={
                "involved": involved,
                "consent_to_share": consent_to_share,
                "proceedings_authorised": proceedings_authorised,
                "next_review_on": next_review_on.isoformat() if next_review_on else None,
                "information_shared": bool(information_shared.strip()),
            },
        )
        allegation_deadlines_sync(allegation)
    return record


def _police_text(allegation: Allegation, record: PoliceInvolvement, earlier: PoliceInvolvement | None) -> str:
    """What the chronology says of a police record: what changed, and what it means for the investigation."""
    if record.involved:
        if record.proceedings_authorised:
            return "Police involved: they have authorised internal proceedings, which may proceed."
        return "Police involved: the internal investigation is paused."
    shared = " Information shared on completion recorded." if record.information_shared else ""
    if earlier is not None and not earlier.involved:
        return f"Police still not involved.{shared}"
    if allegation.status == AllegationStatus.CONCLUDED:
        return f"Police no longer involved.{shared}"
    return f"Police no longer involved: the internal investigation may proceed.{shared}"

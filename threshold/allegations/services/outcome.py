"""The outcome and section 6.5 actions, the record kept on file (section 8) and lessons learned (section 11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.facts import checked_facts
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    FileRecord,
    FollowUpBody,
    Lesson,
    OutcomeRecord,
    ReferralFollowUp,
    Step,
)
from threshold.allegations.police_and_suspension import RETURN_TO_WORK_MISSING, returns_from_suspension
from threshold.allegations.services.common import _record, _required, _text, pack_for, require_change
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.allegations.services.hr import hr_tell_in_transaction
from threshold.audit.context import AuditContext
from threshold.core.vocabularies import Outcome
from threshold.lado.services.employer_link import lado_tell_outcome_in_transaction
from threshold.policy import assess, decide_reference, decide_retention


def lado_not_told(allegation: Allegation) -> str:
    """Why the allegation cannot conclude yet, when the LADO was never told of it ("" when they were).

    Appendix 5: "The Local Authority Designated Officer(s) should be informed of all allegations that come to an
    organisation's attention that appear to meet the criteria"; step 1: "This is not a full investigation until the
    LADO referral has been completed". Where the pack says the allegation is for the LADO, it concludes only once
    the referral is made here or the discussion with the LADO (step 2, a call, say) is recorded.
    """
    if allegation.referrals.exists() or allegation.step_records.filter(step=Step.DISCUSS_WITH_LADO).exists():
        return ""
    if not assess(pack_for(allegation), checked_facts(allegation)).refer_to_lado:
        return ""
    return (
        "The LADO has not been told of this allegation, which the policy says is for the LADO: make the referral"
        " to the LADO, or record the discussion with the LADO (step 2), before recording the outcome"
    )


def outcome_advice(*, allegation: Allegation, outcome: str, removed: bool, resigned: bool) -> dict[str, Any]:
    """The pack's DBS and TRA advice for an outcome (shown on the form and stored with it)."""
    pack = pack_for(allegation)
    facts = checked_facts(
        allegation,
        outcome=outcome or None,
        removed_from_regulated_activity=removed,
        resigned_before_conclusion=resigned,
    )
    return {"pack": pack, "facts": facts, "assessment": assess(pack, facts)}


def outcome_errors(
    allegation: Allegation,
    *,
    report: str,
    outcome: str,
    concluded_on: dt.date | None,
    removed_from_regulated_activity: bool,
    resigned_before_conclusion: bool,
    disciplinary_route: str,
    dbs_referred_on: dt.date | None,
    dbs_reference: str,
    tra_referred_on: dt.date | None,
    tra_reference: str,
    return_to_work: str,
    malicious_action: str,
) -> dict[str, str]:
    """What is wrong with an outcome's answers, by field: the service refuses them; the form says them all at once.

    Section 6.5's actions (the disciplinary route, the malicious allegation's action, the return to work), the
    referrals' dates, the TRA for teachers only, and the LADO told of an allegation the policy says is theirs.
    """
    errors: dict[str, str] = {}
    if not _text(report):
        errors["report"] = "Enter the case manager's report"
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose the outcome"
    today = timezone.localdate()
    if concluded_on is None:
        errors["concluded_on"] = "Enter the date of the outcome"
    elif concluded_on > today:
        errors["concluded_on"] = "The date of the outcome must be today or in the past"
    for field, value in (("dbs_referred_on", dbs_referred_on), ("tra_referred_on", tra_referred_on)):
        if value and value > today:
            errors[field] = "The date of the referral must be today or in the past"
    if dbs_reference and not dbs_referred_on:
        errors["dbs_referred_on"] = "Enter the date of the DBS referral"
    if tra_reference and not tra_referred_on:
        errors["tra_referred_on"] = "Enter the date of the TRA referral"
    if (tra_referred_on or tra_reference) and not allegation.subject_is_teacher:
        errors["tra_referred_on"] = "TRA referrals are for teachers: record the adult as a teacher first"
    if outcome == Outcome.SUBSTANTIATED and not _text(disciplinary_route):
        errors["disciplinary_route"] = "Enter the disciplinary route for a substantiated allegation"
    if outcome == Outcome.MALICIOUS and not _text(malicious_action):
        errors["malicious_action"] = "Enter the action regarding the malicious allegation"
    if returns_from_suspension(
        allegation, removed=removed_from_regulated_activity, resigned=resigned_before_conclusion
    ) and not _text(return_to_work):
        errors["return_to_work"] = RETURN_TO_WORK_MISSING
    if "outcome" not in errors and (unreferred := lado_not_told(allegation)):
        errors["outcome"] = unreferred
    return errors


def outcome_record(
    *,
    actor: User,
    allegation: Allegation,
    report: str,
    outcome: str,
    concluded_on: dt.date | None,
    removed_from_regulated_activity: bool = False,
    resigned_before_conclusion: bool = False,
    disciplinary_route: str = "",
    dbs_referred_on: dt.date | None = None,
    dbs_reference: str = "",
    tra_referred_on: dt.date | None = None,
    tra_reference: str = "",
    return_to_work: str = "",
    malicious_action: str = "",
    child_support: str = "",
    audit_context: AuditContext | None = None,
) -> OutcomeRecord:
    """Record the case manager's report, the outcome and the section 6.5 actions; concludes the allegation."""
    require_change(actor=actor, allegation=allegation)
    errors = outcome_errors(
        allegation,
        report=report,
        outcome=outcome,
        concluded_on=concluded_on,
        removed_from_regulated_activity=removed_from_regulated_activity,
        resigned_before_conclusion=resigned_before_conclusion,
        disciplinary_route=disciplinary_route,
        dbs_referred_on=dbs_referred_on,
        dbs_reference=dbs_reference,
        tra_referred_on=tra_referred_on,
        tra_reference=tra_reference,
        return_to_work=return_to_work,
        malicious_action=malicious_action,
    )
    if errors:
        raise ValidationError(errors)
    assert concluded_on is not None
    advice = outcome_advice(
        allegation=allegation,
        outcome=outcome,
        removed=removed_from_regulated_activity,
        resigned=resigned_before_conclusion,
    )
    pack, facts, assessment = advice["pack"], advice["facts"], advice["assessment"]
    with transaction.atomic(durable=True):
        record = OutcomeRecord.objects.create(
            allegation=allegation,
            report=_text(report),
            outcome=outcome,
            concluded_on=concluded_on,
            removed_from_regulated_activity=removed_from_regulated_activity,
            resigned_before_conclusion=resigned_before_conclusion,
            disciplinary_route=_text(disciplinary_route),
            dbs_referred_on=dbs_referred_on,
            dbs_reference=_text(dbs_reference),
            tra_referred_on=tra_referred_on,
            tra_reference=_text(tra_reference),
            return_to_work=_text(return_to_work),
            malicious_action=_text(malicious_action),
            child_support=_text(child_support),
            pack=pack.id,
            pack_version=pack.version,
            pack_digest=pack.digest,
            facts=facts.as_json(),
            assessment=assessment.as_dict(),
            recorded_by=actor,
        )
        old_status = allegation.status
        Allegation.objects.filter(pk=allegation.pk).update(status=AllegationStatus.CONCLUDED)
        allegation.status = AllegationStatus.CONCLUDED
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.concluded",
            text=f"Outcome: {Outcome(outcome).label.lower()}.",
            audit_context=audit_context,
            record_id=record.pk,
            changes={"status": (old_status, AllegationStatus.CONCLUDED)},
            details={"outcome": outcome, "dbs": bool(dbs_referred_on), "tra": bool(tra_referred_on)},
        )
        allegation_deadlines_sync(allegation)
        # An allegation the LADO manages: the LADO sees the outcome on the contact and is asked to agree it.
        lado_tell_outcome_in_transaction(actor=actor, allegation=allegation, outcome=record)
        if record.disciplinary_route or outcome == Outcome.SUBSTANTIATED:
            # Appendix 5: "potentially a disciplinary case to answer": the HR business partner is told.
            hr_tell_in_transaction(actor=actor, allegation=allegation, event="disciplinary")
    return record


def referral_follow_up_record(
    *,
    actor: User,
    allegation: Allegation,
    body: str,
    referred_on: dt.date | None,
    reference: str = "",
    not_referred_reason: str = "",
    audit_context: AuditContext | None = None,
) -> ReferralFollowUp:
    """Record a DBS or TRA referral made after the outcome (date, reference) or why it is not made.

    Allowed after conclusion: that is when these referrals are usually made.
    Until one is recorded, a referral the pack advised stays due on the home page.
    """
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if body not in FollowUpBody.values:
        errors["__all__"] = "Choose the DBS or the TRA"
    if not allegation.outcomes.exists():
        errors["__all__"] = "Record the outcome first"
    if referred_on is not None and referred_on > timezone.localdate():
        errors["referred_on"] = "The date of the referral must be today or in the past"
    if referred_on is None and not _text(not_referred_reason):
        errors["referred_on"] = "Enter the date of the referral, or why no referral is made"
    if referred_on is not None and _text(not_referred_reason):
        errors["not_referred_reason"] = "Leave this empty when the referral was made"
    if body == FollowUpBody.TRA and referred_on is not None and not allegation.subject_is_teacher:
        errors["referred_on"] = "TRA referrals are for teachers: record the adult as a teacher first"
    if errors:
        raise ValidationError(errors)
    label = FollowUpBody(body).label
    with transaction.atomic(durable=True):
        record = ReferralFollowUp.objects.create(
            allegation=allegation,
            body=body,
            referred_on=referred_on,
            reference=_text(reference) if referred_on else "",
            not_referred_reason="" if referred_on else _text(not_referred_reason),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.referral_followed_up",
            text=(
                f"{label} referral made on {referred_on:%-d %B %Y}."
                if referred_on
                else f"{label} referral not made: {record.not_referred_reason}"
            ),
            audit_context=audit_context,
            record_id=record.pk,
            details={"body": body, "made": referred_on is not None},
        )
        allegation_deadlines_sync(allegation)
    return record


def file_advice(*, allegation: Allegation) -> dict[str, Any]:
    """The pack's reference and retention decisions for the latest outcome."""
    latest = allegation.outcomes.last()
    pack = pack_for(allegation)
    extra: dict[str, Any] = {"record_type": "allegation"}
    if latest is not None:
        extra["outcome"] = latest.outcome
    abuse = allegation.referrals.first()
    if abuse is not None and abuse.abuse_categories:
        extra["abuse_categories"] = abuse.abuse_categories
    facts = checked_facts(allegation, **extra)
    return {
        "outcome": latest,
        "reference": decide_reference(pack, facts),
        "retention": decide_retention(pack, facts),
    }


def file_record_make(
    *,
    actor: User,
    allegation: Allegation,
    summary: str,
    follow_up: str,
    actions: str,
    copy_given_on: dt.date | None,
    audit_context: AuditContext | None = None,
) -> FileRecord:
    """Record what is kept on the adult's confidential file, with the pack's reference and retention decisions."""
    require_change(actor=actor, allegation=allegation)
    errors = _required(
        {"summary": _text(summary), "follow_up": _text(follow_up), "actions": _text(actions)},
        {
            "summary": "Enter a clear and comprehensive summary of the allegation",
            "follow_up": "Enter how the allegation was followed up and resolved",
            "actions": "Enter the actions taken, decisions reached and the outcome",
        },
    )
    if allegation.outcomes.last() is None:
        errors["summary"] = "Record the outcome before the summary kept on file"
    if copy_given_on and copy_given_on > timezone.localdate():
        errors["copy_given_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    advice = file_advice(allegation=allegation)
    reference, retention = advice["reference"], advice["retention"]
    with transaction.atomic(durable=True):
        record = FileRecord.objects.create(
            allegation=allegation,
            summary=_text(summary),
            follow_up=_text(follow_up),
            actions=_text(actions),
            may_mention_in_references=reference.may_mention,
            reference_reasons=reference.as_dict(),
            remove_from_personnel_file=bool(retention.remove_from_personnel_file),
            retention=retention.as_dict(),
            copy_given_on=copy_given_on,
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.file_recorded",
            text="Summary for the confidential file recorded"
            + (" (to be removed from the personnel file)." if record.remove_from_personnel_file else "."),
            audit_context=audit_context,
            record_id=record.pk,
        )
        # It meets section 8's record on file, due since the outcome.
        allegation_deadlines_sync(allegation)
    return record


def lesson_record(
    *, actor: User, allegation: Allegation, text: str, reviewed_with: str, audit_context: AuditContext | None = None
) -> Lesson:
    """Log a lesson learned from the case (section 11)."""
    require_change(actor=actor, allegation=allegation)
    if not _text(text):
        raise ValidationError({"text": "Enter the lesson learned"})
    with transaction.atomic(durable=True):
        lesson = Lesson.objects.create(
            allegation=allegation,
            organisation=allegation.organisation,
            text=_text(text),
            reviewed_with=_text(reviewed_with),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.lesson_recorded",
            text="Lesson learned recorded.",
            audit_context=audit_context,
            record_id=lesson.pk,
        )
        # A lesson logged meets the section 11 review that falls due after an investigated case.
        allegation_deadlines_sync(allegation)
    return lesson

"""The conclusion of a case and its closure; the outcome sent to the employer's linked allegation.

The data set asks for the "Conclusion category and date of conclusion" and the
"Referral to and date of DBS referral – and details of referral to any other
body". The outcome is one of KCSIE's five, shown with the definitions of the
LADO's pack (or KCSIE's, saying so, when the pack has none). The DBS is always
asked about; the TRA for a teacher and Ofsted for an early years setting, or
whenever the pack's referral advice raises them. Each is confirmed with a date
or explained.

What stops a case concluding too early is ``threshold.lado.services.closing_rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.core.locking import bump_version
from threshold.core.vocabularies import Outcome
from threshold.lado.models import BodyReferral, Case, CaseStatus, Conclusion
from threshold.lado.models.cases import Body
from threshold.lado.selectors import lado_pack, latest_body_referrals, standing_decision
from threshold.lado.services.case_rules import is_early_years
from threshold.lado.services.closing_rules import closing_errors, closing_rules
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.dataset_missing import missing_at_conclusion, missing_errors
from threshold.lado.services.deadlines import case_deadlines_sync
from threshold.lado.services.referral_facts import is_teacher, regulated_activity_errors, regulated_activity_facts
from threshold.policy import Advice, FactsError, Pack, assess, get_pack, parse_facts
from threshold.policy.pack import Definition

ASKED_BODIES = (Body.DBS, Body.TRA, Body.OFSTED)
# The bodies as a sentence names them ("a referral to Ofsted", "to the DBS").
BODY_NAMES: dict[str, str] = {
    Body.DBS: "the Disclosure and Barring Service (DBS)",
    Body.TRA: "the Teaching Regulation Agency (TRA)",
    Body.OFSTED: "Ofsted",
}
FALLBACK_PACK = "kcsie"


@dataclass(frozen=True)
class OutcomeChoice:
    """An outcome with the definition shown beside it."""

    value: str
    label: str
    definition: str
    source: str


@dataclass(frozen=True)
class BodyQuestion:
    """A body the LADO must confirm a referral to (with its date) or explain why not."""

    body: str
    label: str
    name: str
    why_asked: str
    advice: Advice | None
    earlier: BodyReferral | None


def outcome_definitions(pack: Pack) -> tuple[list[OutcomeChoice], str]:
    """The five outcomes with the pack's definitions, or KCSIE's when the pack has none (and a note saying so)."""
    definitions: Mapping[str, Definition] = pack.outcomes
    note = ""
    if not definitions:
        definitions = get_pack(FALLBACK_PACK).outcomes
        note = f"The LADO's pack ({pack.title}) does not define the outcomes: these are KCSIE's definitions."
    choices = []
    for value, label in Outcome.choices:
        definition = definitions.get(value)
        choices.append(
            OutcomeChoice(
                value=value,
                label=str(label),
                definition=definition.text if definition else "",
                source=definition.source if definition else "",
            )
        )
    return choices, note


def referral_advice(case: Case, outcome: str = "", regulated_activity: str = "") -> dict[str, Advice]:
    """The pack's advice on DBS, TRA and Ofsted referrals, from the decided facts, the outcome and regulated activity.

    ``regulated_activity`` is the conclusion's answer (removed, would have
    been, left...), as ``referral_facts`` turns it into the pack's facts.
    """
    own: dict[str, Any] = regulated_activity_facts(regulated_activity)
    if outcome in Outcome.values:
        own["outcome"] = outcome
    if is_early_years(case):
        own["setting_type"] = "early_years"
    if is_teacher(case):
        own["subject_is_teacher"] = True
    decision = standing_decision(case)
    decided = dict(decision.facts) if decision is not None and isinstance(decision.facts, dict) else {}
    try:
        facts = parse_facts({**decided, **own})
    except FactsError:
        # Facts stored under an older pack version no longer fit: advise on what the case itself says.
        facts = parse_facts(own)
    assessment = assess(lado_pack(case.local_authority), facts)
    return {body: assessment.referrals[body] for body in ASKED_BODIES}


def body_questions(case: Case, outcome: str = "", regulated_activity: str = "") -> list[BodyQuestion]:
    """Which referrals the conclusion must confirm or explain, with the pack's advice and any earlier record."""
    advice = referral_advice(case, outcome, regulated_activity)
    earlier = latest_body_referrals(case)
    asked = {Body.DBS: "The recording data set asks for the referral to the DBS and its date."}
    if is_teacher(case):
        asked[Body.TRA] = "The adult is a teacher."
    if is_early_years(case):
        asked[Body.OFSTED] = "The employer is an early years setting."
    for body in ASKED_BODIES:
        if body not in asked and advice[body].consider:
            asked[body] = "The pack's referral advice raises it."
    return [
        BodyQuestion(
            body=body,
            label=str(Body(body).label),
            name=BODY_NAMES[body],
            why_asked=asked[body],
            advice=advice[body],
            earlier=earlier.get(body),
        )
        for body in ASKED_BODIES
        if body in asked
    ]


def _check_referrals(referrals: Sequence[Mapping[str, Any]], asked: Sequence[str], today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    given = {str(entry.get("body")): entry for entry in referrals}
    for body in given:
        if body not in ASKED_BODIES:
            errors["__all__"] = "Referrals at conclusion are to the DBS, the TRA or Ofsted"
    for body in sorted(set(asked) | (set(given) & set(ASKED_BODIES)), key=ASKED_BODIES.index):
        entry = given.get(body, {})
        name = BODY_NAMES[body]
        referred = entry.get("referred")
        if referred is None:
            errors[f"{body}_referred"] = f"Say whether a referral was made to {name}"
        elif referred:
            referred_on = entry.get("referred_on")
            if referred_on is None:
                errors[f"{body}_referred_on"] = f"Enter the date of the referral to {name}"
            elif referred_on > today:
                errors[f"{body}_referred_on"] = "The date of the referral must be today or in the past"
        elif not text(entry.get("explanation")):
            errors[f"{body}_explanation"] = f"Explain why no referral was made to {name}"
    return errors


class BodyReferralAnswer(TypedDict, total=False):
    """One body's line of the conclusion: referred (on a date, with its reference) or why not (None: unanswered)."""

    body: str
    referred: bool | None
    referred_on: dt.date | None
    reference: str
    explanation: str


def conclusion_errors(
    case: Case,
    *,
    outcome: str,
    concluded_on: dt.date | None,
    summary: str,
    referrals: Sequence[BodyReferralAnswer],
    no_meeting_reason: str,
    no_quality_assurance_reason: str,
    regulated_activity: str,
    missing_reasons: Mapping[str, str],
) -> dict[str, str]:
    """What is wrong with a conclusion's answers, by field: ``case_conclude`` refuses them; the form says them at once.

    The outcome and its date (not before the referral was received), the summary, regulated activity, each body's
    referral confirmed or explained, and what the case's tier and data set still lack, each with a reason.
    """
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = "This case has already been concluded"
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose the outcome"
    if concluded_on is None:
        errors["concluded_on"] = "Enter the date the case concluded"
    elif concluded_on > today:
        errors["concluded_on"] = "The date the case concluded must be today or in the past"
    elif concluded_on < case.received_on:
        errors["concluded_on"] = "The date the case concluded must be on or after the referral was received"
    if not text(summary):
        errors["summary"] = "Enter a summary of the conclusion for the employer"
    # Removed from regulated activity, or left: the DBS duty turns on it (``referral_facts``).
    errors.update(regulated_activity_errors(regulated_activity))
    questions = body_questions(case, outcome, regulated_activity)
    errors.update(_check_referrals(referrals, [question.body for question in questions], today))
    rules = closing_rules(case, today)
    no_meeting_reason = text(no_meeting_reason) if rules.meeting_needed else ""
    no_quality_assurance_reason = text(no_quality_assurance_reason) if rules.quality_assurance_needed else ""
    missing, _kept = missing_errors(missing_at_conclusion(case), missing_reasons)
    if case.status == CaseStatus.OPEN:
        errors.update(closing_errors(rules, no_meeting_reason, no_quality_assurance_reason))
        errors.update(missing)
    return errors


def case_conclude(
    *,
    actor: User,
    case: Case,
    outcome: str,
    concluded_on: dt.date | None,
    summary: str,
    lessons: str,
    referrals: Sequence[BodyReferralAnswer],
    expected_version: int,
    no_meeting_reason: str = "",
    no_quality_assurance_reason: str = "",
    regulated_activity: str = "",
    missing_reasons: Mapping[str, str] | None = None,
    audit_context: AuditContext | None = None,
) -> Conclusion:
    """Conclude the case: outcome and date, referrals confirmed or explained, lessons; sent to the employer.

    ``referrals`` holds one ``{body, referred, referred_on, reference,
    explanation}`` per body (DBS always; TRA, Ofsted as ``body_questions``
    asks). A referral confirmed as already recorded keeps its row; one
    recorded differently gets a new row. A case is concluded once: a second
    attempt, or a stale form, is refused.

    A Tier 1 case with no strategy or LADO-chaired meeting held needs
    ``no_meeting_reason``; a Tier 2 case whose employer's outcome the LADO has
    not accepted needs ``no_quality_assurance_reason`` (``closing_rules``); each data set item still missing, a reason
    in ``missing_reasons`` (``dataset_missing``: "the following data should be captured").
    """
    require_case(actor, case, "change")
    errors = conclusion_errors(
        case,
        outcome=outcome,
        concluded_on=concluded_on,
        summary=summary,
        referrals=referrals,
        no_meeting_reason=no_meeting_reason,
        no_quality_assurance_reason=no_quality_assurance_reason,
        regulated_activity=regulated_activity,
        missing_reasons=missing_reasons or {},
    )
    if errors:
        raise ValidationError(errors)
    assert concluded_on is not None
    rules = closing_rules(case, timezone.localdate())
    no_meeting_reason = text(no_meeting_reason) if rules.meeting_needed else ""
    no_quality_assurance_reason = text(no_quality_assurance_reason) if rules.quality_assurance_needed else ""
    _missing, kept_reasons = missing_errors(missing_at_conclusion(case), missing_reasons or {})
    pack = lado_pack(case.local_authority)
    choices, _ = outcome_definitions(pack)
    definition = next(choice.definition for choice in choices if choice.value == outcome)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        if not Case.objects.filter(pk=case.pk, status=CaseStatus.OPEN).update(
            status=CaseStatus.CONCLUDED, outcome=outcome, concluded_on=concluded_on
        ):
            raise ValidationError({"__all__": "This case has already been concluded"})
        case.status, case.outcome, case.concluded_on = CaseStatus.CONCLUDED, outcome, concluded_on
        conclusion = Conclusion.objects.create(
            case=case,
            outcome=outcome,
            concluded_on=concluded_on,
            summary=text(summary),
            lessons=text(lessons),
            pack=pack.id,
            pack_version=pack.version,
            definition=definition,
            no_meeting_reason=no_meeting_reason,
            no_quality_assurance_reason=no_quality_assurance_reason,
            regulated_activity=regulated_activity,
            missing_reasons=kept_reasons,
            recorded_by=actor,
        )
        latest = latest_body_referrals(case)
        rows: list[BodyReferral] = []
        added: list[int] = []
        for entry in referrals:
            row = _unchanged(latest.get(str(entry.get("body"))), entry)
            if row is None:
                row = _body_referral(actor, case, entry)
                added.append(row.pk)
            rows.append(row)
        label = Outcome(outcome).label.lower()
        record_case_event(
            actor=actor,
            case=case,
            action="case.concluded",
            text=f"Concluded on {concluded_on:%d/%m/%Y}: {label}. "
            + " ".join(_referral_line(row) for row in rows)
            + (f" No strategy or LADO-chaired meeting was held: {no_meeting_reason}" if no_meeting_reason else "")
            + (
                f" Concluded without the employer's outcome accepted: {no_quality_assurance_reason}"
                if no_quality_assurance_reason
                else ""
            ),
            audit_context=audit_context,
            row=conclusion.pk,
            changes={"status": (CaseStatus.OPEN, CaseStatus.CONCLUDED), "outcome": ("", outcome)},
            details={
                "body_referrals": added,
                "body_referrals_confirmed": [row.pk for row in rows if row.pk not in added],
                "pack": pack.ref,
                "no_meeting_reason": bool(no_meeting_reason),
                "no_quality_assurance_reason": bool(no_quality_assurance_reason),
                "regulated_activity": regulated_activity,
                "dataset_missing": sorted(kept_reasons),
            },
        )
        _send_to_employer(actor=actor, case=case, conclusion=conclusion, audit_context=audit_context)
        # The resolution targets are met (or stopped); steps nobody recorded stay open until closed with a reason.
        case_deadlines_sync(case)
    return conclusion


def _unchanged(current: BodyReferral | None, entry: BodyReferralAnswer) -> BodyReferral | None:
    """The body's current row when the conclusion confirms it as it stands (no second, identical row is added).

    The rows are append-only: a referral recorded differently at conclusion
    (made since, or a new date or reason) is a new row, the earlier one history.
    """
    if current is None:
        return None
    referred = bool(entry.get("referred"))
    same = (
        current.referred == referred
        and current.referred_on == (entry.get("referred_on") if referred else None)
        and current.reference == (text(entry.get("reference")) if referred else "")
        and current.explanation == ("" if referred else text(entry.get("explanation")))
    )
    return current if same else None


def _body_referral(actor: User, case: Case, entry: BodyReferralAnswer) -> BodyReferral:
    referred = bool(entry.get("referred"))
    return BodyReferral.objects.create(
        case=case,
        body=str(entry["body"]),
        referred=referred,
        referred_on=entry.get("referred_on") if referred else None,
        reference=text(entry.get("reference")) if referred else "",
        explanation="" if referred else text(entry.get("explanation")),
        recorded_by=actor,
    )


def _referral_line(row: BodyReferral) -> str:
    name = BODY_NAMES.get(row.body, Body(row.body).label)
    if row.referred and row.referred_on:
        return f"Referred to {name} on {row.referred_on:%d/%m/%Y}."
    return f"Not referred to {name}: {row.explanation}"


def _send_to_employer(*, actor: User, case: Case, conclusion: Conclusion, audit_context: AuditContext | None) -> None:
    """The outcome goes to the employer's linked allegation: a chronology line there and an audit event."""
    allegation = case.contact.allegation if case.contact is not None else None
    if allegation is None:
        return
    label = Outcome(conclusion.outcome).label.lower()
    chronology_record_event(
        record=allegation,
        text=f"The LADO of {case.local_authority.name} concluded case {case.reference}"
        f" on {conclusion.concluded_on:%d/%m/%Y}: {label}.",
        actor=actor,
    )
    audit_record(
        context=context_for(actor, audit_context),
        action="allegation.lado_concluded",
        record_type="allegation",
        record_id=allegation.pk,
        organisation=allegation.organisation,
        details={"case": case.pk, "conclusion": conclusion.pk, "outcome": conclusion.outcome},
    )


def case_close(*, actor: User, case: Case, expected_version: int, audit_context: AuditContext | None = None) -> Case:
    """Close a concluded case; its record is then complete. A case cannot be closed before it is concluded."""
    require_case(actor, case, "change")
    if case.status == CaseStatus.OPEN:
        raise ValidationError({"__all__": "Conclude the case before closing it"})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"__all__": "This case is already closed"})
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        if not Case.objects.filter(pk=case.pk, status=CaseStatus.CONCLUDED).update(
            status=CaseStatus.CLOSED, closed_on=today
        ):
            raise ValidationError({"__all__": "This case is already closed"})
        case.status, case.closed_on = CaseStatus.CLOSED, today
        record_case_event(
            actor=actor,
            case=case,
            action="case.closed",
            text="Case closed.",
            audit_context=audit_context,
            changes={"status": (CaseStatus.CONCLUDED, CaseStatus.CLOSED)},
        )
        case_deadlines_sync(case)
    return case


def lado_conclusion_for(allegation: Allegation) -> Conclusion | None:
    """The LADO's latest conclusion on a case opened from this allegation's referral (for the employer's page).

    The caller has fetched the allegation through ``threshold.access``; the
    conclusion is reached through it, and says only what was sent to the employer.
    """
    return (
        Conclusion.objects.filter(case__contact__in=allegation.lado_contacts.all())
        .select_related("case", "case__local_authority")
        .first()
    )

"""The low-level concern record: appendix 2, with retention and reference decisions from the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import (
    BreachCategory,
    Concern,
    ConcernStatus,
    FurtherAction,
    LowLevelRecord,
    MatrixColumn,
)
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version, hold
from threshold.policy import (
    Facts,
    decide_reference,
    decide_retention,
    parse_facts,
)


class LowLevelDetails(TypedDict, total=False):
    """Appendix 2's questions 5 and 6 and the further action, as the low-level record form sends them."""

    spoke_to_raiser: bool
    spoke_to_person: bool
    spoke_to_witnesses: bool
    investigation_steps: str
    individual_response: str
    breach_category: str
    further_action: str
    action_owner: str
    action_due_on: dt.date | None
    action_done_on: dt.date | None
    substantiated: bool
    ordinarily_in_reference: bool
    matrix_column: str
    met_individual_on: dt.date | None
    advice_given: str
    formal_plan: str
    monitor_until: dt.date | None
    review_on: dt.date | None


RECORD_FIELDS = (
    "spoke_to_raiser",
    "spoke_to_person",
    "spoke_to_witnesses",
    "investigation_steps",
    "individual_response",
    "breach_category",
    "further_action",
    "action_owner",
    "action_due_on",
    "action_done_on",
    "substantiated",
    "ordinarily_in_reference",
    "matrix_column",
    "met_individual_on",
    "advice_given",
    "formal_plan",
    "monitor_until",
    "review_on",
)


def _plan_problems(fields: Mapping[str, Any]) -> dict[str, str]:
    """The response matrix's plan: "Neglectful (a further incident)" needs the formal plan; dates in order."""
    errors: dict[str, str] = {}
    if fields["matrix_column"] and fields["matrix_column"] not in MatrixColumn.values:
        errors["matrix_column"] = "Choose accidental or neglectful"
    if fields["matrix_column"] == MatrixColumn.NEGLECTFUL and not fields["formal_plan"]:
        errors["formal_plan"] = "Enter the formal plan for addressing the behaviour: a further incident needs one"
    if fields["met_individual_on"] and fields["met_individual_on"] > timezone.localdate():
        errors["met_individual_on"] = "The date of the meeting with the individual must be today or in the past"
    monitor, review = fields["monitor_until"], fields["review_on"]
    if monitor and review and review < monitor:
        errors["review_on"] = "The review date must be on or after the end of the monitoring period"
    return errors


def low_level_decision_facts(record: LowLevelRecord) -> tuple[Facts, Facts]:
    """The facts the pack's retention and reference decisions about a low-level concern record look at.

    Retention counts from the person's leaving date, recorded once for them (section 13.4: "7 years from the
    date of the member of staff either leaving the academy or retiring"), never from a date typed per record.
    """
    left_on = record.concern.subject.left_employment_on
    left = {"left_employment_on": left_on.isoformat()} if left_on else {}
    reference: dict[str, object] = {"record_type": "low_level_concern"}
    if record.substantiated:
        reference["outcome"] = "substantiated"
    if record.ordinarily_in_reference:
        # Section 13.5's exception: misconduct or poor performance, which a reference would ordinarily include.
        reference["ordinarily_in_reference"] = True
    return (parse_facts({"record_type": "low_level_concern", **left}), parse_facts(reference))


def low_level_decisions_set(record: LowLevelRecord) -> None:
    """Put the pack's retention and reference decisions, with the pack and facts, on the record (the caller saves).

    Saving the record calls it, and so does recording the person's leaving date (``services.leaving``).
    """
    pack = record.concern.organisation.pack_in_force()
    retention_facts, reference_facts = low_level_decision_facts(record)
    record.pack_id, record.pack_version, record.pack_digest = pack.id, pack.version, pack.digest
    record.retention_facts = retention_facts.as_json()
    record.retention_result = decide_retention(pack, retention_facts).as_dict()
    record.reference_facts = reference_facts.as_json()
    record.reference_result = decide_reference(pack, reference_facts).as_dict()


def low_level_record_save(
    *,
    actor: User,
    concern: Concern,
    expected_version: int,
    values: LowLevelDetails,
    audit_context: AuditContext | None = None,
) -> LowLevelRecord:
    """Record the rest of appendix 2 for a low-level concern; version 0 creates the record.

    The caller has fetched the concern with the "change" action.
    """
    given = cast("Mapping[str, Any]", values)
    fields: dict[str, Any] = {name: given.get(name) for name in RECORD_FIELDS}
    for name in ("investigation_steps", "individual_response", "action_owner", "matrix_column"):
        fields[name] = (fields[name] or "").strip()
    for name in ("advice_given", "formal_plan"):
        fields[name] = (fields[name] or "").strip()
    for name in (
        "spoke_to_raiser",
        "spoke_to_person",
        "spoke_to_witnesses",
        "substantiated",
        "ordinarily_in_reference",
    ):
        fields[name] = bool(fields[name])
    errors = {}
    if concern.status != ConcernStatus.LOW_LEVEL:
        errors["__all__"] = "Only a concern triaged as low level has a low-level concern record"
    if not fields["investigation_steps"]:
        errors["investigation_steps"] = "Enter the steps taken to investigate the concern"
    if fields["breach_category"] not in BreachCategory.values:
        errors["breach_category"] = "Choose how the behaviour sits against the code of conduct"
    if fields["further_action"] not in FurtherAction.values:
        errors["further_action"] = "Choose the further action"
    elif fields["further_action"] != FurtherAction.NONE:
        if not fields["action_owner"]:
            errors["action_owner"] = "Enter who owns the further action"
        if not fields["action_due_on"]:
            errors["action_due_on"] = "Enter the date the action is due"
    if fields["action_done_on"] and fields["action_done_on"] > timezone.localdate():
        errors["action_done_on"] = "The date the action was completed must be today or in the past"
    errors.update(_plan_problems(fields))
    if concern.is_anonymous and fields["spoke_to_raiser"]:
        errors["spoke_to_raiser"] = "The concern was shared anonymously, so there is nobody to speak to"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        # Two first saves at once: the second waits for the first, then meets the conflict page (not a 500).
        hold(concern)
        record = LowLevelRecord.objects.filter(concern=concern).first()
        if record is not None:
            bump_version(record, expected_version)
        elif expected_version != 0:
            raise ConflictError(record)
        old = {name: getattr(record, name) for name in RECORD_FIELDS} if record else {}
        if record is None:
            record = LowLevelRecord(concern=concern, updated_by=actor)
        for name, value in fields.items():
            setattr(record, name, value)
        record.updated_by = actor
        record.updated_at = timezone.now()
        low_level_decisions_set(record)
        record.save()
        changes = {name: (old.get(name), value) for name, value in fields.items() if old.get(name) != value}
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.low_level_record_saved",
            record_type="concern",
            record_id=concern.pk,
            organisation=concern.organisation,
            changes=changes,
            details={
                "pack": f"{record.pack_id}@{record.pack_version}",
                "keep_until": record.retention_result.get("keep_until"),
                "may_mention_in_references": record.reference_result.get("may_mention"),
            },
        )
        action = FurtherAction(fields["further_action"]).label
        chronology_record_event(
            record=concern,
            text=f"Low-level concern record {'created' if expected_version == 0 else 'updated'}: {action}.",
            actor=actor,
        )
        concern_deadlines_sync(concern)
    return record

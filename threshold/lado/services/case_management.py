"""Who manages a LADO case: children's social care, or the LADO once the case is transferred.

The protocol: where an allegation shows "the potential for meeting the
definition of significant harm" children's social care calls a strategy meeting
and chairs it, the LADO invited. "If further strategy meetings are not required
consideration should be given to transferring the management of the case to the
LADO. If transferred, any future meetings held will be meetings chaired by the
LADO." The case records who manages it, and the date and reason of the
transfer; a new meeting of a case the LADO manages is offered as a LADO-chaired
meeting (``services.meetings.default_meeting_kind``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import Case, CaseStatus
from threshold.lado.models.cases import CaseManager
from threshold.lado.models.meetings import MeetingKind
from threshold.lado.services.common import record_case_event, require_case, text

TRANSFER_PROTOCOL = (
    "If further strategy meetings are not required consideration should be given to transferring the management of"
    " the case to the LADO. If transferred, any future meetings held will be meetings chaired by the LADO."
)


def _transfer_errors(case: Case, to: str, transferred_on: dt.date | None, reason: str) -> dict[str, str]:
    """What stops this transfer, by field."""
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = "Only an open case can pass to another manager"
    if to not in CaseManager.values:
        errors["managed_by"] = "Choose who manages the case from now on"
    elif to == case.managed_by:
        errors["managed_by"] = f"{CaseManager(to).label} already manages the case"
    if transferred_on is None:
        errors["transferred_on"] = "Enter the date the management of the case was transferred"
    elif transferred_on > timezone.localdate():
        errors["transferred_on"] = "The date of the transfer must be today or in the past"
    elif transferred_on < case.received_on:
        errors["transferred_on"] = "The date of the transfer must be on or after the referral was received"
    if not text(reason):
        errors["reason"] = "Enter why the management of the case is transferred"
    return errors


def case_transfer_management(
    *,
    actor: User,
    case: Case,
    managed_by: str,
    transferred_on: dt.date | None,
    reason: str,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Case:
    """Record that the management of the case passed to ``managed_by`` (usually the LADO) on a date, and why.

    The transfer is audited and written to the chronology; the case keeps the
    latest transfer's date and reason, the chronology every one.
    """
    require_case(actor, case, "change")
    errors = _transfer_errors(case, managed_by, transferred_on, reason)
    if errors:
        raise ValidationError(errors)
    assert transferred_on is not None  # checked just above
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        previous = case.managed_by
        case.managed_by = managed_by
        case.management_transferred_on = transferred_on
        case.management_transfer_reason = text(reason)
        case.save(update_fields=["managed_by", "management_transferred_on", "management_transfer_reason"])
        record_case_event(
            actor=actor,
            case=case,
            action="case.management_transferred",
            text=f"Management of the case passed from {CaseManager(previous).label.lower()} to"
            f" {CaseManager(managed_by).label.lower()} on {transferred_on:%d/%m/%Y}: {text(reason)}",
            audit_context=audit_context,
            changes={"managed_by": (previous, managed_by)},
            details={"transferred_on": transferred_on.isoformat()},
        )
    return case


def default_meeting_kind(case: Case) -> str:
    """The kind a new meeting of the case is offered as: LADO-chaired once the LADO manages the case.

    Children's social care chairs the strategy meeting while it manages the
    case; after a transfer "any future meetings held will be meetings chaired
    by the LADO". The LADO can still choose another kind.
    """
    if case.managed_by == CaseManager.CHILDRENS_SOCIAL_CARE:
        return MeetingKind.STRATEGY
    return MeetingKind.ALLEGATIONS_MANAGEMENT


def new_meeting_initial(case: Case) -> dict[str, str]:
    """A new meeting's kind and, where the LADO chairs it, the case's LADO as chair."""
    kind = default_meeting_kind(case)
    initial = {"kind": str(kind)}
    if kind == MeetingKind.ALLEGATIONS_MANAGEMENT and case.lado is not None:
        initial |= {"chair_name": case.lado.full_name, "chair_agency": f"{case.local_authority.name} LADO service"}
    return initial

"""Tier changes and allocation of a LADO case: a case moves tier with a reason; the manager reassigns it.

Both are append-only rows (``TierChange``, ``Allocation``) with the case's
current tier and LADO kept on the case for lists and filters.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from threshold.accounts.models import Membership, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import Allocation, Case, CaseStatus, TierChange
from threshold.lado.selectors import lado_candidates
from threshold.lado.services.case_rules import CASE_TIERS, require_not_closed
from threshold.lado.services.common import record_case_event, require_case, text
from threshold.lado.services.deadlines import case_deadlines_sync
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction


def case_change_tier(
    *,
    actor: User,
    case: Case,
    tier: str,
    reason: str,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> TierChange:
    """Move an open case between Tier 1 and Tier 2 (for example, a pattern of concerns emerges), with the reason."""
    require_case(actor, case, "change")
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["__all__"] = "Only an open case can move tier"
    if tier not in CASE_TIERS:
        errors["tier"] = "Choose Tier 1 or Tier 2"
    elif tier == case.tier:
        errors["tier"] = f"The case is already at {CASE_TIERS[tier]}"
    if not text(reason):
        errors["reason"] = "Enter why the case moves tier"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        current = case
        change = TierChange.objects.create(
            case=current, from_tier=current.tier, to_tier=tier, reason=text(reason), recorded_by=actor
        )
        previous = current.tier
        current.tier = tier
        current.save(update_fields=["tier"])
        record_case_event(
            actor=actor,
            case=current,
            action="case.tier_changed",
            text=f"Moved from {CASE_TIERS.get(previous, previous or 'no tier')} to {CASE_TIERS[tier]}: {text(reason)}",
            audit_context=audit_context,
            row=change.pk,
            changes={"tier": (previous, tier)},
        )
        case_deadlines_sync(current)
    case.refresh_from_db()
    return change


def case_reassign(
    *,
    actor: User,
    case: Case,
    lado: User,
    reason: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Allocation:
    """The LADO manager allocates the case to another LADO of the same local authority (an Allocation row)."""
    require_case(actor, case, "manage")
    require_not_closed(case)
    errors: dict[str, str] = {}
    if lado not in lado_candidates(case):
        errors["lado"] = "Choose a LADO or LADO manager of this local authority"
    elif lado.pk == case.lado_id:
        errors["lado"] = f"The case is already allocated to {lado.full_name}"
    if errors:
        raise ValidationError(errors)
    # The membership must still be active as the allocation is written (an error rolls the version back).
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        current = case
        if not Membership.objects.filter(
            user=lado, organisation=current.local_authority, is_active=True, role__in=(Role.LADO, Role.LADO_MANAGER)
        ).exists():
            raise ValidationError({"lado": "Choose a LADO or LADO manager of this local authority"})
        previous = current.lado
        allocation = Allocation.objects.create(
            case=current, lado=lado, previous=previous, reason=text(reason), recorded_by=actor
        )
        current.lado = lado
        current.save(update_fields=["lado"])
        record_case_event(
            actor=actor,
            case=current,
            action="case.reassigned",
            text=f"Reassigned from {previous.full_name if previous else 'nobody'} to {lado.full_name}"
            + (f": {text(reason)}" if text(reason) else "."),
            audit_context=audit_context,
            row=allocation.pk,
            changes={"lado": (previous.pk if previous else None, lado.pk)},
        )
        # The case's deadlines move to the LADO who now holds it.
        case_deadlines_sync(current)
        if lado != actor:
            notify_in_transaction(
                recipients=[lado],
                kind=NotificationKind.ALLOCATED,
                text=f"Case allocated to you: {current.reference}",
                key=f"allocated:allocation:{allocation.pk}",
                url=reverse("case_detail", args=[current.pk]),
                reference=current.reference,
                subject=current.subject,
            )
    case.refresh_from_db()
    return allocation

"""Every change to an allegation: one transaction, one audit event, one chronology line each.

Each service checks, through ``threshold.access``, that the actor may change
the allegation (the case manager, DSLs and trust roles of the organisation,
and HR), validates with ``ValidationError({field: message})``, writes an
immutable row and records it in the audit trail and the chronology.

The services are split by part of the policy; every name is importable from
``threshold.allegations.services``.
"""

from __future__ import annotations

from threshold.allegations.facts import allegation_facts, checked_facts
from threshold.allegations.services.agency import (
    REPLY_PARTS,
    agency_hr_manager_record,
    agency_liaison_add,
    agency_record,
    agency_reply_record,
)
from threshold.allegations.services.allegation import (
    allegation_open,
    allegation_open_in_transaction,
    allegation_update,
    starting_values,
)
from threshold.allegations.services.common import (
    MANAGING_ROLES,
    case_manager_candidates,
    investigation_paused,
    pack_for,
    require_change,
    require_open,
)
from threshold.allegations.services.confidentiality import confidentiality_record, personnel_file_record
from threshold.allegations.services.lessons import lessons_review_record
from threshold.allegations.services.outcome import (
    file_advice,
    file_record_make,
    lado_not_told,
    lesson_record,
    outcome_advice,
    outcome_record,
    referral_follow_up_record,
)
from threshold.allegations.services.referral import (
    REFERRAL_REQUIRED,
    ChildOnReferral,
    ReferralConflict,
    ReferralDetails,
    referral_initial,
    referral_local_authority,
    referral_make,
    referral_make_in_transaction,
)
from threshold.allegations.services.steps import ROUTE_STEPS, parent_update_add, step_record
from threshold.allegations.services.suspension import (
    police_record,
    progress_update_add,
    risk_assessment_record,
    support_record,
)
from threshold.core.errors import ConflictError

__all__ = [
    "MANAGING_ROLES",
    "REFERRAL_REQUIRED",
    "REPLY_PARTS",
    "ROUTE_STEPS",
    "ChildOnReferral",
    "ConflictError",
    "ReferralConflict",
    "ReferralDetails",
    "agency_hr_manager_record",
    "agency_liaison_add",
    "agency_record",
    "agency_reply_record",
    "allegation_facts",
    "allegation_open",
    "allegation_open_in_transaction",
    "allegation_update",
    "case_manager_candidates",
    "checked_facts",
    "confidentiality_record",
    "file_advice",
    "file_record_make",
    "investigation_paused",
    "lado_not_told",
    "lesson_record",
    "lessons_review_record",
    "outcome_advice",
    "outcome_record",
    "pack_for",
    "parent_update_add",
    "personnel_file_record",
    "police_record",
    "progress_update_add",
    "referral_follow_up_record",
    "referral_initial",
    "referral_local_authority",
    "referral_make",
    "referral_make_in_transaction",
    "require_change",
    "require_open",
    "risk_assessment_record",
    "starting_values",
    "step_record",
    "support_record",
]

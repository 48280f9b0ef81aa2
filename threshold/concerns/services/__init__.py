"""Every change to a concern: one transaction, one audit event, one chronology line each.

An anonymous concern is not audited as it is shared (the nightly intake job
records it as ``system:anonymous-intake``, ADR 0012), so no audit context of
the request (address, request id) is kept; it has no chronology author, and its
own times (created, signed, its chronology entry, a new person record) keep the
day only: nothing stored names the person who shared it or pins it to a moment.
The audit events still carry their own time and sequence (the audit trail sets
them), and record ids rise in order: those remain the residual links.
"""

from __future__ import annotations

from threshold.concerns.services.anonymous_intake import anonymous_intake
from threshold.concerns.services.common import LONDON
from threshold.concerns.services.escalate import concern_escalate, escalate_problem
from threshold.concerns.services.hr_share import concern_hr_advise, concern_share_with_hr
from threshold.concerns.services.leaving import person_leaving_date_record
from threshold.concerns.services.low_level import LowLevelDetails, low_level_decision_facts, low_level_record_save
from threshold.concerns.services.manage import concern_close, concern_reroute
from threshold.concerns.services.patterns import (
    pattern_finding_escalate,
    pattern_finding_record,
    pattern_review_complete,
    pattern_review_start,
)
from threshold.concerns.services.share import concern_share
from threshold.concerns.services.sign_off import awaiting_sign_off, concern_sign_off, may_sign_off
from threshold.concerns.services.triage import advised_decision, concern_assess, concern_triage
from threshold.core.errors import ConflictError

__all__ = [
    "LONDON",
    "ConflictError",
    "LowLevelDetails",
    "advised_decision",
    "anonymous_intake",
    "awaiting_sign_off",
    "concern_assess",
    "concern_close",
    "concern_escalate",
    "concern_hr_advise",
    "concern_reroute",
    "concern_share",
    "concern_share_with_hr",
    "concern_sign_off",
    "concern_triage",
    "escalate_problem",
    "low_level_decision_facts",
    "low_level_record_save",
    "may_sign_off",
    "pattern_finding_escalate",
    "pattern_finding_record",
    "pattern_review_complete",
    "pattern_review_start",
    "person_leaving_date_record",
]

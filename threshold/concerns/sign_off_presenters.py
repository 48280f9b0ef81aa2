"""Presenters for the head's sign-off and for HR advice on a concern: what the concern page and the forms show."""

from __future__ import annotations

from typing import Any

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.concerns import recipients, services
from threshold.concerns.models import Concern, ConcernStatus, Decision, HeadSignOff, SignOffKind, SignOffState


def sign_off_rows(sign_off: HeadSignOff) -> list[dict[str, Any]]:
    """The decision the head is asked to sign off, as summary list rows (in words, never internal names)."""
    rows: list[dict[str, Any]] = [
        {"key": {"text": "Asked by"}, "value": {"text": sign_off.requested_by.full_name}},
        {"key": {"text": "What to sign off"}, "value": {"text": SignOffKind(sign_off.kind).label}},
    ]
    if sign_off.kind == SignOffKind.CLOSURE:
        rows.append({"key": {"text": "Why it should be closed"}, "value": {"text": sign_off.closure_reason}})
        return rows
    rows.append({"key": {"text": "Decision"}, "value": {"text": Decision(sign_off.decision).label}})
    proposal = sign_off.proposal
    if proposal:
        advised = proposal.get("advised_decision", "")
        level = proposal.get("result", {}).get("level_title", "")
        if advised in Decision.values:
            text = Decision(advised).label + (f" ({level})" if level else "")
            rows.append({"key": {"text": "The policy advised"}, "value": {"text": text}})
        rows.append({"key": {"text": "Reasons"}, "value": {"text": proposal.get("rationale", "")}})
        if proposal.get("override_reason"):
            rows.append(
                {
                    "key": {"text": "Why the decision differs from the advice"},
                    "value": {"text": proposal["override_reason"]},
                }
            )
    else:
        rows.append(
            {
                "key": {"text": "What has happened"},
                "value": {"text": "The allegation is already open: it could not wait for sign-off."},
            }
        )
    return rows


def history(concern: Concern) -> list[dict[str, Any]]:
    """Sign-offs already answered, oldest first, in words."""
    answered = concern.sign_offs.exclude(state=SignOffState.AWAITING).select_related("requested_by", "decided_by")
    return [
        {
            "what": SignOffKind(item.kind).label
            + (f": {Decision(item.decision).label.lower()}" if item.decision else ""),
            "asked_by": item.requested_by.full_name,
            "answer": SignOffState(item.state).label,
            "by": item.decided_by.full_name if item.decided_by else "",
            "at": item.decided_at,
            "reason": item.reason,
        }
        for item in answered
    ]


def detail_context(*, user: User, concern: Concern, may_change: bool) -> dict[str, Any]:
    """What the concern page shows about sign-off and HR advice, and which of those buttons the reader gets."""
    pending = services.awaiting_sign_off(concern)
    shares = list(concern.hr_shares.select_related("user", "shared_by"))
    return {
        "sign_off": pending,
        "sign_off_rows": sign_off_rows(pending) if pending is not None else [],
        "may_sign_off": pending is not None and may_change and services.may_sign_off(user=user, concern=concern),
        "sign_off_history": history(concern),
        "hr_shares": shares,
        "may_share_hr": may_change
        and concern.status != ConcernStatus.CLOSED
        and bool(recipients.hr_partners_for(concern)),
        "may_advise": fetch.visible_concerns(user, "advise").filter(pk=concern.pk).exists(),
    }

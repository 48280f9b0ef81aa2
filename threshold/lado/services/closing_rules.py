"""What stops a LADO case concluding too early (from the audit of the LADO protocol against the product).

A Tier 1 case needs a strategy meeting or a LADO-chaired (allegations management) meeting held ("In Tier 1
cases a Strategy Meeting, or a meeting convened by the LADO will be held"), and a Tier 2 case the LADO's
quality assurance of the employer's outcome (accepted; a challenge is resolved by accepting the revised
outcome), or the LADO records why the case concludes without it (``case_conclude`` asks for the reason).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from threshold.lado.models import Case, Level
from threshold.lado.models.cases import QualityAssuranceDecision
from threshold.lado.selectors import EVALUATION_KINDS

REASON_LIMIT = 10000
TIER_1_PROTOCOL = "In Tier 1 cases a Strategy Meeting, or a meeting convened by the LADO will be held"


@dataclass(frozen=True)
class ClosingRules:
    """What the case still lacks before it concludes, so the conclusion must say why it concludes without it."""

    # Tier 1, and no strategy meeting or LADO-chaired meeting has been held.
    meeting_needed: bool
    # Tier 2, and the employer's outcome has not been accepted (never quality assured, or the challenge stands).
    quality_assurance_needed: bool
    # The latest quality assurance challenged the employer's outcome.
    challenged: bool


def closing_rules(case: Case, today: dt.date | None = None) -> ClosingRules:
    """Whether the case has what its tier needs before it concludes (a meeting; quality assurance)."""
    today = today or timezone.localdate()
    meeting_needed = False
    quality_assurance_needed = False
    challenged = False
    if case.tier == Level.TIER_1:
        meeting_needed = not any(
            timezone.localdate(meeting.held_at) <= today for meeting in case.meetings.filter(kind__in=EVALUATION_KINDS)
        )
    elif case.tier == Level.TIER_2:
        latest = case.quality_assurances.order_by("-recorded_at", "-pk").first()
        challenged = latest is not None and latest.decision == QualityAssuranceDecision.CHALLENGED
        quality_assurance_needed = latest is None or latest.decision != QualityAssuranceDecision.ACCEPTED
    return ClosingRules(
        meeting_needed=meeting_needed, quality_assurance_needed=quality_assurance_needed, challenged=challenged
    )


def closing_errors(rules: ClosingRules, no_meeting_reason: str, no_quality_assurance_reason: str) -> dict[str, str]:
    """The messages beside the reason fields when the case lacks what its tier needs and no reason is given."""
    errors: dict[str, str] = {}
    if rules.meeting_needed:
        if not no_meeting_reason:
            errors["no_meeting_reason"] = (
                "Record the strategy meeting or LADO-chaired meeting held, or enter why no meeting was held"
            )
        elif len(no_meeting_reason) > REASON_LIMIT:
            errors["no_meeting_reason"] = f"The reason must be {REASON_LIMIT:,} characters or fewer"
    if rules.quality_assurance_needed:
        if not no_quality_assurance_reason:
            errors["no_quality_assurance_reason"] = (
                "Record that the challenge to the employer's outcome is resolved, or enter why the case concludes"
                " without it"
                if rules.challenged
                else "Quality assure the employer's outcome, or enter why the case concludes without it"
            )
        elif len(no_quality_assurance_reason) > REASON_LIMIT:
            errors["no_quality_assurance_reason"] = f"The reason must be {REASON_LIMIT:,} characters or fewer"
    return errors

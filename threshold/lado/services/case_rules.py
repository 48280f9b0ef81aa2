"""Rules every change to a LADO case shares: which tiers a case can be at, and that a closed case is complete."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from threshold.lado.models import Case, CaseStatus, Level

# A case is only ever Tier 1 or Tier 2: a consultation does not become a case.
CASE_TIERS = {Level.TIER_1.value: str(Level.TIER_1.label), Level.TIER_2.value: str(Level.TIER_2.label)}


def require_not_closed(case: Case) -> None:
    """Refuse changes to a closed case: its record is complete (the chronology still takes corrections)."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"__all__": "This case is closed, so its record can no longer be changed"})

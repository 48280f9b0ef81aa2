"""Rules every change to a LADO case shares: which tiers a case can be at, and that a closed case is complete."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from threshold.lado.models import Case, CaseStatus, Level

# A case is only ever Tier 1 or Tier 2: a consultation does not become a case.
CASE_TIERS = {Level.TIER_1.value: str(Level.TIER_1.label), Level.TIER_2.value: str(Level.TIER_2.label)}


def require_not_closed(case: Case, refused: str = "its record can no longer be changed") -> None:
    """Refuse changes to a closed case: its record is complete (the chronology still takes corrections).

    ``refused`` says what can no longer be done, for the message on the form.
    Stopping a share stays allowed, because it only takes access away.
    """
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"__all__": f"This case is closed: {refused}."})

"""Rules every change to a LADO case shares: the tiers a case can be at, who decides, that a closed case is complete.

Also whether the employer is an early years setting (Ofsted is asked about at conclusion, and notified in time).

The deciding check lives here, not in ``decisions``, so that the decision service can open a case
(``cases``) and the case service can check the decider without the two importing each other.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.accounts.roles import OrganisationKind
from threshold.core.locking import hold
from threshold.lado.models import Case, CaseStatus, Contact, Level
from threshold.lado.models.cases import Sector

# A case is only ever Tier 1 or Tier 2: a consultation does not become a case.
CASE_TIERS = {Level.TIER_1.value: str(Level.TIER_1.label), Level.TIER_2.value: str(Level.TIER_2.label)}


def require_not_closed(case: Case, refused: str = "its record can no longer be changed") -> None:
    """Refuse changes to a closed case: its record is complete (the chronology still takes corrections).

    ``refused`` says what can no longer be done, for the message on the form.
    Stopping a share stays allowed, because it only takes access away.
    """
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"__all__": f"This case is closed: {refused}."})


def held_case(case: Case, *, open_for: str | None = None) -> Case:
    """The case's row as it is now, held until the caller's transaction ends (call it inside one).

    ``open_for``: refused (``require_not_closed``) if closed by then, saying what can no longer be done. A page's
    form was read before the request queued behind another's change: two LADOs sharing the same case with the
    same partner at once both found no share, and a case closed a moment before still took a meeting. Held, the
    second waits for the first and then reads what it did.
    """
    held = hold(case)
    if open_for is not None:
        require_not_closed(held, open_for)
    return held


def require_decider(actor: User, contact: Contact) -> None:
    """Refuse unless the actor may decide this contact: a LADO or LADO manager of its local authority.

    Business support records contacts and advice (``change``) but the
    threshold decision, and the case that follows, are the LADO's.
    """
    if not fetch.visible_contacts(actor, "decide").filter(pk=contact.pk).exists():
        raise PermissionDenied("You cannot decide this contact.")


def is_early_years(case: Case) -> bool:
    """The employer is an early years setting: by the case's sector, or the kind of employer Threshold knows."""
    return case.sector == Sector.EARLY_YEARS or (
        case.employer is not None and case.employer.kind == OrganisationKind.EARLY_YEARS
    )

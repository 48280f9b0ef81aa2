"""The Tier 2 case the monitoring and conclusion tests share: Little Acorns refers Nell, Lara decides Tier 2.

Plain functions (not fixtures) so each test module builds the case in its own
fixture, through the same services the pages use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.lado.models import Case, Contact
from threshold.lado.services.dataset_missing import missing_at_conclusion
from threshold.lado.services.decisions import contact_decide
from threshold.lado.services.monitoring import case_quality_assure
from threshold.lado.services.referral_intake import contact_from_referral

# The protocol's own Tier 2 example: a nursery worker handled a 3-year-old roughly, no injury.
NURSERY_FACTS = {
    "works_with_children": True,
    "adult_identified": True,
    "harmed_or_may_have_harmed_child": True,
}


def nursery_allegation(ids: dict[str, int]) -> Allegation:
    """The demo allegation about Nell at Little Acorns nursery, managed by Nina."""
    return Allegation.objects.get(pk=ids["allegation_nell"])


def refer_nursery_allegation(persona: Callable[[str], User], ids: dict[str, int]) -> Contact:
    """Nina refers the allegation about Nell to Northshire's LADO; the contact arrives in the inbox."""
    allegation = nursery_allegation(ids)
    referral = referral_make(actor=persona("nina"), allegation=allegation)
    # The referral hook puts the contact in the inbox; without it, do what the hook does.
    contact = Contact.objects.filter(allegation=allegation).order_by("pk").first()
    return contact or contact_from_referral(referral=referral)


def open_nursery_case(persona: Callable[[str], User], ids: dict[str, int], *, received_days_ago: int = 0) -> Case:
    """Lara decides the nursery referral is Tier 2: the nursery manages, the LADO monitors.

    ``received_days_ago`` moves the referral's receipt back (for cases past
    their timescales); the decision and the case follow it.
    """
    contact = refer_nursery_allegation(persona, ids)
    if received_days_ago:
        Contact.objects.filter(pk=contact.pk).update(
            received_at=contact.received_at - dt.timedelta(days=received_days_ago)
        )
        contact.refresh_from_db()
    return lara_decides(
        persona,
        contact,
        "tier-2",
        override_reason="No injury and no previous concerns: the nursery is best placed to manage it.",
        rationale="The protocol's own Tier 2 example.",
    )


def lara_decides(
    persona: Callable[[str], User],
    contact: Contact,
    level: str,
    *,
    override_reason: str = "Decided on the referral.",
    rationale: str = "Test decision.",
) -> Case:
    """Lara decides ``contact`` at ``level`` on the nursery's facts; the case it opens."""
    decision = contact_decide(
        actor=persona("lara"),
        contact=contact,
        expected_version=contact.version,
        facts=NURSERY_FACTS,
        level=level,
        override_reason=override_reason,
        rationale=rationale,
    )
    assert decision.case is not None
    return decision.case


def accept_employers_outcome(persona: Callable[[str], User], case: Case) -> None:
    """Lara quality assures the nursery's outcome and accepts it: a Tier 2 case may then conclude."""
    case_quality_assure(
        actor=persona("lara"),
        case=case,
        decision="accepted",
        reasons="The nursery's investigation was thorough and its outcome follows from it.",
    )


def not_known_reasons(case: Case) -> dict[str, str]:
    """ "Not known" for each data set item the case lacks: the conclusion asks a reason for each missing item."""
    return {item.key: "Not known" for item in missing_at_conclusion(case)}


def not_known_fields(case: Case) -> dict[str, str]:
    """The conclusion form's reason fields, "Not known" for each data set item the case lacks."""
    return {f"missing_{key}": reason for key, reason in not_known_reasons(case).items()}

"""The facts the DBS and TRA advice at conclusion turns on, as the LADO records them.

The DBS: "There is a legal duty to refer to the DBS anyone who has been
removed from regulated activity because they harmed, or posed a risk of harm
to, a child, or who would have been removed had they not left" (Safeguarding
Vulnerable Groups Act 2006; KCSIE Part 4). The conclusion asks whether the
adult was removed from regulated activity, would have been had they not left,
or left; the answer becomes the pack's facts ``removed_from_regulated_activity``
and ``resigned_before_conclusion``, so the pack's "required" rule can fire.

The TRA (KCSIE Part 4) is asked for a teacher: the answer recorded on the
contact ("Is the adult a teacher?", from the employer's allegation for a
referral) or confirmed at the decision, never the word "teacher" in the role.
"""

from __future__ import annotations

from threshold.lado.models import Case
from threshold.lado.models.cases import RegulatedActivity
from threshold.lado.selectors import standing_decision
from threshold.policy.facts import FactValue

REMOVED = "removed_from_regulated_activity"
RESIGNED = "resigned_before_conclusion"

# "Would have been removed had they not left" carries the same duty as removal (SVGA 2006), so it is
# removal as the pack's facts say it; having left is recorded too (the TRA's "would have been dismissed
# had they not resigned"). "Not known" gives no facts: the pack advises on what is known.
REGULATED_ACTIVITY_FACTS: dict[str, dict[str, FactValue]] = {
    RegulatedActivity.REMOVED: {REMOVED: True, RESIGNED: False},
    RegulatedActivity.WOULD_HAVE_BEEN: {REMOVED: True, RESIGNED: True},
    RegulatedActivity.LEFT: {REMOVED: False, RESIGNED: True},
    RegulatedActivity.NOT_REMOVED: {REMOVED: False, RESIGNED: False},
    RegulatedActivity.NOT_KNOWN: {},
}


def regulated_activity_facts(answer: str) -> dict[str, FactValue]:
    """The pack's facts for the conclusion's regulated activity answer (none when unanswered or not known)."""
    return dict(REGULATED_ACTIVITY_FACTS.get(answer, {}))


def regulated_activity_errors(answer: str) -> dict[str, str]:
    """An answer that is not one of the choices, beside its field (blank: not answered, allowed)."""
    if answer and answer not in RegulatedActivity.values:
        return {"regulated_activity": "Choose whether the adult was removed from regulated activity, or not known"}
    return {}


def is_teacher(case: Case) -> bool:
    """Whether the adult is a teacher, as recorded: on the contact, or confirmed in the LADO's decision that stands."""
    decision = standing_decision(case)
    if decision is not None and isinstance(decision.facts, dict) and decision.facts.get("subject_is_teacher") is True:
        return True
    return case.contact is not None and case.contact.subject_is_teacher is True

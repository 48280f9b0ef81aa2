"""The allegation page's advice that follows the case: the pack's tier and advice, the 6.4 targets, step 9's log.

- The tier and the "consider suspension / police / children's social care / Ofsted" advice at the top of the
  page, in the pack's words, from the moment the allegation opens (``threshold.allegations.advice``).
- The 1, 3 and 12-month resolution targets of policy 6.4, with their dates and whether each was met.
- Step 9, "Keep the parents or carers … informed of the progress of the case": every contact, in order.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.allegations.advice import AllegationAdvice
from threshold.allegations.models import Allegation, ParentUpdate
from threshold.jinja2 import govuk_date
from threshold.policy import AGENCIES
from threshold.policy.clocks import Clock, ClockState
from threshold.policy.results import Advice

# Each referral the engine advises on, as the page names it.
REFERRAL_NAMES = {
    "police": "Referral to the police",
    "childrens_social_care": "Referral to children's social care",
    "ofsted": "Referral to Ofsted",
    "dbs": "Referral to the DBS",
    "tra": "Referral to the TRA",
}
NOT_ANSWERED = (
    "The policy gives no tier yet: no question of the harm threshold has been answered for this allegation (it was"
    " not opened from a triage that answered them). Discuss the allegation with the LADO (step 2)."
)
# A resolution target's state in words, with its tag colour.
TARGET_STATES = {
    ClockState.MET: ("Met", "green"),
    ClockState.MET_LATE: ("Met late", "orange"),
    ClockState.DUE: ("Due", "blue"),
    ClockState.OVERDUE: ("Overdue", "red"),
    ClockState.NOT_MET: ("Not met", "grey"),
}


def advice_section(advice: AllegationAdvice) -> dict[str, Any]:
    """The pack's tier and what it says to consider or do (suspension, each referral), with its reasons.

    Where the tier has moved since triage (the referral added categories of abuse, say) the triage's
    tier is named too, so the page explains itself.
    """
    assessment = advice.assessment
    if not advice.answered:
        return {"answered": False, "text": NOT_ANSWERED}
    actions = [_action("Suspension", assessment.suspension)] if assessment.suspension.consider else []
    actions += [_action(REFERRAL_NAMES[agency], assessment.referrals[agency]) for agency in AGENCIES]
    basis = f"the answers given at triage on {govuk_date(advice.triaged_on)}, " if advice.triaged_on else ""
    moved = ""
    if advice.triage_level_title and advice.triage_level_title != assessment.level_title:
        moved = f"At triage the policy advised: {advice.triage_level_title}"
    return {
        "answered": True,
        "title": assessment.level_title,
        "description": assessment.level_description,
        "action": assessment.level_action or "",
        "actions": [action for action in actions if action is not None],
        "questions": [question.text for question in assessment.needs_answers],
        # What the policy says for this allegation as it now stands (non-recent, police involved, the outcome...).
        "guidance": list(assessment.guidance),
        "moved": moved,
        "source": (
            f"Worked out by the {assessment.pack.id} policy pack (version {assessment.pack.version}) from {basis}"
            "the allegation's details and, once made, the referral to the LADO."
        ),
    }


def _action(name: str, advice: Advice) -> dict[str, Any] | None:
    """One thing the pack asks to be considered or requires, with its reasons in the pack's words."""
    if not advice.consider:
        return None
    return {
        "name": name,
        "verdict": "Required" if advice.required else "Consider",
        "colour": "red" if advice.required else "blue",
        "reasons": [reason.text for reason in advice.reasons],
    }


def targets_section(clocks: list[Clock]) -> list[dict[str, Any]]:
    """The 6.4 resolution targets: what each asks, by when (from the day it came to attention), and its state."""
    rows = []
    for target in clocks:
        state, colour = TARGET_STATES[target.state]
        met = f", resolved on {govuk_date(target.done_on)}" if target.done_on else ""
        rows.append(
            {
                "text": target.description,
                "due": govuk_date(target.due),
                "state": state,
                "colour": colour,
                "detail": f"{target.counting.capitalize()} from {govuk_date(target.start)}{met}.",
            }
        )
    return rows


def parent_updates_lines(updates: list[ParentUpdate]) -> list[str]:
    """Step 9's log: each contact with the parents or carers, in the order they were kept informed."""
    return [
        f"{govuk_date(update.given_on)}, {update.informed}, {update.get_method_display().lower()}: {update.note}"
        f" ({update.recorded_by.full_name})"
        for update in updates
    ]


def parent_update_link(allegation: Allegation) -> str:
    """Where a contact with the parents or carers is logged."""
    return reverse("allegation_parent_update", args=[allegation.pk])

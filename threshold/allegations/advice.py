"""The pack's advice on an allegation as it stands, and its resolution targets (policy 6.4).

Starts from an allegation the caller fetched through ``threshold.access``. The advice is the engine's
answer on the allegation's facts (``threshold.allegations.facts.checked_facts``): the answers given at triage, then
what the allegation records (employment, the day the adult left, an interim prohibition order) and, once
the LADO referral is made, its categories of abuse and incident date. So the tier and the "consider
suspension / police / children's social care / Ofsted" advice show from the moment the allegation opens,
and move with the case.

The 1, 3 and 12-month resolution targets are the pack's timescales at the advised level, counted by
``threshold.policy.clocks`` (the calculator the LADO's case page uses too) from the day the allegation came
to attention and met by the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from threshold.allegations.checklist import pack_for
from threshold.allegations.facts import checked_facts, triage_of
from threshold.allegations.models import Allegation, AllegationStatus, OutcomeRecord
from threshold.core.querysets import last_recorded
from threshold.policy import HARM_THRESHOLD_FACTS, assess
from threshold.policy.clocks import RESOLUTION_TARGETS, Clock, clock, timescales_at_level
from threshold.policy.results import Assessment


@dataclass(frozen=True)
class AllegationAdvice:
    """The engine's answer on the allegation, and whether any harm-threshold question was answered for it.

    ``answered`` is False for an allegation opened without a triage or a referral: no limb of the harm
    threshold is known, so a tier worked out from nothing is not shown as advice.
    """

    assessment: Assessment
    answered: bool
    triaged_on: dt.date | None
    triage_level_title: str


def allegation_advice(allegation: Allegation, *, outcome: OutcomeRecord | None = None) -> AllegationAdvice:
    """The pack's advice on the allegation now: triage's answers, the allegation's facts, the referral's.

    ``outcome``, the latest outcome recorded (the page has it already): with it the advice follows the case to
    its end (the DBS and TRA, and what the policy says of disciplinary action and lessons learned).
    """
    referral = allegation.referrals.first()  # the latest version
    extra: dict[str, Any] = {}
    if outcome is not None:
        extra["outcome"] = outcome.outcome or None
        extra["removed_from_regulated_activity"] = outcome.removed_from_regulated_activity
        extra["resigned_before_conclusion"] = outcome.resigned_before_conclusion
    if referral is not None:
        extra["abuse_categories"] = list(referral.abuse_categories) or None
        extra["incident_date"] = referral.incident_date.isoformat() if referral.incident_date else None
    facts = checked_facts(allegation, **extra)
    triage = triage_of(allegation)
    stored = triage.result if triage is not None and isinstance(triage.result, dict) else {}
    return AllegationAdvice(
        assessment=assess(pack_for(allegation), facts),
        answered=any(facts.get(name) is not None for name in HARM_THRESHOLD_FACTS),
        triaged_on=timezone.localdate(triage.decided_at) if triage is not None else None,
        triage_level_title=str(stored.get("level_title") or ""),
    )


def resolution_targets(allegation: Allegation, assessment: Assessment, today: dt.date | None = None) -> list[Clock]:
    """The 1, 3 and 12-month targets that apply at the advised level, each due, overdue, met or not met.

    Counted from the day the allegation came to attention; the outcome's conclusion date meets them. A
    concluded allegation without an outcome row (never in practice) leaves them not met rather than overdue.
    """
    pack = pack_for(allegation)
    outcome: OutcomeRecord | None = last_recorded(allegation.outcomes.all())
    done_on = outcome.concluded_on if outcome is not None else None
    running = allegation.status != AllegationStatus.CONCLUDED
    return [
        clock(
            timescale,
            start=allegation.attention_date(),
            done_on=done_on,
            today=today or timezone.localdate(),
            running=running,
        )
        for timescale in timescales_at_level(pack, assessment.level, ids=RESOLUTION_TARGETS)
    ]

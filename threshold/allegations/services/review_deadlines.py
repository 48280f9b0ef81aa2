"""The allegation's agreed reviews as stored deadlines: each a date someone chose, met by the record after it.

Two chains (``services.deadlines`` adds them to the allegation's clocks): the review of each suspension risk
assessment on its agreed review date (appendix 3), and the review of the police investigation's progress on the
date chosen with each police record (policy 5.3). With them, policy 5.3's sharing of information on the
completion of the police's part, due the day it ended. Labels go into emails: they say what is due and nothing
about the allegation ("Progress review", not whose progress).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.models import Allegation, AllegationStatus, OutcomeRecord, PoliceInvolvement, RiskAssessment
from threshold.allegations.police_and_suspension import POLICE_REVIEW, POLICE_SHARING, RISK_REVIEW, police_completions
from threshold.timescales.models import DeadlineState
from threshold.timescales.services import DeadlineSpec

# The page says "Review the suspension risk assessment"; the emailed label does not say suspension.
RISK_REVIEW_LABEL = "Risk assessment review (appendix 3)"
# Not "the police investigation's": the label goes into emails, which say nothing about the allegation.
POLICE_REVIEW_LABEL = "Progress review (policy 5.3)"
POLICE_REVIEW_SOURCE = "Policy 5.3: review the progress of cases in which there is a Police Officer investigation"
POLICE_SHARING_LABEL = "Information sharing (policy 5.3)"
POLICE_SHARING_SOURCE = (
    "Policy 5.3: share information as appropriate, on completion of an investigation or related prosecution"
)


@dataclass(frozen=True)
class Review:
    """A review someone agreed to hold: its row's key, the date agreed, and the day the next record met it."""

    key: str
    due_on: dt.date
    met_on: dt.date | None


def review_specs(
    kind: str,
    label: str,
    source: str,
    reviews: list[Review],
    allegation: Allegation,
    outcome: OutcomeRecord | None,
    owner: User | None,
) -> list[DeadlineSpec]:
    """A chain of agreed reviews, each met by the record after it; the latest stays open until done.

    After the outcome, a review that would fall later than the outcome no longer applies (the outcome is named),
    while one already due before the outcome stays open.
    """
    concluded = outcome if outcome is not None and allegation.status == AllegationStatus.CONCLUDED else None
    specs = []
    for review in reviews:
        base = DeadlineSpec(kind=kind, key=review.key, label=label, due_on=review.due_on, owner=owner, source=source)
        if review.met_on is not None:
            specs.append(replace(base, state=DeadlineState.MET, met_on=review.met_on))
        elif concluded is not None and review.due_on > concluded.concluded_on:
            reason = f"The outcome was recorded on {concluded.concluded_on:%-d %B %Y}, before the review date."
            specs.append(replace(base, state=DeadlineState.STOPPED, reason=reason))
        else:
            specs.append(base)
    return specs


def risk_review_specs(allegation: Allegation, outcome: OutcomeRecord | None, owner: User | None) -> list[DeadlineSpec]:
    """Each suspension risk assessment's agreed review date (one row per assessment, keyed by it).

    A later assessment meets the review of the one before, on its decision date.
    """
    assessments: list[RiskAssessment] = list(allegation.risk_assessments.order_by("recorded_at", "pk"))
    reviews = [
        Review(
            key=f"assessment-{assessment.pk}",
            due_on=assessment.review_on,
            met_on=assessments[index + 1].decided_on if index + 1 < len(assessments) else None,
        )
        for index, assessment in enumerate(assessments)
    ]
    source = "Policy, appendix 3: the agreed review date of the risk assessment"
    return review_specs(RISK_REVIEW, RISK_REVIEW_LABEL, source, reviews, allegation, outcome, owner)


def police_review_specs(
    allegation: Allegation, outcome: OutcomeRecord | None, owner: User | None
) -> list[DeadlineSpec]:
    """Policy 5.3's review of the police investigation's progress, on the date chosen with each police record.

    The next police record (an update, the police's authority, or that they are no longer involved) meets it, on
    the day it was recorded. Records before the date was asked for carry none, and make no row.
    """
    records: list[PoliceInvolvement] = sorted(
        allegation.police_records.all(), key=lambda row: (row.recorded_at, row.pk)
    )
    reviews = [
        Review(
            key=f"police-{record.pk}",
            due_on=record.next_review_on,
            met_on=timezone.localdate(records[index + 1].recorded_at) if index + 1 < len(records) else None,
        )
        for index, record in enumerate(records)
        if record.next_review_on is not None
    ]
    return review_specs(POLICE_REVIEW, POLICE_REVIEW_LABEL, POLICE_REVIEW_SOURCE, reviews, allegation, outcome, owner)


def police_sharing_specs(allegation: Allegation, owner: User | None) -> list[DeadlineSpec]:
    """Policy 5.3's sharing on completion: one row for each end of the police's part, due the day it ended.

    Met on the day a police record said what was shared; stopped, with the reason, when the police became involved
    again first (their next completion asks again). The employer's outcome does not stop it: a prosecution may
    end after it, and what it found is shared then.
    """
    specs = []
    for completion in police_completions(allegation.police_records.all()):
        base = DeadlineSpec(
            kind=POLICE_SHARING,
            key=f"completion-{completion.record.pk}",
            label=POLICE_SHARING_LABEL,
            due_on=completion.on,
            owner=owner,
            source=POLICE_SHARING_SOURCE,
        )
        if completion.shared_on is not None:
            specs.append(replace(base, state=DeadlineState.MET, met_on=completion.shared_on))
        elif completion.involved_again_on is not None:
            reason = f"The police were involved again from {completion.involved_again_on:%-d %B %Y}."
            specs.append(replace(base, state=DeadlineState.STOPPED, reason=reason))
        else:
            specs.append(base)
    return specs

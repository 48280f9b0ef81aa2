"""The police's investigation and the adult's suspension, as the trust's policy asks the employer to follow them.

Policy 5.3's review of the police investigation's progress (when it is asked, when it falls due), the risk
assessment's discussions with HR and the LADO before a suspension decision (6.1), the suspension that stands, and
whether an outcome leaves a suspended adult to return to work (6.5). Read by the services (their checks), the forms
(the same checks, with the form's other errors), the deadline sync, the selectors and the presenters; it reads
records the caller fetched through ``threshold.access`` and imports no service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    Employment,
    PoliceInvolvement,
    RiskAssessment,
    SuspensionDecision,
)
from threshold.core.querysets import last_recorded

# Policy 5.3: academies "review the progress of cases in which there is a Police Officer investigation". The
# deadline's kind, and what the allegation page calls it (its label in emails says less: ``review_deadlines``).
POLICE_REVIEW = "police-progress-review"
POLICE_REVIEW_TEXT = "Review the police investigation's progress"
# Appendix 3: the review of each suspension risk assessment, on its agreed date.
RISK_REVIEW = "risk-assessment-review"
RISK_REVIEW_TEXT = "Review the suspension risk assessment"
POLICE_REVIEW_MISSING = "Enter when you will next review the progress of the police investigation"
POLICE_REVIEW_PAST = "The next review of the police investigation must be today or in the future"
# Policy 5.3: academies "share information as appropriate, on completion of an investigation or related
# prosecution". The deadline's kind, and what the allegation page calls it.
POLICE_SHARING = "police-information-shared"
POLICE_SHARING_TEXT = "Share information now the police investigation or prosecution is complete"


@dataclass(frozen=True)
class Completion:
    """The police's part ending: the record that said so, when, and what became of the sharing it asks for.

    ``shared_on``: the day a record first said what was shared; ``involved_again_on``: the day the police became
    involved again before anything was recorded as shared (their next completion asks again).
    """

    record: PoliceInvolvement
    on: dt.date
    shared_on: dt.date | None
    involved_again_on: dt.date | None = None


def police_completions(records: Iterable[PoliceInvolvement]) -> list[Completion]:
    """Each end of the police's involvement: a record saying they are not involved after one saying they were.

    The information shared on completion (policy 5.3) is said on that record or on a later one that also says
    the police are not involved (recorded once it is shared); the first such record meets it. Only records made
    since the question was asked count (``sharing_asked``): the upgrade asks nothing of older ones.
    """
    ordered = sorted(records, key=lambda row: (row.recorded_at, row.pk))
    completions: list[Completion] = []
    involved = False
    for index, record in enumerate(ordered):
        if record.involved:
            involved = True
            continue
        if not involved:
            continue
        involved = False
        if not record.sharing_asked:
            continue
        after = next((row for row in ordered[index:] if row.involved or row.information_shared), None)
        day = timezone.localdate(record.recorded_at)
        if after is None:
            completions.append(Completion(record=record, on=day, shared_on=None))
        elif after.involved:
            completions.append(Completion(record, day, None, involved_again_on=timezone.localdate(after.recorded_at)))
        else:
            completions.append(Completion(record=record, on=day, shared_on=timezone.localdate(after.recorded_at)))
    return completions


def police_sharing_asked(records: Iterable[PoliceInvolvement], *, involved: bool) -> bool:
    """Whether a police record asks what was shared on completion: saying "not involved" once they have been."""
    return not involved and any(record.involved for record in records)


def police_review_asked(allegation: Allegation, *, involved: bool) -> bool:
    """Whether recording the police asks when their progress is next reviewed: while involved on an open allegation.

    After the outcome there is nothing left for the employer to review (policy 5.3).
    """
    return involved and allegation.status != AllegationStatus.CONCLUDED


def police_review_due(allegation: Allegation, police: PoliceInvolvement | None) -> dt.date | None:
    """When the police record that stands says their investigation's progress is next reviewed (policy 5.3).

    None when the review is not asked (``police_review_asked``) or the record set no date (one made before the
    date was asked for).
    """
    if police is None or not police_review_asked(allegation, involved=police.involved):
        return None
    return police.next_review_on


def returns_from_suspension(allegation: Allegation, *, removed: bool, resigned: bool) -> bool:
    """Whether an outcome leaves a suspended employee to return to work (policy 6.5, with HR).

    "Individuals returning to work after suspension: The case manager, in conjunction with HR, will consider how
    best to facilitate this return to work." Not an adult removed from regulated activity or who resigned; not
    one under an interim prohibition order (prohibited from teaching whatever the outcome); not a supply worker
    ("the agency will inform the supply worker of the outcome" and of next steps, appendix 4).
    """
    if removed or resigned or allegation.interim_prohibition_order:
        return False
    return allegation.subject_employment != Employment.SUPPLY and standing_suspension(allegation) is not None


# Who policy 6.1 asks the case manager to weigh the options with before deciding, by the field that says when.
_DISCUSSED_WITH = {"hr_discussed_on": "discussed with HR", "lado_reviewed_on": "reviewed with the LADO"}


def discussion_errors(
    hr_discussed_on: dt.date | None, lado_reviewed_on: dt.date | None, reason: str, decided_on: dt.date | None
) -> dict[str, str]:
    """Policy 6.1's discussions: each on or before the decision, or a reason why one was not held before it.

    With the reason, a discussion held after the decision keeps its real date.
    """
    errors: dict[str, str] = {}
    today = timezone.localdate()
    for name, day in (("hr_discussed_on", hr_discussed_on), ("lado_reviewed_on", lado_reviewed_on)):
        words = _DISCUSSED_WITH[name]
        if day is None and not reason:
            errors[name] = f"Enter the date the options were {words}, or say why they were not"
        elif day is not None and day > today:
            errors[name] = f"The date the options were {words} must be today or in the past"
        elif day is not None and decided_on is not None and day > decided_on and not reason:
            errors[name] = f"The date the options were {words} must be on or before the decision, or say why not"
    return errors


RETURN_TO_WORK_MISSING = "Enter how the adult's return to work after suspension will be facilitated, with HR"


def standing_suspension(allegation: Allegation) -> RiskAssessment | None:
    """The risk assessment that stands, if it decided to suspend the adult (section 6.5's return to work)."""
    assessment: RiskAssessment | None = last_recorded(allegation.risk_assessments.all())
    return assessment if assessment is not None and assessment.decision == SuspensionDecision.SUSPEND else None

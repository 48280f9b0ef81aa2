"""What the trust's policy still asks of the employer around the steps, read from an allegation's records.

The allegation page, the home page and the deadline sync all ask the same questions, so they are answered
here once, from a record the caller fetched through ``threshold.access`` (services import this module;
it imports no service):

- section 7, "take advice from the LADO, police, and children's social care services to agree who needs
  to know and, importantly, exactly what information can be shared": recorded or not, and, "in the case of
  Trust academies", whether "a senior leader should make contact with the press office of the Trust" is
  still to be recorded;
- section 8, "found to be malicious or false will be recorded as such … and archived from the individual's
  personnel file (unless the individual consents for the records to be retained on the file)": whether the
  removal or the consent is still to be recorded;
- section 11, "After any cases where an investigation has been conducted, the case manager will review the
  circumstances of the case with the LADO and Headteacher": whether that review is due, and when it was done;
- Tier 3, "It is essential in these cases that there is a clear outcome and this is communicated to the
  professional/volunteer" (and step 7, "agree with the LADO what information should be put in writing to the
  individual"): whether the adult has been told the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from threshold.accounts.roles import OrganisationKind
from threshold.allegations.checklist import ChecklistItem
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    ConfidentialityRecord,
    Consulted,
    Employment,
    InformingObjection,
    OutcomeRecord,
    PersonnelFileDecision,
    Route,
    Step,
)
from threshold.core.querysets import last_recorded
from threshold.core.vocabularies import Outcome

# The duties as work lists, reminders and the allegation page name them: no name, nothing about the allegation.
LESSONS_LABEL = "Review the case for lessons learned"
FILE_RECORD_LABEL = "Record what is kept on the confidential file"
ADULT_INFORMED_LABEL = "Inform the adult of the allegation and name their representative"
OUTCOME_TOLD_LABEL = "Tell the adult the outcome"

# Section 8: the outcomes whose records leave the personnel file unless the individual consents.
OFF_THE_FILE = frozenset({Outcome.MALICIOUS, Outcome.FALSE})
# Section 7's advisers as a sentence names them.
CONSULTED_WORDS = {
    Consulted.LADO: "the LADO",
    Consulted.POLICE: "the police",
    Consulted.CHILDRENS_SOCIAL_CARE: "children's social care",
}


def agreed_with_words(values: list[str]) -> str:
    """``the LADO, the police and children's social care``: whom the arrangements were agreed with."""
    words = [CONSULTED_WORDS[Consulted(value)] for value in values if value in Consulted.values]
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def confidentiality(allegation: Allegation) -> ConfidentialityRecord | None:
    """The confidentiality arrangements that stand (the latest record), if any."""
    return last_recorded(allegation.confidentiality_records.select_related("recorded_by"))


def press_office_applies(allegation: Allegation) -> bool:
    """Section 7's press office is the trust's: it applies to a trust's academies and the trust itself."""
    organisation = allegation.organisation
    return organisation.trust_id is not None or organisation.kind == OrganisationKind.ACADEMY_TRUST


def press_office_outstanding(record: ConfidentialityRecord | None, allegation: Allegation) -> bool:
    """Whether the press office contact (or why not) is still to be recorded for a trust academy."""
    if not press_office_applies(allegation):
        return False
    return record is None or (record.press_office_contacted_on is None and not record.press_office_not_contacted_reason)


def latest_outcome(allegation: Allegation) -> OutcomeRecord | None:
    """The outcome that stands, if one was recorded."""
    return last_recorded(allegation.outcomes.all())


def personnel_file_applies(allegation: Allegation) -> bool:
    """Whether the outcome that stands is malicious or false (section 8)."""
    outcome = latest_outcome(allegation)
    return outcome is not None and outcome.outcome in OFF_THE_FILE


def personnel_file_decision(allegation: Allegation) -> PersonnelFileDecision | None:
    """The removal from the personnel file, or the individual's consent to keep the records, that stands."""
    return last_recorded(allegation.personnel_file_decisions.select_related("recorded_by"))


def investigated(allegation: Allegation) -> bool:
    """Whether an investigation was conducted: step 8 recorded, or investigation the course of action agreed.

    A case that ended with no further action (step 7) had no investigation, so no review falls due.
    """
    records = list(
        allegation.step_records.filter(step__in=(Step.INVESTIGATION, Step.DISCUSS_WITH_LADO, Step.HR_STRATEGY))
    )
    if any(record.step == Step.INVESTIGATION for record in records):
        return True
    routed = [record for record in records if record.route]
    if not routed:
        return False
    last = max(routed, key=lambda record: (record.recorded_at, record.pk))
    return last.route == Route.INVESTIGATION


@dataclass(frozen=True)
class LessonsDue:
    """The section 11 review of an investigated, concluded case: due on the day of the outcome."""

    due_on: dt.date
    # When a lesson was logged, or the case recorded as reviewed with no lessons; None while not done.
    done_on: dt.date | None
    no_lessons: bool = False


def lessons_due(allegation: Allegation) -> LessonsDue | None:
    """The lessons-learned review, once an investigated case is concluded; None when none is due.

    The policy gives no number of days, so, as with the DBS and TRA referrals, it falls due on the day of
    the outcome. Logging a lesson does it; so does recording the case as reviewed with nothing to learn.
    """
    outcome = latest_outcome(allegation)
    if outcome is None or allegation.status != AllegationStatus.CONCLUDED or not investigated(allegation):
        return None
    lessons = list(allegation.lessons.order_by("recorded_at", "pk"))
    reviews = list(allegation.lessons_reviews.order_by("recorded_at", "pk"))
    if lessons:
        return LessonsDue(outcome.concluded_on, timezone.localdate(lessons[0].recorded_at))
    if reviews:
        return LessonsDue(outcome.concluded_on, reviews[-1].reviewed_on, no_lessons=True)
    return LessonsDue(outcome.concluded_on, None)


@dataclass(frozen=True)
class FileRecordDue:
    """Section 8's record on the adult's confidential file, due on the day of an outcome not malicious or false."""

    due_on: dt.date
    # When the record was kept; None while it is not.
    done_on: dt.date | None


def file_record_due(allegation: Allegation) -> FileRecordDue | None:
    """The record kept on file, once concluded; None when none is due (not concluded, or malicious or false).

    Section 8: "For all other allegations (which are not found to be malicious or false), the following
    information will be kept on the file … A declaration on whether the information will be referred to in any
    future reference".
    """
    outcome = latest_outcome(allegation)
    if outcome is None or allegation.status != AllegationStatus.CONCLUDED or outcome.outcome in OFF_THE_FILE:
        return None
    kept = last_recorded(allegation.file_records.all())
    return FileRecordDue(outcome.concluded_on, timezone.localdate(kept.recorded_at) if kept is not None else None)


@dataclass(frozen=True)
class AdultInformedDue:
    """Section 6.2: the adult told of the allegation, with a named representative, once the LADO was consulted."""

    due_on: dt.date
    # When the adult was told; None while not.
    done_on: dt.date | None
    # Why they are not to be told yet: the police's or children's social care's objection, as recorded.
    held_back: str = ""


def adult_informed_due(allegation: Allegation, steps: list[ChecklistItem]) -> AdultInformedDue | None:
    """When the adult falls due to be told of the allegation; None before the LADO was consulted.

    Section 6.2: "Individuals will be informed of the concerns or allegations made against them as soon as
    possible … unless there is an objection by the police or social care"; appendix 4: "The case manager should
    inform the accused person about the allegation as soon as possible after consulting with the LADO about what
    information can be shared". Due on the day the LADO was consulted: step 2 recorded, or the LADO's advice or
    decision on the referral made here (a referral only started is not a consultation). It stays after the
    outcome: an unmet duty is closed by a person, with a reason, never by the product. ``steps``: the
    allegation's ``checklist``, which holds step 2's records already.
    """
    consulted = [record.done_on for item in steps if item.step == Step.DISCUSS_WITH_LADO for record in item.records]
    # access-lint: allow the dates the LADO advised or decided on the referral of an allegation the caller holds
    for contact in allegation.lado_contacts.all():
        if contact.advice_given_at is not None:
            consulted.append(timezone.localdate(contact.advice_given_at))
        decided = contact.decisions.order_by("recorded_at").values_list("recorded_at", flat=True).first()
        if decided is not None:
            consulted.append(timezone.localdate(decided))
    if not consulted:
        return None
    support = last_recorded(allegation.support_records.all())
    due = AdultInformedDue(min(consulted), support.informed_on if support is not None else None)
    if support is not None and support.informed_on is None and support.objection != InformingObjection.NONE:
        held_back = f"Not told yet: {InformingObjection(support.objection).held_back} (section 6.2)"
        return AdultInformedDue(due.due_on, None, held_back)
    return due


@dataclass(frozen=True)
class OutcomeToldDue:
    """The adult told the outcome: due on the day of the outcome."""

    due_on: dt.date
    # The day the first update logged after the outcome was given to them; None while none is.
    done_on: dt.date | None
    # Why they are not to be told yet: the police's or children's social care's objection that stands (6.2).
    held_back: str = ""


def outcome_told_due(allegation: Allegation) -> OutcomeToldDue | None:
    """The adult told the outcome, once concluded; None before, and None where the case manager does not tell them.

    The policy gives no number of days, so, as with the lessons review, it falls due on the day of the outcome.
    A progress update logged after the outcome was recorded, and given on or after the day of the outcome, is the
    outcome told (one logged before told them how the case was going, not how it ended). Not asked of a supply
    worker (appendix 4: "The agency will inform the supply worker of the outcome", which "Send the outcome to the
    agency" asks for), nor of an outcome recorded before Threshold asked (``adult_told_asked``). Held back while
    the police's or children's social care's objection to telling the adult stands (section 6.2).
    """
    outcome = latest_outcome(allegation)
    if outcome is None or allegation.status != AllegationStatus.CONCLUDED or not outcome.adult_told_asked:
        return None
    if allegation.subject_employment == Employment.SUPPLY:
        return None
    told = [
        update.given_on
        for update in allegation.progress_updates.all()
        if update.recorded_at > outcome.recorded_at and update.given_on >= outcome.concluded_on
    ]
    due = OutcomeToldDue(outcome.concluded_on, min(told, default=None))
    support = last_recorded(allegation.support_records.all())
    if due.done_on is None and support is not None and support.objection != InformingObjection.NONE:
        return OutcomeToldDue(due.due_on, None, f"Not told yet: {InformingObjection(support.objection).held_back}")
    return due

"""Reads for the allegation pages: the checklist with due dates, restrictions, lessons, the home panel.

Every function starts from records the caller fetched through
``threshold.access`` (an allegation, or ``visible_allegations``); the
trust-wide restrictions are their own rule, in ``threshold.access.restrictions``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone

from threshold.access import fetch
from threshold.access.restrictions import Restriction as Restriction
from threshold.access.restrictions import restriction_trusts as restriction_trusts
from threshold.access.restrictions import trust_restrictions as trust_restrictions
from threshold.access.subrecords import visible_lessons
from threshold.accounts.models import User
from threshold.allegations import duties
from threshold.allegations.checklist import FOLLOW_UP_LABELS as FOLLOW_UP_LABELS
from threshold.allegations.checklist import PAUSED as PAUSED
from threshold.allegations.checklist import PAUSED_STEPS as PAUSED_STEPS
from threshold.allegations.checklist import REPLACEMENT_COVER as REPLACEMENT_COVER
from threshold.allegations.checklist import ROUTE_STEPS as ROUTE_STEPS
from threshold.allegations.checklist import ROUTE_UNDECIDED as ROUTE_UNDECIDED
from threshold.allegations.checklist import STEP_GUIDANCE as STEP_GUIDANCE
from threshold.allegations.checklist import STEP_TIMESCALES as STEP_TIMESCALES
from threshold.allegations.checklist import ChecklistItem as ChecklistItem
from threshold.allegations.checklist import checklist as checklist
from threshold.allegations.checklist import chosen_route as chosen_route
from threshold.allegations.checklist import cover_due as cover_due
from threshold.allegations.checklist import due_from as due_from
from threshold.allegations.checklist import follow_ups_after, paused_by
from threshold.allegations.checklist import referral_follow_ups as referral_follow_ups
from threshold.allegations.models import (
    AgencyRecord,
    Allegation,
    AllegationStatus,
    Lesson,
    OutcomeRecord,
    PoliceInvolvement,
    RiskAssessment,
    StepRecord,
    SuspensionDecision,
)
from threshold.allegations.police_and_suspension import (
    POLICE_REVIEW,
    POLICE_REVIEW_TEXT,
    POLICE_SHARING,
    RISK_REVIEW,
    RISK_REVIEW_TEXT,
    police_review_due,
)
from threshold.core.querysets import last_recorded as last_recorded
from threshold.policy.pack import Pack
from threshold.timescales.models import Deadline

# The pack's rule on resignations and settlement agreements (policy section 9), if it has one.
SETTLEMENT_RULE = "resignation-and-settlement"
SETTLEMENT_FALLBACK = (
    "Settlement agreements (compromise agreements) do not end the duty to refer: where someone is removed from "
    "regulated activity, or would have been had they not resigned, the duty to refer to the DBS still applies, and "
    "allegations should be concluded even where the person resigns or refuses to cooperate. "
    "(Summarised from Keeping children safe in education, part 4: the {pack} policy pack has no rule on "
    "settlement agreements.)"
)


def settlement_warning(pack: Pack) -> str:
    """The pack's warning on settlement agreements, or a neutral KCSIE summary marked as such."""
    for statement in pack.guidance:
        if statement.id == SETTLEMENT_RULE:
            about = [item for item in statement.items if "settlement" in item.lower()]
            return " ".join([statement.text, *about]) + (f" ({statement.source})" if statement.source else "")
    return SETTLEMENT_FALLBACK.format(pack=pack.id)


@dataclass
class DueItem:
    """Something due on an allegation, for the allegation page and the home page."""

    allegation: Allegation
    text: str
    due: dt.date | dt.datetime
    anchor: str = ""

    @property
    def day(self) -> dt.date:
        """The day it is due (the local day of a moment)."""
        return _as_date(self.due)

    @property
    def overdue(self) -> bool:
        """Whether the date has passed."""
        now = timezone.now() if isinstance(self.due, dt.datetime) else timezone.localdate()
        return self.due < now


def due_items(allegation: Allegation, *, steps: list[ChecklistItem] | None = None) -> list[DueItem]:
    """What is due: unrecorded steps with due dates, the risk assessment and police progress reviews, cover.

    After the outcome: the DBS and TRA referrals still to be made (or a reason
    recorded), the outcome still to be sent to the agency, the lessons-learned review
    and the personnel file (``duty_items``). ``steps``: the allegation's ``checklist`` when the caller has
    worked it out already (the allegation page shows it too).
    """
    if allegation.status == AllegationStatus.CONCLUDED:
        return follow_up_items(allegation)
    steps = checklist(allegation) if steps is None else steps
    items = [
        DueItem(allegation, item.label, item.due, f"step-{item.step}")
        for item in steps
        if item.applies and not item.done and item.due is not None
    ]
    assessment: RiskAssessment | None = last_recorded(allegation.risk_assessments.all())
    if assessment is not None:
        items.append(DueItem(allegation, RISK_REVIEW_TEXT, assessment.review_on, "suspension"))
    police: PoliceInvolvement | None = last_recorded(allegation.police_records.all())
    if (review_on := police_review_due(allegation, police)) is not None:
        items.append(DueItem(allegation, POLICE_REVIEW_TEXT, review_on, "police"))
    cover = cover_due(allegation)
    if cover is not None:
        items.append(DueItem(allegation, "Replacement cover expected from the agency", cover, "agency"))
    told = duties.adult_informed_due(allegation, steps)
    if told is not None and told.done_on is None and not told.held_back:
        items.append(DueItem(allegation, duties.ADULT_INFORMED_LABEL, told.due_on, "support"))
    return sorted(items, key=lambda item: item.day)


def follow_up_items(allegation: Allegation) -> list[DueItem]:
    """After the outcome: referrals to make or reason, and the outcome to send to a supply worker's agency."""
    outcome: OutcomeRecord | None = last_recorded(allegation.outcomes.all())
    if outcome is None:
        return []
    items = [
        DueItem(
            allegation,
            f"{entry['label']} referral {'required' if entry['required'] else 'to consider'}",
            outcome.concluded_on,
            f"prompt-{body}",
        )
        for body, entry in follow_ups_after(allegation, outcome).items()
        if entry["open"]
    ]
    agency: AgencyRecord | None = last_recorded(allegation.agency_records.all())
    if agency is not None and agency.outcome_sent_on is None:
        items.append(DueItem(allegation, "Send the outcome to the agency", outcome.concluded_on, "agency"))
    items.extend(duty_items(allegation, outcome))
    return items


def duty_items(allegation: Allegation, outcome: OutcomeRecord) -> list[DueItem]:
    """After the outcome: the lessons review (11), the record on file, the adult told, the personnel file (8)."""
    items = []
    lessons = duties.lessons_due(allegation)
    if lessons is not None and lessons.done_on is None:
        items.append(DueItem(allegation, duties.LESSONS_LABEL, lessons.due_on, "lessons"))
    kept = duties.file_record_due(allegation)
    if kept is not None and kept.done_on is None:
        items.append(DueItem(allegation, duties.FILE_RECORD_LABEL, kept.due_on, "records"))
    told = duties.outcome_told_due(allegation)
    if told is not None and told.done_on is None and not told.held_back:
        items.append(DueItem(allegation, duties.OUTCOME_TOLD_LABEL, told.due_on, "support"))
    if duties.personnel_file_applies(allegation) and duties.personnel_file_decision(allegation) is None:
        text = "Archive from the personnel file, or record the consent to keep it"
        items.append(DueItem(allegation, text, outcome.concluded_on, "personnel-file"))
    return items


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


# The rows that several parts of the page read (the checklist, what stands, what is due, the pack's advice, the
# duties), each read once for all of them.
ALLEGATION_PAGE_ROWS = ("police_records", "outcomes", "risk_assessments__rows", "referrals__children")


def allegation_for_page(user: User, allegation_id: object, *, request: HttpRequest | None) -> Allegation:
    """The allegation for its page, fetched for ``view`` (404 otherwise), with the rows its parts share read once.

    The history rows that several parts of the page read (``ALLEGATION_PAGE_ROWS``, the referrals with their local
    authority) are read once, one query per table (as ``lado.selectors.case_for_page``, which says why the records
    its keys name are not joined to the fetch). The related managers of a fetched allegation are scoped
    (``threshold.access.guard``), so this reads nothing its reader could not. The parts read them through
    ``.all()`` (``last_recorded``, ``.first()``, ``.count()``), which these rows answer.
    """
    allegation = fetch.access_allegation(user, allegation_id, "view", request=request)
    referrals = Prefetch("referrals", queryset=allegation.referrals.select_related("local_authority"))
    prefetch_related_objects([allegation], referrals, *ALLEGATION_PAGE_ROWS)
    return allegation


def allegation_state(allegation: Allegation, *, steps: list[ChecklistItem] | None = None) -> dict[str, Any]:
    """The latest records that stand on an allegation, for its page.

    ``steps``: the allegation's ``checklist`` when the caller has it (its records give the route chosen).
    """
    # Each read once, though several parts of the page ask for it.
    police: PoliceInvolvement | None = last_recorded(allegation.police_records.all())
    outcome: OutcomeRecord | None = last_recorded(allegation.outcomes.all())
    assessment: RiskAssessment | None = last_recorded(allegation.risk_assessments.all())
    return {
        "referral": allegation.referrals.first(),
        "referral_count": allegation.referrals.count(),
        "risk_assessment": assessment,
        "support": last_recorded(allegation.support_records.all()),
        "progress_updates": list(allegation.progress_updates.select_related("recorded_by")),
        "police": police,
        "paused": paused_by(allegation, police),
        "cover_due": cover_due(allegation),
        "outcome": outcome,
        "file_record": last_recorded(allegation.file_records.all()),
        "lessons": list(allegation.lessons.select_related("recorded_by")),
        "agency_record": last_recorded(allegation.agency_records.select_related("agency")),
        "follow_ups": follow_ups_after(allegation, outcome),
        "route": chosen_route(
            _records_by_step(allegation) if steps is None else {item.step: item.records for item in steps}
        ),
        "suspend_now": allegation.interim_prohibition_order
        and not (assessment and assessment.decision == SuspensionDecision.SUSPEND),
    }


def _records_by_step(allegation: Allegation) -> dict[str, list[StepRecord]]:
    records: dict[str, list[StepRecord]] = {}
    for record in allegation.step_records.all():
        records.setdefault(record.step, []).append(record)
    return records


def allegation_deadlines(user: User, allegation: Allegation) -> dict[str, Deadline]:
    """The allegation's stored deadlines the user may see, by kind, and its agreed reviews by key.

    One-off rows by kind (the checklist's steps, the hearing); each review of the police investigation's progress
    (``police-<record id>``) and of a suspension risk assessment (``assessment-<id>``), and each sharing on the
    police's completion (``completion-<record id>``), by its key.
    """
    rows = fetch.visible_deadlines(user, "view").filter(
        Q(key="") | Q(kind__in=(POLICE_REVIEW, RISK_REVIEW, POLICE_SHARING)), allegation=allegation
    )
    return {row.key or row.kind: row for row in rows}


def allegations_listed(user: User) -> QuerySet[Allegation]:
    """The allegations this person may see, open ones first, newest first within each (one query).

    The allegations page and its spreadsheets read this one list (``threshold.reports.exports``).
    """
    concluded_last = Case(When(status=AllegationStatus.CONCLUDED, then=Value(1)), default=Value(0))
    return (
        fetch.visible_allegations(user)
        .select_related("subject", "organisation")
        .annotate(concluded_last=concluded_last)
        .order_by("concluded_last", "-created_at", "-pk")
    )


def open_allegations_managed(user: User) -> QuerySet[Allegation]:
    """Open allegations this user may change (case manager, DSL, trust, HR), as ``listing.open_managed`` lists them."""
    return (
        fetch.visible_allegations(user, "change")
        .exclude(status=AllegationStatus.CONCLUDED)
        .select_related("subject", "organisation")
    )


def lessons_for(user: User) -> QuerySet[Lesson]:
    """Lessons learned from the allegations this user may see, newest first."""
    return visible_lessons(user, "view").select_related("organisation", "recorded_by", "allegation")

"""Writing what ``bench.synthetic.case_records`` planned, once the cases have ids, with each row's audit event.

Each as its service records it (``record_case_event``: the event and the case's chronology line): the LADO's
first look at the case, the data set completed, the risk measure, the lines of investigation, the meeting, the
referral to Ofsted, the reviews of delay and the conclusion, which the employer's allegation hears of too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench.synthetic.case_records import Life
from bench.synthetic.insert import insert_objects, make
from bench.synthetic.lado import Decided
from bench.synthetic.trail import Trail
from threshold.core.vocabularies import Outcome
from threshold.lado.models import (
    Allocation,
    BodyReferral,
    CaseStatus,
    Conclusion,
    DelayReview,
    Investigation,
    Meeting,
    RiskMeasure,
)
from threshold.lado.models.cases import InvestigationKind, RiskMeasureKind
from threshold.lado.services.case_agencies import INVESTIGATION_OUTCOMES
from threshold.lado.services.meetings import meeting_label


def write_case_records(trail: Trail, opened: list[tuple[Decided, Life]]) -> int:
    """Insert every case's rows (the cases have ids now) and record their events; return how many rows."""
    allocations = [
        make(
            Allocation,
            case=row.case,
            lado=row.decider,
            reason="Opened the case.",
            recorded_by=row.decider,
            recorded_at=row.decided_at,
        )
        for row, _life in opened
    ]
    groups: dict[type, list[Any]] = {
        RiskMeasure: [],
        Investigation: [],
        Meeting: [],
        BodyReferral: [],
        DelayReview: [],
        Conclusion: [],
    }
    for _row, life in opened:
        groups[RiskMeasure] += [life.risk] if life.risk else []
        groups[Investigation] += life.investigations
        groups[Meeting] += [life.meeting] if life.meeting else []
        groups[BodyReferral] += ([life.ofsted] if life.ofsted else []) + life.concluding_referrals
        groups[DelayReview] += life.reviews
        groups[Conclusion] += [life.conclusion] if life.conclusion else []
    insert_objects(Allocation, allocations)
    for model, rows in groups.items():
        insert_objects(model, rows)
    for row, life in opened:
        _events(trail, row, life)
    return len(allocations) + sum(len(rows) for rows in groups.values())


def _events(trail: Trail, row: Decided, life: Life) -> None:
    case = row.case
    assert case is not None
    assert row.decided_at is not None
    assert life.dataset_at is not None
    lado = row.decider.pk
    trail.record(
        at=row.decided_at + dt.timedelta(minutes=3),
        user_id=lado,
        organisation_id=case.local_authority_id,
        action="record.view",
        record_type="case",
        record_id=case.pk,
        details={"record_organisation": case.local_authority_id},
    )
    trail.case_event(
        case,
        user_id=lado,
        at=life.dataset_at,
        action="case.dataset_changed",
        text="Data set changed: " + ", ".join(name.replace("_", " ") for name in life.dataset_changes) + ".",
        changes=life.dataset_changes,
        details={"fields": sorted(life.dataset_changes)},
    )
    if life.risk is not None:
        measure = life.risk
        when = f" from {measure.started_on:%d/%m/%Y}" if measure.started_on else ""
        until = f" to {measure.ended_on:%d/%m/%Y}" if measure.ended_on else ""
        trail.case_event(
            case,
            user_id=lado,
            at=measure.recorded_at,
            action="case.risk_measure_added",
            row=measure.pk,
            text=f"How the risk is managed: {RiskMeasureKind(measure.kind).label}{when}{until}.",
            details={"fields": ["kind", "started_on", "ended_on", "notes"]},
        )
    for line in life.investigations:
        outcomes = dict(INVESTIGATION_OUTCOMES[line.kind])
        trail.case_event(
            case,
            user_id=lado,
            at=line.recorded_at,
            action="case.investigation_recorded",
            row=line.pk,
            text=f"{InvestigationKind(line.kind).label}: recorded, outcome {outcomes[line.outcome].lower()}.",
            details={"kind": line.kind, "outcome": line.outcome, "outcome_detail": False, "supersedes": None},
        )
    if life.meeting is not None:
        meeting = life.meeting
        trail.case_event(
            case,
            user_id=lado,
            at=meeting.created_at,
            action="meeting.recorded",
            row=meeting.pk,
            text=f"{meeting_label(meeting)} recorded, chaired by {meeting.chair_name} ({meeting.chair_agency}).",
            details={"meeting": meeting.pk, "kind": meeting.kind},
        )
    if life.ofsted is not None:
        trail.case_event(
            case,
            user_id=lado,
            at=life.ofsted.recorded_at,
            action="case.body_referral_recorded",
            row=life.ofsted.pk,
            text=f"Referred to Ofsted on {life.ofsted.referred_on:%d/%m/%Y}.",
            details={"body": "ofsted", "referred": True},
        )
    for review in life.reviews:
        trail.case_event(
            case,
            user_id=lado,
            at=review.recorded_at,
            action="case.delay_reviewed",
            row=review.pk,
            text=f"Review of delay: {review.reason} Next review by {review.next_review_on:%d/%m/%Y}.",
            details={
                "reviewed_on": review.reviewed_on.isoformat(),
                "next_review_on": review.next_review_on.isoformat(),
            },
        )
    conclusion = life.conclusion
    if conclusion is None:
        return
    label = Outcome(conclusion.outcome).label.lower()
    referrals = " ".join(
        f"Referred to {row_.body.upper()} on {row_.referred_on:%d/%m/%Y}." for row_ in life.concluding_referrals
    )
    trail.case_event(
        case,
        user_id=lado,
        at=conclusion.recorded_at,
        action="case.concluded",
        row=conclusion.pk,
        text=f"Concluded on {conclusion.concluded_on:%d/%m/%Y}: {label}. {referrals}".strip(),
        changes={"status": (CaseStatus.OPEN, CaseStatus.CONCLUDED), "outcome": ("", conclusion.outcome)},
        details={
            "body_referrals": [row_.pk for row_ in life.concluding_referrals],
            "body_referrals_confirmed": [],
            "pack": f"{conclusion.pack}@{conclusion.pack_version}",
            "no_meeting_reason": bool(conclusion.no_meeting_reason),
            "no_quality_assurance_reason": bool(conclusion.no_quality_assurance_reason),
            "regulated_activity": conclusion.regulated_activity,
            "dataset_missing": [],
        },
    )
    allegation = row.contact.allegation
    if allegation is not None:
        trail.allegation_event(
            allegation,
            user_id=lado,
            at=conclusion.recorded_at,
            action="allegation.lado_concluded",
            text=f"The LADO of {row.contact.local_authority.name} concluded case {case.reference}"
            f" on {conclusion.concluded_on:%d/%m/%Y}: {label}.",
            details={"case": case.pk, "conclusion": conclusion.pk, "outcome": conclusion.outcome},
        )

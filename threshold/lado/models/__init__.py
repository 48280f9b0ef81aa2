"""LADO side: contacts and decisions, cases with the recording data set, meetings.

Every model here is protected: fetch only through ``threshold.access``
(sub-records through the case or meeting they belong to).
"""

from threshold.lado.models.cases import (
    Allocation,
    BodyReferral,
    Case,
    CaseChild,
    CaseShare,
    CaseStatus,
    Conclusion,
    DelayReview,
    Investigation,
    MonitoringReview,
    QualityAssurance,
    RiskMeasure,
    TierChange,
)
from threshold.lado.models.contacts import (
    ConsultationReason,
    Contact,
    ContactMethod,
    ContactSource,
    ContactStatus,
    Decision,
    Level,
)
from threshold.lado.models.employer import DecisionLetter, EmployerOutcomeResponse, LetterMethod
from threshold.lado.models.meetings import (
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingKind,
    MeetingShare,
    MeetingUpdate,
)
from threshold.lado.models.requests import ChaseStage, InformationChase, InformationRequest, RequestStatus

__all__ = [
    "Allocation",
    "BodyReferral",
    "Case",
    "CaseChild",
    "CaseShare",
    "CaseStatus",
    "ChaseStage",
    "Conclusion",
    "ConsultationReason",
    "Contact",
    "ContactMethod",
    "ContactSource",
    "ContactStatus",
    "Decision",
    "DecisionLetter",
    "DelayReview",
    "EmployerOutcomeResponse",
    "InformationChase",
    "InformationRequest",
    "Investigation",
    "LetterMethod",
    "Level",
    "Meeting",
    "MeetingAction",
    "MeetingAttendee",
    "MeetingKind",
    "MeetingShare",
    "MeetingUpdate",
    "MonitoringReview",
    "QualityAssurance",
    "RequestStatus",
    "RiskMeasure",
    "TierChange",
]

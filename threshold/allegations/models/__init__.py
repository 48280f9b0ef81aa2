"""Allegations the employer manages with a case manager. Protected: fetch only through ``threshold.access``.

The allegation itself carries a ``version`` for the few facts that are edited
(employment, reporting restriction, interim prohibition order). Everything the
case manager records after that — each step of section 6, the suspension risk
assessment, support, police involvement, the outcome, the record kept on file,
the agency's part — is an immutable row with who and when: a later row
supersedes an earlier one, nothing is edited in place. ``allegation`` holds the
allegation and what opens it; ``records`` what is recorded as it goes on.
"""

from threshold.allegations.models.allegation import (
    Allegation,
    AllegationStatus,
    Employment,
    InformingObjection,
    ProgressUpdate,
    Referral,
    ReferralChild,
    RiskAssessment,
    RiskManaged,
    RiskRow,
    Route,
    Step,
    StepRecord,
    SupportRecord,
    SuspensionDecision,
)
from threshold.allegations.models.records import (
    AgencyHrManager,
    AgencyLiaison,
    AgencyRecord,
    AgencyReply,
    ConfidentialityRecord,
    ConsentToShare,
    Consulted,
    ContactMethod,
    FileRecord,
    FollowUpBody,
    Lesson,
    LessonsReview,
    LiaisonKind,
    OutcomeRecord,
    ParentUpdate,
    PersonnelFileChoice,
    PersonnelFileDecision,
    PoliceInvolvement,
    ReferralFollowUp,
)

__all__ = [
    "AgencyHrManager",
    "AgencyLiaison",
    "AgencyRecord",
    "AgencyReply",
    "Allegation",
    "AllegationStatus",
    "ConfidentialityRecord",
    "ConsentToShare",
    "Consulted",
    "ContactMethod",
    "Employment",
    "FileRecord",
    "FollowUpBody",
    "InformingObjection",
    "Lesson",
    "LessonsReview",
    "LiaisonKind",
    "OutcomeRecord",
    "ParentUpdate",
    "PersonnelFileChoice",
    "PersonnelFileDecision",
    "PoliceInvolvement",
    "ProgressUpdate",
    "Referral",
    "ReferralChild",
    "ReferralFollowUp",
    "RiskAssessment",
    "RiskManaged",
    "RiskRow",
    "Route",
    "Step",
    "StepRecord",
    "SupportRecord",
    "SuspensionDecision",
]

"""Pages for allegations the employer manages: thin — fetch through ``access``, parse a form, call a service.

Split by part of the policy; ``threshold.allegations.urls`` uses the names re-exported here.
"""

from __future__ import annotations

from threshold.allegations.views.agency import (
    allegation_agency,
    allegation_agency_hr_manager,
    allegation_agency_liaison,
    allegation_agency_reply,
    restrictions,
)
from threshold.allegations.views.allegation import allegation_detail, allegation_edit, allegation_list
from threshold.allegations.views.duties import (
    allegation_confidentiality,
    allegation_lessons_review,
    allegation_personnel_file,
)
from threshold.allegations.views.outcome import (
    allegation_file_copy,
    allegation_file_record,
    allegation_follow_up,
    allegation_lesson,
    allegation_outcome,
    lessons_learned,
)
from threshold.allegations.views.referral import allegation_referral
from threshold.allegations.views.steps import allegation_parent_update, allegation_step
from threshold.allegations.views.suspension import (
    allegation_police,
    allegation_progress_update,
    allegation_risk_assessment,
    allegation_support,
)

__all__ = [
    "allegation_agency",
    "allegation_agency_hr_manager",
    "allegation_agency_liaison",
    "allegation_agency_reply",
    "allegation_confidentiality",
    "allegation_detail",
    "allegation_edit",
    "allegation_file_copy",
    "allegation_file_record",
    "allegation_follow_up",
    "allegation_lesson",
    "allegation_lessons_review",
    "allegation_list",
    "allegation_outcome",
    "allegation_parent_update",
    "allegation_personnel_file",
    "allegation_police",
    "allegation_progress_update",
    "allegation_referral",
    "allegation_risk_assessment",
    "allegation_step",
    "allegation_support",
    "lessons_learned",
    "restrictions",
]

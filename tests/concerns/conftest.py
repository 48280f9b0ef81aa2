"""Fixtures for concern tests: the demo world's organisations and a helper to share a concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.concerns import services
from threshold.concerns.models import Concern
from threshold.demo import world


@pytest.fixture
def oakfield(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.OAKFIELD)


@pytest.fixture
def share(oakfield: Organisation):
    """Share a concern at Oakfield: ``share(actor, subject_user=..., anonymous=...)``."""

    def _share(actor: User, **overrides: Any) -> Concern:
        values: dict[str, Any] = {
            "organisation": oakfield,
            "subject_user": None,
            "subject_name": "Chris Coach",
            "subject_role": "Sports coach",
            "anonymous": False,
            "raised_on": timezone.localdate() - dt.timedelta(days=1),
            "how_arose": "suspicion",
            "details": "Chris kept a pupil behind alone in the sports hall after the lesson.",
            "headteacher_conflict": False,
        }
        values.update(overrides)
        return services.concern_share(actor=actor, **values)

    return _share


# A pattern of low-level concerns that now meets the harm threshold: the adult may not be suitable to work with
# children (the policy: "where a pattern of behaviour moves from a concern to meeting the harms threshold").
UNSUITABLE: dict[str, bool | None] = {"may_be_unsuitable_to_work_with_children": True}

TIER_2_FACTS = {
    "inconsistent_with_code_of_conduct": True,
    "harmed_or_may_have_harmed_child": False,
    "possible_criminal_offence": False,
    "behaviour_indicates_risk_of_harm": False,
    "may_be_unsuitable_to_work_with_children": False,
    "incident_pattern": "accidental",
}

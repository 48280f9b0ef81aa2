"""An allegation's clocks start on the day the concern was raised with the school, not the day it was typed in.

Policy Appendix 5: "The Local Authority Designated Officer(s) should be informed of all allegations that come to
an organisation's attention"; Appendix 2 asks for "2. Date the concern was raised". A parent's complaint raised on
Tuesday 1 December 2026 and typed in by Hana on Friday 4 December is due to the LADO on Wednesday 2 December.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.allegations.test_triage_follows import TIER_4
from tests.clock import on
from threshold.accounts.models import Organisation
from threshold.allegations.checklist import checklist
from threshold.allegations.models import Allegation, Step
from threshold.concerns import services as concern_services
from threshold.concerns.models import Concern, Triage
from threshold.demo import world
from threshold.policy import add_working_days

pytestmark = pytest.mark.django_db


def parents_complaint(persona, *, raised_on: dt.date, recorded_on: dt.date) -> Concern:
    """Hana (head) types in a parent's complaint on ``recorded_on`` that was raised with the school on ``raised_on``."""
    with on(recorded_on):
        return concern_services.concern_share(
            actor=persona("hana"),
            organisation=Organisation.objects.get(name=world.OAKFIELD),
            subject_user=None,
            subject_name="Chris Coach",
            subject_role="Sports coach",
            anonymous=False,
            raised_on=raised_on,
            raised_by="Pupil's mother",
            how_arose="disclosure_parent",
            details="Mother says the coach grabbed her son's arm in PE; the bruise was seen by the class teacher.",
            headteacher_conflict=False,
        )


def triage_tier_4(persona, concern: Concern, day: dt.date, **facts: Any) -> Allegation:
    with on(day):
        triage = concern_services.concern_triage(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            raw_facts={**TIER_4, **facts},
            decision="allegation",
            rationale="Injury seen by a member of staff: Tier 4.",
        )
    assert isinstance(triage, Triage)
    assert triage.allegation is not None
    return Allegation.objects.get(pk=triage.allegation.pk)


def test_the_inform_the_lado_clock_starts_when_the_concern_was_raised_not_when_it_was_typed_in(persona) -> None:
    """Policy App. 5: "The LADO(s) should be informed of all allegations that come to an organisation's attention";
    App. 2 Q2 "Date the concern was raised". Raised Tue 1 Dec 2026, typed in Fri 4 Dec, triaged the same day."""
    raised, typed = dt.date(2026, 12, 1), dt.date(2026, 12, 4)
    concern = parents_complaint(persona, raised_on=raised, recorded_on=typed)
    allegation = triage_tier_4(persona, concern, typed)

    # The triage's advice counts from the day raised, and so does the allegation it opens (it counted from the day
    # the concern was typed in: step 2 due 7 December, not overdue until then).
    assert allegation.concern is not None
    assert allegation.concern.triage.result is not None
    advice = {d["id"]: d["due"] for d in allegation.concern.triage.result["deadlines"]}
    assert advice["inform-lado"] == "2026-12-02"
    assert allegation.attention_date() == raised
    step2 = next(item for item in checklist(allegation) if item.step == Step.DISCUSS_WITH_LADO)
    assert step2.due == add_working_days(raised, 1) == dt.date(2026, 12, 2)

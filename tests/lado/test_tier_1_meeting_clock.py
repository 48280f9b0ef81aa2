"""A case moved up to Tier 1 is due its meeting from the day it moved, not overdue at once from its receipt.

Protocol: "There may be occasions where apparently less complex or serious cases are managed as Tier 1. For
example when a pattern of allegations are emerging"; "In Tier 1 cases a Strategy Meeting, or a meeting convened by
the LADO will be held" (the pack: within 5 working days).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import on
from tests.lado.nursery import lara_decides, refer_nursery_allegation
from threshold.lado.selectors import case_deadlines
from threshold.lado.services.case_allocation import case_change_tier

pytestmark = pytest.mark.django_db


def test_a_case_moved_to_tier_1_is_not_overdue_for_its_evaluation_meeting_on_the_day_it_moves(persona, ids) -> None:
    """Protocol: "There may be occasions where apparently less complex or serious cases are managed as Tier 1. For
    example when a pattern of allegations are emerging"; "In Tier 1 cases a Strategy Meeting, or a meeting convened
    by the LADO will be held" (pack: within 5 working days). A Tier 2 case moved to Tier 1 after a month."""
    received = dt.date(2026, 11, 2)
    with on(received):
        case = lara_decides(persona, refer_nursery_allegation(persona, ids), "tier-2")
    moved = dt.date(2026, 12, 7)
    with on(moved):
        case_change_tier(
            actor=persona("lara"),
            case=case,
            tier="tier-1",
            reason="A second nursery has reported the same worker: a pattern is emerging.",
            expected_version=case.version,
        )
        case.refresh_from_db()
        meeting = next(d.clock for d in case_deadlines(case, moved) if d.clock.id == "evaluation-meeting")
    # It was due 9 November (5 working days from receipt, before the case was Tier 1) and overdue at once.
    assert not meeting.overdue
    assert meeting.due == dt.date(2026, 12, 14)  # five working days from Monday 7 December

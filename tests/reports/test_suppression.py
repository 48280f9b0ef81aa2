"""Small-number suppression of the LADO report's figures (``lado_report.suppression``), on figures made by hand.

The rule: counts from 1 to N-1 are "fewer than N"; where a hidden count could be worked out (from a total and
the other lines, from the same count shown twice, or from the period before), the smallest count still shown
beside it is hidden too and both read "withheld"; 0 stays 0; a role typed on fewer than N referrals is counted
under "other roles". The report's own figures are checked in ``test_lado_report.py``.
"""

from __future__ import annotations

import copy
from typing import Any

from threshold.reports.lado_report.suppression import WITHHELD, fewer_than, suppress

NOTHING_BEFORE: dict[str, Any] = {}


def a_period(**figures: Any) -> dict[str, Any]:
    """A period's figures: those given, on top of a small service with every tie the suppression knows."""
    base: dict[str, Any] = {
        "period": {"from": "2025-04-01", "to": "2026-03-31", "label": "2025 to 2026"},
        "contacts": 40,
        "by_source": {"police": 3, "employer": 12, "health": 25, "ofsted": 0},
        "by_decision": {"consultation": 10, "tier-2": 20, "tier-1": 10, "awaiting": 0},
        "consultations": 10,
        "consultations_by_reason": {"practice_issue": 6, "not_working_with_children": 4},
        "referrals": 30,
        "by_sector": {"school": 12, "health": 18},
        "by_phase": {"primary": 6, "secondary": 6, "not_recorded": 0},
        "by_role": {"teacher": 12, "harp teacher": 1, "other_roles": 0, "not_recorded": 17},
        "by_outcome": {"substantiated": 10, "unfounded": 10, "open": 20},
        "timeliness": {"concluded": 20, "within_one_month": 15, "within_one_month_percent": 75.0},
        "by_lado": {"Lara Lado": {"contacts": 40, "referrals": 30, "concluded": 20, "open_at_end": 20}},
    }
    base.update(figures)
    return base


def test_one_small_count_takes_the_next_smallest_with_it_so_the_total_cannot_give_it_back() -> None:
    figures, _ = suppress(a_period(), NOTHING_BEFORE, 5)
    assert figures["contacts"] == 40
    assert figures["by_source"] == {"police": WITHHELD, "employer": WITHHELD, "health": 25, "ofsted": 0}
    # 40 - 25 = 15 is all a reader learns: 3 and 12, 7 and 8 or 12 and 3 (which line is the small one is not said).
    hidden = [key for key, value in figures["by_source"].items() if value == WITHHELD]
    assert len(hidden) == 2


def test_two_small_counts_protect_each_other_and_read_fewer_than() -> None:
    period = a_period(by_source={"police": 3, "employer": 2, "health": 35, "ofsted": 0})
    figures, _ = suppress(period, NOTHING_BEFORE, 5)
    assert figures["by_source"] == {"police": fewer_than(5), "employer": fewer_than(5), "health": 35, "ofsted": 0}


def test_a_breakdown_nobody_listed_is_protected_by_its_shape() -> None:
    figures, _ = suppress(a_period(by_weekday={"monday": 2, "tuesday": 30, "wednesday": 8}), NOTHING_BEFORE, 5)
    assert figures["by_weekday"] == {"monday": WITHHELD, "tuesday": 30, "wednesday": WITHHELD}


def test_zero_stays_zero_and_a_lone_small_count_beside_zeros_hides_nothing_more() -> None:
    period = a_period(by_phase={"primary": 0, "secondary": 0, "not_recorded": 0}, by_sector={"school": 0, "health": 30})
    figures, _ = suppress(period, NOTHING_BEFORE, 5)
    assert figures["by_phase"] == {"primary": 0, "secondary": 0, "not_recorded": 0}
    assert figures["by_source"]["ofsted"] == 0
    lone = a_period(
        by_outcome={"substantiated": 2, "unfounded": 0, "open": 20}, timeliness={"concluded": 2}, by_lado={}
    )
    figures, _ = suppress(lone, NOTHING_BEFORE, 5)
    assert figures["by_outcome"] == {"substantiated": fewer_than(5), "unfounded": 0, "open": 20}
    assert figures["timeliness"]["concluded"] == fewer_than(5)


def test_a_line_withheld_to_protect_another_is_protected_in_the_breakdown_that_adds_up_to_it() -> None:
    # School (12) is withheld beside health (3); the phases, which add up to the school line, must not give it back.
    period = a_period(by_sector={"school": 12, "health": 3, "faith": 15})
    figures, _ = suppress(period, NOTHING_BEFORE, 5)
    assert figures["by_sector"] == {"school": WITHHELD, "health": WITHHELD, "faith": 15}
    # Shown in full, the phases would add up to 12; with one withheld, school and health stay two unknowns.
    assert figures["by_phase"] == {"primary": WITHHELD, "secondary": 6, "not_recorded": 0}


def test_a_count_shown_twice_is_hidden_in_both_places() -> None:
    period = a_period(
        by_decision={"consultation": 12, "tier-2": 24, "tier-1": 4, "awaiting": 0},
        consultations=12,
        consultations_by_reason={"practice_issue": 6, "not_working_with_children": 6},
    )
    figures, _ = suppress(period, NOTHING_BEFORE, 5)
    assert figures["by_decision"] == {"consultation": WITHHELD, "tier-2": 24, "tier-1": WITHHELD, "awaiting": 0}
    assert figures["consultations"] == WITHHELD
    # Nor may the reasons add up to the consultations withheld: one of them goes too.
    assert figures["consultations_by_reason"] == {"practice_issue": WITHHELD, "not_working_with_children": 6}


def test_the_period_before_cannot_give_back_the_cases_open_at_the_end() -> None:
    # Open now = open a year ago + received - concluded: 3 = 8 + 30 - 35, so the 8 is withheld with the 3.
    this = a_period(
        by_outcome={"substantiated": 20, "unfounded": 15, "open": 3},
        timeliness={"concluded": 35, "within_one_month": 15, "within_one_month_percent": 42.9},
        by_lado={"Lara Lado": {"contacts": 40, "referrals": 30, "concluded": 35, "open_at_end": 3}},
    )
    before = a_period(
        by_outcome={"substantiated": 10, "unfounded": 10, "open": 8},
        by_lado={"Lara Lado": {"contacts": 40, "referrals": 30, "concluded": 20, "open_at_end": 8}},
    )
    figures, previous = suppress(this, before, 5)
    assert figures["by_outcome"]["open"] == WITHHELD
    assert previous["by_outcome"]["open"] == WITHHELD
    assert previous["by_lado"]["Lara Lado"]["open_at_end"] == WITHHELD
    assert figures["timeliness"]["concluded"] == 35


def test_with_nothing_open_before_the_cases_concluded_are_withheld_and_their_percentage_with_them() -> None:
    this = a_period(
        by_outcome={"substantiated": 20, "unfounded": 15, "open": 3},
        timeliness={"concluded": 35, "within_one_month": 15, "within_one_month_percent": 42.9},
        by_lado={},
    )
    before = a_period(by_outcome={"substantiated": 0, "unfounded": 0, "open": 0}, by_lado={})
    figures, _ = suppress(this, before, 5)
    assert figures["timeliness"]["concluded"] == WITHHELD
    assert figures["timeliness"]["within_one_month_percent"] is None
    # The outcomes add up to the cases concluded: one of them goes too.
    assert figures["by_outcome"] == {"substantiated": 20, "unfounded": WITHHELD, "open": WITHHELD}


def test_a_rare_role_is_counted_under_other_roles_so_its_name_never_appears() -> None:
    figures, previous = suppress(a_period(), a_period(), 5)
    for each in (figures, previous):
        assert "harp teacher" not in each["by_role"]
    # The harp teacher's 1 is now "other roles", fewer than 5, so the next smallest line (teacher) goes with it.
    assert figures["by_role"] == {"teacher": WITHHELD, "other_roles": WITHHELD, "not_recorded": 17}


def test_with_suppression_off_every_figure_and_role_is_exact() -> None:
    this, before = a_period(), a_period(contacts=3)
    for below in (None, 0, 1):
        figures, previous = suppress(copy.deepcopy(this), copy.deepcopy(before), below)
        assert (figures, previous) == (this, before)
    assert suppress(this, before, None)[0]["by_role"]["harp teacher"] == 1

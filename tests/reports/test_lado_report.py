"""The LADO report over a hand-built year (tests/reports/lado_year.py): every figure, as Mo, Lara and Ada count it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import demo_record_ids
from tests.lado.nursery import open_nursery_case
from tests.reports.lado_year import NOW, YEAR_END, YEAR_START, build_lado_year
from threshold.accounts.models import Organisation
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case
from threshold.reports.lado_report import LadoReport, labels, lado_report
from threshold.reports.periods import between, financial_year

YEAR = between(YEAR_START, YEAR_END)


def zeros(choices: labels.Choices, **counts: int) -> dict[str, int]:
    """Every key of a breakdown at 0 except those given."""
    return {key: counts.get(key, 0) for key, _ in choices}


@pytest.fixture
def year(persona: Any) -> Iterator[None]:
    """The hand-built year, seen on 1 May 2026."""
    with time_machine.travel(NOW, tick=False):
        build_lado_year(persona)
        yield


def report_for(persona: Any, key: str, **options: Any) -> LadoReport:
    """The persona's report of the year, counted afresh (these tests change records between counts)."""
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    return lado_report(user=persona(key), authority=northshire, period=YEAR, **{"count_again": True, **options})


def test_the_year_is_the_financial_year_2025_to_2026() -> None:
    assert financial_year(YEAR_START) == YEAR
    assert YEAR.label == "2025 to 2026"


def test_mo_counts_the_contacts_and_what_was_decided_by_the_day_received(year: None, persona: Any) -> None:
    figures = report_for(persona, "mo").figures
    assert figures["period"] == {"from": "2025-04-01", "to": "2026-03-31", "label": "2025 to 2026"}
    # C1 at 00:30 on 1 April 2025 and C2 at 23:30 on 31 March 2026 are in; C3 (23:30 on 31 March 2025), C4
    # (00:30 on 1 April 2026) and Southvale's contact are not.
    assert figures["contacts"] == 9
    assert figures["by_decision"] == {"consultation": 2, "tier-2": 3, "tier-1": 2, "awaiting": 2}
    assert figures["consultations"] == 2
    # C5's first decision (no safeguarding concern) was reopened as Tier 2: only the decision that stands counts.
    assert figures["consultations_by_reason"] == zeros(labels.REASONS, not_working_with_children=1, practice_issue=1)
    assert figures["by_source"] == zeros(
        labels.SOURCES, threshold=1, employer=2, police=2, health=1, other_local_authority=1, parent=1, public=1
    )
    assert figures["by_quarter"] == {"Q1": 3, "Q2": 3, "Q3": 1, "Q4": 2}
    assert figures["repeat_subjects"] == 1
    assert figures["subjects_with_earlier_contacts"] == 1
    assert figures["subjects_with_earlier_referrals"] == 1
    assert figures["employer_referral_timeliness"] == {
        "from_employer": 3,
        "measured": 2,
        "within_one_working_day": 1,
        "not_known": 1,
        "within_one_working_day_percent": 50.0,
    }


def test_mo_counts_the_referrals_by_the_day_received(year: None, persona: Any) -> None:
    figures = report_for(persona, "mo").figures
    assert figures["referrals"] == 5
    assert figures["by_tier"] == {"tier-1": 2, "tier-2": 3, "not_recorded": 0}
    assert figures["by_sector"] == zeros(labels.SECTORS, school=2, early_years=1, faith=1, sport=1)
    # The two school referrals by their employer's phase in Threshold: K1 Oakfield (primary), K5 Hillcrest.
    assert figures["by_phase"] == zeros(labels.PHASES, primary=1, secondary=1)
    assert figures["by_employer_kind"] == zeros(labels.EMPLOYER_KINDS, school=2, not_in_threshold=3)
    assert figures["by_teacher"] == {"yes": 1, "no": 1, "not_known": 3}
    assert figures["by_role"] == {
        "teacher": 2,
        "football coach": 1,
        "nursery practitioner": 1,
        "other_roles": 0,
        "not_recorded": 1,
    }
    assert figures["by_category"] == {
        "physical": 1,
        "sexual": 1,
        "emotional": 1,
        "neglect": 1,
        "conduct": 1,
        "not_recorded": 1,
    }
    assert figures["by_recency"] == {"recent": 3, "non_recent": 1, "not_recorded": 1}
    assert figures["non_recent"] == 1
    assert figures["by_risk_measure"] == {"suspended": 1, "restricted": 1, "redeployed": 0, "none": 1}
    assert (figures["suspended"], figures["restricted_duties"]) == (1, 1)
    assert figures["by_investigation"] == zeros(labels.INVESTIGATIONS, criminal=2, section_47=1, disciplinary=2)
    assert figures["police_involved"] == 2
    # K1's strategy meeting, K3's section 47 enquiry, K7 managed by children's social care.
    assert figures["csc_involved"] == 3
    assert figures["referrals_by_quarter"] == {"Q1": 2, "Q2": 2, "Q3": 0, "Q4": 1}


def test_a_school_referral_counts_under_its_own_phase_else_its_employers_else_not_recorded(
    year: None, persona: Any
) -> None:
    northshire_cases = Case.objects.filter(local_authority__name=world.NORTHSHIRE)
    # K5's LADO knows better than Hillcrest's record; K7's employer (typed, not in Threshold) becomes a school with
    # no phase; K3's sports club gets a phase that counts nowhere, because it is not in the school sector.
    northshire_cases.filter(employer__name=world.HILLCREST).update(school_phase="special")
    northshire_cases.filter(sector="faith").update(sector="school")
    northshire_cases.filter(adult_role="Football coach").update(school_phase="secondary")
    figures = report_for(persona, "mo").figures
    assert figures["by_phase"] == zeros(labels.PHASES, primary=1, special=1, not_recorded=1)
    assert sum(figures["by_phase"].values()) == figures["by_sector"]["school"] == 3
    Organisation.objects.filter(name=world.OAKFIELD).update(phase="")
    assert report_for(persona, "mo").figures["by_phase"] == zeros(labels.PHASES, special=1, not_recorded=2)


def test_mo_counts_outcomes_and_timeliness_by_the_day_concluded(year: None, persona: Any) -> None:
    figures = report_for(persona, "mo").figures
    # K1, K2, K3 and K4 (received last year) concluded this year; K5 and K7 are open on 31 March 2026.
    assert figures["by_outcome"] == {
        "substantiated": 1,
        "malicious": 0,
        "false": 1,
        "unsubstantiated": 1,
        "unfounded": 1,
        "open": 2,
    }
    assert figures["timeliness"] == {
        "concluded": 4,
        "within_one_month": 1,
        "within_one_month_percent": 25.0,
        "within_three_months": 2,
        "within_three_months_percent": 50.0,
        "within_twelve_months": 3,
        "within_twelve_months_percent": 75.0,
        # 20, 60, 200 and 400 days.
        "median_days_to_conclusion": 130,
        # C1, K1c (Monday 5 May was a bank holiday: Tuesday is in time), C5, K3c (Friday to Monday) and K5c.
        "decided_within_one_working_day": 5,
        "decided_within_one_working_day_percent": 55.6,
    }
    outcomes = figures["investigation_outcomes"]
    # K1's criminal line was "ongoing", then "charged": the row that stands counts.
    assert outcomes["criminal"] == zeros(
        [*labels.investigation_outcome_choices("criminal"), (labels.NOT_RECORDED, "")], charge=1, no_further_action=1
    )
    assert outcomes["section_47"]["not_substantiated"] == 1
    assert outcomes["disciplinary"]["dismissal"] == 1
    assert outcomes["disciplinary"]["written_warning"] == 1
    assert sum(n for line in outcomes.values() for n in line.values()) == 5


def test_mo_counts_meetings_and_referrals_to_other_bodies_by_their_own_dates(year: None, persona: Any) -> None:
    figures = report_for(persona, "mo").figures
    # K3's strategy meeting at 23:30 on 31 March 2026 is this year's; the one at 00:30 on 1 April is not.
    assert figures["meetings"] == 4
    assert figures["meetings_by_kind"] == {"strategy": 2, "allegations_management": 1, "review": 1}
    # K4's DBS referral was corrected as not made; K3's was considered and not made.
    assert (figures["dbs_referrals"], figures["tra_referrals"], figures["ofsted_notifications"]) == (1, 1, 1)


def test_mo_sees_each_lados_workload(year: None, persona: Any) -> None:
    assert report_for(persona, "mo").figures["by_lado"] == {
        "Lara Lado": {"contacts": 3, "referrals": 3, "concluded": 3, "open_at_end": 1},
        "Mo Manager": {"contacts": 2, "referrals": 1, "concluded": 1, "open_at_end": 0},
        "Not allocated": {"contacts": 4, "referrals": 1, "concluded": 0, "open_at_end": 1},
    }


def test_the_previous_year_is_counted_the_same_way_for_comparison(year: None, persona: Any) -> None:
    report = report_for(persona, "mo")
    assert report.previous_period.label == "2024 to 2025"
    before = report.previous
    assert before["contacts"] == 3
    assert before["by_decision"] == {"consultation": 1, "tier-2": 1, "tier-1": 1, "awaiting": 0}
    assert before["referrals"] == 2
    assert before["by_outcome"] == zeros(labels.outcomes(report.pack), malicious=1, open=1)
    assert before["timeliness"]["concluded"] == 1
    assert before["timeliness"]["within_one_month"] == 1
    assert before["timeliness"]["median_days_to_conclusion"] == 28
    assert before["timeliness"]["decided_within_one_working_day_percent"] == 100.0
    assert (before["dbs_referrals"], before["meetings"]) == (1, 1)
    assert before["by_quarter"] == {"Q1": 1, "Q2": 0, "Q3": 1, "Q4": 1}


def test_lara_never_counts_the_contact_about_her_and_ada_counts_what_mo_counts(year: None, persona: Any) -> None:
    mo, lara, ada = (report_for(persona, key).figures for key in ("mo", "lara", "ada"))
    assert ada == mo
    assert lara["contacts"] == mo["contacts"] - 1 == 8
    assert lara["by_source"]["public"] == 0
    assert lara["by_decision"]["awaiting"] == 1
    assert lara["timeliness"]["decided_within_one_working_day_percent"] == 62.5
    assert lara["by_lado"]["Not allocated"]["contacts"] == 3
    assert {key: lara[key] for key in ("referrals", "by_outcome", "meetings")} == {
        key: mo[key] for key in ("referrals", "by_outcome", "meetings")
    }


@pytest.mark.parametrize("key", ["sam", "hana", "priya", "pat", "olu", "sid"])
def test_nobody_outside_northshires_lado_service_produces_its_report(key: str, year: None, persona: Any) -> None:
    with pytest.raises(PermissionDenied):
        report_for(persona, key)


def test_producing_the_report_is_audited_without_records_or_names(year: None, persona: Any) -> None:
    before = AuditEvent.objects.count()
    report_for(persona, "mo", output="xlsx")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.action == "report.produced"
    assert event.record_id == ""
    assert event.details == {
        "report": "lado",
        "authority": Organisation.objects.get(name=world.NORTHSHIRE).pk,
        "from": "2025-04-01",
        "to": "2026-03-31",
        "format": "xlsx",
        "suppress_below": None,
        "counted_at": "2026-05-01T11:00:00+00:00",
        "counted": "now",
    }


def test_small_numbers_are_suppressed_on_request(year: None, persona: Any) -> None:
    report = report_for(persona, "mo", suppress_below=3)
    figures = report.figures
    assert figures["contacts"] == 9
    assert figures["by_decision"] == {
        "consultation": "fewer than 3",
        "tier-2": 3,
        "tier-1": "fewer than 3",
        "awaiting": "fewer than 3",
    }
    assert figures["by_source"]["ofsted"] == 0
    # One case within a month of four: neither the count nor its percentage is shown; the median of four is.
    assert figures["timeliness"]["within_one_month"] == "fewer than 3"
    assert figures["timeliness"]["within_one_month_percent"] is None
    assert figures["timeliness"]["within_three_months_percent"] is None
    assert figures["timeliness"]["within_twelve_months_percent"] == 75.0
    assert figures["timeliness"]["median_days_to_conclusion"] == 130
    assert figures["employer_referral_timeliness"]["within_one_working_day_percent"] is None
    assert figures["period"]["label"] == "2025 to 2026"
    assert report.suppressed(None).figures == report_for(persona, "mo").figures


def test_a_breakdown_with_one_small_count_withholds_the_next_smallest_so_the_total_cannot_give_it_back(
    year: None, persona: Any
) -> None:
    report = report_for(persona, "mo", suppress_below=3)
    # Tier 1 (2) is below 3; shown beside the exact Tier 2 (3) it would be 5 - 3. Both are withheld; 0 stays 0.
    assert report.figures["referrals"] == 5
    assert report.figures["by_tier"] == {"tier-1": "withheld", "tier-2": "withheld", "not_recorded": 0}
    tiers = {table.key: table for table in report.tables()}["by_tier"]
    assert [row.values[0] for row in tiers.rows] == ["withheld", "withheld", 0]
    assert "withheld" in tiers.notes[-1]
    assert "every count is fewer than the threshold or withheld" in tiers.summary
    # Three decisions below 3 protect one another and keep their words.
    assert report.figures["by_decision"]["tier-1"] == "fewer than 3"


def test_a_role_typed_on_fewer_referrals_than_the_threshold_is_counted_under_other_roles(
    year: None, persona: Any
) -> None:
    report = report_for(persona, "mo", suppress_below=2)
    # The football coach and the nursery practitioner (one referral each) are two "other roles".
    assert report.figures["by_role"] == {"teacher": "withheld", "other_roles": 2, "not_recorded": "withheld"}
    roles = {table.key: table for table in report.tables()}["by_role"]
    assert [row.label for row in roles.rows] == ["Teacher", "Other roles", "Not recorded"]
    assert "football coach" in report.suppressed(None).figures["by_role"]


def test_every_table_is_titled_says_how_it_counts_and_names_rows_in_words(year: None, persona: Any) -> None:
    tables = {table.key: table for table in report_for(persona, "mo").tables()}
    assert len(tables) == len(report_for(persona, "mo").tables())
    for table in tables.values():
        assert table.title
        assert table.counted_by.startswith(("Counted by", "Each line says", "Contacts"))
    tiers = tables["by_tier"]
    assert tiers.columns == ("Tier", "2025 to 2026", "2024 to 2025")
    assert [(row.label, row.values) for row in tiers.rows] == [
        ("Tier 1", (2, 1)),
        ("Tier 2", (3, 1)),
        ("Not recorded", (0, 0)),
    ]
    assert tiers.counted_by == "Counted by the date the referral was received, both ends of the period included."
    outcomes = tables["by_outcome"]
    assert [row.label for row in outcomes.rows] == [
        "Substantiated",
        "Malicious",
        "False",
        "Unsubstantiated",
        "Unfounded",
        "Open at the end of the period",
    ]
    assert outcomes.counted_by == "Counted by the date the case concluded, both ends of the period included."
    sources = tables["by_source"]
    assert ("Employer, by referral in Threshold", (1, 0)) in [(row.label, row.values) for row in sources.rows]
    assert sources.total() == 9
    investigations = tables["investigation_outcomes"]
    assert [row.label for row in investigations.rows] == [
        "Criminal (police): No further action",
        "Criminal (police): Charged",
        "Section 47 enquiry (children's social care): Concerns not substantiated",
        "Disciplinary (employer): Dismissed",
        "Disciplinary (employer): Written warning",
    ]
    assert [(row.label, row.values) for row in tables["by_quarter"].rows] == [
        ("Q1", (3, 2)),
        ("Q2", (3, 2)),
        ("Q3", (1, 0)),
        ("Q4", (2, 1)),
    ]
    assert tables["timeliness"].chart == "none"
    phases = tables["by_phase"]
    assert phases.title == "Referrals in the school sector by phase of education"
    assert [(row.label, row.values) for row in phases.rows if row.values != (0, 0)] == [
        ("Primary", (1, 0)),
        ("Secondary", (1, 0)),
    ]
    assert [row.label for row in phases.rows][-1] == "Not recorded"


def test_the_report_takes_the_same_number_of_queries_on_a_world_three_times_larger(persona: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        build_lado_year(persona)
        with CaptureQueriesContext(connection) as small:
            small_report = report_for(persona, "mo")
        build_lado_year(persona, copies=2)
        with CaptureQueriesContext(connection) as large:
            large_report = report_for(persona, "mo")
    assert large_report.figures["contacts"] == 3 * small_report.figures["contacts"]
    assert large_report.figures["timeliness"]["median_days_to_conclusion"] == 130
    assert len(large.captured_queries) == len(small.captured_queries)
    # Counting both periods, then keeping the figures for the reader (ADR 0045): a delete and an insert.
    assert len(small.captured_queries) <= 44


def test_a_referral_decided_through_the_services_is_counted_where_the_data_set_puts_it(persona: Any) -> None:
    ids = demo_record_ids()
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    period = financial_year(timezone.localdate())

    def figures() -> dict[str, Any]:
        return lado_report(user=persona("mo"), authority=northshire, period=period, count_again=True).figures

    before = figures()
    open_nursery_case(persona, ids)
    after = figures()
    for path in (
        ("contacts",),
        ("referrals",),
        ("by_decision", "tier-2"),
        ("by_tier", "tier-2"),
        ("by_source", "threshold"),
        ("by_employer_kind", "early_years"),
        ("timeliness", "decided_within_one_working_day"),
        ("by_outcome", "open"),
    ):
        old: Any = before
        new: Any = after
        for key in path:
            old, new = old[key], new[key]
        assert new == old + 1, path


def test_a_table_whose_every_count_is_suppressed_does_not_say_none(year: None, persona: Any) -> None:
    tables = {table.key: table for table in report_for(persona, "mo", suppress_below=5).tables()}
    tiers = tables["by_tier"]
    assert all(not isinstance(row.values[0], int) or row.values[0] == 0 for row in tiers.rows)
    assert "none." not in tiers.summary
    assert "every count is fewer than the threshold" in tiers.summary

"""The allegation page's presenter: the words, Yes and No, dates and links the page shows, section by section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from tests.lado.nursery import accept_employers_outcome, not_known_reasons, nursery_allegation, open_nursery_case
from threshold.allegations import services
from threshold.allegations.models import Allegation, Step
from threshold.allegations.presenters.allegation import allegation_page
from threshold.allegations.presenters.outcome import kept_until
from threshold.jinja2 import govuk_date
from threshold.lado.services.conclusion import case_conclude

TODAY = timezone.localdate
LINK_SECTIONS = (
    "details_links",
    "referral_links",
    "suspension_links",
    "support_links",
    "police_links",
    "outcome_links",
    "file_record_links",
    "lessons_links",
)


def _rows(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {row["key"]["text"]: str(row["value"].get("text", row["value"].get("html"))) for row in rows}


def _steps(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["step"]: row for row in page["steps"]}


def _conclude(persona, allegation: Allegation, **overrides: Any) -> None:
    values: dict[str, Any] = {
        "report": "Two witnesses and CCTV.",
        "outcome": "substantiated",
        "concluded_on": TODAY(),
        "disciplinary_route": "Hearing cancelled: resigned.",
        **overrides,
    }
    services.outcome_record(actor=persona("hana"), allegation=allegation, **values)


def test_a_new_allegation_says_who_it_is_about_and_that_nothing_is_referred_yet(chris_allegation) -> None:
    page = allegation_page(chris_allegation, can_change=True)
    rows = _rows(page["summary_rows"])
    assert "Chris Coach" in rows["Adult concerned"]
    assert rows["Teacher accused by a pupil"] == "No"
    assert rows["Interim prohibition order"] == "No"
    assert not rows["Status"].endswith("(internal investigation paused: police involved)")
    assert page["referral"] is None
    assert [link.text for link in page["referral_links"]] == ["Refer to the LADO"]
    assert page["agency"] is None


def test_the_case_manager_is_offered_a_link_to_record_every_step_and_to_refer_from_step_2(chris_allegation) -> None:
    steps = _steps(allegation_page(chris_allegation, can_change=True))
    assert [link.text for link in steps[Step.DISCUSS_WITH_LADO]["links"]] == ["Refer to the LADO", "Record"]
    # Step 9 is a log of contacts with the parents or carers: each is logged, not recorded over the last.
    assert all(
        row["links"][-1].text == ("Log a contact" if step == Step.PARENTS_KEPT_INFORMED else "Record")
        for step, row in steps.items()
    )
    assert steps[Step.DISCUSS_WITH_LADO]["links"][-1].hidden == steps[Step.DISCUSS_WITH_LADO]["label"]


def test_someone_who_may_only_read_the_allegation_is_offered_no_links(chris_allegation) -> None:
    page = allegation_page(chris_allegation, can_change=False)
    for section in LINK_SECTIONS:
        assert page[section] == [], section
    assert all(row["links"] == [] for row in page["steps"])


def test_a_started_referral_asks_for_the_data_set_and_step_2_says_referral_started(persona, chris_allegation) -> None:
    services.referral_make(actor=persona("hana"), allegation=chris_allegation)
    page = allegation_page(chris_allegation, can_change=True)
    assert page["referral"]["started"]
    assert page["referral"]["complete_link"].text == "Complete the referral"
    assert page["referral"]["intro"].startswith("Referral ")
    assert "to the LADO of Northshire" in page["referral"]["intro"]
    step = _steps(page)[Step.DISCUSS_WITH_LADO]
    assert (step["status"], step["colour"]) == ("Referral started", "yellow")
    assert step["links"][0].text == "Complete the referral"
    assert [link.text for link in page["referral_links"]] == ["Update the referral"]


def test_an_unanswered_referral_item_reads_not_given(persona, chris_allegation) -> None:
    services.referral_make(actor=persona("hana"), allegation=chris_allegation)
    rows = _rows(allegation_page(chris_allegation, can_change=True)["referral"]["rows"])
    assert rows["Address"] == "Not given"
    assert rows["Children involved"] == "Not given"
    assert rows["Gender and ethnicity"] == "Gender not given; ethnicity not given"
    assert rows["Police or children's social care involved"] == "Police: No; children's social care: No"


def test_police_involvement_pauses_the_investigation_until_they_authorise_proceedings(
    persona, chris_allegation
) -> None:
    police: dict[str, Any] = {
        "police_reference": "NP/123",
        "consent_to_share": "requested",
        "notes": "",
        "next_review_on": timezone.localdate() + dt.timedelta(days=28),
    }
    services.police_record(actor=persona("hana"), allegation=chris_allegation, involved=True, **police)
    page = allegation_page(chris_allegation, can_change=True)
    assert _rows(page["summary_rows"])["Status"].endswith("(internal investigation paused: police involved)")
    assert page["paused"]
    assert page["police"]["text"].startswith("The police are involved. Reference NP/123.")
    assert page["police"]["authority"]["tag"] == "Not yet authorised"
    assert _steps(page)[Step.INVESTIGATION]["due"] == "Paused (police investigation)"
    services.police_record(
        actor=persona("hana"), allegation=chris_allegation, involved=True, proceedings_authorised=True, **police
    )
    page = allegation_page(chris_allegation, can_change=True)
    assert page["police"]["authority"]["tag"] == "Authorised"
    assert "authorised the case manager to commence internal proceedings" in page["police"]["authority"]["text"]


def test_a_recorded_step_shows_what_was_decided_and_how_many_records_it_supersedes(persona, chris_allegation) -> None:
    for day, decision in ((2, "With HR: investigate."), (3, "With HR again: investigate.")):
        services.step_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            step=Step.HR_STRATEGY,
            done_on=dt.date(2026, 1, day),
            decision=decision,
            route="investigation",
        )
    step = _steps(allegation_page(chris_allegation, can_change=True))[Step.HR_STRATEGY]
    assert (step["status"], step["done"], step["decision"]) == ("Done", True, "With HR again: investigate.")
    assert "Hana Head, 3 January 2026" in step["details"]
    assert step["details"][-1] == "Supersedes 1 earlier record (see the chronology)."


def test_a_supply_worker_recorded_without_an_agency_is_asked_to_record_it_first(chris_allegation) -> None:
    # The details form now requires the agency; an allegation saved before it did has none.
    Allegation.objects.filter(pk=chris_allegation.pk).update(subject_employment="supply")
    chris_allegation.refresh_from_db()
    agency = allegation_page(chris_allegation, can_change=True)["agency"]
    assert agency["rows"] is None
    assert agency["first"].startswith("Record the agency on the allegation's details first")
    assert agency["links"] == []


def test_a_volunteers_page_shows_the_agency_section_with_the_appendix_4_prompt(persona, chris_allegation) -> None:
    agency = allegation_page(
        update_details(persona, chris_allegation, subject_employment="volunteer"), can_change=True
    )["agency"]
    assert agency["volunteer"]
    assert agency["first"] == ""


def test_an_agency_outside_threshold_is_named_with_its_contact(persona, chris_allegation) -> None:
    allegation = update_details(
        persona, chris_allegation, subject_employment="supply", agency_name="Kestrel", agency_contact="01632 960 123"
    )
    agency = allegation_page(allegation, can_change=True)["agency"]
    assert agency["outside_threshold"] == "Agency (not in Threshold): Kestrel, 01632 960 123."
    assert [link.text for link in agency["links"]] == ["Record the agency's part"]
    assert _rows(allegation_page(allegation, can_change=True)["summary_rows"])["Engaged as"].endswith(
        ", through Kestrel"
    )


def test_a_dbs_referral_still_to_make_after_a_resignation_is_prompted_with_the_packs_reasons(
    persona, chris_allegation
) -> None:
    _conclude(persona, chris_allegation, resigned_before_conclusion=True)
    page = allegation_page(chris_allegation, can_change=True)
    prompt = next(prompt for prompt in page["outcome"]["prompts"] if prompt["body"] == "dbs")
    assert prompt["tag"] == "DBS referral required"
    assert "even though Chris Coach resigned before the process concluded" in prompt["text"]
    assert prompt["reasons"]
    assert prompt["link"].href == reverse("allegation_follow_up", args=[chris_allegation.pk, "dbs"])
    assert _rows(page["outcome"]["rows"])["DBS referral"] == "Not made"
    assert [link.text for link in page["outcome_links"]] == ["Record a revised outcome"]


def test_a_concluded_allegation_takes_no_new_risk_assessment_support_or_step(persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    page = allegation_page(chris_allegation, can_change=True)
    assert page["suspension_links"] == []
    # Only the update that tells the adult the outcome (Tier 3): no new support record.
    assert [link.text for link in page["support_links"]] == ["Log that the adult was told the outcome"]
    assert all(row["links"] == [] for row in page["steps"] if row["step"] != Step.PARENTS_KEPT_INFORMED)
    # The parents or carers are still told how the case ended (step 9 is a log of contacts).
    assert [link.text for link in _steps(page)[Step.PARENTS_KEPT_INFORMED]["links"]] == ["Log a contact"]
    assert [link.text for link in page["file_record_links"]] == ["Record the summary kept on file"]


def test_a_malicious_allegations_file_record_is_removed_from_the_file_and_never_mentioned(
    persona, chris_allegation
) -> None:
    _conclude(persona, chris_allegation, outcome="malicious", malicious_action="Pupil spoken to.")
    record = services.file_record_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        summary="A pupil alleged Chris grabbed his arm.",
        follow_up="Investigated with HR.",
        actions="Found malicious.",
        copy_given_on=None,
    )
    section = allegation_page(chris_allegation, can_change=True)["file_record"]
    rows = _rows(section["rows"])
    assert section["remove"]
    assert rows["Referred to in future references"] == "No"
    assert rows["Kept until"] == govuk_date(record.keep_until())
    assert rows["Copy given to the person"] == "Not yet"
    assert section["copy_link"].href == reverse("allegation_file_copy", args=[chris_allegation.pk])


def test_a_file_record_waiting_for_the_date_of_birth_says_so(persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    record = services.file_record_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        summary="S.",
        follow_up="F.",
        actions="A.",
        copy_given_on=None,
    )
    record.retention = {"undetermined": True, "waiting_for": ["subject_date_of_birth"], "holds": []}
    assert kept_until(record) == "Cannot be worked out until the date of birth is recorded"
    record.retention = {"holds": ["a police investigation"]}
    assert kept_until(record) == "Preserved (no end date)"


def test_the_lados_conclusion_reaches_the_employers_page_with_its_definition(persona, ids) -> None:
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    case_conclude(
        actor=persona("lara"),
        case=case,
        expected_version=case.version,
        outcome="unsubstantiated",
        concluded_on=TODAY(),
        summary="Not enough evidence either way.",
        lessons="",
        referrals=[
            {"body": "dbs", "referred": False, "explanation": "Not removed from regulated activity."},
            {"body": "ofsted", "referred": False, "explanation": "Notified by the nursery."},
        ],
        missing_reasons=not_known_reasons(case),
    )
    rows = _rows(allegation_page(nursery_allegation(ids), can_change=True)["lado_conclusion"])
    assert rows["LADO service"] == f"Northshire Council, case {case.reference}"
    assert rows["Outcome"].startswith("Unsubstantiated: There is insufficient evidence")
    assert rows["Summary"] == "Not enough evidence either way."


def test_the_allegation_page_reads_its_steps_once_for_the_checklist_the_due_list_and_the_route(
    chris_allegation,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = allegation_page(chris_allegation, can_change=True)
    step_reads = [query for query in queries.captured_queries if 'FROM "allegations_steprecord"' in query["sql"]]
    assert len(step_reads) == 1
    assert page["steps"]
    assert page["due"]

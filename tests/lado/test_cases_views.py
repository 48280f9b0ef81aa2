"""The case pages: the data set as the protocol lists it, change pages, lists with filters, reassignment."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.forms import date_boxes
from tests.query_counts import tables_read
from threshold.audit.models import AuditEvent
from threshold.core.pagination import PAGE_SIZE
from threshold.lado.models import Case
from threshold.lado.services import cases as services

SEED_HEADINGS = (
    "Name, Address, Date of Birth, gender and ethnicity of the adult",
    "Details of the referring agency",
    "Details of the employing agency; role/occupation",
    "How did allegation come to light",
    "Category of abuse (physical, sexual, neglect, conduct etc); date of incident (historic if over 12 months ago)",
    "Case management Tier (ie 1,2 )",
    "How the risk was managed – ie suspended /restricted duties",
    "How allegation was investigated – criminal S47; disciplinary etc and outcome of investigations",
    "Referral to and date of DBS referral – and details of referral to any other body",
    "Conclusion category and date of conclusion timescale for case",
    "Summary of the allegation.",
)


def _adult(case: Case, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(case.version),
        "adult_name": "Chris Coach",
        "adult_address": "1 Synthetic Street",
        "adult_gender": "male",
        "adult_ethnicity": "white_british",
        **date_boxes("adult_date_of_birth", dt.date(1990, 6, 21)),
    }
    data.update(overrides)
    return data


def test_the_case_page_reads_each_of_the_cases_own_tables_once_for_all_its_panels(signed_in, chris_case) -> None:
    # The data set cards, "Still to record", the decisions panel and the timescales each read these rows.
    client = signed_in("lara")
    url = reverse("case_detail", args=[chris_case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    tables = tables_read(queries)
    for table in ("lado_casechild", "lado_investigation", "lado_bodyreferral", "lado_riskmeasure", "lado_conclusion"):
        assert tables.count(table) == 1, table
    assert chris_case.subject.full_name in html


def test_the_case_page_shows_the_recording_data_set_under_the_protocols_headings(signed_in, chris_case) -> None:
    html = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    for heading in SEED_HEADINGS:
        assert heading in html, heading
    assert reverse("case_change_dataset", args=[chris_case.pk, "adult"]) in html
    assert reverse("case_record_investigation", args=[chris_case.pk, "criminal"]) in html


def test_an_auditor_reads_the_data_set_without_change_links(signed_in, chris_case) -> None:
    html = signed_in("ada").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert SEED_HEADINGS[0] in html
    assert reverse("case_change_dataset", args=[chris_case.pk, "adult"]) not in html
    assert reverse("case_reassign", args=[chris_case.pk]) not in html


def test_a_partner_invited_to_a_meeting_sees_the_summary_only(signed_in, chris_case) -> None:
    html = signed_in("pat").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert chris_case.summary in html
    assert "Recording data set" not in html


def test_only_the_manager_sees_the_reassign_form_on_the_case_page(signed_in, chris_case) -> None:
    action = reverse("case_reassign", args=[chris_case.pk])
    assert action in signed_in("mo").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert action not in signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()


def test_the_adults_details_are_changed_and_the_case_page_says_so(signed_in, chris_case) -> None:
    client = signed_in("lara")
    url = reverse("case_change_dataset", args=[chris_case.pk, "adult"])
    response = client.post(url, _adult(chris_case))
    assert response.status_code == 302
    assert response["Location"].endswith("#dataset-adult")
    chris_case.refresh_from_db()
    assert chris_case.adult_address == "1 Synthetic Street"
    page = client.get(response["Location"]).content.decode()
    assert "Data set saved." in page
    assert "White: English, Welsh, Scottish, Northern Irish or British" in page


def test_an_error_sits_beside_its_field_and_nothing_is_saved(signed_in, chris_case) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in("lara").post(
        reverse("case_change_dataset", args=[chris_case.pk, "allegation"]),
        {"version": str(chris_case.version), "summary": "New summary", **date_boxes("incident_date", tomorrow)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The date of the incident must be today or in the past" in html
    chris_case.refresh_from_db()
    assert chris_case.summary != "New summary"


def test_a_stale_form_is_given_back_with_what_lara_typed_beside_what_is_now_saved(signed_in, chris_case) -> None:
    client = signed_in("lara")
    url = reverse("case_change_dataset", args=[chris_case.pk, "adult"])
    assert client.post(url, _adult(chris_case)).status_code == 302
    stale = client.post(url, _adult(chris_case, adult_address="3 Other Road"))
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed this after you opened the form" in html
    assert "What differs" in html
    # Her typed address is shown back, in the table and in the form, which now carries the saved version.
    assert "3 Other Road" in html.split("What differs</caption>")[1].split("</table>")[0]
    assert html.count("3 Other Road") >= 2
    chris_case.refresh_from_db()
    assert f'name="version" value="{chris_case.version}"' in html
    assert chris_case.adult_address == "1 Synthetic Street"


def test_an_unknown_part_of_the_data_set_or_line_of_investigation_is_not_found(signed_in, chris_case) -> None:
    client = signed_in("lara")
    assert client.get(reverse("case_change_dataset", args=[chris_case.pk, "nothing"])).status_code == 404
    assert client.get(reverse("case_record_investigation", args=[chris_case.pk, "nothing"])).status_code == 404


def test_a_police_outcome_is_recorded_with_the_dbs_update(signed_in, chris_case) -> None:
    today = timezone.localdate()
    response = signed_in("lara").post(
        reverse("case_record_investigation", args=[chris_case.pk, "criminal"]),
        {
            "version": str(chris_case.version),
            **date_boxes("referred_on", today),
            **date_boxes("outcome_on", today),
            "outcome": "no_further_action",
            "lead": "DC Synthetic",
            "dbs_information": "Intelligence recorded for future disclosure.",
        },
    )
    assert response.status_code == 302
    row = chris_case.investigations.get()
    assert (row.outcome, row.lead, row.dbs_information) == (
        "no_further_action",
        "DC Synthetic",
        "Intelligence recorded for future disclosure.",
    )


def test_the_tier_changes_with_a_reason_from_its_page(signed_in, chris_case) -> None:
    url = reverse("case_change_tier", args=[chris_case.pk])
    client = signed_in("lara")
    missing = client.post(url, {"version": str(chris_case.version), "tier": "tier-2"})
    assert "Enter why the case moves tier" in missing.content.decode()
    moved = client.post(url, {"version": str(chris_case.version), "tier": "tier-2", "reason": "Employer manages."})
    assert moved.status_code == 302
    chris_case.refresh_from_db()
    assert chris_case.tier == "tier-2"


def test_mo_reassigns_a_case_and_lara_cannot(signed_in, persona, chris_case) -> None:
    url = reverse("case_reassign", args=[chris_case.pk])
    data = {"version": str(chris_case.version), "lado": str(persona("mo").pk), "reason": "Leave"}
    assert signed_in("lara").post(url, data).status_code == 404
    assert signed_in("mo").post(url, data).status_code == 302
    chris_case.refresh_from_db()
    assert chris_case.lado == persona("mo")


def test_my_cases_lists_the_cases_allocated_to_me_and_is_audited(signed_in, persona, chris_case) -> None:
    before = AuditEvent.objects.count()
    html = signed_in("lara").get(reverse("case_list")).content.decode()
    assert "My cases" in html
    assert reverse("case_detail", args=[chris_case.pk]) in html
    listed = AuditEvent.objects.filter(sequence__gt=before, action="records.listed").get()
    assert listed.actor == persona("lara")
    assert chris_case.pk in listed.details["ids"]
    mine = signed_in("mo").get(reverse("case_list")).content.decode()
    assert reverse("case_detail", args=[chris_case.pk]) not in mine
    assert reverse("case_list_all") in mine


def test_partners_and_other_areas_see_only_what_is_theirs_in_the_list(signed_in, chris_case, ids) -> None:
    detail = reverse("case_detail", args=[chris_case.pk])
    assert detail in signed_in("pat").get(reverse("case_list")).content.decode()
    assert detail in signed_in("cara").get(reverse("case_list")).content.decode()
    southvale = signed_in("sam").get(reverse("case_list")).content.decode()
    assert detail not in southvale
    assert reverse("case_detail", args=[ids["case_southvale"]]) in southvale


def test_the_manager_filters_all_cases_without_personal_data_in_the_address(signed_in, chris_case) -> None:
    client = signed_in("mo")
    detail = reverse("case_detail", args=[chris_case.pk])
    page = client.get(reverse("case_list_all")).content.decode()
    assert detail in page
    assert 'name="q"' not in page  # the adult's name is searched (POSTed) on the search page, never here
    assert detail in client.get(reverse("case_list_all"), {"tier": "tier-1", "status": "open"}).content.decode()
    assert detail not in client.get(reverse("case_list_all"), {"tier": "tier-2"}).content.decode()
    assert detail not in client.get(reverse("case_list_all"), {"category": "sexual"}).content.decode()
    assert detail in client.get(reverse("case_list_all"), {"category": "physical"}).content.decode()
    assert client.get(reverse("case_list_all"), {"overdue": "on", "sector": "school"}).status_code == 200


def _nursery_case(chris_case: Case, **values: object) -> Case:
    """Another Northshire case, opened today, about a worker at a different employer."""
    return Case.objects.create(
        local_authority=chris_case.local_authority,
        subject=chris_case.subject,
        lado=chris_case.lado,
        tier="tier-2",
        summary="A synthetic nursery case.",
        employer_name="Little Acorns Nursery",
        sector="early_years",
        abuse_categories=["neglect"],
        **values,
    )


def test_the_employer_and_sector_filters_leave_out_another_employers_case(signed_in, chris_case) -> None:
    nursery = reverse("case_detail", args=[_nursery_case(chris_case).pk])
    chris = reverse("case_detail", args=[chris_case.pk])
    client = signed_in("mo")
    oakfield = client.get(reverse("case_list_all"), {"employer": chris_case.employer_name}).content.decode()
    assert chris in oakfield
    assert nursery not in oakfield
    acorns = client.get(reverse("case_list_all"), {"employer": "Little Acorns Nursery"}).content.decode()
    assert nursery in acorns
    assert chris not in acorns
    early_years = client.get(reverse("case_list_all"), {"sector": "early_years"}).content.decode()
    assert nursery in early_years
    assert chris not in early_years
    neglect = client.get(reverse("case_list_all"), {"category": "neglect"}).content.decode()
    assert nursery in neglect
    assert chris not in neglect


def test_a_paged_list_keeps_open_cases_first_and_says_which_it_shows(signed_in, chris_case) -> None:
    # Newer concluded cases come before the older open one by date, but open cases come first.
    concluded = [_nursery_case(chris_case, status="concluded") for _ in range(PAGE_SIZE)]
    page = signed_in("mo").get(reverse("case_list_all")).content.decode()
    assert reverse("case_detail", args=[chris_case.pk]) in page
    assert reverse("case_detail", args=[concluded[0].pk]) not in page  # the oldest concluded: on page 2
    total = Case.objects.filter(local_authority=chris_case.local_authority).count()
    assert f"Showing 1 to {PAGE_SIZE} of {total} cases." in page
    second = signed_in("mo").get(reverse("case_list_all"), {"page": "2"}).content.decode()
    assert reverse("case_detail", args=[concluded[0].pk]) in second
    assert reverse("case_detail", args=[chris_case.pk]) not in second
    mine = signed_in("lara").get(reverse("case_list")).content.decode()
    assert reverse("case_detail", args=[chris_case.pk]) in mine
    assert reverse("case_detail", args=[concluded[0].pk]) not in mine
    assert f"Showing 1 to {PAGE_SIZE} of" in mine


def test_all_cases_is_the_managers_list(signed_in) -> None:
    for key in ("lara", "sam", "ada", "pat"):
        assert signed_in(key).get(reverse("case_list_all")).status_code == 403


def test_an_incident_over_12_months_before_the_referral_reads_as_non_recent(signed_in, persona, chris_case) -> None:
    services.case_update_dataset(
        actor=persona("lara"),
        case=chris_case,
        dataset={"incident_date": chris_case.received_on - dt.timedelta(days=500)},
        expected_version=chris_case.version,
    )
    html = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "non-recent: over 12 months before the referral" in html


def _child_on(persona, case: Case, name: str = "Pupil B"):
    child = services.case_add_child(actor=persona("lara"), case=case, full_name=name, expected_version=case.version)
    case.refresh_from_db()
    return child


def test_a_child_is_corrected_from_the_data_set_card(signed_in, persona, chris_case) -> None:
    child = _child_on(persona, chris_case)
    client = signed_in("lara")
    url = reverse("case_change_child", args=[chris_case.pk, child.pk])
    assert url in client.get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    form = client.get(url).content.decode()
    assert 'value="Pupil B"' in form
    response = client.post(url, {"version": str(chris_case.version), "full_name": "Pupil Bee", "gender": "female"})
    assert response.status_code == 302
    assert response["Location"].endswith("#dataset-children")
    child.refresh_from_db()
    assert (child.full_name, child.gender) == ("Pupil Bee", "female")
    stale = client.post(url, {"version": str(chris_case.version), "full_name": "Pupil C"})
    assert stale.status_code == 409
    child.refresh_from_db()
    assert child.full_name == "Pupil Bee"


def test_a_child_is_removed_after_confirming(signed_in, persona, chris_case) -> None:
    child = _child_on(persona, chris_case)
    client = signed_in("lara")
    url = reverse("case_remove_child", args=[chris_case.pk, child.pk])
    assert url in client.get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    confirm = client.get(url).content.decode()
    assert "Pupil B" in confirm
    assert chris_case.children.exists()  # showing the confirmation removes nothing
    response = client.post(url, {"version": str(chris_case.version)})
    assert response.status_code == 302
    assert not chris_case.children.exists()
    assert AuditEvent.objects.filter(action="case.child_removed", record_id=str(chris_case.pk)).exists()
    assert client.get(url).status_code == 404


def test_a_child_of_another_case_is_not_found_through_this_case(signed_in, persona, ids, chris_case) -> None:
    child = _child_on(persona, chris_case)
    southvale = ids["case_southvale"]
    client = signed_in("sam")
    assert client.get(reverse("case_change_child", args=[southvale, child.pk])).status_code == 404
    assert client.post(reverse("case_remove_child", args=[southvale, child.pk]), {"version": "1"}).status_code == 404
    assert chris_case.children.get() == child


def test_no_risk_measure_reads_the_same_on_the_case_as_on_the_referral(signed_in, persona, chris_case) -> None:
    services.case_add_risk_measure(
        actor=persona("lara"), case=chris_case, expected_version=chris_case.version, kind="none"
    )
    html = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    risk = html.split('id="dataset-risk"', 1)[1].split('id="dataset-investigations"', 1)[0]
    assert "None (no action taken)" in risk
    form = signed_in("lara").get(reverse("case_add_risk_measure", args=[chris_case.pk])).content.decode()
    assert "None (no action taken)" in form


def test_a_partner_who_sees_a_case_only_in_summary_is_never_told_it_is_overdue(signed_in, chris_case) -> None:
    from threshold.timescales.models import Deadline, DeadlineState

    # One of the case's steps fell due a week ago and is still open: the LADO's list says the case is overdue.
    step = Deadline.objects.filter(case=chris_case).first()
    assert step is not None
    Deadline.objects.filter(pk=step.pk).update(
        state=DeadlineState.OPEN, due_on=timezone.localdate() - dt.timedelta(days=7)
    )
    assert "Overdue</strong>" in signed_in("lara").get(reverse("case_list")).content.decode()
    # Pat sees the case's summary (one of its meetings is shared with him), which shows no timescale.
    pat = signed_in("pat")
    listed = pat.get(reverse("case_list")).content.decode()
    assert chris_case.reference in listed
    assert "Overdue</strong>" not in listed
    exported = pat.get(reverse("export_my_cases", args=["csv"])).getvalue().decode()
    assert f"{chris_case.reference}," in exported
    assert ",Yes," not in exported

"""Steps 7 and 8 wait for the route; DBS and TRA follow-ups outlive the outcome; Ofsted for nurseries;
appendix 3's context and rows; step 7's agreed actions; agencies not in Threshold; nothing recorded after
the end but the follow-ups; the police's authority shown; the home panel and the person's copy audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from tests.query_counts import tables_read
from threshold.allegations import selectors, services
from threshold.allegations.models import (
    Allegation,
    AllegationStatus,
    OutcomeRecord,
    ReferralFollowUp,
    RiskAssessment,
    Step,
    StepRecord,
    SupportRecord,
)
from threshold.audit.models import AuditEvent
from threshold.timescales.models import Deadline, DeadlineState

TODAY = timezone.localdate


def _items(allegation: Allegation) -> dict[str, selectors.ChecklistItem]:
    return {item.step: item for item in selectors.checklist(allegation)}


def _long_ago(allegation: Allegation) -> Allegation:
    Allegation.objects.filter(pk=allegation.pk).update(came_to_attention_on=dt.date(2026, 1, 2))
    allegation.refresh_from_db()
    return allegation


def _route(persona, allegation: Allegation, route: str, step: str = Step.DISCUSS_WITH_LADO) -> StepRecord:
    return services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step=step,
        done_on=dt.date(2026, 1, 2),
        decision="Discussed with the LADO.",
        route=route,
    )


def _police(persona, allegation: Allegation, *, authorised: bool = False) -> None:
    services.police_record(
        actor=persona("hana"),
        allegation=allegation,
        involved=True,
        police_reference="NP/123",
        consent_to_share="requested",
        notes="",
        proceedings_authorised=authorised,
        next_review_on=timezone.localdate() + dt.timedelta(days=28),
    )


def _conclude(persona, allegation: Allegation, **overrides: Any) -> OutcomeRecord:
    values: dict[str, Any] = {
        "report": "Two witnesses and CCTV.",
        "outcome": "substantiated",
        "concluded_on": TODAY(),
        "removed_from_regulated_activity": True,
        "disciplinary_route": "Disciplinary hearing; dismissed.",
    }
    values.update(overrides)
    return services.outcome_record(actor=persona("hana"), allegation=allegation, **values)


# ---------------------------------------------------------------- 1. steps 7 and 8 wait for the route


def test_neither_no_further_action_nor_investigation_is_due_until_the_route_is_chosen(
    persona, chris_allegation
) -> None:
    allegation = _long_ago(chris_allegation)
    items = _items(allegation)
    for step in (Step.NO_FURTHER_ACTION, Step.INVESTIGATION):
        assert items[step].due is None
        assert not items[step].overdue
        assert items[step].note == selectors.ROUTE_UNDECIDED
    due = {item.anchor for item in selectors.due_items(allegation)}
    assert not due & {"step-no-further-action", "step-investigation"}


def test_once_the_lado_agrees_an_investigation_only_step_8_falls_due(persona, chris_allegation) -> None:
    allegation = _long_ago(chris_allegation)
    _route(persona, allegation, "investigation")
    items = _items(allegation)
    assert items[Step.INVESTIGATION].due is not None
    assert items[Step.INVESTIGATION].overdue
    assert not items[Step.NO_FURTHER_ACTION].applies
    assert not items[Step.NO_FURTHER_ACTION].overdue


def test_a_later_route_chosen_with_hr_supersedes_and_makes_step_7_due_instead(persona, chris_allegation) -> None:
    allegation = _long_ago(chris_allegation)
    _route(persona, allegation, "investigation")
    _route(persona, allegation, "no-further-action", step=Step.HR_STRATEGY)
    items = _items(allegation)
    assert items[Step.NO_FURTHER_ACTION].overdue
    assert not items[Step.INVESTIGATION].applies
    assert AuditEvent.objects.filter(action="allegation.step_recorded", details__route="no-further-action").exists()


def test_no_further_action_is_not_overdue_while_the_police_investigate(persona, chris_allegation) -> None:
    allegation = _long_ago(chris_allegation)
    _route(persona, allegation, "no-further-action")
    assert _items(allegation)[Step.NO_FURTHER_ACTION].overdue
    _police(persona, allegation)
    item = _items(allegation)[Step.NO_FURTHER_ACTION]
    assert item.paused
    assert item.due is None
    assert not item.overdue


def test_a_route_is_only_chosen_at_step_2_or_5(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _route(persona, chris_allegation, "investigation", step=Step.BASIC_ENQUIRIES)
    assert "route" in raised.value.message_dict
    assert not StepRecord.objects.exists()


def test_the_step_2_form_records_the_route(signed_in, chris_allegation) -> None:
    url = reverse("allegation_step", args=[chris_allegation.pk, "discuss-with-lado"])
    client = signed_in("hana")
    assert "The course of action agreed" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "done_on_day": "2",
            "done_on_month": "1",
            "done_on_year": "2026",
            "decision": "LADO: investigate.",
            "route": "investigation",
        },
    )
    assert response.status_code == 302
    assert StepRecord.objects.get(step=Step.DISCUSS_WITH_LADO).route == "investigation"


# ---------------------------------------------------------------- 5. step 7's agreed actions


def test_no_further_action_needs_the_actions_that_follow_and_whether_the_lado_agreed(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            step=Step.NO_FURTHER_ACTION,
            done_on=TODAY(),
            decision="No further action.",
            justification="No foundation.",
            written_information="Letter.",
            written_to="Chris",
            written_by="Hana",
        )
    assert {"action_for_individual", "action_for_allegers"} <= set(raised.value.message_dict)
    # Chris's allegation was referred in Threshold: the LADO agrees the outcome there (issue 13), so it is not asked.
    assert "agreed_with_lado" not in raised.value.message_dict
    record = services.step_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        step=Step.NO_FURTHER_ACTION,
        done_on=TODAY(),
        decision="No further action.",
        justification="No foundation.",
        written_information="Letter.",
        written_to="Chris",
        written_by="Hana",
        action_for_individual="Return to normal duties with a support plan.",
        action_for_allegers="Explain the outcome to the pupil's parents.",
        agreed_with_lado=True,
    )
    assert record.agreed_with_lado is None


def test_the_step_7_form_puts_its_errors_beside_the_new_fields(signed_in, chris_allegation) -> None:
    url = reverse("allegation_step", args=[chris_allegation.pk, "no-further-action"])
    page = signed_in("hana").post(
        url,
        {
            "done_on_day": "2",
            "done_on_month": "1",
            "done_on_year": "2026",
            "decision": "No further action.",
            "justification": "No foundation.",
            "written_information": "Letter.",
            "written_to": "Chris",
            "written_by": "Hana",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter what action should follow in respect of the individual" in html
    # Referred in Threshold: the LADO agrees the outcome there (issue 13), so the employer is not asked.
    assert "Choose whether this was agreed with the LADO" not in html
    assert not StepRecord.objects.exists()


# ---------------------------------------------------------------- 3. Ofsted, for Nina's nursery


def test_the_nursery_must_notify_ofsted_within_14_days(persona, ids: dict[str, int]) -> None:
    allegation = _long_ago(Allegation.objects.get(pk=ids["allegation_nell"]))
    item = _items(allegation)[Step.OFSTED_NOTIFIED]
    assert item.due == dt.date(2026, 1, 16)
    assert item.overdue
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=persona("nina"), allegation=allegation, step=Step.OFSTED_NOTIFIED, done_on=TODAY(), decision="Done"
        )
    assert "done_by" in raised.value.message_dict
    record = services.step_record(
        actor=persona("nina"),
        allegation=allegation,
        step=Step.OFSTED_NOTIFIED,
        done_on=dt.date(2026, 1, 5),
        decision="Notified Ofsted online.",
        done_by="Nina Nursery",
        reference="OF-2026-17",
    )
    assert record.reference == "OF-2026-17"
    assert _items(allegation)[Step.OFSTED_NOTIFIED].done


def test_nina_sees_and_records_the_ofsted_notification_on_the_nursery_allegation(signed_in, ids) -> None:
    client = signed_in("nina")
    html = client.get(reverse("allegation_detail", args=[ids["allegation_nell"]])).content.decode()
    assert 'id="step-ofsted-notification"' in html
    url = reverse("allegation_step", args=[ids["allegation_nell"], "ofsted-notification"])
    assert "Who notified Ofsted" in client.get(url).content.decode()


def test_a_school_has_no_ofsted_step_and_cannot_record_one(persona, chris_allegation) -> None:
    assert Step.OFSTED_NOTIFIED not in _items(chris_allegation)
    with pytest.raises(ValidationError):
        services.step_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            step=Step.OFSTED_NOTIFIED,
            done_on=TODAY(),
            decision="x",
            done_by="Hana",
        )


# ---------------------------------------------------------------- 2. DBS and TRA follow-ups after the outcome


def test_a_required_dbs_referral_stays_due_after_conclusion_until_it_is_recorded(persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    chris_allegation.refresh_from_db()
    assert chris_allegation.status == AllegationStatus.CONCLUDED
    due = selectors.due_items(chris_allegation)
    assert [item.text for item in due] == [
        "DBS referral required",
        "Record what is kept on the confidential file",
        "Tell the adult the outcome",
    ]
    services.referral_follow_up_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        body="dbs",
        referred_on=TODAY(),
        reference="DBS-77",
    )
    assert [item.text for item in selectors.due_items(chris_allegation)] == [
        "Record what is kept on the confidential file",
        "Tell the adult the outcome",
    ]
    assert selectors.referral_follow_ups(chris_allegation)["dbs"]["reference"] == "DBS-77"
    assert AuditEvent.objects.filter(action="allegation.referral_followed_up").count() == 1


def test_a_reason_for_not_referring_also_ends_the_follow_up(persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    with pytest.raises(ValidationError) as raised:
        services.referral_follow_up_record(
            actor=persona("hana"), allegation=chris_allegation, body="dbs", referred_on=None
        )
    assert "referred_on" in raised.value.message_dict
    assert not ReferralFollowUp.objects.exists()
    services.referral_follow_up_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        body="dbs",
        referred_on=None,
        not_referred_reason="The DBS confirmed no referral is needed.",
    )
    assert [item.text for item in selectors.due_items(chris_allegation)] == [
        "Record what is kept on the confidential file",
        "Tell the adult the outcome",
    ]


def test_a_teacher_who_resigned_leaves_the_tra_referral_in_hanas_work_and_the_allegation_on_her_home_page(
    signed_in, persona, chris_allegation
) -> None:
    Allegation.objects.filter(pk=chris_allegation.pk).update(subject_is_teacher=True)
    chris_allegation.refresh_from_db()
    _conclude(persona, chris_allegation, removed_from_regulated_activity=False, resigned_before_conclusion=True)
    html = signed_in("hana").get("/").content.decode()
    assert chris_allegation.reference in html.split("Concluded allegations still to follow up")[1].split("</ul>")[0]
    work = signed_in("hana").get(reverse("my_work")).content.decode()
    assert "TRA referral, or why none is made" in work
    detail = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert reverse("allegation_follow_up", args=[chris_allegation.pk, "tra"]) in detail


def test_the_follow_up_form_is_recorded_after_conclusion(signed_in, persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    url = reverse("allegation_follow_up", args=[chris_allegation.pk, "dbs"])
    today = TODAY()
    response = signed_in("hana").post(
        url,
        {
            "referred_on_day": str(today.day),
            "referred_on_month": str(today.month),
            "referred_on_year": str(today.year),
            "reference": "DBS-9",
        },
    )
    assert response.status_code == 302
    assert ReferralFollowUp.objects.get().reference == "DBS-9"


# ---------------------------------------------------------------- 7. nothing else after the end


def test_steps_risk_assessments_and_support_are_refused_after_conclusion(persona, chris_allegation) -> None:
    """A progress update is not: after the outcome it tells the adult how the case ended (Tier 3)."""
    _conclude(persona, chris_allegation)
    hana = persona("hana")
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=hana, allegation=chris_allegation, step=Step.HR_STRATEGY, done_on=TODAY(), decision="x"
        )
    assert "concluded" in raised.value.messages[0]
    with pytest.raises(ValidationError):
        services.support_record(
            actor=hana,
            allegation=chris_allegation,
            informed_on=None,
            informed_of="",
            representative_name="Rep",
            representative_contact="rep@example.org",
            union_advised=False,
            eap_offered=True,
            occupational_health_offered=False,
            opened_at=0,
        )
    assert not StepRecord.objects.filter(step=Step.HR_STRATEGY).exists()
    assert not SupportRecord.objects.exists()


def test_a_step_posted_after_conclusion_shows_the_reason(signed_in, persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation)
    url = reverse("allegation_step", args=[chris_allegation.pk, "hr-strategy"])
    page = signed_in("hana").post(
        url, {"done_on_day": "2", "done_on_month": "1", "done_on_year": "2026", "decision": "Late."}
    )
    assert page.status_code == 200
    assert "This allegation is concluded" in page.content.decode()


# ---------------------------------------------------------------- 4. appendix 3: context, rows, review


def _risk_post(**extra: str) -> dict[str, str]:
    today = TODAY()
    data = {
        "context": "A pupil alleges Chris grabbed his arm.",
        "period_for_measures": "Until the evaluation",
        "review_on_day": str(today.day),
        "review_on_month": str(today.month),
        "review_on_year": str(today.year),
        "decided_on_day": str(today.day),
        "decided_on_month": str(today.month),
        "decided_on_year": str(today.year),
        "decision": "alternatives",
        "decision_reason": "Redeployment is enough.",
        "not_discussed_reason": "The LADO and HR were told the same day, after the decision.",
        "alternative_0_reason": "Not needed.",
        "alternative_1_reason": "Not needed.",
        "alternative_2_reason": "Not needed.",
        "alternative_3_reason": "Chosen.",
        "alternative_3_used": "on",
    }
    data.update(extra)
    return data


def _row(i: int) -> dict[str, str]:
    return {f"row_{i}_area": f"Area {i}", f"row_{i}_potential_risks": "Contact", f"row_{i}_mitigation": "Supervise"}


def test_add_another_row_shows_a_fourth_row_without_saving(signed_in, chris_allegation) -> None:
    url = reverse("allegation_risk_assessment", args=[chris_allegation.pk])
    page = signed_in("hana").post(url, {**_risk_post(row_count="3"), **_row(0), "add_row": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="row_3_area"' in html
    assert 'value="Area 0"' in html
    assert "There is a problem" not in html
    assert not RiskAssessment.objects.exists()


def test_a_risk_assessment_keeps_more_than_three_rows_and_its_context(signed_in, chris_allegation) -> None:
    url = reverse("allegation_risk_assessment", args=[chris_allegation.pk])
    rows = {**_row(0), **_row(1), **_row(2), **_row(3)}
    response = signed_in("hana").post(url, {**_risk_post(row_count="5"), **rows})
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.rows.count() == 4
    assert assessment.context == "A pupil alleges Chris grabbed his arm."


def test_a_risk_assessment_needs_its_context(signed_in, chris_allegation) -> None:
    url = reverse("allegation_risk_assessment", args=[chris_allegation.pk])
    page = signed_in("hana").post(url, {**_risk_post(context=""), **_row(0)})
    assert "Enter the context of the risk assessment" in page.content.decode()
    assert not RiskAssessment.objects.exists()


def test_a_review_starts_from_the_latest_assessment(signed_in, chris_allegation) -> None:
    url = reverse("allegation_risk_assessment", args=[chris_allegation.pk])
    client = signed_in("hana")
    client.post(url, {**_risk_post(row_count="4"), **_row(0), **_row(1), **_row(2), **_row(3)})
    html = client.get(url).content.decode()
    assert "A pupil alleges Chris grabbed his arm." in html
    assert 'value="Area 3"' in html
    assert 'name="row_4_area"' in html  # one spare row below the four carried over


# ---------------------------------------------------------------- 6. agencies and contractors not in Threshold


def test_an_agency_not_in_threshold_is_recorded_by_name_with_a_contact(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        update_details(persona, chris_allegation, subject_employment="supply", agency_name="Kestrel Supply")
    assert "agency_contact" in raised.value.message_dict
    allegation = update_details(
        persona,
        chris_allegation,
        subject_employment="supply",
        agency_name="Kestrel Supply",
        agency_contact="01632 960 123",
    )
    assert allegation.agency_display == "Kestrel Supply"
    record = services.agency_record(
        actor=persona("hana"),
        allegation=allegation,
        notified_at=timezone.now(),
        suspension_discussed="Agreed to remove from the placement.",
    )
    assert record.agency is None
    assert record.agency_display == "Kestrel Supply"


def test_a_contractor_records_the_contracting_company(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        update_details(persona, chris_allegation, subject_employment="contractor")
    assert "agency_name" in raised.value.message_dict
    allegation = update_details(
        persona,
        chris_allegation,
        subject_employment="contractor",
        agency_name="Brightclean Ltd",
        agency_contact="office@brightclean.example",
    )
    assert allegation.agency_name == "Brightclean Ltd"


def test_a_volunteer_is_prompted_to_liaise_with_the_hr_business_partner(signed_in, persona, chris_allegation) -> None:
    update_details(persona, chris_allegation, subject_employment="volunteer")
    html = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert 'id="volunteer-prompt"' in html
    assert "liaise directly with your HR business partner" in html
    assert "Record the agency on the allegation" not in html


# ---------------------------------------------------------------- 8, 9, 10. shown and audited


def test_the_police_authority_to_proceed_is_shown(signed_in, persona, chris_allegation) -> None:
    url = reverse("allegation_detail", args=[chris_allegation.pk])
    _police(persona, chris_allegation)
    assert "Not yet authorised" in signed_in("hana").get(url).content.decode()
    _police(persona, chris_allegation, authorised=True)
    html = signed_in("hana").get(url).content.decode()
    assert "The police authorised the case manager to commence internal proceedings" in html


def test_the_home_panel_is_an_audited_list_of_the_allegations_shown(signed_in, chris_allegation, settings) -> None:
    settings.HOME_PANELS = ["threshold.allegations.home.panel"]
    signed_in("hana").get("/")
    event = AuditEvent.objects.filter(action="records.listed", details__list="home").get()
    assert chris_allegation.pk in event.details["allegations"]


def test_the_persons_copy_is_a_printable_page_and_an_audited_read(signed_in, persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation, dbs_referred_on=TODAY(), dbs_reference="DBS-1")
    services.file_record_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        summary="A pupil alleged Chris grabbed his arm.",
        follow_up="Investigated with HR.",
        actions="Disciplinary hearing.",
        copy_given_on=TODAY(),
    )
    client = signed_in("hana")
    detail = client.get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    url = reverse("allegation_file_copy", args=[chris_allegation.pk])
    assert url in detail
    before = AuditEvent.objects.filter(action="record.view", record_id=str(chris_allegation.pk)).count()
    html = client.get(url).content.decode()
    assert "Summary kept on your confidential file" in html
    assert "A pupil alleged Chris grabbed his arm." in html
    assert "govuk-service-navigation" not in html
    assert AuditEvent.objects.filter(action="record.view", record_id=str(chris_allegation.pk)).count() == before + 1


def test_the_allegation_page_reads_each_record_that_stands_once_for_all_its_parts(
    persona, signed_in, chris_allegation
) -> None:
    # The checklist, what stands, what is due, the pack's advice and the duties each ask for these.
    _police(persona, chris_allegation)
    _conclude(persona, chris_allegation)
    client = signed_in("hana")
    url = reverse("allegation_detail", args=[chris_allegation.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = tables_read(queries)
    for table in ("policeinvolvement", "outcomerecord", "riskassessment", "referral"):
        assert tables.count(f"allegations_{table}") == 1, table
    # What the page read once is what each reader reads on its own.
    allegation = selectors.allegation_for_page(persona("hana"), chris_allegation.pk, request=None)
    state = selectors.allegation_state(allegation)
    chris_allegation.refresh_from_db()
    assert state["paused"] == services.investigation_paused(chris_allegation)
    assert state["follow_ups"] == selectors.referral_follow_ups(chris_allegation)
    assert state["follow_ups"]["dbs"]["open"]


# ---------------------------------------------------------------- section 8: the record kept on file


def test_the_record_kept_on_file_falls_due_with_the_outcome_and_recording_it_meets_it(
    persona, chris_allegation
) -> None:
    """Section 8: "For all other allegations (which are not found to be malicious or false), the following
    information will be kept on the file … A declaration on whether the information will be referred to in any
    future reference. In these cases, the academy will provide a copy to the individual"."""
    _conclude(persona, chris_allegation, outcome="unsubstantiated", disciplinary_route="")
    row = Deadline.objects.get(allegation=chris_allegation, kind="file-record")
    assert (row.state, row.due_on, row.owner) == (DeadlineState.OPEN, TODAY(), chris_allegation.case_manager)
    assert "Record what is kept on the confidential file" in [i.text for i in selectors.due_items(chris_allegation)]
    services.file_record_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        summary="A pupil alleged Chris grabbed his arm.",
        follow_up="Investigated with HR.",
        actions="No further action.",
        copy_given_on=TODAY(),
    )
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, TODAY())
    assert "Record what is kept on the confidential file" not in [
        item.text for item in selectors.due_items(chris_allegation)
    ]


def test_a_malicious_allegation_is_kept_off_the_file_so_no_record_on_file_falls_due(persona, chris_allegation) -> None:
    _conclude(
        persona, chris_allegation, outcome="malicious", disciplinary_route="", malicious_action="Pupil spoken to."
    )
    assert not Deadline.objects.filter(allegation=chris_allegation, kind="file-record").exists()
    texts = [item.text for item in selectors.due_items(chris_allegation)]
    assert "Archive from the personnel file, or record the consent to keep it" in texts
    assert "Record what is kept on the confidential file" not in texts

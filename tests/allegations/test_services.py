"""Every state change of an allegation: written once, audited, in the chronology; refused whole when invalid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.allegations.conftest import update_details
from threshold.accounts.models import Organisation
from threshold.allegations import selectors, services
from threshold.allegations.models import (
    AgencyRecord,
    Allegation,
    AllegationStatus,
    Employment,
    FileRecord,
    Lesson,
    OutcomeRecord,
    PoliceInvolvement,
    RiskAssessment,
    Step,
    StepRecord,
    SupportRecord,
)
from threshold.allegations.services import common as services_common
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry

TODAY = dt.date.today


def _events(allegation: Allegation, action: str) -> int:
    return AuditEvent.objects.filter(action=action, record_type="allegation", record_id=str(allegation.pk)).count()


def _risk(persona, allegation: Allegation, **overrides: Any) -> RiskAssessment:
    values: dict[str, Any] = {
        "rows": [
            {
                "area": "PE lessons",
                "responsibilities": "Teaching PE",
                "potential_risks": "Physical contact with pupils",
                "mitigation": "Redeploy away from PE",
                "monitoring": "Weekly check",
            }
        ],
        "context": "A pupil alleges Chris grabbed his arm in PE; the LADO advised a risk assessment.",
        "additional_notes": "",
        "period_for_measures": "Until the LADO's evaluation",
        "review_on": timezone.localdate() + dt.timedelta(days=14),
        "alternatives": [{"text": "Providing an assistant", "used": False, "reason": "Not enough staff"}],
        "decision": "suspend",
        "decided_on": timezone.localdate(),
        "decision_reason": "Injury to a child; police consulted.",
    }
    values.update(overrides)
    # Section 6.1: the options weighed with HR and the LADO on the day of the decision, unless a test says otherwise.
    values.setdefault("hr_discussed_on", values["decided_on"])
    values.setdefault("lado_reviewed_on", values["decided_on"])
    return services.risk_assessment_record(actor=persona("hana"), allegation=allegation, **values)


# ---------------------------------------------------------------- details, version and conflicts


def test_changing_the_details_bumps_the_version_and_audits_what_changed(persona, chris_allegation) -> None:
    updated = update_details(persona, chris_allegation, subject_is_teacher=True, accused_by_pupil=True)
    assert updated.version == chris_allegation.version + 1
    assert updated.reporting_restricted
    event = AuditEvent.objects.get(action="allegation.updated")
    assert event.changes["subject_is_teacher"] == [False, True]


def test_a_stale_version_is_a_conflict_and_changes_nothing(persona, chris_allegation) -> None:
    update_details(persona, chris_allegation, subject_is_teacher=True)
    with pytest.raises(services.ConflictError) as conflict:
        update_details(persona, chris_allegation, interim_prohibition_order=True)
    assert conflict.value.current.subject_is_teacher
    chris_allegation.refresh_from_db()
    assert not chris_allegation.interim_prohibition_order


def test_a_supply_worker_needs_an_agency(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        update_details(persona, chris_allegation, subject_employment=Employment.SUPPLY)
    assert "agency" in raised.value.message_dict
    chris_allegation.refresh_from_db()
    assert chris_allegation.subject_employment == Employment.EMPLOYED


def test_an_interim_prohibition_order_prompts_suspension_until_it_is_recorded(persona, chris_allegation) -> None:
    allegation = update_details(persona, chris_allegation, interim_prohibition_order=True)
    assert selectors.allegation_state(allegation)["suspend_now"]
    with pytest.raises(ValidationError) as raised:
        _risk(persona, allegation, decision="alternatives")
    assert "decision" in raised.value.message_dict
    _risk(persona, allegation)
    assert not selectors.allegation_state(allegation)["suspend_now"]


# ---------------------------------------------------------------- steps and the checklist


def test_a_step_record_is_kept_and_a_later_one_supersedes_it(persona, chris_allegation) -> None:
    first = services.step_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        step=Step.BASIC_ENQUIRIES,
        done_on=TODAY(),
        decision="Spoke to the PE assistant.",
    )
    second = services.step_record(
        actor=persona("dev"),
        allegation=chris_allegation,
        step=Step.BASIC_ENQUIRIES,
        done_on=TODAY(),
        decision="Also viewed the CCTV.",
    )
    item = next(i for i in selectors.checklist(chris_allegation) if i.step == Step.BASIC_ENQUIRIES)
    assert item.records == [first, second]
    assert item.latest == second
    assert _events(chris_allegation, "allegation.step_recorded") == 2
    assert ChronologyEntry.objects.filter(allegation=chris_allegation, text__contains="CCTV").exists()


def test_step_records_are_never_edited_or_deleted(persona, chris_allegation) -> None:
    record = services.step_record(
        actor=persona("hana"), allegation=chris_allegation, step=Step.HR_STRATEGY, done_on=TODAY(), decision="Agreed."
    )
    record.decision = "Changed"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()


def test_no_further_action_needs_its_justification_and_what_is_put_in_writing(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            step=Step.NO_FURTHER_ACTION,
            done_on=TODAY(),
            decision="No further action.",
        )
    assert {"justification", "written_information", "written_to", "written_by"} <= set(raised.value.message_dict)
    assert not StepRecord.objects.exists()


def test_the_lado_must_be_informed_within_one_working_day_and_is_overdue_after(persona, chris_allegation) -> None:
    allegation = update_details(persona, chris_allegation, came_to_attention_on=dt.date(2026, 1, 2))
    item = next(i for i in selectors.checklist(allegation) if i.step == Step.DISCUSS_WITH_LADO)
    assert item.due == dt.date(2026, 1, 5)  # Friday 2 January: the next working day is Monday 5 January
    assert item.overdue
    services.referral_make(actor=persona("hana"), allegation=allegation)
    item = next(i for i in selectors.checklist(allegation) if i.step == Step.DISCUSS_WITH_LADO)
    assert not item.done  # a referral started in one step does not complete step 2
    assert item.overdue
    services.referral_make(
        actor=persona("hana"),
        allegation=allegation,
        details={
            "adult_role": "PE teacher",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "risk_managed": "suspended",
        },
    )
    item = next(i for i in selectors.checklist(allegation) if i.step == Step.DISCUSS_WITH_LADO)
    assert item.done
    assert not item.overdue


def test_written_confirmation_of_suspension_is_due_one_working_day_after_the_decision(
    persona, chris_allegation
) -> None:
    item = next(i for i in selectors.checklist(chris_allegation) if i.step == Step.SUSPENSION_CONFIRMED)
    assert not item.applies
    assessment = _risk(persona, chris_allegation, decided_on=dt.date(2026, 4, 2))  # Thursday before Easter
    item = next(i for i in selectors.checklist(chris_allegation) if i.step == Step.SUSPENSION_CONFIRMED)
    assert item.applies
    assert item.due == dt.date(2026, 4, 7)  # Good Friday and Easter Monday are not working days
    assert any(
        due.text.startswith("Review") and due.due == assessment.review_on
        for due in selectors.due_items(chris_allegation)
    )


# ---------------------------------------------------------------- suspension, support, police


def test_a_risk_assessment_keeps_its_rows_and_alternatives_and_records_step_3(persona, chris_allegation) -> None:
    assessment = _risk(persona, chris_allegation)
    assert assessment.rows.get().area == "PE lessons"
    assert assessment.alternatives[0]["reason"] == "Not enough staff"
    assert chris_allegation.step_records.filter(step=Step.SUSPENSION_CONFIRMED).count() == 0
    assert chris_allegation.step_records.filter(step=Step.SUSPENSION_CONSIDERED).exists()
    assert _events(chris_allegation, "allegation.risk_assessed") == 1


def test_an_incomplete_risk_assessment_saves_nothing(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _risk(
            persona,
            chris_allegation,
            rows=[{"area": "PE", "potential_risks": "", "mitigation": ""}],
            alternatives=[{"text": "Assistant", "used": False, "reason": ""}],
            review_on=None,
        )
    assert {"row_0_potential_risks", "row_0_mitigation", "alternative_0_reason", "review_on"} <= set(
        raised.value.message_dict
    )
    assert not RiskAssessment.objects.exists()
    assert not StepRecord.objects.exists()


def test_support_and_progress_updates_are_logged(persona, chris_allegation) -> None:
    services.support_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        informed_on=TODAY(),
        informed_of="The allegation and the likely course of action, as agreed with the police.",
        representative_name="Henry Hr",
        representative_contact="henry.hr@riverside.example",
        union_advised=True,
        eap_offered=True,
        occupational_health_offered=True,
        opened_at=0,
    )
    services.progress_update_add(
        actor=persona("hana"), allegation=chris_allegation, given_on=TODAY(), text="Meeting held."
    )
    state = selectors.allegation_state(chris_allegation)
    assert state["support"].representative_name == "Henry Hr"
    assert [u.text for u in state["progress_updates"]] == ["Meeting held."]
    with pytest.raises(ValidationError):
        services.support_record(
            actor=persona("hana"),
            allegation=chris_allegation,
            informed_on=None,
            informed_of="",
            representative_name="",
            representative_contact="",
            union_advised=False,
            eap_offered=False,
            occupational_health_offered=False,
            opened_at=SupportRecord.objects.get().pk,
        )
    assert SupportRecord.objects.count() == 1


def test_police_involvement_pauses_the_internal_investigation(persona, chris_allegation) -> None:
    services.police_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        involved=True,
        police_reference="NP/123",
        consent_to_share="requested",
        notes="",
        next_review_on=timezone.localdate() + dt.timedelta(days=28),
    )
    assert selectors.allegation_state(chris_allegation)["paused"]
    services.police_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        involved=False,
        police_reference="",
        consent_to_share="given",
        notes="",
    )
    assert not selectors.allegation_state(chris_allegation)["paused"]
    assert PoliceInvolvement.objects.count() == 2


# ---------------------------------------------------------------- outcome, records, lessons


def _outcome(persona, allegation: Allegation, **overrides: Any) -> OutcomeRecord:
    values: dict[str, Any] = {
        "report": "Two witnesses and CCTV.",
        "outcome": "substantiated",
        "concluded_on": TODAY(),
        "removed_from_regulated_activity": True,
        "disciplinary_route": "Disciplinary hearing; dismissed.",
        "dbs_referred_on": TODAY(),
        "dbs_reference": "DBS-1",
    }
    values.update(overrides)
    return services.outcome_record(actor=persona("hana"), allegation=allegation, **values)


def test_a_substantiated_outcome_concludes_the_allegation_with_the_engines_dbs_advice(
    persona, chris_allegation
) -> None:
    record = _outcome(persona, chris_allegation)
    chris_allegation.refresh_from_db()
    assert chris_allegation.status == AllegationStatus.CONCLUDED
    assert record.assessment["referrals"]["dbs"]["required"] is True
    assert record.pack == "lead-academy-trust"
    assert [item.text for item in selectors.due_items(chris_allegation)] == [
        "Record what is kept on the confidential file",
        "Tell the adult the outcome",
    ]


def test_the_engine_advises_a_tra_referral_for_a_teacher_who_resigned_before_the_end(persona, chris_allegation) -> None:
    allegation = update_details(persona, chris_allegation, subject_is_teacher=True)
    advice = services.outcome_advice(allegation=allegation, outcome="substantiated", removed=False, resigned=True)
    assert advice["assessment"].referrals["tra"].consider
    assert advice["assessment"].referrals["dbs"].consider
    record = _outcome(
        persona,
        allegation,
        removed_from_regulated_activity=False,
        resigned_before_conclusion=True,
        tra_referred_on=TODAY(),
        tra_reference="TRA-9",
    )
    assert record.tra_reference == "TRA-9"


def test_a_tra_referral_is_refused_for_someone_not_recorded_as_a_teacher(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _outcome(persona, chris_allegation, tra_referred_on=TODAY())
    assert "tra_referred_on" in raised.value.message_dict
    chris_allegation.refresh_from_db()
    assert chris_allegation.status != AllegationStatus.CONCLUDED
    assert not OutcomeRecord.objects.exists()


def test_the_file_record_follows_the_packs_reference_and_retention_decisions(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError):
        services.file_record_make(
            actor=persona("hana"),
            allegation=chris_allegation,
            summary="s",
            follow_up="f",
            actions="a",
            copy_given_on=None,
        )
    _outcome(persona, chris_allegation)
    record = services.file_record_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        summary="Grabbed a pupil's arm.",
        follow_up="Investigated; disciplinary hearing.",
        actions="Dismissed; DBS referral.",
        copy_given_on=TODAY(),
    )
    assert record.may_mention_in_references is True
    assert record.remove_from_personnel_file is False
    assert record.keep_until() is not None


def test_a_malicious_allegation_is_marked_for_removal_and_not_mentioned_in_references(
    persona, chris_allegation
) -> None:
    _outcome(
        persona,
        chris_allegation,
        outcome="malicious",
        malicious_action="The headteacher considers action.",
        disciplinary_route="",
        dbs_referred_on=None,
        dbs_reference="",
    )
    record = services.file_record_make(
        actor=persona("hana"), allegation=chris_allegation, summary="s", follow_up="f", actions="a", copy_given_on=None
    )
    assert record.remove_from_personnel_file is True
    assert record.may_mention_in_references is False
    assert FileRecord.objects.count() == 1


def test_lessons_learned_are_listed_for_those_who_see_the_allegation(persona, chris_allegation) -> None:
    services.lesson_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        text="Two adults in PE changing rooms.",
        reviewed_with="LADO",
    )
    assert [lesson.text for lesson in selectors.lessons_for(persona("priya"))] == ["Two adults in PE changing rooms."]
    assert not selectors.lessons_for(persona("tom")).exists()
    assert not selectors.lessons_for(persona("nina")).exists()
    with pytest.raises(ValidationError):
        services.lesson_record(actor=persona("hana"), allegation=chris_allegation, text=" ", reviewed_with="")
    assert Lesson.objects.count() == 1


# ---------------------------------------------------------------- supply workers


def _agency(persona, allegation: Allegation, **overrides: Any) -> AgencyRecord:
    values: dict[str, Any] = {
        "notified_at": timezone.now() - dt.timedelta(hours=1),
        "suspension_discussed": "Agreed to suspend from the placement.",
        "notes_sent_on": None,
        "outcome_sent_on": None,
    }
    values.update(overrides)
    return services.agency_record(actor=persona("hana"), allegation=allegation, **values)


def test_replacement_cover_is_due_48_hours_after_the_supply_worker_is_suspended_not_after_notification(
    persona, chris_allegation
) -> None:
    agency = Organisation.objects.get(name="Supply Partners Ltd")
    allegation = update_details(persona, chris_allegation, subject_employment=Employment.SUPPLY, agency=agency)
    _agency(persona, allegation)
    assert [item for item in selectors.due_items(allegation) if item.anchor == "agency"] == []
    suspended = TODAY() - dt.timedelta(days=3)
    _agency(persona, allegation, removed_on=suspended)
    cover = next(item for item in selectors.due_items(allegation) if item.anchor == "agency")
    assert isinstance(cover.due, dt.datetime)
    assert timezone.localtime(cover.due).date() == suspended + dt.timedelta(days=2)
    assert cover.overdue
    _agency(persona, allegation, removed_on=suspended, cover_arranged_on=TODAY())
    assert [item for item in selectors.due_items(allegation) if item.anchor == "agency"] == []
    assert AgencyRecord.objects.count() == 3


def test_replacement_cover_is_only_expected_for_supply_staff(persona, chris_allegation) -> None:
    agency = Organisation.objects.get(name="Supply Partners Ltd")
    allegation = update_details(persona, chris_allegation, subject_employment=Employment.CONTRACTOR, agency=agency)
    _agency(persona, allegation, removed_on=TODAY() - dt.timedelta(days=3))
    assert selectors.cover_due(allegation) is None


def test_cover_cannot_be_arranged_before_the_worker_was_removed(persona, chris_allegation) -> None:
    agency = Organisation.objects.get(name="Supply Partners Ltd")
    allegation = update_details(persona, chris_allegation, subject_employment=Employment.SUPPLY, agency=agency)
    with pytest.raises(ValidationError) as raised:
        _agency(persona, allegation, removed_on=TODAY(), cover_arranged_on=TODAY() - dt.timedelta(days=1))
    assert "cover_arranged_on" in raised.value.message_dict
    assert not AgencyRecord.objects.exists()


@pytest.mark.parametrize("employment", [Employment.SUPPLY, Employment.CONTRACTOR, Employment.VOLUNTEER])
def test_any_non_employed_worker_can_be_barred_from_the_trusts_academies(persona, chris_allegation, employment) -> None:
    agency = Organisation.objects.get(name="Supply Partners Ltd") if employment == Employment.SUPPLY else None
    company = {"agency_name": "Brightclean Ltd", "agency_contact": "01632 960 000"}
    allegation = update_details(
        persona,
        chris_allegation,
        subject_employment=employment,
        barred_from_trust=True,
        agency=agency,
        **(company if employment == Employment.CONTRACTOR else {}),
    )
    assert allegation.barred_from_trust
    assert allegation.barred_from_trust_since is not None
    assert _events(allegation, "allegation.updated") == 1
    # Dev, a DSL at Hillcrest (another of the trust's academies), sees the name and nothing else.
    assert [r.name for r in selectors.trust_restrictions(persona("dev"))] == ["Chris Coach"]
    assert [r.name for r in selectors.trust_restrictions(persona("priya"))] == ["Chris Coach"]
    assert selectors.trust_restrictions(persona("tom")) == []
    assert selectors.trust_restrictions(persona("nina")) == []


def test_a_bar_is_not_shown_through_a_membership_of_a_school_no_longer_active(persona, chris_allegation) -> None:
    update_details(persona, chris_allegation, subject_employment=Employment.VOLUNTEER, barred_from_trust=True)
    dev = persona("dev")
    assert [r.name for r in selectors.trust_restrictions(dev)] == ["Chris Coach"]
    # Every membership Dev holds is in a school that has since closed (made inactive): no trust's list is hers.
    Organisation.objects.filter(memberships__user=dev).update(is_active=False)
    assert selectors.trust_restrictions(dev) == []


def test_an_employee_is_not_barred_this_way(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        update_details(persona, chris_allegation, barred_from_trust=True)
    assert "barred_from_trust" in raised.value.message_dict
    chris_allegation.refresh_from_db()
    assert not chris_allegation.barred_from_trust


def test_the_restriction_ends_when_the_allegation_concludes(persona, chris_allegation) -> None:
    allegation = update_details(
        persona, chris_allegation, subject_employment=Employment.VOLUNTEER, barred_from_trust=True
    )
    _outcome(persona, allegation, outcome="unfounded", disciplinary_route="", dbs_referred_on=None, dbs_reference="")
    assert selectors.trust_restrictions(persona("dev")) == []


def test_the_agency_cannot_be_notified_before_it_is_recorded(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _agency(persona, chris_allegation, suspension_discussed="")
    assert {"notified_at", "suspension_discussed"} <= set(raised.value.message_dict)
    assert not AgencyRecord.objects.exists()


# ---------------------------------------------------------------- who may change


@pytest.mark.parametrize("key", ["tom", "lara", "pat", "cara", "nina", "ada", "olu", "sid"])
def test_only_the_organisations_case_managers_dsls_trust_roles_and_hr_may_record_anything(
    persona, chris_allegation, key
) -> None:
    with pytest.raises(PermissionDenied):
        services.step_record(
            actor=persona(key), allegation=chris_allegation, step=Step.BASIC_ENQUIRIES, done_on=TODAY(), decision="x"
        )
    with pytest.raises(PermissionDenied):
        services.lesson_record(actor=persona(key), allegation=chris_allegation, text="x", reviewed_with="")
    assert not StepRecord.objects.exists()


@pytest.mark.parametrize("key", ["hana", "dev", "priya", "henry"])
def test_case_managers_dsls_trust_roles_and_hr_may_record_steps(persona, chris_allegation, key) -> None:
    services.step_record(
        actor=persona(key), allegation=chris_allegation, step=Step.HR_STRATEGY, done_on=TODAY(), decision="Agreed."
    )
    assert StepRecord.objects.filter(recorded_by=persona(key)).exists()


def test_a_failure_part_way_through_leaves_nothing_half_saved(persona, chris_allegation, monkeypatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the chronology is unavailable")

    status_before = chris_allegation.status
    monkeypatch.setattr(services_common, "chronology_record_event", broken)
    with pytest.raises(RuntimeError):
        services.referral_make(actor=persona("hana"), allegation=chris_allegation)
    with pytest.raises(RuntimeError):
        _outcome(persona, chris_allegation)
    chris_allegation.refresh_from_db()
    assert chris_allegation.status == status_before
    assert not StepRecord.objects.exists()
    assert not OutcomeRecord.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["allegation.referred", "allegation.concluded"]).exists()
    from threshold.allegations.models import Referral

    assert not Referral.objects.exists()


def test_the_investigation_step_also_shows_the_disciplinary_hearing_clock(persona, chris_allegation) -> None:
    allegation = update_details(persona, chris_allegation, came_to_attention_on=dt.date(2026, 3, 2))
    services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step=Step.DISCUSS_WITH_LADO,
        done_on=dt.date(2026, 3, 2),
        decision="The LADO advised an investigation.",
        route="investigation",
    )
    item = next(i for i in selectors.checklist(allegation) if i.step == Step.INVESTIGATION)
    assert item.due == dt.date(2026, 3, 16)  # investigation report: 10 working days
    # No hearing is due while the investigation runs: the pack's 15 working days are for a hearing needed without
    # one (KCSIE), so after one they run from its report.
    assert item.also_due == []
    assert item.hearing_due is None
    services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step=Step.INVESTIGATION,
        done_on=dt.date(2026, 3, 20),
        decision="The investigation's report is in.",
    )
    item = next(i for i in selectors.checklist(allegation) if i.step == Step.INVESTIGATION)
    # Fifteen working days from Friday 20 March 2026, over Good Friday and Easter Monday (3 and 6 April).
    assert item.hearing_due == dt.date(2026, 4, 14)


# ---------------------------------------------------------------- the case manager


def test_whoever_opens_an_allegation_is_its_case_manager_unless_another_is_given(persona, chris_allegation) -> None:
    opened = services.allegation_open(
        actor=persona("dev"),
        organisation=chris_allegation.organisation,
        subject=chris_allegation.subject,
        summary="Opened by Dev.",
    )
    assert opened.case_manager == persona("dev")
    handed = services.allegation_open(
        actor=persona("dev"),
        organisation=chris_allegation.organisation,
        subject=chris_allegation.subject,
        summary="Opened for Hana.",
        case_manager=persona("hana"),
    )
    assert handed.case_manager == persona("hana")


def test_the_case_can_be_handed_to_someone_who_may_manage_it_and_never_to_the_adult(persona, chris_allegation) -> None:
    candidates = set(services.case_manager_candidates(chris_allegation).values_list("email", flat=True))
    assert {persona(key).email for key in ("hana", "dev", "priya", "henry")} <= candidates
    assert not {persona(key).email for key in ("tom", "lara", "nina", "olu", "sid")} & candidates
    allegation = update_details(persona, chris_allegation, case_manager=persona("priya"))
    assert allegation.case_manager == persona("priya")
    assert _events(allegation, "allegation.updated") == 1
    with pytest.raises(ValidationError) as raised:
        update_details(persona, allegation, case_manager=persona("tom"))
    assert "case_manager" in raised.value.message_dict


def test_the_adult_concerned_is_never_offered_as_case_manager(persona, chris_allegation) -> None:
    from threshold.people.models import Person

    dev = persona("dev")
    subject = Person.objects.create(organisation=chris_allegation.organisation, full_name=dev.full_name, user=dev)
    allegation = services.allegation_open(
        actor=persona("hana"), organisation=chris_allegation.organisation, subject=subject, summary="About Dev."
    )
    assert dev not in services.case_manager_candidates(allegation)
    by_email = Person.objects.create(organisation=chris_allegation.organisation, full_name="D. Dsl", email=dev.email)
    about_dev = services.allegation_open(
        actor=persona("hana"), organisation=chris_allegation.organisation, subject=by_email, summary="About Dev."
    )
    assert dev not in services.case_manager_candidates(about_dev)


# ---------------------------------------------------------------- police pause


def _police(persona, allegation: Allegation, *, involved: bool = True, authorised: bool = False) -> None:
    services.police_record(
        actor=persona("hana"),
        allegation=allegation,
        involved=involved,
        police_reference="NP/123",
        consent_to_share="requested",
        notes="",
        proceedings_authorised=authorised,
        next_review_on=timezone.localdate() + dt.timedelta(days=28) if involved else None,
    )


def test_while_the_police_investigate_step_8_onwards_are_paused_with_no_due_date(persona, chris_allegation) -> None:
    allegation = update_details(persona, chris_allegation, came_to_attention_on=dt.date(2026, 1, 2))
    services.step_record(
        actor=persona("hana"),
        allegation=allegation,
        step=Step.DISCUSS_WITH_LADO,
        done_on=dt.date(2026, 1, 2),
        decision="The LADO advised an investigation.",
        route="investigation",
    )
    before = {item.step: item for item in selectors.checklist(allegation)}
    assert before[Step.INVESTIGATION].overdue
    _police(persona, allegation)
    items = {item.step: item for item in selectors.checklist(allegation)}
    for step in (Step.INVESTIGATION, Step.PARENTS_KEPT_INFORMED):
        assert items[step].paused
        assert items[step].due is None
        assert not items[step].overdue
    assert items[Step.INVESTIGATION].also_due == []
    assert not items[Step.DISCUSS_WITH_LADO].paused
    due = {item.anchor for item in selectors.due_items(allegation)}
    assert "step-investigation" not in due


def test_step_8_is_refused_while_paused_until_the_police_authorise_internal_proceedings(
    persona, chris_allegation
) -> None:
    _police(persona, chris_allegation)
    with pytest.raises(ValidationError) as raised:
        services.step_record(
            actor=persona("hana"), allegation=chris_allegation, step=Step.INVESTIGATION, done_on=TODAY(), decision="x"
        )
    assert "authorised" in raised.value.messages[0]
    assert not StepRecord.objects.filter(step=Step.INVESTIGATION).exists()
    _police(persona, chris_allegation, authorised=True)
    assert not selectors.allegation_state(chris_allegation)["paused"]
    services.step_record(
        actor=persona("hana"), allegation=chris_allegation, step=Step.INVESTIGATION, done_on=TODAY(), decision="Go."
    )
    assert StepRecord.objects.filter(step=Step.INVESTIGATION).count() == 1


def test_authority_to_proceed_is_only_recorded_while_the_police_are_involved(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _police(persona, chris_allegation, involved=False, authorised=True)
    assert "proceedings_authorised" in raised.value.message_dict
    assert not PoliceInvolvement.objects.exists()


def test_each_alternative_without_a_reason_is_named(persona: Any, chris_allegation: Any) -> None:
    alternatives = [
        {"text": "Redeployment within the school so that the individual does not have direct contact with the "
         "child concerned", "used": False, "reason": ""},
        {"text": "Providing an assistant", "used": False, "reason": ""},
        {"text": "", "used": False, "reason": ""},
    ]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        _risk(persona, chris_allegation, alternatives=alternatives)
    messages = refused.value.message_dict
    assert messages["alternative_0_reason"] == [
        "Say why “Redeployment within the school so that the individual does not have…” was or was not used"
    ]
    assert messages["alternative_1_reason"] == ["Say why “Providing an assistant” was or was not used"]
    assert messages["alternative_2_reason"] == ["Say why “your own alternative” was or was not used"]


def test_a_step_sent_from_a_page_read_before_the_outcome_is_refused_not_written_after_it(
    persona, chris_allegation
) -> None:
    page = Allegation.objects.get(pk=chris_allegation.pk)  # Dev's page, read before Hana records the outcome
    _outcome(persona, chris_allegation)
    with pytest.raises(ValidationError, match="concluded"):
        services.step_record(
            actor=persona("hana"),
            allegation=page,
            step=Step.BASIC_ENQUIRIES,
            done_on=timezone.localdate(),
            decision="Spoke to the class teacher.",
        )
    assert not StepRecord.objects.filter(allegation=chris_allegation, step=Step.BASIC_ENQUIRIES).exists()


def test_a_referral_sent_from_a_page_read_before_the_outcome_does_not_turn_the_allegation_back_to_referred(
    persona, ids
) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    page = Allegation.objects.get(pk=allegation.pk)  # open when Nina's page read it
    services.outcome_record(
        actor=persona("nina"),
        allegation=allegation,
        report="Nothing in it.",
        outcome="unfounded",
        concluded_on=TODAY(),
    )
    referral_make(actor=persona("nina"), allegation=page)
    assert Allegation.objects.get(pk=allegation.pk).status == AllegationStatus.CONCLUDED

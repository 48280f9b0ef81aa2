"""The case services: opening a case from a contact, the data set, agencies, tier changes and reassignment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.accounts.models import Membership
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.chronology.services import chronology_of
from threshold.core.errors import ConflictError
from threshold.lado.models import Allocation, Case, CaseStatus, Contact, Investigation, RiskMeasure, TierChange
from threshold.lado.selectors import current_investigations
from threshold.lado.services import cases as services

TODAY = timezone.localdate  # asked when used, not when the module loads: a run may cross midnight


@pytest.fixture
def referred_contact(persona, ids, chris_contact: Contact) -> Contact:
    """Chris's contact once Hana has sent Oakfield's referral with the data set and a child."""
    referral_make(
        actor=persona("hana"),
        allegation=Allegation.objects.get(pk=ids["allegation_chris"]),
        details={
            "adult_role": "PE teacher",
            "adult_address": "1 Synthetic Street",
            "adult_gender": "male",
            "adult_ethnicity": "white_british",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "incident_date": TODAY() - dt.timedelta(days=30),
            "risk_managed": "suspended",
        },
        children=[{"full_name": "Pupil A", "date_of_birth": dt.date(2016, 3, 1), "gender": "female"}],
    )
    chris_contact.refresh_from_db()
    return chris_contact


def _events(case: Case, action: str):
    return AuditEvent.objects.filter(action=action, record_type="case", record_id=str(case.pk))


# ---------------------------------------------------------------- opening a case


def test_a_case_opened_from_a_referral_carries_the_employers_data_set(persona, referred_contact) -> None:
    lara = persona("lara")
    case = services.case_open_from_contact(actor=lara, contact=referred_contact, tier="tier-1")
    assert re.fullmatch(r"LADO-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", case.reference)
    assert case.lado == lara
    assert case.pack == "bedford-luton-lado"
    assert case.tier == "tier-1"
    assert case.adult_name == "Chris Coach"
    assert case.adult_address == "1 Synthetic Street"
    assert case.adult_gender == "male"
    assert case.adult_ethnicity == "white_british"
    assert case.adult_role == "PE teacher"
    assert case.employer_name == "Oakfield Primary School"
    assert case.sector == "school"
    assert case.referring_agency == "Oakfield Primary School"
    assert case.came_to_light == "disclosure_child"
    assert case.abuse_categories == ["physical"]
    assert case.non_recent is False
    assert case.received_on == timezone.localdate(referred_contact.received_at)
    child = case.children.get()
    assert (child.full_name, child.gender) == ("Pupil A", "female")
    assert case.risk_measures.get().kind == "suspended"
    assert case.allocations.get().lado == lara
    assert _events(case, "case.opened").exists()
    assert "Tier 1 case opened" in chronology_of(case)[0].text


def test_a_case_is_opened_only_at_tier_1_or_tier_2(persona, referred_contact) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_open_from_contact(actor=persona("lara"), contact=referred_contact, tier="consultation")
    assert "tier" in error.value.message_dict


def test_sam_of_southvale_cannot_open_a_case_from_a_northshire_contact(persona, referred_contact) -> None:
    with pytest.raises(PermissionDenied):
        services.case_open_from_contact(actor=persona("sam"), contact=referred_contact, tier="tier-2")


# ---------------------------------------------------------------- the data set


def test_changing_the_data_set_audits_the_field_names_and_adds_a_chronology_line(persona, chris_case) -> None:
    version = chris_case.version
    case = services.case_update_dataset(
        actor=persona("lara"),
        case=chris_case,
        dataset={"adult_gender": "male", "referring_agency": "Riverside Academy Trust"},
        expected_version=version,
    )
    assert case.version == version + 1
    assert case.adult_gender == "male"
    event = _events(case, "case.dataset_changed").get()
    assert event.details["fields"] == ["adult_gender", "referring_agency"]
    assert "Data set changed" in chronology_of(case)[-1].text


def test_an_incident_over_12_months_before_the_referral_is_non_recent(persona, chris_case) -> None:
    lara = persona("lara")
    old = chris_case.received_on - dt.timedelta(days=500)
    case = services.case_update_dataset(
        actor=lara, case=chris_case, dataset={"incident_date": old}, expected_version=chris_case.version
    )
    assert case.non_recent is True
    recent = chris_case.received_on - dt.timedelta(days=20)
    case = services.case_update_dataset(
        actor=lara, case=case, dataset={"incident_date": recent}, expected_version=case.version
    )
    assert case.non_recent is False


def test_an_incident_date_in_the_future_is_refused_and_nothing_is_saved(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_update_dataset(
            actor=persona("lara"),
            case=chris_case,
            dataset={"incident_date": TODAY() + dt.timedelta(days=1), "summary": "Changed"},
            expected_version=chris_case.version,
        )
    assert "incident_date" in error.value.message_dict
    chris_case.refresh_from_db()
    assert chris_case.incident_date is None
    assert chris_case.summary.startswith("[demo]")


def test_the_summary_cannot_be_emptied(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_update_dataset(
            actor=persona("lara"), case=chris_case, dataset={"summary": "  "}, expected_version=chris_case.version
        )
    assert error.value.message_dict["summary"] == ["Enter a summary of the allegation"]


def test_a_stale_form_raises_a_conflict_and_saves_nothing(persona, chris_case) -> None:
    stale = chris_case.version
    services.case_update_dataset(
        actor=persona("lara"), case=chris_case, dataset={"sector": "school"}, expected_version=stale
    )
    with pytest.raises(ConflictError):
        services.case_update_dataset(
            actor=persona("mo"), case=chris_case, dataset={"sector": "sport"}, expected_version=stale
        )
    chris_case.refresh_from_db()
    assert chris_case.sector == "school"


@pytest.mark.parametrize("key", ["sam", "ada", "pat", "cara", "hana"])
def test_only_the_lado_service_of_the_area_changes_a_case(persona, chris_case, key) -> None:
    with pytest.raises(PermissionDenied):
        services.case_update_dataset(
            actor=persona(key), case=chris_case, dataset={"summary": "Changed"}, expected_version=chris_case.version
        )
    with pytest.raises(PermissionDenied):
        services.case_add_risk_measure(
            actor=persona(key), case=chris_case, expected_version=chris_case.version, kind="none"
        )


def test_a_child_victim_is_added_with_their_details(persona, chris_case) -> None:
    child = services.case_add_child(
        actor=persona("lara"),
        case=chris_case,
        full_name="Pupil B",
        address="2 Synthetic Street",
        date_of_birth=dt.date(2015, 5, 5),
        gender="male",
        ethnicity="asian_indian",
        expected_version=chris_case.version,
    )
    assert chris_case.children.get() == child
    assert _events(chris_case, "case.child_added").get().details["row"] == child.pk


def test_a_child_needs_a_name(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_add_child(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, full_name=" "
        )
    assert "full_name" in error.value.message_dict
    assert not chris_case.children.exists()


def _pupil(persona, case: Case, name: str = "Pupil B"):
    child = services.case_add_child(
        actor=persona("lara"), case=case, full_name=name, gender="male", expected_version=case.version
    )
    case.refresh_from_db()
    return child


def test_a_childs_details_are_corrected_and_the_audit_names_the_fields(persona, chris_case) -> None:
    child = _pupil(persona, chris_case)
    services.case_change_child(
        actor=persona("lara"),
        case=chris_case,
        child=child,
        full_name="Pupil Bee",
        gender="male",
        date_of_birth=dt.date(2015, 5, 5),
        expected_version=chris_case.version,
    )
    child.refresh_from_db()
    assert (child.full_name, child.date_of_birth) == ("Pupil Bee", dt.date(2015, 5, 5))
    changed = _events(chris_case, "case.child_changed").get()
    assert changed.details["fields"] == ["full_name", "date_of_birth"]
    assert "Pupil" not in str(changed.details)  # the audit names the fields, never the child's details
    assert "full name, date of birth" in chronology_of(chris_case)[-1].text


def test_a_stale_child_form_conflicts_and_saves_nothing(persona, chris_case) -> None:
    child = _pupil(persona, chris_case)
    with pytest.raises(ConflictError):
        services.case_change_child(
            actor=persona("lara"),
            case=chris_case,
            child=child,
            full_name="Pupil Bee",
            expected_version=chris_case.version - 1,
        )
    child.refresh_from_db()
    assert child.full_name == "Pupil B"


def test_a_corrected_child_still_needs_a_name(persona, chris_case) -> None:
    child = _pupil(persona, chris_case)
    with pytest.raises(ValidationError) as error:
        services.case_change_child(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, child=child, full_name=""
        )
    assert "full_name" in error.value.message_dict


def test_a_child_recorded_in_error_is_removed_with_an_audit_and_a_chronology_line(persona, chris_case) -> None:
    child = _pupil(persona, chris_case)
    services.case_remove_child(actor=persona("lara"), case=chris_case, child=child, expected_version=chris_case.version)
    assert not chris_case.children.exists()
    assert _events(chris_case, "case.child_removed").get().details["row"] == child.pk
    assert chronology_of(chris_case)[-1].text == "A child (victim) was removed from the data set."


def test_a_child_is_changed_only_through_its_own_case_and_by_those_who_may_change_it(persona, ids, chris_case) -> None:
    child = _pupil(persona, chris_case)
    southvale = Case.objects.get(pk=ids["case_southvale"])
    with pytest.raises(ValidationError):
        services.case_remove_child(
            actor=persona("sam"), case=southvale, expected_version=southvale.version, child=child
        )
    for key in ("ada", "sam", "pat"):
        with pytest.raises(PermissionDenied):
            services.case_remove_child(
                actor=persona(key), case=chris_case, expected_version=chris_case.version, child=child
            )
        with pytest.raises(PermissionDenied):
            services.case_change_child(
                actor=persona(key), case=chris_case, expected_version=chris_case.version, child=child, full_name="X"
            )
    assert chris_case.children.get() == child


# ---------------------------------------------------------------- risk, investigations, bodies


def test_a_risk_measure_needs_its_start_and_cannot_end_before_it_starts(persona, chris_case) -> None:
    lara = persona("lara")
    with pytest.raises(ValidationError) as error:
        services.case_add_risk_measure(
            actor=lara, case=chris_case, expected_version=chris_case.version, kind="suspended"
        )
    assert "started_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_add_risk_measure(
            actor=lara,
            case=chris_case,
            expected_version=chris_case.version,
            kind="restricted",
            started_on=TODAY(),
            ended_on=TODAY() - dt.timedelta(days=1),
        )
    assert "ended_on" in error.value.message_dict
    measure = services.case_add_risk_measure(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        kind="suspended",
        started_on=TODAY() - dt.timedelta(days=3),
        ended_on=TODAY(),
    )
    assert list(chris_case.risk_measures.all()) == [measure]
    assert "Suspended" in chronology_of(chris_case)[-1].text


def test_a_failure_while_recording_leaves_nothing_half_saved(persona, chris_case, monkeypatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("threshold.lado.services.case_agencies.record_case_event", broken)
    version = chris_case.version
    with pytest.raises(RuntimeError):
        services.case_add_risk_measure(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, kind="none"
        )
    assert not RiskMeasure.objects.filter(case=chris_case).exists()
    chris_case.refresh_from_db()
    assert chris_case.version == version


def test_each_line_of_investigation_has_its_own_outcomes(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_record_investigation(
            actor=persona("lara"),
            case=chris_case,
            expected_version=chris_case.version,
            kind="criminal",
            outcome="dismissal",
            referred_on=TODAY(),
        )
    assert "outcome" in error.value.message_dict
    assert [value for value, _ in services.INVESTIGATION_OUTCOMES["criminal"]] == [
        "no_further_action", "charge", "caution", "conviction", "acquittal", "ongoing", "other",
    ]  # fmt: skip


def test_a_later_record_of_a_line_supersedes_the_earlier_and_keeps_it(persona, chris_case) -> None:
    lara = persona("lara")
    first = services.case_record_investigation(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        kind="criminal",
        outcome="ongoing",
        referred_on=TODAY(),
        lead="DC Synthetic",
    )
    second = services.case_record_investigation(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        kind="criminal",
        outcome="caution",
        referred_on=TODAY(),
        outcome_on=TODAY(),
        dbs_information="Caution recorded on police systems.",
    )
    disciplinary = services.case_record_investigation(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        kind="disciplinary",
        outcome="ongoing",
        referred_on=TODAY(),
    )
    assert second.supersedes == first
    assert Investigation.objects.filter(case=chris_case).count() == 3
    assert current_investigations(chris_case) == [second, disciplinary]
    assert "DBS disclosures" in chronology_of(chris_case)[-2].text


def test_an_outcome_other_than_ongoing_needs_its_date_and_dbs_information_is_the_polices(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as error:
        services.case_record_investigation(
            actor=persona("lara"),
            case=chris_case,
            expected_version=chris_case.version,
            kind="section_47",
            outcome="substantiated",
            referred_on=TODAY(),
            dbs_information="Not for this line",
        )
    assert set(error.value.message_dict) == {"outcome_on", "dbs_information"}


def test_a_body_referral_is_dated_or_explained(persona, chris_case) -> None:
    lara = persona("lara")
    with pytest.raises(ValidationError) as error:
        services.case_record_body_referral(
            actor=lara, case=chris_case, expected_version=chris_case.version, body="dbs", referred=True
        )
    assert "referred_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_record_body_referral(
            actor=lara, case=chris_case, expected_version=chris_case.version, body="tra", referred=False
        )
    assert "explanation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_record_body_referral(
            actor=lara,
            case=chris_case,
            expected_version=chris_case.version,
            body="regulator",
            referred=True,
            referred_on=TODAY(),
        )
    assert "body_name" in error.value.message_dict
    dbs = services.case_record_body_referral(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        body="dbs",
        referred=True,
        referred_on=TODAY(),
        reference="DBS-123",
    )
    tra = services.case_record_body_referral(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        body="tra",
        referred=False,
        explanation="Not a teacher.",
    )
    assert list(chris_case.body_referrals.all()) == [dbs, tra]
    assert _events(chris_case, "case.body_referral_recorded").count() == 2


def test_a_closed_case_takes_no_more_changes(persona, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(status=CaseStatus.CLOSED)
    chris_case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.case_add_child(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, full_name="Pupil C"
        )
    with pytest.raises(ValidationError):
        services.case_change_tier(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, tier="tier-2", reason="Pattern"
        )


# ---------------------------------------------------------------- tier and allocation


def test_a_case_moves_tier_with_a_reason(persona, chris_case) -> None:
    lara = persona("lara")
    with pytest.raises(ValidationError) as error:
        services.case_change_tier(
            actor=lara, case=chris_case, expected_version=chris_case.version, tier="tier-2", reason=""
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_change_tier(
            actor=lara, case=chris_case, expected_version=chris_case.version, tier="tier-1", reason="Again"
        )
    assert "tier" in error.value.message_dict
    change = services.case_change_tier(
        actor=lara,
        case=chris_case,
        expected_version=chris_case.version,
        tier="tier-2",
        reason="The employer is best placed to manage it.",
    )
    assert (change.from_tier, change.to_tier) == ("tier-1", "tier-2")
    assert chris_case.tier == "tier-2"
    event = _events(chris_case, "case.tier_changed").get()
    assert event.details["row"] == change.pk
    assert "Moved from Tier 1 to Tier 2" in chronology_of(chris_case)[-1].text
    assert TierChange.objects.filter(case=chris_case).count() == 1


def test_only_the_lado_manager_reassigns_a_case(persona, chris_case) -> None:
    with pytest.raises(PermissionDenied):
        services.case_reassign(
            actor=persona("lara"), case=chris_case, expected_version=chris_case.version, lado=persona("mo")
        )
    allocation = services.case_reassign(
        actor=persona("mo"),
        case=chris_case,
        expected_version=chris_case.version,
        lado=persona("mo"),
        reason="Lara is on leave.",
    )
    assert chris_case.lado == persona("mo")
    assert (allocation.previous, allocation.lado) == (persona("lara"), persona("mo"))
    assert _events(chris_case, "case.reassigned").exists()
    assert "Reassigned from Lara Lado to Mo Manager" in chronology_of(chris_case)[-1].text


def test_a_case_goes_only_to_an_active_lado_of_its_local_authority(persona, chris_case) -> None:
    mo = persona("mo")
    for outsider in ("sam", "pat", "hana"):
        with pytest.raises(ValidationError) as error:
            services.case_reassign(
                actor=mo, case=chris_case, expected_version=chris_case.version, lado=persona(outsider)
            )
        assert "lado" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.case_reassign(
            actor=mo, case=chris_case, expected_version=chris_case.version, lado=persona("lara")
        )  # already hers
    Membership.objects.filter(user=mo).update(is_active=False)
    Membership.objects.filter(user=persona("lara")).update(role="lado_manager")
    with pytest.raises(ValidationError):
        services.case_reassign(actor=persona("lara"), case=chris_case, expected_version=chris_case.version, lado=mo)
    assert not Allocation.objects.filter(case=chris_case).exists()


def test_a_case_from_a_phone_contact_carries_what_the_contact_recorded(persona, ids) -> None:
    contact = Contact.objects.get(pk=ids["contact_southvale"])
    case = services.case_open_from_contact(actor=persona("sam"), contact=contact, tier="tier-2")
    assert case.local_authority == contact.local_authority
    assert case.adult_name == (contact.adult_name or contact.subject.full_name)
    assert case.summary == contact.summary
    assert case.pack == "kcsie"
    assert not case.children.exists()
    assert not case.risk_measures.exists()

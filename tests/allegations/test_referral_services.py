"""The LADO referral: made from the allegation, carrying the recording data set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.lado.nursery import lara_decides
from threshold.allegations import selectors
from threshold.allegations.models import Allegation, AllegationStatus, Referral, Step
from threshold.allegations.services import ReferralDetails, referral_make
from threshold.audit.models import AuditEvent
from threshold.lado.models import Contact


def test_a_referral_without_details_is_started_with_what_is_known_but_is_incomplete(
    persona, chris_allegation: Allegation
) -> None:
    referral = referral_make(actor=persona("hana"), allegation=chris_allegation)
    assert referral.local_authority.name == "Northshire Council"
    assert referral.adult_name == "Chris Coach"
    assert referral.employer_name == "Oakfield Primary School"
    assert referral.referrer_name == "Hana Head"
    assert referral.pack == "lead-academy-trust"
    assert referral.assessment["pack"] == "lead-academy-trust"
    assert referral.facts["reported_on"]
    assert referral.is_complete is False
    assert not chris_allegation.step_records.filter(step=Step.DISCUSS_WITH_LADO).exists()
    assert AuditEvent.objects.filter(action="allegation.referred", record_id=str(chris_allegation.pk)).exists()
    item = next(i for i in selectors.checklist(chris_allegation) if i.step == Step.DISCUSS_WITH_LADO)
    assert not item.done
    assert item.referral_started
    assert item.note == "Referral started: complete the data set."


def test_only_a_referral_submitted_with_the_data_set_completes_step_2(persona, chris_allegation: Allegation) -> None:
    referral_make(actor=persona("hana"), allegation=chris_allegation)
    complete = referral_make(actor=persona("hana"), allegation=chris_allegation, details=COMPLETE)
    assert complete.is_complete is True
    records = chris_allegation.step_records.filter(step=Step.DISCUSS_WITH_LADO)
    assert records.count() == 1
    assert complete.reference in records.get().decision
    item = next(i for i in selectors.checklist(chris_allegation) if i.step == Step.DISCUSS_WITH_LADO)
    assert item.done
    assert not item.referral_started


COMPLETE: ReferralDetails = {
    "adult_role": "PE teacher",
    "came_to_light": "disclosure_child",
    "abuse_categories": ["physical"],
    "risk_managed": "suspended",
}


def test_a_completed_referral_supersedes_the_first_and_records_the_children(
    persona, chris_allegation: Allegation
) -> None:
    first = referral_make(actor=persona("hana"), allegation=chris_allegation)
    second = referral_make(
        actor=persona("hana"),
        allegation=chris_allegation,
        details={
            "adult_role": "PE teacher",
            "adult_gender": "male",
            "adult_ethnicity": "white_british",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "incident_date": dt.date(2020, 1, 6),
            "risk_managed": "suspended",
            "police_involved": True,
        },
        children=[{"full_name": "Pupil A", "date_of_birth": dt.date(2016, 3, 1), "gender": "female"}],
    )
    assert second.supersedes == first
    assert second.non_recent is True
    assert second.children.get().full_name == "Pupil A"
    assert second.abuse_category_labels() == ["Physical"]
    assert Referral.objects.filter(allegation=chris_allegation).first() == second


def test_a_referral_form_missing_required_fields_saves_nothing(persona, chris_allegation: Allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        referral_make(
            actor=persona("hana"), allegation=chris_allegation, details={"summary": ""}, children=[{"full_name": ""}]
        )
    errors = raised.value.message_dict
    assert {"came_to_light", "abuse_categories", "risk_managed", "summary", "child_0_full_name"} <= set(errors)
    assert not Referral.objects.exists()


def test_an_open_allegation_becomes_referred(persona, ids: dict[str, int]) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    referral_make(actor=persona("nina"), allegation=allegation)
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.REFERRED


@pytest.mark.parametrize("key", ["tom", "lara", "pat", "nina", "sid"])
def test_only_those_who_may_change_the_allegation_may_refer_it(persona, chris_allegation: Allegation, key: str) -> None:
    with pytest.raises(PermissionDenied):
        referral_make(actor=persona(key), allegation=chris_allegation)
    assert not Referral.objects.exists()


def test_the_referral_starts_from_what_the_concern_was_triaged_on(persona, ids: dict[str, int]) -> None:
    from django.utils import timezone

    from threshold.allegations.services import allegation_open
    from threshold.concerns.models import Concern, ConcernDetails, Triage
    from threshold.people.models import Person

    concern = Concern.objects.get(pk=ids["concern_by_tom"])
    ConcernDetails.objects.create(concern=concern, how_arose="disclosure_child", signed_at=timezone.now())
    facts = {"injury": "visible", "abuse_categories": ["physical"], "harmed_or_may_have_harmed_child": True}
    Triage.objects.create(
        concern=concern,
        decision="allegation",
        advised_decision="allegation",
        rationale="Red mark.",
        pack_id="lead-academy-trust",
        pack_version="1.0",
        pack_digest="x",
        facts=facts,
        decided_by=persona("hana"),
    )
    allegation = allegation_open(
        actor=persona("hana"),
        organisation=concern.organisation,
        subject=Person.objects.get(pk=concern.subject_id),
        summary="From triage.",
        concern=concern,
    )
    referral = referral_make(actor=persona("hana"), allegation=allegation)
    assert referral.came_to_light == "disclosure_child"
    assert referral.abuse_categories == ["physical"]
    assert referral.facts["injury"] == "visible"
    assert referral.assessment["level"] in {"tier-3", "tier-4"}


def test_a_trust_level_allegation_is_referred_to_the_local_authority_of_the_school(persona, demo_world) -> None:
    from threshold.accounts.models import Organisation
    from threshold.allegations.services import allegation_open
    from threshold.people.models import Person

    trust = Organisation.objects.get(name="Riverside Learning Trust")
    school = Organisation.objects.get(name="Hillcrest Academy")
    subject = Person.objects.create(organisation=trust, full_name="Sam Visiting", employer=school)
    allegation = allegation_open(actor=persona("priya"), organisation=trust, subject=subject, summary="At the trust.")
    referral = referral_make(actor=persona("priya"), allegation=allegation)
    assert referral.local_authority.name == "Northshire Council"


def test_the_childs_address_goes_with_the_referral_into_the_lados_case(persona, ids: dict[str, int]) -> None:
    # Protocol, Suggested Recording Data Set: "Name, Address, Date of Birth, gender and ethnicity of the adult and
    # the victim".
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    referral = referral_make(
        actor=persona("nina"),
        allegation=allegation,
        details=COMPLETE,
        children=[{"full_name": "Pupil B", "address": "1 Example Road, Northshire NS1 1AA"}],
    )
    assert referral.children.get().address == "1 Example Road, Northshire NS1 1AA"
    case = lara_decides(persona, Contact.objects.get(referral=referral), "tier-2")
    assert case.children.get().address == "1 Example Road, Northshire NS1 1AA"

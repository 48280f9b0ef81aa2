"""The decision on a contact: the pack's advice, consultation, Tier 2 or Tier 1, overrides and reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version
from threshold.lado.models import Case, ConsultationReason, Contact, ContactStatus, Decision, Level
from threshold.lado.services import decisions as decision_services
from threshold.lado.services.cases import case_open_from_contact
from threshold.lado.services.contacts import contact_record, contact_record_advice
from threshold.lado.services.decisions import contact_decide, contact_reopen, current_decision, decision_advice
from threshold.people.models import Person

INJURY = {"works_with_children": True, "harmed_or_may_have_harmed_child": True, "injury": "visible"}
RISK_OF_HARM = {"works_with_children": True, "behaviour_indicates_risk_of_harm": True}
PRACTICE_ISSUE = {"works_with_children": True, "safeguarding_concern": False, "practice_issue_only": True}


def test_an_injury_is_advised_tier_1_with_the_police_always_referred(new_contact: Contact) -> None:
    pack, assessment = decision_advice(new_contact, INJURY)
    assert pack.id == "bedford-luton-lado"
    assert assessment.level == Level.TIER_1
    police = assessment.referrals["police"]
    assert police.required
    assert any("red mark" in reason.text for reason in police.reasons)


def test_significant_harm_is_advised_a_social_care_strategy_meeting_with_the_lado_invited(new_contact: Contact) -> None:
    _pack, assessment = decision_advice(new_contact, {**RISK_OF_HARM, "potential_significant_harm": True})
    assert assessment.referrals["childrens_social_care"].required
    assert any("the LADO should be invited" in item.text for item in assessment.guidance)


def test_an_incident_after_the_contact_was_received_is_refused_beside_its_answer(new_contact: Contact) -> None:
    later = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    with pytest.raises(ValidationError) as error:
        decision_advice(new_contact, {"incident_date": later})
    assert list(error.value.message_dict) == ["incident_date"]


def test_a_consultation_records_why_the_definition_was_not_met_with_the_pack_and_facts(
    persona, new_contact: Contact
) -> None:
    decision = contact_decide(
        actor=persona("lara"),
        contact=new_contact,
        facts=PRACTICE_ISSUE,
        level=Level.CONSULTATION,
        consultation_reason=ConsultationReason.PRACTICE_ISSUE,
        rationale="The club deals with it: a risk was not identified.",
        expected_version=1,
    )
    assert decision.level == decision.advised_level == Level.CONSULTATION
    assert not decision.overridden
    assert decision.case is None
    assert (decision.pack, decision.pack_version) == ("bedford-luton-lado", "1.1")
    assert decision.pack_digest.startswith("sha256:")
    assert decision.facts["practice_issue_only"] is True
    assert decision.facts["reported_on"] == timezone.localdate(new_contact.received_at).isoformat()
    assert decision.assessment["level"] == Level.CONSULTATION
    new_contact.refresh_from_db()
    assert new_contact.status == ContactStatus.DECIDED
    event = AuditEvent.objects.get(action="contact.decided", record_id=str(new_contact.pk))
    assert event.details["level"] == Level.CONSULTATION


def test_a_consultation_needs_its_reason_and_rationale(persona, new_contact: Contact) -> None:
    with pytest.raises(ValidationError) as error:
        contact_decide(
            actor=persona("lara"),
            contact=new_contact,
            expected_version=new_contact.version,
            facts=PRACTICE_ISSUE,
            level=Level.CONSULTATION,
        )
    assert set(error.value.message_dict) == {"consultation_reason", "rationale"}
    assert not new_contact.decisions.exists()


def test_deciding_other_than_the_advice_needs_a_recorded_reason(persona, new_contact: Contact) -> None:
    with pytest.raises(ValidationError) as error:
        contact_decide(
            actor=persona("lara"),
            contact=new_contact,
            expected_version=new_contact.version,
            facts=RISK_OF_HARM,
            level=Level.CONSULTATION,
            consultation_reason=ConsultationReason.OTHER,
            rationale="Seen on camera: the young person slipped.",
        )
    assert list(error.value.message_dict) == ["override_reason"]
    decision = contact_decide(
        actor=persona("lara"),
        contact=new_contact,
        expected_version=new_contact.version,
        facts=RISK_OF_HARM,
        level=Level.CONSULTATION,
        override_reason="CCTV shows the young person slipped; no contact was made.",
        consultation_reason=ConsultationReason.OTHER,
        rationale="Seen on camera: the young person slipped.",
    )
    assert decision.advised_level == Level.TIER_2
    assert decision.overridden
    assert decision.override_reason.startswith("CCTV")


def test_tier_1_opens_a_lado_case_and_the_decision_links_to_it(persona, new_contact: Contact) -> None:
    decision = contact_decide(
        actor=persona("lara"),
        contact=new_contact,
        expected_version=new_contact.version,
        facts=INJURY,
        level=Level.TIER_1,
    )
    assert decision.police_advised
    case = decision.case
    assert case is not None
    assert case.tier == Level.TIER_1
    assert case.contact == new_contact
    assert case.lado == persona("lara")
    assert case.reference.startswith("LADO-")
    assert case.adult_name == "Robyn Youthleader"
    assert AuditEvent.objects.get(action="contact.decided", record_id=str(new_contact.pk)).details["case"] == case.pk


def test_a_contact_is_decided_once(persona, new_contact: Contact) -> None:
    contact_decide(
        actor=persona("lara"),
        contact=new_contact,
        expected_version=new_contact.version,
        facts=RISK_OF_HARM,
        level=Level.TIER_2,
    )
    with pytest.raises(ValidationError):
        contact_decide(
            actor=persona("mo"),
            contact=new_contact,
            expected_version=new_contact.version,
            facts=RISK_OF_HARM,
            level=Level.TIER_2,
        )
    assert new_contact.decisions.count() == 1


def test_if_the_case_cannot_open_nothing_of_the_decision_is_saved(
    persona, new_contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Case:
        raise RuntimeError("The case could not be opened.")

    monkeypatch.setattr(decision_services, "_open_case", broken)
    with pytest.raises(RuntimeError):
        contact_decide(
            actor=persona("lara"),
            contact=new_contact,
            expected_version=new_contact.version,
            facts=INJURY,
            level=Level.TIER_1,
        )
    new_contact.refresh_from_db()
    assert new_contact.status == ContactStatus.NEW
    assert new_contact.version == 1
    assert not Decision.objects.filter(contact=new_contact).exists()
    assert not AuditEvent.objects.filter(action="contact.decided", record_id=str(new_contact.pk)).exists()


@pytest.mark.parametrize("key", ["sam", "ada", "pat"])
def test_only_the_lado_service_of_the_area_decides(persona, new_contact: Contact, key: str) -> None:
    with pytest.raises(PermissionDenied):
        contact_decide(
            actor=persona(key),
            contact=new_contact,
            expected_version=new_contact.version,
            facts=INJURY,
            level=Level.TIER_1,
        )


def test_a_consultation_is_reopened_as_a_referral_when_a_second_concern_arrives(
    persona, ids: dict[str, int], new_contact: Contact
) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    earlier = current_decision(consultation)
    assert earlier is not None
    decision = contact_reopen(
        actor=persona("lara"),
        contact=consultation,
        expected_version=consultation.version,
        prompted_by=new_contact,
        level=Level.TIER_2,
        reason="A second concern about Robin: a pattern is emerging.",
    )
    assert decision.supersedes == earlier
    assert decision.prompted_by == new_contact
    assert current_decision(consultation) == decision
    assert decision.case is not None
    assert decision.case.contact == new_contact
    assert decision.case.tier == Level.TIER_2
    new_contact.refresh_from_db()
    assert new_contact.status == ContactStatus.DECIDED
    prompted = current_decision(new_contact)
    assert prompted is not None
    assert prompted.case == decision.case
    event = AuditEvent.objects.get(action="contact.reopened", record_id=str(consultation.pk))
    assert event.details["prompted_by"] == new_contact.pk


def test_only_a_consultation_is_reopened_and_only_with_a_reason(
    persona, ids: dict[str, int], new_contact: Contact
) -> None:
    with pytest.raises(ValidationError) as error:
        contact_reopen(
            actor=persona("lara"),
            contact=new_contact,
            expected_version=new_contact.version,
            prompted_by=None,
            level=Level.TIER_1,
            reason="",
        )
    assert set(error.value.message_dict) == {"level", "reason"}
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    with pytest.raises(ValidationError) as error:
        contact_reopen(
            actor=persona("lara"),
            contact=consultation,
            expected_version=consultation.version,
            prompted_by=None,
            level=Level.CONSULTATION,
            reason="Why not.",
        )
    assert list(error.value.message_dict) == ["level"]
    assert consultation.decisions.count() == 1


def test_southvale_cannot_reopen_a_northshire_consultation(persona, ids: dict[str, int]) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    with pytest.raises(PermissionDenied):
        contact_reopen(
            actor=persona("sam"),
            contact=consultation,
            expected_version=consultation.version,
            prompted_by=None,
            level=Level.TIER_1,
            reason="No.",
        )


@pytest.fixture
def bea(northshire: Organisation) -> User:
    """Bea, business support in Northshire's LADO service: records contacts and advice, decides nothing."""
    user = User.objects.create_user(email="bea.support@northshire.example", full_name="Bea Support")
    Membership.objects.create(user=user, organisation=northshire, role=Role.LADO_BUSINESS_SUPPORT)
    return user


def test_business_support_records_a_contact_and_advice_but_cannot_decide_or_open_a_case(
    bea: User, northshire: Organisation, new_contact: Contact
) -> None:
    recorded = contact_record(
        actor=bea,
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=1),
        method="phone",
        source="parent",
        adult_name="Dale Dinnerlady",
        summary="A parent says a lunchtime supervisor shouted at their child.",
    )
    contact_record_advice(actor=bea, contact=recorded, advice="Speak to the school's DSL today.", expected_version=1)
    with pytest.raises(PermissionDenied):
        contact_decide(
            actor=bea, contact=new_contact, expected_version=new_contact.version, facts=INJURY, level=Level.TIER_1
        )
    with pytest.raises(PermissionDenied):
        case_open_from_contact(actor=bea, contact=new_contact, tier=Level.TIER_1)
    assert not new_contact.decisions.exists()
    assert not Case.objects.filter(contact=new_contact).exists()


def test_business_support_cannot_reopen_a_consultation(bea: User, ids: dict[str, int], new_contact: Contact) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    with pytest.raises(PermissionDenied):
        contact_reopen(
            actor=bea,
            contact=consultation,
            expected_version=consultation.version,
            prompted_by=new_contact,
            level=Level.TIER_2,
            reason="A pattern.",
        )
    assert consultation.decisions.count() == 1


def test_a_reopened_case_starts_from_the_later_referral_with_its_clock_data_set_and_allegation(
    persona, northshire: Organisation, ids: dict[str, int]
) -> None:
    nell_allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    earlier = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(days=40),
        method="phone",
        source="parent",
        adult_name="Nell Nurseryworker",
        employer_name="Little Acorns",
        summary="A parent felt a nursery worker was short with their child at pick-up.",
    )
    contact_decide(
        actor=persona("lara"),
        contact=earlier,
        expected_version=earlier.version,
        facts=PRACTICE_ISSUE,
        level=Level.CONSULTATION,
        consultation_reason=ConsultationReason.PRACTICE_ISSUE,
        rationale="For the nursery to deal with.",
    )
    referral = referral_make(
        actor=persona("nina"),
        allegation=nell_allegation,
        details={"came_to_light": "observed", "abuse_categories": ["physical"], "risk_managed": "restricted"},
    )
    later = Contact.objects.get(referral=referral)
    decision = contact_reopen(
        actor=persona("lara"),
        contact=earlier,
        expected_version=earlier.version,
        prompted_by=later,
        level=Level.TIER_2,
        reason="Now a pattern.",
    )
    case = decision.case
    assert case is not None
    assert case.contact == later
    assert case.contact.allegation == nell_allegation
    assert case.received_on == timezone.localdate(later.received_at)
    assert case.received_on != timezone.localdate(earlier.received_at)
    assert case.summary == referral.summary
    assert (case.came_to_light, case.abuse_categories) == ("observed", ["physical"])
    assert decision.contact == earlier
    assert decision.prompted_by == later
    later_decision = current_decision(later)
    assert later_decision is not None
    assert later_decision.case == case


def test_an_adult_known_only_through_the_later_contact_never_sees_the_reopened_case_or_the_consultation(
    persona, northshire: Organisation, ids: dict[str, int], new_contact: Contact
) -> None:
    # Robyn also works for the LADO service, and the later contact's record names her account.
    robyn = User.objects.create_user(email="robyn.youthleader@northshire.example", full_name="Robyn Youthleader")
    Membership.objects.create(user=robyn, organisation=northshire, role=Role.LADO)
    Person.objects.filter(pk=new_contact.subject_id).update(user=robyn, email=robyn.email)
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    # The consultation's adult has her name: it could be her, so it is kept from her even before the link.
    assert not fetch.visible_contacts(robyn).filter(pk=consultation.pk).exists()
    decision = contact_reopen(
        actor=persona("lara"),
        contact=consultation,
        expected_version=consultation.version,
        prompted_by=new_contact,
        level=Level.TIER_2,
        reason="A pattern.",
    )
    assert decision.case is not None
    assert not fetch.visible_cases(robyn).filter(pk=decision.case.pk).exists()
    assert not fetch.visible_contacts(robyn).filter(pk=consultation.pk).exists()
    assert fetch.visible_cases(persona("lara")).filter(pk=decision.case.pk).exists()
    linked = AuditEvent.objects.get(action="person.identity_linked", record_id=str(consultation.subject_id))
    assert linked.details == {"fields": ["email", "user"], "same_adult_as": new_contact.subject_id}


def test_a_consultation_reopened_once_cannot_be_reopened_again(
    persona, ids: dict[str, int], new_contact: Contact
) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    contact_reopen(
        actor=persona("lara"),
        contact=consultation,
        expected_version=consultation.version,
        prompted_by=None,
        level=Level.TIER_2,
        reason="A pattern.",
    )
    with pytest.raises(ValidationError) as error:
        contact_reopen(
            actor=persona("mo"),
            contact=consultation,
            expected_version=consultation.version,
            prompted_by=new_contact,
            level=Level.TIER_1,
            reason="Again.",
        )
    assert list(error.value.message_dict) == ["level"]
    assert Case.objects.filter(decisions__contact=consultation).count() == 1


def test_a_reopen_on_a_form_loaded_before_someone_else_saved_is_a_conflict(
    persona, ids: dict[str, int], new_contact: Contact
) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    loaded = consultation.version
    bump_version(consultation, loaded)
    with pytest.raises(ConflictError):
        contact_reopen(
            actor=persona("lara"),
            contact=consultation,
            prompted_by=new_contact,
            level=Level.TIER_2,
            reason="A pattern.",
            expected_version=loaded,
        )
    assert consultation.decisions.count() == 1
    assert not Case.objects.filter(contact=new_contact).exists()

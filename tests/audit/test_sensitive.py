"""Sensitive values never enter the undeletable audit trail; the auditor refuses an actor who is nobody."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.lado.test_contacts import COMPLETE
from threshold.allegations.models import Allegation
from threshold.allegations.services import ReferralDetails, referral_make
from threshold.audit.context import Actor, AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.sensitive import sensitive_fields
from threshold.audit.services import audit_record
from threshold.audit.verify import verify_chain
from threshold.lado.models import Contact

pytestmark = pytest.mark.django_db


def test_a_narrative_and_a_date_of_birth_are_recorded_as_changed_without_their_values(persona) -> None:
    event = audit_record(
        context=AuditContext.for_user(persona("lara")),
        action="case.updated",
        record_type="case",
        record_id=7,
        changes={
            "status": ("open", "closed"),
            "summary": ("Grabbed a child's arm.", "Grabbed a child's arm twice."),
            "adult_date_of_birth": ("1980-01-01", "1980-01-02"),
        },
    )
    assert event.changes == {"status": ["open", "closed"]}
    assert event.excluded_fields == ["adult_date_of_birth", "summary"]
    assert "arm" not in str(event.changes)
    assert "1980" not in str(event.changes)
    assert verify_chain().ok


def test_a_childs_name_is_kept_out_on_a_childs_record_and_callers_may_exclude_more(persona) -> None:
    event = audit_record(
        context=AuditContext.for_user(persona("lara")),
        action="case.child_changed",
        record_type="case_child",
        record_id=3,
        changes={"full_name": ("Pupil Z", "Pupil Y"), "school_year": (5, 6)},
        excluded_fields=["school_year"],
    )
    assert event.changes == {}
    assert event.excluded_fields == ["full_name", "school_year"]


def test_an_adults_name_on_a_case_is_not_hidden_by_the_registry(persona) -> None:
    event = audit_record(
        context=AuditContext.for_user(persona("lara")),
        action="case.updated",
        record_type="case",
        record_id=7,
        changes={"adult_name": ("Chris Coach", "Christopher Coach")},
    )
    assert event.changes == {"adult_name": ["Chris Coach", "Christopher Coach"]}


@pytest.mark.parametrize(
    ("record_type", "field"),
    [
        ("concern", "details"),
        ("allegation", "summary"),
        ("contact", "advice"),
        ("meeting", "minutes"),
        ("person", "date_of_birth"),
        ("user", "password"),
        ("child", "full_name"),
        ("contact", "referrer_contact"),
        ("contact", "referrer_name"),
        ("allegation", "agency_contact"),
        ("support", "representative_contact"),
        ("person", "email"),
    ],
)
def test_the_registry_names_the_sensitive_fields_of_each_record_type(record_type: str, field: str) -> None:
    assert field in sensitive_fields(record_type)


def test_an_unauthenticated_user_as_actor_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="must be signed in"):
        AuditContext.for_user(AnonymousUser())  # type: ignore[arg-type]
    assert (
        audit_record(context=AuditContext(actor=Actor.anonymous()), action="auth.sign_in_failed").actor_label
        == "anonymous"
    )


def test_a_superseding_referral_keeps_the_referrers_name_and_contact_details_out_of_the_trail(persona, ids) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    contact = Contact.objects.get(referral=referral_make(actor=persona("nina"), allegation=allegation))
    details: ReferralDetails = {
        **COMPLETE,
        "referrer_name": "Rita Referrer",
        "referrer_contact": "rita.referrer@example.com 07700 900123",
    }
    referral_make(actor=persona("nina"), allegation=allegation, details=details)
    event = AuditEvent.objects.get(action="contact.referral_updated", record_id=str(contact.pk))
    assert {"referrer_name", "referrer_contact"} <= set(event.excluded_fields)
    assert "Rita" not in str(event.changes)
    assert "07700" not in str(event.changes)

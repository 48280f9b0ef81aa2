"""Defences added after the security review: each names the attack it stops."""

from __future__ import annotations

import pytest
from allauth.account.signals import email_changed
from django.test import Client
from django.urls import reverse

from threshold.access import fetch
from threshold.accounts import services
from threshold.accounts.models import Membership, Organisation
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.demo.records import load_demo_records
from threshold.demo.world import DEMO_PASSWORD, NORTHSHIRE, current_demo_code
from threshold.lado.models import CaseShare, MeetingShare
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_system_administrator_given_a_membership_still_sees_no_case_data(demo_world, persona) -> None:
    load_demo_records()
    sid = persona("sid")
    Membership.objects.create(user=sid, organisation=Organisation.objects.get(name=NORTHSHIRE), role=Role.LADO)
    assert not fetch.visible_cases(sid, "view_summary").exists()
    assert not fetch.visible_contacts(sid).exists()


def test_authenticator_codes_cannot_be_guessed_without_limit(demo_world, client: Client, settings) -> None:
    client.post(reverse("account_login"), {"login": "lara.lado@northshire.example", "password": DEMO_PASSWORD})
    for _ in range(settings.MFA_CODE_FAILURE_LIMIT):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    # Even the right code is refused now, until the window passes.
    refused = client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_changing_email_does_not_reveal_records_that_matched_the_old_address(demo_world, persona) -> None:
    records = load_demo_records().ids
    tom = persona("tom")
    concern = Concern.objects.get(pk=records["concern_about_tom"])
    Person.objects.filter(pk=concern.subject_id).update(user=None, email=tom.email)

    class Address:
        def __init__(self, email: str) -> None:
            self.email = email

    email_changed.send(
        sender=type(tom),
        request=None,
        user=tom,
        from_email_address=Address(tom.email),
        to_email_address=Address("t@x.example"),
    )
    tom.refresh_from_db()
    assert tom.email == "t@x.example"
    assert not fetch.visible_concerns(tom, "view_report").filter(pk=concern.pk).exists()
    event = AuditEvent.objects.get(action="account.email_changed")
    assert event.details == {"person_records_linked": 1}
    # The person record linked is its organisation's case data: its own event, on that organisation.
    linked = AuditEvent.objects.get(action="person.linked_to_account")
    assert (linked.record_id, linked.organisation) == (str(concern.subject_id), concern.organisation)


def test_a_read_names_the_readers_organisation_and_keeps_the_records_own(demo_world, signed_in) -> None:
    records = load_demo_records().ids
    signed_in("priya").get(reverse("concern_detail", args=[records["concern_about_hana"]]))
    event = AuditEvent.objects.get(action="record.view", record_type="concern")
    assert event.organisation is not None
    assert event.organisation.name == "Riverside Learning Trust"
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    assert event.details["record_organisation"] == oakfield.pk


def test_a_police_liaison_who_leaves_the_force_loses_what_was_shared(demo_world, persona) -> None:
    records = load_demo_records().ids
    pat = persona("pat")
    membership = Membership.objects.get(user=pat)
    membership.user.refresh_from_db()
    services.membership_end(actor=persona("sid"), membership=membership)
    assert not MeetingShare.objects.filter(user=pat, ended_at__isnull=True).exists()
    assert not CaseShare.objects.filter(user=pat, ended_at__isnull=True).exists()
    assert not fetch.visible_meetings(pat).filter(pk=records["meeting_chris"]).exists()


def test_a_social_care_manager_who_moves_to_another_areas_social_care_loses_what_was_shared(
    demo_world, persona
) -> None:
    from threshold.accounts.roles import OrganisationKind

    records = load_demo_records().ids
    cara = persona("cara")
    assert CaseShare.objects.filter(user=cara, ended_at__isnull=True).exists()
    southvale = Organisation.objects.create(
        name="Southvale Children's Social Care", kind=OrganisationKind.CHILDRENS_SOCIAL_CARE
    )
    Membership.objects.create(user=cara, organisation=southvale, role=Role.CSC_MANAGER)
    # Still a social care manager, in another area: what Northshire shared with her there ends with her role there.
    services.membership_end(
        actor=persona("sid"), membership=Membership.objects.get(user=cara, organisation__name__contains="Northshire")
    )
    assert not CaseShare.objects.filter(user=cara, ended_at__isnull=True).exists()
    assert not fetch.visible_cases(cara, "view").filter(pk=records["case_chris"]).exists()


def test_a_police_liaison_given_another_role_or_deactivated_loses_what_was_shared_and_does_not_get_it_back(
    demo_world, persona
) -> None:
    records = load_demo_records().ids
    pat, sid = persona("pat"), persona("sid")
    membership = Membership.objects.get(user=pat)
    services.membership_change_role(
        actor=sid, membership=membership, role=Role.ORG_ADMIN, expected_version=membership.version
    )
    assert not MeetingShare.objects.filter(user=pat, ended_at__isnull=True).exists()
    membership.refresh_from_db()
    services.membership_change_role(
        actor=sid, membership=membership, role=Role.POLICE_LIAISON, expected_version=membership.version
    )
    assert not fetch.visible_meetings(pat).filter(pk=records["meeting_chris"]).exists()

    MeetingShare.objects.create(meeting_id=records["meeting_chris"], user=pat, shared_by=persona("lara"))
    services.user_deactivate(actor=sid, user=pat)
    services.user_reactivate(actor=sid, user=pat)
    assert not MeetingShare.objects.filter(user=pat, ended_at__isnull=True).exists()
    assert not fetch.visible_meetings(pat).filter(pk=records["meeting_chris"]).exists()

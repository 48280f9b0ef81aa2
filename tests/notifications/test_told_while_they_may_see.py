"""Nobody is told of a record they may no longer see, nor of one about them, whoever the record still names.

Leaving an organisation leaves the records naming the person as they were (the case's LADO, the allocated
contact, the allegation's case manager, a deadline's owner) until someone takes them on: what is told follows
who may see the record now.
"""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from tests.lado.nursery import lara_decides, refer_nursery_allegation
from tests.notifications.conftest import deadline
from tests.notifications.test_reminders import run
from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.accounts.services import membership_end
from threshold.allegations.models import Allegation
from threshold.allegations.services import allegation_open, outcome_record, referral_make
from threshold.concerns.models import Concern
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.notifications.models import EmailDelivery, Notification, NotificationKind


def moves(persona, key: str, *, leaves: str, joins: str, role: str) -> User:
    """``key`` leaves ``leaves`` (Sid, its administrator, ends the membership) and works at ``joins`` as ``role``."""
    user = persona(key)
    membership = Membership.objects.get(user=user, organisation__name=leaves, is_active=True)
    membership_end(actor=persona("sid"), membership=membership)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(name=joins), role=role, is_active=True)
    user.refresh_from_db()
    assert user.is_active
    return user


def told(user: User, kind: str) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind).exists()


def test_a_missed_deadline_lara_owned_before_she_moved_to_southvale_is_told_to_northshires_team_not_her(
    persona, ids: dict[str, int]
) -> None:
    case = Case.objects.get(pk=ids["case_chris"])
    row = deadline(case, due_on=dt.date(2026, 12, 4), owner=persona("lara"))
    lara = moves(persona, "lara", leaves=world.NORTHSHIRE, joins=world.SOUTHVALE, role=Role.LADO)
    assert not fetch.can(lara, "view", case)
    mail.outbox.clear()
    run(dt.date(2026, 12, 7))
    assert not [message for message in mail.outbox if lara.email in message.to]
    assert not Notification.objects.filter(recipient=lara, key=f"deadline:{row.pk}:overdue").exists()
    # Still owned by her, it falls to those who may act on the case, as a deadline nobody owns does.
    assert Notification.objects.filter(recipient=persona("mo"), key=f"deadline:{row.pk}:overdue").exists()


def test_the_lados_decision_is_not_told_to_nina_once_she_has_left_the_nursery(persona, ids: dict[str, int]) -> None:
    contact = refer_nursery_allegation(persona, ids)
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    nina = moves(persona, "nina", leaves=world.LITTLE_ACORNS, joins=world.OAKFIELD, role=Role.CASE_MANAGER)
    assert allegation.case_manager == nina  # the allegation still names her
    assert not fetch.can(nina, "view", allegation)
    lara_decides(persona, contact, "tier-2")
    assert not told(nina, NotificationKind.LADO_DECISION)
    assert not EmailDelivery.objects.filter(recipient=nina, key__startswith="lado:").exists()


def test_the_employers_outcome_goes_to_northshires_team_once_lara_who_decided_has_left(
    persona, ids: dict[str, int]
) -> None:
    contact = refer_nursery_allegation(persona, ids)
    lara_decides(persona, contact, "tier-2")
    lara = moves(persona, "lara", leaves=world.NORTHSHIRE, joins=world.SOUTHVALE, role=Role.LADO)
    contact.refresh_from_db()
    assert not fetch.can(lara, "view", contact)
    outcome_record(
        actor=persona("nina"),
        allegation=Allegation.objects.get(pk=ids["allegation_nell"]),
        report="Investigated.",
        outcome="unsubstantiated",
        concluded_on=timezone.localdate(),
    )
    assert not told(lara, NotificationKind.EMPLOYER_OUTCOME)
    assert not EmailDelivery.objects.filter(recipient=lara, key__startswith="employer:outcome:").exists()
    assert told(persona("mo"), NotificationKind.EMPLOYER_OUTCOME)


def test_the_employers_outcome_is_not_told_to_mo_when_the_services_record_of_the_adult_is_him(
    persona, ids: dict[str, int]
) -> None:
    mo = persona("mo")
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    # The nursery's referral names the adult as Mo Manager (he also works weekends at the nursery): the LADO
    # service's own record of the adult is linked to Mo, so the contact is about him and hidden from him,
    # whatever the employer's record of the adult says.
    referral_make(
        actor=persona("nina"),
        allegation=allegation,
        details={
            "adult_name": "Mo Manager",
            "adult_role": "Nursery assistant",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "risk_managed": "suspended",
        },
    )
    contact = Contact.objects.get(allegation=allegation)
    assert contact.subject.user == mo
    assert not fetch.can(mo, "view", contact)
    # Nobody holds the contact yet: the employer's outcome goes to the service's LADOs and managers, not Mo.
    outcome_record(
        actor=persona("nina"),
        allegation=allegation,
        report="Investigated.",
        outcome="unsubstantiated",
        concluded_on=timezone.localdate(),
    )
    assert told(persona("lara"), NotificationKind.EMPLOYER_OUTCOME)
    assert not told(mo, NotificationKind.EMPLOYER_OUTCOME)
    assert not EmailDelivery.objects.filter(recipient=mo, key__startswith="employer:outcome:").exists()


def test_oakfields_own_hr_partner_is_not_told_of_an_allegation_routed_past_the_school(
    persona, ids: dict[str, int]
) -> None:
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    ruth = User.objects.create(email="ruth.payroll@oakfield.example", full_name="Ruth Payroll", is_active=True)
    Membership.objects.create(user=ruth, organisation=oakfield, role=Role.HR_BUSINESS_PARTNER, is_active=True)
    about_the_head = Concern.objects.get(pk=ids["concern_about_hana"])
    # The trust's director opens an allegation about the headteacher: routed past the school, as its concern was.
    allegation = allegation_open(
        actor=persona("priya"),
        organisation=oakfield,
        subject=about_the_head.subject,
        summary="About the headteacher.",
        routed_to_trust=True,
    )
    assert not fetch.can(ruth, "view", allegation)
    referral_make(actor=persona("priya"), allegation=allegation)
    assert told(persona("henry"), NotificationKind.HR_INFORMED)  # the trust's HR partner reaches it
    assert not told(ruth, NotificationKind.HR_INFORMED)

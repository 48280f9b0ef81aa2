"""Granting a role that reaches case data: re-authenticated, announced, listed, approved by a second admin (ADR 0016).

The finding (issue 10): Olu, Riverside's organisation admin, invited a second
account of his own as the trust's DSL and reached case data. Now the grant
asks Olu to confirm it is him, is announced to Riverside's other admins (or
the system administrators when there is none), is listed on Riverside's page,
and, where Riverside has a second admin, gives nothing until that admin
approves it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.platform.reauth import reauthenticated
from threshold.access.fetch import visible_allegations
from threshold.access.scope import scope_for
from threshold.accounts import invitations, services
from threshold.accounts.models import Invitation, Membership, Organisation, RoleGrant, User
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.demo.world import DEMO_PASSWORD, OAKFIELD, RIVERSIDE

pytestmark = pytest.mark.django_db

SECOND_ACCOUNT = "olu.private@riverside-mail.example"


@pytest.fixture
def riverside(demo_world: None) -> Organisation:
    """Riverside Learning Trust, whose only organisation admin in the demo is Olu."""
    return Organisation.objects.get(name=RIVERSIDE)


@pytest.fixture
def ola(riverside: Organisation) -> User:
    """A second, independent organisation admin at Riverside."""
    user = User.objects.create_user(email="ola.admin@riverside.example", password=DEMO_PASSWORD, full_name="Ola Admin")
    Membership.objects.create(user=user, organisation=riverside, role=Role.ORG_ADMIN)
    return user


@pytest.fixture
def olus_second_account(demo_world: None) -> User:
    """An account Olu controls, already a member of staff at Oakfield (so it exists and can sign in)."""
    user = User.objects.create_user(email=SECOND_ACCOUNT, password=DEMO_PASSWORD, full_name="O. Private")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(name=OAKFIELD), role=Role.STAFF)
    return user


def signed_in_as(user: User, *, confirmed: bool = True) -> Client:
    """A client for a user created in the test, past MFA, optionally having just confirmed it is them."""
    from threshold.accounts.middleware import MFA_VERIFIED_KEY

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(user.pk)
    session.save()
    return reauthenticated(client) if confirmed else client


def invite_dsl(client: Client, riverside: Organisation, email: str = SECOND_ACCOUNT):
    return client.post(
        reverse("user_invite"),
        {"full_name": "O. Private", "email": email, "organisation": riverside.pk, "role": Role.DSL},
    )


def test_olu_cannot_grant_a_case_role_until_he_confirms_it_is_him(
    signed_in, persona, riverside, django_capture_on_commit_callbacks
) -> None:
    olu = signed_in("olu")
    henry = Membership.objects.get(user=persona("henry"))
    refused = olu.post(reverse("membership_role", args=[henry.pk]), {"role": Role.DSL, "version": henry.version})
    assert refused["Location"].startswith(reverse("account_reauthenticate"))
    henry.refresh_from_db()
    assert henry.role == Role.HR_BUSINESS_PARTNER

    asked = invite_dsl(olu, riverside)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not Invitation.objects.exists()

    # allauth keeps the invitation's POST; typing the password replays it.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = olu.post(asked["Location"], {"password": DEMO_PASSWORD})
    assert confirmed.status_code == 302
    assert Invitation.objects.get().email == SECOND_ACCOUNT


def test_a_wrong_password_on_confirm_it_is_you_grants_nothing(signed_in, riverside) -> None:
    olu = signed_in("olu")
    asked = invite_dsl(olu, riverside)
    assert olu.post(asked["Location"], {"password": "not-the-password"}).status_code == 200
    assert not Invitation.objects.exists()
    assert not RoleGrant.objects.exists()


def test_olus_grant_as_the_only_admin_takes_effect_and_the_system_administrators_are_told(
    signed_in, persona, riverside, django_capture_on_commit_callbacks
) -> None:
    olu = reauthenticated(signed_in("olu"))
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_dsl(olu, riverside).status_code == 302
    invitation = Invitation.objects.get()
    assert not invitation.awaiting_approval
    grant = RoleGrant.objects.get()
    assert (grant.status, grant.role, grant.granted_by, grant.invitation) == (
        RoleGrant.Status.GRANTED,
        Role.DSL,
        persona("olu"),
        invitation,
    )
    event = AuditEvent.objects.get(action="account.invited")
    assert event.details["role_grant"] == grant.pk

    announcement = next(m for m in mail.outbox if m.to == [persona("sid").email])
    assert announcement.subject == f"Threshold: a role was granted in {RIVERSIDE}"
    # Minimal: the organisation, the role and where to look; nobody's name or address.
    assert reverse("organisation_role_grants", args=[riverside.pk]) in announcement.body
    for personal in (SECOND_ACCOUNT, "O. Private", "Olu"):
        assert personal not in announcement.body
    # The invitee gets their invitation; the granter is not sent an announcement.
    assert [SECOND_ACCOUNT] in [m.to for m in mail.outbox]
    assert [persona("olu").email] not in [m.to for m in mail.outbox]

    page = olu.get(reverse("organisation_role_grants", args=[riverside.pk])).content.decode()
    assert "Recent role grants" in page
    assert "Olu Admin" in page
    assert SECOND_ACCOUNT in page
    assert "Designated safeguarding lead" in page


def test_with_a_second_admin_olus_grant_waits_and_his_second_account_reaches_nothing_until_ola_approves(
    signed_in, persona, riverside, ola, olus_second_account, django_capture_on_commit_callbacks
) -> None:
    from threshold.demo.records import load_demo_records

    load_demo_records()
    olu = reauthenticated(signed_in("olu"))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_dsl(olu, riverside)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.awaiting_approval
    grant = RoleGrant.objects.get()
    assert grant.status == RoleGrant.Status.PENDING
    assert grant.user == olus_second_account

    assert "Waiting for approval" in olu.get(reverse("user_list")).content.decode()

    # No link went out; the other admin was told it waits for them, and the system administrators were not.
    assert [m.to for m in mail.outbox] == [[ola.email]]
    assert "waiting for approval" in mail.outbox[0].subject
    assert SECOND_ACCOUNT not in mail.outbox[0].body

    # Meanwhile the second account reaches no case data, even by accepting with a guessed token.
    second = signed_in_as(olus_second_account)
    assert not scope_for(olus_second_account).allegation_read_routed
    assert not visible_allegations(olus_second_account).exists()
    assert invitations.invitation_find(token="") is None
    page = second.get(reverse("allegation_list")).content.decode()
    assert "Chris" not in page

    # Olu cannot approve his own grant, and neither can the account receiving it.
    own = olu.post(reverse("role_grant_approve", args=[riverside.pk, grant.pk]))
    assert own.status_code == 400
    assert "A second administrator must approve this" in own.content.decode()
    grant.refresh_from_db()
    assert grant.is_pending

    # Ola sees it on Riverside's page and approves it (after confirming it is her).
    ola_client = signed_in_as(ola, confirmed=False)
    listing = ola_client.get(reverse("organisation_role_grants", args=[riverside.pk])).content.decode()
    assert "Waiting for approval" in listing
    assert SECOND_ACCOUNT in listing
    asked = ola_client.post(reverse("role_grant_approve", args=[riverside.pk, grant.pk]))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    with django_capture_on_commit_callbacks(execute=True):
        assert ola_client.post(asked["Location"], {"password": DEMO_PASSWORD}).status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (RoleGrant.Status.APPROVED, ola)
    assert AuditEvent.objects.filter(action="role_grant.approved", record_id=str(grant.pk)).exists()

    # The invitation is now sent, and accepting it gives the role.
    link = re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", str(mail.outbox[-1].body))
    assert mail.outbox[-1].to == [SECOND_ACCOUNT]
    assert link
    second.get(link.group(1))
    assert second.post(reverse("invitation_accept")).status_code == 302
    assert visible_allegations(olus_second_account).exists()
    grant.refresh_from_db()
    assert grant.membership is not None
    assert grant.membership.role == Role.DSL


def test_a_role_change_by_one_admin_waits_for_the_other_and_the_person_keeps_their_role(
    signed_in, persona, riverside, ola, django_capture_on_commit_callbacks
) -> None:
    olu = reauthenticated(signed_in("olu"))
    henry = Membership.objects.get(user=persona("henry"))
    with django_capture_on_commit_callbacks(execute=True):
        olu.post(reverse("membership_role", args=[henry.pk]), {"role": Role.DSL, "version": henry.version})
    henry.refresh_from_db()
    assert henry.role == Role.HR_BUSINESS_PARTNER
    assert AuditEvent.objects.filter(action="membership.role_change_requested").exists()
    assert [m.to for m in mail.outbox] == [[ola.email]]
    assert (
        "waiting for a second administrator" in olu.get(reverse("user_detail", args=[henry.user_id])).content.decode()
    )

    grant = RoleGrant.objects.get()
    services.role_grant_approve(actor=ola, grant=grant)
    henry.refresh_from_db()
    assert henry.role == Role.DSL
    event = AuditEvent.objects.get(action="role_grant.approved")
    assert event.changes == {"role": [Role.HR_BUSINESS_PARTNER, Role.DSL]}


def test_ola_refuses_and_the_invitation_is_withdrawn(signed_in, riverside, ola) -> None:
    invite_dsl(reauthenticated(signed_in("olu")), riverside)
    grant = RoleGrant.objects.get()
    response = signed_in_as(ola).post(reverse("role_grant_refuse", args=[riverside.pk, grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (RoleGrant.Status.REFUSED, ola)
    assert Invitation.objects.get().revoked_at is not None
    with pytest.raises(Exception, match="already been decided"):
        services.role_grant_approve(actor=ola, grant=grant)


def test_an_admin_olu_appointed_cannot_approve_olus_grants(persona, riverside) -> None:
    olu = persona("olu")
    sock = User.objects.create_user(email="sock@riverside-mail.example", password="x", full_name="Sock Admin")
    _invitation, token = invitations.invitation_create(
        actor=olu, organisation=riverside, email=sock.email, full_name="Sock Admin", role=Role.ORG_ADMIN
    )
    # Olu was the only admin: the appointment takes effect (and the system administrators are told).
    assert token
    invitations.invitation_accept(token=token, password="")
    # His appointee is no independent check: Olu's next grant takes effect too, announced to the system administrators.
    _invitation, token = invitations.invitation_create(
        actor=olu, organisation=riverside, email=SECOND_ACCOUNT, full_name="O. Private", role=Role.DSL
    )
    assert token
    grant = RoleGrant.objects.get(role=Role.DSL)
    assert grant.status == RoleGrant.Status.GRANTED
    from threshold.accounts.role_grants import announcement_recipients

    assert persona("sid").email in announcement_recipients(grant=grant)


def test_staff_roles_need_no_second_admin_and_a_system_administrators_grant_is_announced(
    persona, riverside, ola, django_capture_on_commit_callbacks
) -> None:
    oakfield = Organisation.objects.get(name=OAKFIELD)
    Membership.objects.create(user=ola, organisation=oakfield, role=Role.ORG_ADMIN)
    _invitation, token = invitations.invitation_create(
        actor=ola, organisation=oakfield, email="new.teacher@oakfield.example", full_name="New Teacher", role=Role.STAFF
    )
    assert token
    assert not RoleGrant.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_create(
            actor=persona("sid"), organisation=riverside, email=SECOND_ACCOUNT, full_name="O. Private", role=Role.DSL
        )
    grant = RoleGrant.objects.get()
    assert grant.status == RoleGrant.Status.GRANTED
    assert sorted(m.to[0] for m in mail.outbox if "role was granted" in m.subject) == sorted(
        [ola.email, persona("olu").email]
    )


def test_only_riversides_administrators_open_its_role_grants_page(signed_in, riverside) -> None:
    url = reverse("organisation_role_grants", args=[riverside.pk])
    assert signed_in("olu").get(url).status_code == 200
    assert signed_in("sid").get(url).status_code == 200
    assert signed_in("priya").get(url).status_code == 403
    oakfield = Organisation.objects.get(name=OAKFIELD)
    assert signed_in("olu").get(reverse("organisation_role_grants", args=[oakfield.pk])).status_code == 404

"""Administrators invite people, change roles and deactivate accounts; nobody else can."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.platform.reauth import reauthenticated
from threshold.accounts.models import Invitation, Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.demo.world import OAKFIELD, RIVERSIDE, current_demo_code

pytestmark = pytest.mark.django_db


def invite(client: Client, **overrides):
    data = {
        "full_name": "Una Newcomer",
        "email": "una.newcomer@oakfield.example",
        "organisation": Organisation.objects.get(name=OAKFIELD).pk,
        "role": Role.STAFF,
    }
    data.update(overrides)
    return client.post(reverse("user_invite"), data)


def invitation_link() -> str:
    match = re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_sid_invites_a_new_member_of_staff_who_creates_an_account_and_sets_up_mfa(
    signed_in, django_capture_on_commit_callbacks
) -> None:
    sid = signed_in("sid")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(sid)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["una.newcomer@oakfield.example"]
    link = invitation_link()
    invitation = Invitation.objects.get()
    assert link.split("/")[2] not in invitation.token_digest  # only a digest is stored

    newcomer = Client()
    page = newcomer.get(link, follow=True)
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()
    # The token leaves the address bar: the acceptance page's URL does not carry it.
    assert page.redirect_chain[-1][0] == reverse("invitation_accept")
    accept = reverse("invitation_accept")
    weak = newcomer.post(accept, {"password1": "password123", "password2": "password123"})
    assert weak.status_code == 200
    assert "There is a problem" in weak.content.decode()
    assert not User.objects.filter(email="una.newcomer@oakfield.example").exists()

    done = newcomer.post(accept, {"password1": "mellow-harbour-lantern", "password2": "mellow-harbour-lantern"})
    assert done.status_code == 302
    una = User.objects.get(email="una.newcomer@oakfield.example")
    assert Membership.objects.get(user=una).role == Role.STAFF
    # The link works once.
    assert newcomer.get(link, follow=True).status_code == 404

    newcomer.post(reverse("account_login"), {"login": una.email, "password": "mellow-harbour-lantern"})
    assert newcomer.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    setup = newcomer.get(reverse("mfa_activate_totp"))
    found = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', setup.content.decode())
    assert found, "the set-up page shows the key for typing in"
    secret = found.group(1)
    code = format_hotp_value(hotp_value(secret, int(time.time() // 30)))
    with django_capture_on_commit_callbacks(execute=True):
        activated = newcomer.post(reverse("mfa_activate_totp"), {"code": code})
    assert activated.status_code == 302
    assert newcomer.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="mfa.authenticator_added", actor=una).exists()


def test_an_expired_invitation_link_does_not_work(signed_in, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in("sid"))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(invitation_link(), follow=True)
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_olu_can_invite_only_into_riverside_and_only_with_roles_a_trust_has(signed_in) -> None:
    olu = reauthenticated(signed_in("olu"))
    response = invite(olu)  # Oakfield is not Olu's organisation
    assert response.status_code == 200
    assert "Choose an organisation" in response.content.decode()
    wrong_role = invite(olu, organisation=Organisation.objects.get(name=RIVERSIDE).pk, role=Role.LADO)
    assert wrong_role.status_code == 200
    assert "Choose a role that exists" in wrong_role.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("key", ["lara", "hana", "tom", "ada", "pat"])
def test_people_who_are_not_administrators_cannot_manage_people(signed_in, key: str) -> None:
    client = signed_in(key)
    assert client.get(reverse("user_list")).status_code == 403
    assert client.get(reverse("user_invite")).status_code == 403


def test_olu_changes_henrys_role_and_the_change_is_audited(signed_in, persona) -> None:
    olu = reauthenticated(signed_in("olu"))
    membership = Membership.objects.get(user=persona("henry"))
    response = olu.post(
        reverse("membership_role", args=[membership.pk]),
        {"role": Role.DSL, "version": membership.version},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.DSL
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.changes == {"role": [Role.HR_BUSINESS_PARTNER, Role.DSL]}
    assert event.actor == persona("olu")


def test_a_stale_role_change_gets_the_conflict_page_not_a_silent_overwrite(signed_in, persona) -> None:
    olu = reauthenticated(signed_in("olu"))
    membership = Membership.objects.get(user=persona("henry"))
    stale_version = membership.version
    olu.post(reverse("membership_role", args=[membership.pk]), {"role": Role.DSL, "version": stale_version})
    response = olu.post(
        reverse("membership_role", args=[membership.pk]), {"role": Role.AUDITOR, "version": stale_version}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "membership of" in page
    assert "after you opened this page" in page
    assert "Auditor" in page.split("What differs</caption>")[1]  # what Olu chose, given back
    assert "Designated safeguarding lead" in page
    membership.refresh_from_db()
    assert membership.role == Role.DSL


def test_olu_cannot_see_or_manage_people_outside_riverside(signed_in, persona) -> None:
    olu = signed_in("olu")
    lara = persona("lara")
    assert olu.get(reverse("user_detail", args=[lara.pk])).status_code == 404
    assert olu.post(reverse("user_deactivate", args=[lara.pk])).status_code == 404
    lara.refresh_from_db()
    assert lara.is_active


def test_sid_deactivates_and_reactivates_tom(signed_in, persona) -> None:
    sid = signed_in("sid")
    tom = persona("tom")
    sid.post(reverse("user_deactivate", args=[tom.pk]))
    tom.refresh_from_db()
    assert not tom.is_active
    assert AuditEvent.objects.filter(action="user.deactivated", record_id=str(tom.pk)).exists()
    sid.post(reverse("user_reactivate", args=[tom.pk]))
    tom.refresh_from_db()
    assert tom.is_active


def test_nobody_can_deactivate_themselves(signed_in, persona) -> None:
    sid = signed_in("sid")
    response = sid.post(reverse("user_deactivate", args=[persona("sid").pk]), follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    assert persona("sid").is_active


def test_dev_switches_from_hillcrest_to_oakfield(signed_in) -> None:
    dev = signed_in("dev")
    home = dev.get(reverse("home")).content.decode()
    assert "at <strong>Hillcrest Academy</strong>" in home
    oakfield = Membership.objects.get(user__email="dev.dsl@oakfield.example", organisation__name=OAKFIELD)
    dev.post(reverse("organisation_switch"), {"membership": oakfield.pk, "next": "/"})
    home = dev.get(reverse("home")).content.decode()
    assert "at <strong>Oakfield Primary School</strong>" in home
    assert AuditEvent.objects.filter(action="auth.organisation_switched", record_id=str(oakfield.pk)).exists()


def test_nobody_can_switch_into_an_organisation_they_do_not_belong_to(signed_in) -> None:
    tom = signed_in("tom")
    lara_membership = Membership.objects.get(user__email="lara.lado@northshire.example")
    tom.post(reverse("organisation_switch"), {"membership": lara_membership.pk})
    assert "Northshire Council" not in tom.get(reverse("home")).content.decode()


def test_tom_signs_in_with_the_demo_code(demo_world, client: Client) -> None:
    client.post(reverse("account_login"), {"login": "tom.teacher@oakfield.example", "password": "demo-threshold-2026"})
    client.post(reverse("mfa_authenticate"), {"code": current_demo_code()})
    assert client.get(reverse("home")).status_code == 200


def test_olu_withdraws_an_invitation_sent_to_the_wrong_address(signed_in, django_capture_on_commit_callbacks) -> None:
    olu = reauthenticated(signed_in("olu"))
    with django_capture_on_commit_callbacks(execute=True):
        invite(olu, organisation=Organisation.objects.get(name=RIVERSIDE).pk, role=Role.DSL)
    invitation = Invitation.objects.get()
    olu.post(reverse("invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(invitation_link(), follow=True).status_code == 404
    assert AuditEvent.objects.filter(action="account.invitation_revoked").exists()


def test_a_second_invitation_to_the_same_person_and_organisation_is_refused(signed_in) -> None:
    olu = reauthenticated(signed_in("olu"))
    riverside = Organisation.objects.get(name=RIVERSIDE).pk
    invite(olu, organisation=riverside, role=Role.DSL)
    again = invite(olu, organisation=riverside, role=Role.DSL)
    assert again.status_code == 200
    assert "already has an invitation" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_a_system_administrators_account_cannot_be_invited_into_an_organisation(signed_in) -> None:
    response = invite(reauthenticated(signed_in("olu")), email="sid.admin@threshold.example",
                      organisation=Organisation.objects.get(name=RIVERSIDE).pk, role=Role.DSL)  # fmt: skip
    assert response.status_code == 200
    assert "cannot join an organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_refused_role_change_comes_back_with_the_error_summary_beside_the_role(signed_in, persona) -> None:
    olu = reauthenticated(signed_in("olu"))
    own = Membership.objects.get(user=persona("olu"))
    response = olu.post(
        reverse("membership_role", args=[own.pk]), {"role": Role.HR_BUSINESS_PARTNER, "version": own.version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#role-{own.pk}"' in page
    assert "govuk-error-message" in page
    assert "You cannot remove your own administrator role" in page
    own.refresh_from_db()
    assert own.role == Role.ORG_ADMIN


def test_olu_cannot_deactivate_someone_who_also_works_elsewhere_and_is_told_why(signed_in, persona) -> None:
    henry = persona("henry")
    Membership.objects.create(user=henry, organisation=Organisation.objects.get(name=OAKFIELD), role=Role.STAFF)
    response = signed_in("olu").post(reverse("user_deactivate", args=[henry.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "also belongs to organisations you do not manage" in page
    henry.refresh_from_db()
    assert henry.is_active


def test_only_a_system_administrator_gives_or_takes_away_the_chair_of_governors_role(persona) -> None:
    from django.core.exceptions import ValidationError

    from threshold.accounts import invitations, services
    from threshold.demo.world import LITTLE_ACORNS

    acorns = Organisation.objects.get(name=LITTLE_ACORNS)
    admin = User.objects.create_user(email="ola.admin@littleacorns.example", password="x", full_name="Ola Admin")
    Membership.objects.create(user=admin, organisation=acorns, role=Role.ORG_ADMIN)
    # The setting's own admin often reports to the manager the governance role oversees.
    with pytest.raises(ValidationError) as refused:
        invitations.invitation_create(
            actor=admin, organisation=acorns, email="new.chair@littleacorns.example", full_name="New Chair",
            role=Role.GOVERNANCE,
        )  # fmt: skip
    assert "system administrator" in str(refused.value.message_dict["role"])
    gina = Membership.objects.get(user=persona("gina"))
    with pytest.raises(ValidationError):
        services.membership_change_role(actor=admin, membership=gina, role=Role.STAFF, expected_version=gina.version)
    invitations.invitation_create(
        actor=persona("sid"), organisation=acorns, email="new.chair@littleacorns.example", full_name="New Chair",
        role=Role.GOVERNANCE,
    )  # fmt: skip
    assert Invitation.objects.filter(email="new.chair@littleacorns.example", role=Role.GOVERNANCE).exists()

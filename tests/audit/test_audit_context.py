"""Services say who acted and from where with an audit context, so a command or a task can call them (ADR 0022)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.test import RequestFactory

from threshold.accounts import invitations, services
from threshold.accounts.models import Invitation, Organisation, RoleGrant, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.demo.world import OAKFIELD

pytestmark = pytest.mark.django_db


def test_a_command_deactivates_tom_as_sid_and_the_event_names_sid_with_no_request(persona) -> None:
    sid, tom = persona("sid"), persona("tom")
    services.user_deactivate(actor=sid, user=tom, audit_context=AuditContext.for_user(sid))
    event = AuditEvent.objects.get(action="user.deactivated", record_id=str(tom.pk))
    assert (event.actor, event.actor_label) == (sid, f"user:{sid.pk}")
    assert (event.request_id, event.source_ip) == ("", None)


def test_a_system_job_creates_an_administrator_and_the_event_names_the_job(demo_world) -> None:
    call_command("create_system_admin", "ada.admin@threshold.example", name="Ada Admin", stdout=None)
    user = User.objects.get(email="ada.admin@threshold.example")
    event = AuditEvent.objects.get(action="user.system_admin_created", record_id=str(user.pk))
    assert (event.actor, event.actor_label) == (None, "system:create_system_admin")
    assert (event.request_id, event.source_ip) == ("", None)


def test_a_context_naming_someone_else_is_refused_and_nothing_changes(persona) -> None:
    sid, tom = persona("sid"), persona("tom")
    with pytest.raises(ValueError, match="not the service's actor"):
        services.user_deactivate(actor=sid, user=tom, audit_context=AuditContext.for_user(persona("hana")))
    with pytest.raises(ValueError, match="not the service's actor"):
        services.user_deactivate(actor=sid, user=tom, audit_context=AuditContext.system("nightly"))
    tom.refresh_from_db()
    assert tom.is_active
    assert not AuditEvent.objects.filter(action="user.deactivated", record_id=str(tom.pk)).exists()


def test_a_request_gives_its_user_acting_organisation_id_and_address(persona) -> None:
    hana = persona("hana")
    request = RequestFactory().post("/", REMOTE_ADDR="::ffff:203.0.113.9")
    request.user = hana
    request.request_id = "req-hana-1"  # type: ignore[attr-defined]
    request.membership = hana.memberships.get()  # type: ignore[attr-defined]
    context = AuditContext.from_request(request)
    assert (context.actor.user, context.actor.label) == (hana, f"user:{hana.pk}")
    assert context.organisation == Organisation.objects.get(name=OAKFIELD)
    assert (context.request_id, context.client_address) == ("req-hana-1", "203.0.113.9")


def _invite_a_dsl(sid: User) -> None:
    invitations.invitation_create(
        actor=sid,
        organisation=Organisation.objects.get(name=OAKFIELD),
        email="dee.dsl@oakfield.example",
        full_name="Dee Dsl",
        role=Role.DSL,
        audit_context=AuditContext.for_user(sid),
        base_url="https://threshold.example",
    )


def test_an_invitation_whose_transaction_rolls_back_emails_nobody(
    persona, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def lost_connection(**kwargs: object) -> None:
        raise DatabaseError("the audit trail could not be written")

    # The grant's announcement is queued before the invitation's own event is written, which then fails.
    monkeypatch.setattr(invitations, "audit_record", lost_connection)
    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(DatabaseError):
        _invite_a_dsl(persona("sid"))
    assert queued == []
    assert mail.outbox == []
    assert not Invitation.objects.filter(email="dee.dsl@oakfield.example").exists()
    assert not RoleGrant.objects.filter(email="dee.dsl@oakfield.example").exists()


def test_the_same_invitation_committed_emails_the_invitee_and_announces_the_grant(
    persona, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _invite_a_dsl(persona("sid"))
    assert len(queued) == 2
    invited = [message for message in mail.outbox if message.to == ["dee.dsl@oakfield.example"]]
    assert len(invited) == 1
    assert "https://threshold.example/invitations/" in str(invited[0].body)

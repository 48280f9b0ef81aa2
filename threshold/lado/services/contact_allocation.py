"""The LADO manager allocates a contact waiting in the inbox to a LADO, who then holds it until it is decided.

Only a LADO manager of the contact's local authority allocates (the right the manager uses to reassign a
case: ``manage`` on the authority's LADO work), and only to an active LADO or LADO manager of that
authority who is not, and could not be, the adult the contact is about.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from threshold.access import fetch
from threshold.access.scope import scope_for
from threshold.accounts.models import Membership, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.lado.models import Contact, ContactStatus
from threshold.lado.services.common import record_contact_event
from threshold.lado.services.deadlines import contact_deadlines_sync
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction
from threshold.people.subjects import users_not_about

ALLOCATABLE_ROLES = (Role.LADO, Role.LADO_MANAGER)
WAITING = (ContactStatus.NEW, ContactStatus.ADVISED)


def contact_candidates(contact: Contact) -> list[User]:
    """Who a contact may be allocated to: active LADOs and LADO managers of its authority, never its subject."""
    users = User.objects.filter(
        is_active=True,
        memberships__organisation=contact.local_authority,
        memberships__is_active=True,
        memberships__role__in=ALLOCATABLE_ROLES,
    )
    # Never a LADO the adult is or could be (ADR 0018).
    return users_not_about(contact.subject, users.distinct().order_by("full_name"))


def may_allocate(actor: User, contact: Contact) -> bool:
    """The actor is a LADO manager of the contact's local authority and may change the contact."""
    if contact.local_authority_id not in scope_for(actor).lado_manage:
        return False
    return fetch.visible_contacts(actor, "change").filter(pk=contact.pk).exists()


def contact_allocate(
    *,
    actor: User,
    contact: Contact,
    lado: User,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> Contact:
    """The LADO manager allocates a contact waiting for advice or a decision to a LADO of the authority."""
    if not may_allocate(actor, contact):
        raise PermissionDenied("You cannot allocate this contact.")
    errors: dict[str, str] = {}
    if contact.status not in WAITING:
        errors["__all__"] = "Only a contact waiting for advice or a decision can be allocated"
    elif lado not in contact_candidates(contact):
        errors["lado"] = "Choose a LADO or LADO manager of this local authority"
    elif lado.pk == contact.allocated_to_id:
        errors["lado"] = f"The contact is already allocated to {lado.full_name}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(contact, expected_version)
        # The membership must still be active as the allocation is written (an error rolls the version back).
        if not Membership.objects.filter(
            user=lado, organisation=contact.local_authority, is_active=True, role__in=ALLOCATABLE_ROLES
        ).exists():
            raise ValidationError({"lado": "Choose a LADO or LADO manager of this local authority"})
        previous = contact.allocated_to_id
        contact.allocated_to = lado
        contact.save(update_fields=["allocated_to"])
        record_contact_event(
            actor=actor,
            contact=contact,
            action="contact.allocated",
            audit_context=audit_context,
            changes={"allocated_to": (previous, lado.pk)},
        )
        if lado != actor:
            notify_in_transaction(
                recipients=[lado],
                kind=NotificationKind.ALLOCATED,
                text=f"Contact allocated to you: {contact.reference}",
                key=f"allocated:contact:{contact.pk}:{contact.version}",
                url=reverse("contact_detail", args=[contact.pk]),
                reference=contact.reference,
                subject=contact.subject,
            )
        # The contact's clock is now the LADO's: their work list and reminders.
        contact_deadlines_sync(contact)
    contact.refresh_from_db()
    return contact

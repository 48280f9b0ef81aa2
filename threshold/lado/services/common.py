"""What every LADO service shares: permission checks, audit plus chronology, locking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied

from threshold.access import fetch
from threshold.access.policies import Action
from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.lado.models import Case, Contact
from threshold.people.models import Person


def require_case(actor: User, case: Case, action: Action = "change") -> None:
    """Refuse unless the actor may ``change`` (or ``manage``) this case, checked through ``access``."""
    if not fetch.visible_cases(actor, action).filter(pk=case.pk).exists():
        raise PermissionDenied("You cannot change this case.")


def require_contact(actor: User, contact: Contact) -> None:
    """Refuse unless the actor may change this contact (the LADO service of its local authority)."""
    if not fetch.visible_contacts(actor, "change").filter(pk=contact.pk).exists():
        raise PermissionDenied("You cannot change this contact.")


def record_case_event(
    *,
    actor: User,
    case: Case,
    action: str,
    text: str,
    audit_context: AuditContext | None = None,
    row: object = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
    excluded_fields: Iterable[str] = (),
) -> None:
    """Audit a change to a case and add its line to the case chronology (inside the caller's transaction).

    ``excluded_fields``: changed fields recorded by name only (beyond ``audit.sensitive``'s, which always are).
    """
    audit_record(
        context=context_for(actor, audit_context),
        action=action,
        record_type="case",
        record_id=case.pk,
        organisation=case.local_authority,
        changes=changes,
        excluded_fields=excluded_fields,
        details={**(details or {}), **({"row": row} if row is not None else {})},
    )
    chronology_record_event(record=case, text=text, actor=actor)


def record_contact_event(
    *,
    actor: User,
    contact: Contact,
    action: str,
    audit_context: AuditContext | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
    excluded_fields: Iterable[str] = (),
) -> None:
    """Audit a change to a contact (contacts have no chronology of their own; their case has).

    ``excluded_fields``: changed fields recorded by name only (beyond ``audit.sensitive``'s, which always are).
    """
    audit_record(
        context=context_for(actor, audit_context),
        action=action,
        record_type="contact",
        record_id=contact.pk,
        organisation=contact.local_authority,
        changes=changes,
        excluded_fields=excluded_fields,
        details=details,
    )


def text(value: object) -> str:
    """A form value as stripped text."""
    return str(value or "").strip()


def record_person_event(
    *,
    actor: User | None,
    person: Person,
    action: str,
    audit_context: AuditContext | None = None,
    changed: Iterable[str] = (),
    details: Mapping[str, Any] | None = None,
) -> None:
    """Audit the LADO service's own record of an adult: recorded (``person.recorded``) or changed (field names only).

    A person record is case data (its name is matched, rule 2 reads it): recorded or renamed with a contact or
    case, it has its own event, as the employers' side writes. ``actor`` None: the system (an employer's
    referral arriving); ``changed`` names fields without their values.
    """
    context = context_for(actor, audit_context) if actor is not None else AuditContext.system("referral-intake")
    audit_record(
        context=context,
        action=action,
        record_type="person",
        record_id=person.pk,
        organisation=person.organisation,
        excluded_fields=changed,
        details={"kind": person.kind, "linked_to_account": person.user_id is not None, **(details or {})},
    )

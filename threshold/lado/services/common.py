"""What every LADO service shares: permission checks, audit plus chronology, locking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model
from django.http import HttpRequest
from django.utils import timezone

from threshold.access import fetch
from threshold.access.policies import Action
from threshold.accounts.models import Organisation, User
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.core.errors import ConflictError
from threshold.lado.models import Case, Contact
from threshold.policy import Pack, get_pack


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
    request: HttpRequest | None = None,
    row: object = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Audit a change to a case and add its line to the case chronology (inside the caller's transaction)."""
    audit_record(
        actor=actor,
        action=action,
        record_type="case",
        record_id=case.pk,
        organisation=case.local_authority,
        request=request,
        changes=changes,
        details={**(details or {}), **({"row": row} if row is not None else {})},
    )
    chronology_record_event(record=case, text=text, actor=actor)


def record_contact_event(
    *,
    actor: User,
    contact: Contact,
    action: str,
    request: HttpRequest | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Audit a change to a contact (contacts have no chronology of their own; their case has)."""
    audit_record(
        actor=actor,
        action=action,
        record_type="contact",
        record_id=contact.pk,
        organisation=contact.local_authority,
        request=request,
        changes=changes,
        details=details,
    )


def lado_pack(local_authority: Organisation) -> Pack:
    """The policy pack the LADO service works under, as in force today."""
    return get_pack(local_authority.policy_pack, on=timezone.localdate())


def bump_version(record: Model, expected: int | None) -> None:
    """Optimistic locking: move the version on, or raise ``ConflictError`` if someone changed it first.

    ``expected`` is the version the form was loaded with (None: do not check).
    """
    model = type(record)
    # access-lint: allow the version of the record the service was given, whatever its model
    rows = model._default_manager.filter(pk=record.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if rows.update(version=F("version") + 1) != 1:
        raise ConflictError(model._default_manager.get(pk=record.pk))  # access-lint: allow the same record, fresh
    record.refresh_from_db(fields=["version"])


def text(value: object) -> str:
    """A form value as stripped text."""
    return str(value or "").strip()

"""The children (victims) of a case's data set: added, corrected and removed.

The protocol's data set asks for the "Name, Address, Date of Birth, gender and
ethnicity of the adult and the victim". A child recorded wrongly (a misspelt
name, the wrong child) is corrected or removed here. ``CaseChild`` has no
version of its own, so each change moves the case's version on: a form loaded
before anyone else changed the case (this child included) is refused with
``ConflictError`` and nothing is saved. The audit names the fields changed,
never their values (the chronology says only that a child was changed).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext
from threshold.core.locking import bump_version
from threshold.core.vocabularies import Ethnicity, Gender
from threshold.lado.models import Case, CaseChild
from threshold.lado.services.case_rules import require_not_closed
from threshold.lado.services.common import record_case_event, require_case, text

CHILD_FIELDS = ("full_name", "address", "date_of_birth", "gender", "ethnicity")


def _check_child(*, full_name: str, date_of_birth: dt.date | None, gender: str, ethnicity: str) -> dict[str, str]:
    """The errors in a child's details (the same rules for a new child and a corrected one)."""
    errors: dict[str, str] = {}
    if not text(full_name):
        errors["full_name"] = "Enter the child's name"
    if date_of_birth and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = "The child's date of birth must be today or in the past"
    if gender and gender not in Gender.values:
        errors["gender"] = "Choose the child's gender from the list"
    if ethnicity and ethnicity not in Ethnicity.values:
        errors["ethnicity"] = "Choose the child's ethnicity from the list"
    return errors


def _require_on_case(case: Case, child: CaseChild) -> None:
    """A child is changed only through the case it belongs to."""
    if child.case_id != case.pk:
        raise ValidationError({"__all__": "This child is not on this case"})


def case_add_child(
    *,
    actor: User,
    case: Case,
    full_name: str,
    address: str = "",
    date_of_birth: dt.date | None = None,
    gender: str = "",
    ethnicity: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> CaseChild:
    """Add a child (victim) to the data set: name, address, date of birth, gender and ethnicity."""
    require_case(actor, case, "change")
    require_not_closed(case)
    errors = _check_child(full_name=full_name, date_of_birth=date_of_birth, gender=gender, ethnicity=ethnicity)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        child = CaseChild.objects.create(
            case=case,
            full_name=text(full_name),
            address=text(address),
            date_of_birth=date_of_birth,
            gender=gender,
            ethnicity=ethnicity,
        )
        record_case_event(
            actor=actor,
            case=case,
            action="case.child_added",
            text="A child (victim) was added to the data set.",
            audit_context=audit_context,
            row=child.pk,
            details={"fields": list(CHILD_FIELDS)},
        )
    return child


def case_change_child(
    *,
    actor: User,
    case: Case,
    child: CaseChild,
    full_name: str,
    address: str = "",
    date_of_birth: dt.date | None = None,
    gender: str = "",
    ethnicity: str = "",
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> CaseChild:
    """Correct a child's details; the audit names the fields that changed."""
    require_case(actor, case, "change")
    require_not_closed(case)
    _require_on_case(case, child)
    errors = _check_child(full_name=full_name, date_of_birth=date_of_birth, gender=gender, ethnicity=ethnicity)
    if errors:
        raise ValidationError(errors)
    values = {
        "full_name": text(full_name),
        "address": text(address),
        "date_of_birth": date_of_birth,
        "gender": gender,
        "ethnicity": ethnicity,
    }
    with transaction.atomic(durable=True):
        # The case's version covers its children: the bump holds the case while the child changes.
        bump_version(case, expected_version)
        current = CaseChild.objects.get(pk=child.pk)
        changed = [name for name in CHILD_FIELDS if getattr(current, name) != values[name]]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=changed)
        record_case_event(
            actor=actor,
            case=case,
            action="case.child_changed",
            text="A child's (victim's) details were corrected: "
            + (", ".join(name.replace("_", " ") for name in changed) or "nothing changed")
            + ".",
            audit_context=audit_context,
            row=current.pk,
            details={"fields": changed},
        )
    return current


def case_remove_child(
    *,
    actor: User,
    case: Case,
    child: CaseChild,
    expected_version: int,
    audit_context: AuditContext | None = None,
) -> None:
    """Remove a child recorded on the case in error; the audit and the chronology keep that it happened."""
    require_case(actor, case, "change")
    require_not_closed(case)
    _require_on_case(case, child)
    with transaction.atomic(durable=True):
        bump_version(case, expected_version)
        removed = CaseChild.objects.filter(pk=child.pk, case=case).delete()[0]
        if not removed:
            raise ValidationError({"__all__": "This child has already been removed from the case"})
        record_case_event(
            actor=actor,
            case=case,
            action="case.child_removed",
            text="A child (victim) was removed from the data set.",
            audit_context=audit_context,
            row=child.pk,
        )

"""A re-run's changed row: the records an earlier import brought in, brought in step with the corrected file.

Inside the import's batch transaction. Fields change in place (each change audited with its old and new value,
and on a case a chronology line); decisions and conclusions, being history, gain a superseding row. A change the
import must not make (a case turned back into a consultation, a decision removed) is returned as a problem, with
nothing written for the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils import timezone

from threshold.imports.checking import CASE_LEVELS, CheckedRow, Problem, adult_name, stored_values
from threshold.imports.columns import BY_NAME
from threshold.imports.models import ImportedRecord
from threshold.imports.services.writing import CASE_FIELDS, CONTACT_FIELDS, Writer, source_text, tidy_name
from threshold.lado.models import Case, CaseStatus, Contact, ContactStatus
from threshold.lado.services.common import record_case_event, record_contact_event
from threshold.lado.services.deadlines import case_deadlines_sync, contact_deadlines_sync
from threshold.people.models import Person

_DATE_FIELDS = frozenset({"adult_date_of_birth", "incident_date", "concluded_on", "closed_on"})


def _refused(writer: Writer, checked: CheckedRow, message: str) -> list[Problem]:
    column = writer.run.mapping.get("decision") or BY_NAME["decision"].label
    return [Problem(checked.number, column, message)]


def _apply(record: Model, wanted: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set each field that differs and save the record with its version moved on; the changes, old and new."""
    changes = {field: (getattr(record, field), new) for field, new in wanted.items() if getattr(record, field) != new}
    if changes:
        for field, (_old, new) in changes.items():
            setattr(record, field, new)
        record.version += 1  # type: ignore[attr-defined]
        record.save(update_fields=[*changes, "version"])
    return changes


def row_update(
    writer: Writer, record: ImportedRecord, checked: CheckedRow, previous: Mapping[str, Any]
) -> list[Problem]:
    """Bring the records of ``record`` in step with its changed row; what the import must not change, as problems."""
    values = checked.values
    contact = Contact.objects.select_for_update().get(pk=record.contact_id)
    case = Case.objects.select_for_update().get(pk=record.case_id) if record.case_id else None
    level, was = values.get("decision", ""), previous.get("decision", "")
    if was in CASE_LEVELS and level not in CASE_LEVELS and case is not None:
        return _refused(
            writer,
            checked,
            "Decision was a Tier 1 or Tier 2 case when first imported: change the case in Threshold, not by import",
        )
    if was and not level:
        return _refused(
            writer,
            checked,
            "Decision was given when first imported and is now blank: "
            "leave it as it was, or change the contact in Threshold",
        )
    name = tidy_name(adult_name(values))
    wanted: dict[str, Any] = {
        field: values.get(column, None if field in _DATE_FIELDS else "") for column, field in CONTACT_FIELDS.items()
    }
    wanted.update(adult_name=name, received_at=writer.at(values["received_on"]))
    if level:
        wanted["status"] = ContactStatus.DECIDED
    changes = _apply(contact, wanted)
    if changes:
        record_contact_event(
            actor=writer.recorded_by,
            contact=contact,
            action="contact.import_updated",
            audit_context=writer.audit_context,
            changes=changes,
            details=writer.event_details(checked),
        )
    if record.made_person:
        _person_follows(contact.subject_id, name, values.get("adult_date_of_birth"))
    if level and level != was:
        if level in CASE_LEVELS and case is None:
            case = writer.open_case(checked, contact, writer.lado(values))
            record.case = case
        writer.decide(checked, contact, case, supersedes=contact.decisions.order_by("-recorded_at", "-pk").first())
    if case is not None:
        _case_follows(writer, checked, case, previous, name)
        case_deadlines_sync(case)
    contact_deadlines_sync(contact)
    record.digest = checked.digest
    record.values = stored_values(values)
    record.last_run = writer.run
    record.row = checked.number
    record.updated_at = timezone.now()
    record.save(update_fields=["digest", "values", "last_run", "row", "updated_at", "case"])
    return []


def _person_follows(person_id: int, name: str, born: dt.date | None) -> None:
    """The adult's person record, made by an import, follows its row (saved: a new name rewrites its keys)."""
    person = Person.objects.select_for_update().get(pk=person_id)
    _apply(person, {"full_name": name, "date_of_birth": born})


def _case_follows(writer: Writer, checked: CheckedRow, case: Case, previous: Mapping[str, Any], name: str) -> None:
    values = checked.values
    concluded = values.get("concluded_on")
    wanted: dict[str, Any] = {field: None if field in _DATE_FIELDS else "" for field in CASE_FIELDS.values()}
    wanted.update(writer.case_values(values), adult_name=name, tier=values.get("decision", case.tier))
    wanted.update(
        outcome=values.get("outcome", "") if concluded else "",
        concluded_on=concluded,
        closed_on=concluded,
        status=CaseStatus.CLOSED if concluded else case.status,
    )
    changes = _apply(case, wanted)
    if changes:
        named = ", ".join(sorted(_label(field) for field in changes))
        record_case_event(
            actor=writer.recorded_by,
            case=case,
            action="case.import_updated",
            audit_context=writer.audit_context,
            changes=changes,
            details=writer.event_details(checked),
            text=f"Updated from the service's earlier records ({source_text(writer.run, checked.number)}): {named}.",
        )
    writer.case_rows(checked, case, previous)


def _label(field: str) -> str:
    for column, name in CASE_FIELDS.items():
        if name == field:
            return BY_NAME[column].label.lower()
    return field.replace("_", " ")

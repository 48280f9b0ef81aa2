"""A re-run's changed row: the records an earlier import brought in, brought in step with the corrected file.

Inside the import's batch transaction. Only the columns whose value in the file changed since the last import
are applied, so a re-run never undoes work done in Threshold on other fields; and a record someone has worked
on since it was imported is not changed at all (they change it in Threshold). Fields change in place, each
change audited by name without its values (they come from the file); decisions and conclusions, being
history, gain a superseding row. A change the import must not make is returned as a problem, with nothing
written for the row: a case turned back into a consultation, a decision or a conclusion removed, a corrected
suspension date, or a reference now used for a different adult.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model

from threshold.audit.context import context_for
from threshold.audit.services import audit_record
from threshold.core.locking import bump_version
from threshold.imports.checking import CASE_LEVELS, CheckedRow, Problem, adult_name, restored_values
from threshold.imports.columns import BY_NAME, folded
from threshold.imports.models import ImportedRecord
from threshold.imports.services.common import worked_on_since
from threshold.imports.services.writing import (
    CASE_FIELDS,
    CONTACT_FIELDS,
    Writer,
    at_midday,
    source_rerun,
    source_text,
    tidy_name,
)
from threshold.lado.models import Case, CaseStatus, Contact, ContactSource, ContactStatus
from threshold.lado.services.common import record_case_event, record_contact_event
from threshold.lado.services.deadlines import case_deadlines_sync, contact_deadlines_sync
from threshold.people.models import Person

_DATE_FIELDS = frozenset({"adult_date_of_birth", "incident_date", "concluded_on", "closed_on", "received_on"})
# The columns a decision is made of: a change to any of them is recorded as a new decision superseding the last.
_DECISION_COLUMNS = ("decision", "decided_on", "consultation_reason", "police_involved", "csc_involved")
_CONCLUSION_COLUMNS = ("outcome", "concluded_on")
# The columns that say who the adult is: their person record follows them, or the row is refused.
_ADULT_COLUMNS = ("adult_last_name", "adult_first_name", "adult_name", "adult_date_of_birth")


def _problem(writer: Writer, checked: CheckedRow, column: str, message: str) -> list[Problem]:
    return [Problem(checked.number, writer.run.mapping.get(column) or BY_NAME[column].label, message)]


def apply_changes(record: Model, wanted: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set each field that differs and save the record with its version moved on; the changes, old and new."""
    changes = {field: (getattr(record, field), new) for field, new in wanted.items() if getattr(record, field) != new}
    if changes:
        # The import holds the row (select_for_update): its version moves on the one way every change's does,
        # so a form opened before the import meets the conflict notice rather than overwriting it.
        bump_version(record, record.version)  # type: ignore[attr-defined]
        for field, (_old, new) in changes.items():
            setattr(record, field, new)
        record.save(update_fields=list(changes))
    return changes


def same_adult(values: Mapping[str, Any], previous: Mapping[str, Any]) -> bool:
    """The corrected row is still about the adult first imported: a shared word of the name, no other birth date."""
    born, was_born = values.get("adult_date_of_birth"), previous.get("adult_date_of_birth")
    if born and was_born and born != was_born:
        return False
    words, was_words = ({folded(word) for word in adult_name(row).split()} - {""} for row in (values, previous))
    return not (words and was_words) or bool(words & was_words)


def _refusal(writer: Writer, checked: CheckedRow, previous: Mapping[str, Any], *, has_case: bool) -> list[Problem]:
    """Why the changed row must not be applied by import, as problems; none when it may."""
    values = checked.values
    level, was = values.get("decision", ""), previous.get("decision", "")
    if not same_adult(values, previous):
        return _problem(writer, checked, "reference", "This reference was first imported for a different adult: "
                        "give the row its own reference")  # fmt: skip
    if was in CASE_LEVELS and level not in CASE_LEVELS and has_case:
        return _problem(writer, checked, "decision", "Decision was a Tier 1 or Tier 2 case when first imported: "
                        "change the case in Threshold, not by import")  # fmt: skip
    if was and not level:
        return _problem(writer, checked, "decision", "Decision was given when first imported and is now blank: "
                        "leave it as it was, or change the contact in Threshold")  # fmt: skip
    if previous.get("concluded_on") and not values.get("concluded_on"):
        return _problem(writer, checked, "concluded_on", "Date concluded was given when first imported and is now "
                        "blank: reopen the case in Threshold, not by import")  # fmt: skip
    if previous.get("suspended_on") and values.get("suspended_on") != previous.get("suspended_on"):
        return _problem(writer, checked, "suspended_on", "Date suspended has changed since it was imported: "
                        "correct the risk measure in Threshold")  # fmt: skip
    return []


def update_problems(writer: Writer, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
    """Why a changed row must not be applied to ``record`` by import, as problems; none when it may (reads only).

    The dry run asks this too, so what it promises is what the import does.
    """
    previous = restored_values(record.values)
    refused = _refusal(writer, checked, previous, has_case=record.case_id is not None)
    if refused:
        return refused
    contact = record.contact
    # A LADO service's record is a contact's.
    assert contact is not None
    assert record.contact_id is not None
    adult = [column for column in _ADULT_COLUMNS if checked.values.get(column) != previous.get(column)]
    if adult and not (record.made_person and _adult_is_the_contacts_own(contact)):
        # The contact and case would say one adult and their person record another, and rule 2 reads the person
        # record: a row corrected to name a colleague would stay in front of them.
        return _problem(writer, checked, adult[0], f"{BY_NAME[adult[0]].label} has changed since it was imported, "
                        "and other records are about the same adult: correct the adult in Threshold")  # fmt: skip
    cases = [record.case_id] if record.case_id else []
    people = [contact.subject_id] if record.made_person else []
    if worked_on_since(since=record.imported_at, contacts=[record.contact_id], cases=cases, people=people):
        return _problem(writer, checked, "reference", "Someone has worked on this record in Threshold since it was "
                        "imported: make the change there")  # fmt: skip
    return []


def row_update(
    writer: Writer, record: ImportedRecord, checked: CheckedRow, previous: Mapping[str, Any]
) -> list[Problem]:
    """Bring the records of ``record`` in step with its changed row; what the import must not change, as problems."""
    values = checked.values
    assert record.contact_id is not None  # a LADO service's record is a contact's
    contact = Contact.objects.select_for_update().get(pk=record.contact_id)
    case = Case.objects.select_for_update().get(pk=record.case_id) if record.case_id else None
    refused = update_problems(writer, record, checked)
    if refused:
        return refused
    changed = {name for name in {*values, *previous} if values.get(name) != previous.get(name)}
    name = tidy_name(adult_name(values))
    _contact_follows(writer, checked, contact, changed, name)
    if record.made_person and changed & set(_ADULT_COLUMNS):
        _person_follows(writer, checked, contact, name)
    level = values.get("decision", "")
    opened = False
    added: list[str] = []
    if level and changed & set(_DECISION_COLUMNS):
        if level in CASE_LEVELS and case is None:
            case = writer.open_case(checked, contact, writer.lado(values, contact.subject))
            record.case, opened = case, True
        writer.decide(checked, contact, case, supersedes=contact.decisions.order_by("-recorded_at", "-pk").first())
        added.append("decision")
    if case is not None:
        if opened:
            # A consultation corrected to a case: the case starts with everything the row gives.
            added += writer.case_rows(checked, case, previous=None)
        else:
            added += _case_follows(writer, checked, case, previous, changed, name)
        case_deadlines_sync(case)
    if added:
        _audit_added(writer, checked, contact, case, added)
    contact_deadlines_sync(contact)
    source_rerun(record, writer.run, checked, "case")
    return []


def _audit_added(writer: Writer, checked: CheckedRow, contact: Contact, case: Case | None, added: list[str]) -> None:
    """Audit the history rows a re-run added (a superseding decision, an investigation, a referral...), by kind.

    Fields that changed are audited as they change; these rows are new, so the event names what was added.
    """
    details = {**writer.event_details(checked), "added": added}
    if case is None:
        record_contact_event(
            actor=writer.recorded_by,
            contact=contact,
            action="contact.import_updated",
            audit_context=writer.audit_context,
            details=details,
        )
        return
    record_case_event(
        actor=writer.recorded_by,
        case=case,
        action="case.import_updated",
        audit_context=writer.audit_context,
        details=details,
        text=f"Added from the service's earlier records ({source_text(writer.run, checked.number)}): "
        f"{', '.join(dict.fromkeys(added))}.",
    )


def _contact_follows(writer: Writer, checked: CheckedRow, contact: Contact, changed: set[str], name: str) -> None:
    values = checked.values
    wanted: dict[str, Any] = {
        field: values.get(column, None if field in _DATE_FIELDS else "")
        for column, field in CONTACT_FIELDS.items()
        if column in changed
    }
    if changed & {"adult_first_name", "adult_last_name", "adult_name"}:
        wanted["adult_name"] = name
    if "received_on" in changed:
        wanted["received_at"] = at_midday(values["received_on"])
    if "source" in changed:
        wanted["source"] = values.get("source") or ContactSource.NOT_RECORDED
    if "employer_name" in changed:
        wanted["employer"] = writer.employer(values)
    if values.get("decision"):
        wanted["status"] = ContactStatus.DECIDED
    changes = apply_changes(contact, wanted)
    if changes:
        record_contact_event(
            actor=writer.recorded_by,
            contact=contact,
            action="contact.import_updated",
            audit_context=writer.audit_context,
            changes=changes,
            excluded_fields=list(changes),  # the values come from the file: named, never copied
            details=writer.event_details(checked),
        )


def _person_follows(writer: Writer, checked: CheckedRow, contact: Contact, name: str) -> None:
    """The adult's person record, made by this row's import, follows its corrected name and date of birth.

    ``update_problems`` has refused the row unless the person is this contact's alone (a person other rows or
    cases share is another row's adult too). Saved, so a new name rewrites its keys (and a clearance of it must
    be decided again); audited by field name.
    """
    person = Person.objects.select_for_update().get(pk=contact.subject_id)
    changes = apply_changes(person, {"full_name": name, "date_of_birth": checked.values.get("adult_date_of_birth")})
    if changes:
        # The batch's earlier adults were read before this row renamed one: later rows look them up afresh.
        writer.people.look_ahead_dropped()
        audit_record(
            context=context_for(writer.recorded_by, writer.audit_context),
            action="person.import_updated",
            record_type="person",
            record_id=person.pk,
            organisation=person.organisation,
            changes=changes,
            excluded_fields=list(changes),
            details=writer.event_details(checked),
        )


def _adult_is_the_contacts_own(contact: Contact) -> bool:
    """Whether the contact's person record is about no other contact or case (its own case aside)."""
    person = Person.objects.get(pk=contact.subject_id)
    return not (
        person.lado_contacts.exclude(pk=contact.pk).exists() or person.lado_cases.exclude(contact=contact).exists()
    )


def _case_follows(
    writer: Writer, checked: CheckedRow, case: Case, previous: Mapping[str, Any], changed: set[str], name: str
) -> list[str]:
    """The case follows the row's changed fields (audited as they change); the history rows added, by kind."""
    values = checked.values
    fresh = writer.case_values(values)
    wanted: dict[str, Any] = {
        field: fresh.get(field, None if field in _DATE_FIELDS else "")
        for column, field in CASE_FIELDS.items()
        if column in changed
    }
    if changed & {"adult_first_name", "adult_last_name", "adult_name"}:
        wanted["adult_name"] = name
    if "received_on" in changed:
        wanted["received_on"] = values["received_on"]
    if "employer_name" in changed:
        wanted["employer"] = writer.employer(values)
    if "decision" in changed and values.get("decision") in CASE_LEVELS:
        wanted["tier"] = values["decision"]
    if changed & set(_CONCLUSION_COLUMNS) and values.get("concluded_on"):
        concluded = values["concluded_on"]
        wanted.update(outcome=values.get("outcome", ""), concluded_on=concluded, closed_on=concluded,
                      status=CaseStatus.CLOSED)  # fmt: skip
    changes = apply_changes(case, wanted)
    if changes:
        named = ", ".join(sorted(_label(field) for field in changes))
        record_case_event(
            actor=writer.recorded_by,
            case=case,
            action="case.import_updated",
            audit_context=writer.audit_context,
            changes=changes,
            excluded_fields=list(changes),
            details=writer.event_details(checked),
            text=f"Updated from the service's earlier records ({source_text(writer.run, checked.number)}): {named}.",
        )
    return writer.case_rows(checked, case, previous)


def _label(field: str) -> str:
    for column, name in CASE_FIELDS.items():
        if name == field:
            return BY_NAME[column].label.lower()
    return field.replace("_", " ")


class LadoRows(Writer):
    """A LADO service's rows, new or brought up to date by a re-run: what the import services write with."""

    def update_problems(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Why a changed row must not be applied to ``record`` (reads only)."""
        return update_problems(self, record, checked)

    def update(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Bring ``record``'s records in step with its changed row, or say why not."""
        return row_update(self, record, checked, restored_values(record.values))

"""Undoing an import as a whole, while nothing has been added to its records since (ADR 0034)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations.models import Allegation, OutcomeRecord
from threshold.audit.context import AuditContext, context_for
from threshold.chronology.models import ChronologyEntry
from threshold.concerns.models import Concern, ConcernDetails, LowLevelRecord, Triage
from threshold.core.locking import bump_version
from threshold.imports.models import ImportedRecord, ImportKind, ImportRun, RunStatus
from threshold.imports.services.common import audit_run_event, require_starter, worked_on_since
from threshold.lado.models import (
    Allocation,
    BodyReferral,
    Case,
    Conclusion,
    Contact,
    Decision,
    Investigation,
    RiskMeasure,
)
from threshold.people.models import Person


def undo_problem(run: ImportRun) -> str:
    """Why the run cannot be undone now by its starter (the only one who may), or "" when it can."""
    if run.status not in (RunStatus.IMPORTED, RunStatus.FAILED):
        return "Only a finished or stopped import can be undone"
    if ImportedRecord.objects.filter(last_run=run).exclude(run=run).exists():
        return "This import changed records an earlier import brought in: it cannot be undone as a whole"
    records = ImportedRecord.objects.filter(run=run)
    if records.exclude(last_run=run).exists():
        return "A later import has changed records this one brought in: undo that one first"
    # Before whether anyone has worked on them: a record about the starter (written, and hidden from them) is one
    # they may neither remove nor be told a colleague is working on. Said from the start, it tells them nothing new.
    if not _none_about_the_starter(run):
        return "This import brought in records you may not change: it cannot be undone as a whole"
    if worked_on_since(since=run.created_at, **_brought_in(run), people=_people_made(run)):
        return "Someone has worked on records this import brought in since: it can no longer be undone as a whole"
    return ""


def _brought_in(run: ImportRun) -> dict[str, list[int]]:
    """The ids of what the run brought in, by kind of record: contacts and cases, or concerns and allegations."""
    records = ImportedRecord.objects.filter(run=run)
    if run.kind == ImportKind.SETTING:
        return {
            "concerns": list(records.values_list("concern_id", flat=True)),
            "allegations": list(records.exclude(allegation=None).values_list("allegation_id", flat=True)),
        }
    return {
        "contacts": list(records.values_list("contact_id", flat=True)),
        "cases": list(records.exclude(case=None).values_list("case_id", flat=True)),
    }


def _none_about_the_starter(run: ImportRun) -> bool:
    """Whether no record the run brought in is about its starter, or could be (rule 2: written, hidden from them)."""
    if run.started_by is None:  # a run started on the command line without ``--as``: nobody's own records
        return True
    about = fetch.records_about(run.started_by)
    kinds = {"contacts": "contact", "cases": "case", "concerns": "concern", "allegations": "allegation"}
    return not any({str(pk) for pk in ids} & about[kinds[kind]] for kind, ids in _brought_in(run).items())


def _people_made(run: ImportRun) -> set[int]:
    made = {"import_source__run": run, "import_source__made_person": True}
    if run.kind == ImportKind.SETTING:
        return set(Concern.objects.filter(**made).values_list("subject_id", flat=True))
    return set(Contact.objects.filter(**made).values_list("subject_id", flat=True))


def import_undo(
    *, actor: User, run: ImportRun, expected_version: int, audit_context: AuditContext | None = None
) -> ImportRun:
    """Remove everything the run brought in, while nothing has been added to it since; the audit trail keeps both."""
    require_starter(actor, run)
    with transaction.atomic(durable=True):
        bump_version(run, expected_version)
        brought = _brought_in(run)
        # Locked before the check, so nobody's work can land between the check and the removal.
        list(Contact.objects.select_for_update().filter(pk__in=brought.get("contacts", [])).values_list("pk"))
        list(Case.objects.select_for_update().filter(pk__in=brought.get("cases", [])).values_list("pk"))
        list(Concern.objects.select_for_update().filter(pk__in=brought.get("concerns", [])).values_list("pk"))
        list(Allegation.objects.select_for_update().filter(pk__in=brought.get("allegations", [])).values_list("pk"))
        reason = undo_problem(run)
        if reason:
            raise ValidationError({"run": reason})
        people = _people_made(run)
        try:
            if run.kind == ImportKind.SETTING:
                _remove_setting(concerns=brought["concerns"], allegations=brought["allegations"], people=people)
            else:
                _remove(contacts=brought["contacts"], cases=brought["cases"], people=people)
        except ProtectedError:
            raise ValidationError(
                {"run": "Records were added to what this import brought in: it can no longer be undone as a whole"}
            ) from None
        run.status = RunStatus.UNDONE
        run.undone_at = timezone.now()
        run.upload = b""
        # The problems go with the file: their messages may quote its cells.
        run.problems = []
        run.save(update_fields=["status", "undone_at", "upload", "problems"])
        audit_run_event(
            context=context_for(actor, audit_context),
            run=run,
            action="import.undone",
            details={kind: len(ids) for kind, ids in brought.items()},
        )
    return run


def _remove(*, contacts: list[int], cases: list[int], people: set[int]) -> None:
    """Delete an import's records, the rows that hang on them first.

    History rows are removed here only: the import wrote them, and the undo takes back the import (ADR 0034).
    """
    for model in (Allocation, RiskMeasure, BodyReferral, Conclusion, Investigation):
        model.objects.filter(case_id__in=cases).delete()
    Decision.objects.filter(contact_id__in=contacts).delete()
    ChronologyEntry.objects.filter(case_id__in=cases).delete()
    ImportedRecord.objects.filter(contact_id__in=contacts).delete()
    Case.objects.filter(pk__in=cases).delete()
    Contact.objects.filter(pk__in=contacts).delete()
    for person in Person.objects.filter(pk__in=people):
        # A person someone has cleared, or who still has other records, is someone else's work: kept.
        if not (person.lado_contacts.exists() or person.lado_cases.exists() or person.clearances.exists()):
            Person.objects.filter(pk=person.pk).delete()


def _remove_setting(*, concerns: list[int], allegations: list[int], people: set[int]) -> None:
    """Delete a setting's imported concerns and allegations, the rows that hang on them first (ADR 0034)."""
    OutcomeRecord.objects.filter(allegation_id__in=allegations).delete()
    Triage.objects.filter(concern_id__in=concerns).delete()
    LowLevelRecord.objects.filter(concern_id__in=concerns).delete()
    ConcernDetails.objects.filter(concern_id__in=concerns).delete()
    ChronologyEntry.objects.filter(allegation_id__in=allegations).delete()
    ChronologyEntry.objects.filter(concern_id__in=concerns).delete()
    ImportedRecord.objects.filter(concern_id__in=concerns).delete()
    Allegation.objects.filter(pk__in=allegations).delete()
    Concern.objects.filter(pk__in=concerns).delete()
    for person in Person.objects.filter(pk__in=people):
        # A person with other records, or cleared by someone, is someone else's work: kept.
        if not (person.concerns.exists() or person.allegations.exists() or person.clearances.exists()):
            Person.objects.filter(pk=person.pk).delete()

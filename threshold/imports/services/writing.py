"""Writing checked rows as the LADO service's records: contacts, decisions, cases and what closed them.

Inside the caller's transaction (``services.import_execute`` commits a batch at a time). Each record is
written as the services write it (people through ``Person.save`` so subject exclusion's keys are kept; the
adult's match keys by the contacts' and cases' own saves; deadlines by ``*_deadlines_sync``, a batch's new
records together at its end) and audited as ``contact.imported`` / ``case.imported`` naming the run, the
file and the row. Historic dates stay historic (ADR 0034): a decision is recorded on the day it was
decided, a conclusion on the day concluded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.chronology.services import chronology_record_event
from threshold.imports.checking import CheckedRow, Problem, adult_name, stored_values
from threshold.imports.columns import folded
from threshold.imports.models import ImportedRecord, ImportRun
from threshold.imports.services.adults import ServiceAdults, adult_key, tidy_name
from threshold.lado.models import (
    Allocation,
    BodyReferral,
    Case,
    CaseStatus,
    Conclusion,
    Contact,
    ContactMethod,
    ContactSource,
    ContactStatus,
    Decision,
    Level,
    RiskMeasure,
)
from threshold.lado.models.cases import Body, Investigation, InvestigationKind, RiskMeasureKind
from threshold.lado.services.common import record_case_event, record_contact_event
from threshold.lado.services.deadlines import cases_deadlines_sync, contacts_deadlines_sync
from threshold.notifications.recipients import members_in_roles
from threshold.people.models import Person
from threshold.people.subjects import members_of, possible_members, users_not_about

IMPORTED_RATIONALE = "Decided before the service used Threshold; brought in from its earlier records ({source})."
_INVOLVED = (
    ("police_involved", InvestigationKind.CRIMINAL),
    ("csc_involved", InvestigationKind.STRATEGY_DISCUSSION),
)
_BODIES = (("dbs_referred_on", Body.DBS), ("tra_referred_on", Body.TRA), ("ofsted_notified_on", Body.OFSTED))
# What a re-run may change on the contact and on the case, by the row's column.
CONTACT_FIELDS = {
    "referrer_name": "referrer_name",
    "referrer_agency": "referrer_agency",
    "adult_role": "adult_role",
    "employer_name": "employer_name",
    "summary": "summary",
    "adult_date_of_birth": "adult_date_of_birth",
}
CASE_FIELDS = {
    "adult_address": "adult_address",
    "adult_gender": "adult_gender",
    "adult_ethnicity": "adult_ethnicity",
    "adult_role": "adult_role",
    "referrer_agency": "referring_agency",
    "employer_name": "employer_name",
    "employer_sector": "sector",
    "came_to_light": "came_to_light",
    "categories": "abuse_categories",
    "incident_date": "incident_date",
    "summary": "summary",
    "adult_date_of_birth": "adult_date_of_birth",
}


def at_midday(day: dt.date) -> dt.datetime:
    """A historic day as a moment: midday in London, so it falls on that day whatever the clocks do.

    Today's rows before midday are dated now: a record is never received in the future.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    return min(dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone), timezone.now())


def source_record(run: ImportRun, checked: CheckedRow, **records: Any) -> ImportedRecord:
    """Where a new row's ``records`` came from (its contact and case, or its concern and allegation), unsaved.

    ``import_execute`` inserts a batch's source rows together at its end, in the batch's transaction.
    """
    return ImportedRecord(
        organisation=run.organisation,
        source_key=checked.key,
        source_reference=str(checked.values.get("reference", ""))[:200],
        run=run,
        last_run=run,
        file_name=run.file_name,
        sheet=run.sheet,
        row=checked.number,
        digest=checked.digest,
        values=stored_values(checked.values),
        **records,
    )


def source_rerun(record: ImportedRecord, run: ImportRun, checked: CheckedRow, *also: str) -> None:
    """A changed row applied: ``record`` now matches the row as ``run`` read it (and saves the fields ``also``)."""
    record.digest = checked.digest
    record.values = stored_values(checked.values)
    record.last_run = run
    record.row = checked.number
    record.updated_at = timezone.now()
    record.save(update_fields=["digest", "values", "last_run", "row", "updated_at", *also])


def source_text(run: ImportRun, row: int) -> str:
    """Where a row came from, as a person reads it: the file, its sheet, the row."""
    sheet = f", sheet “{run.sheet}”" if run.sheet else ""
    return f"{run.file_name}{sheet}, row {row}"


class Writer:
    """Writes one run's rows for its local authority; remembers the adults it has met, by name and birth.

    What it remembers grows with the number of different adults, not with the rows; the LADOs and the
    employers it looks names up in are the authority's, read once.
    """

    def __init__(self, *, run: ImportRun, recorded_by: User | None, audit_context: AuditContext) -> None:
        self.run = run
        self.local_authority: Organisation = run.organisation
        # None for a dry run on the command line, which writes nothing.
        self.recorded_by: User = recorded_by  # type: ignore[assignment]
        self.audit_context = audit_context
        self.ladoes = {
            user.email.casefold(): user
            for user in members_in_roles(self.local_authority, (Role.LADO, Role.LADO_MANAGER))
        }
        # Settings in this authority's area only: a school of the same name elsewhere is another school.
        # Two settings of one name are not told apart by a name: neither is linked (None).
        self.employers: dict[str, Organisation | None] = {}
        for organisation in Organisation.objects.filter(local_authority=self.local_authority, is_active=True):
            key = folded(organisation.name)
            self.employers[key] = None if key in self.employers else organisation
        self.members = members_of([self.local_authority])
        self.unallocated = 0
        self._hidden: set[int] | None = None
        self.people = ServiceAdults(local_authority=self.local_authority, recorded_by=recorded_by, members=self.members)
        # The batch's new records, whose clocks are written together at its end (``finish_batch``).
        self.new_contacts: list[Contact] = []
        self.new_cases: list[Case] = []

    # ------------------------------------------------------------------ checks needing the database

    def may_change(self, record: ImportedRecord) -> bool:
        """Whether the person importing may change an earlier import's record (never one about themselves).

        A record they may not change is left as it is and counted as unchanged, whatever the file says: a
        different answer would tell them a record they cannot see exists, or what it says.
        """
        if self.recorded_by is None:
            return True  # the command's dry run, by the system job: it changes nothing
        if self._hidden is None:
            # Read once a run: the few imported contacts of the service the importer may not change (those
            # about them), rather than an access check a row.
            changeable = fetch.visible_contacts(self.recorded_by, "change").values("pk")
            self._hidden = set(
                ImportedRecord.objects.filter(organisation=self.local_authority)
                .exclude(contact_id__in=changeable)
                .values_list("contact_id", flat=True)
            )
        return record.contact_id not in self._hidden

    def row_problems(self, checked: CheckedRow) -> list[Problem]:
        """A LADO service's new row is never refused here: one about the importer is hidden from them (rule 2)."""
        return []

    # ------------------------------------------------------------------ figures

    def count_new(self, created: Counter[str], checked: CheckedRow) -> None:
        """Count the records a new row brings in."""
        created["contacts"] += 1
        created["decisions"] += bool(checked.values.get("decision"))
        created["cases"] += checked.is_case

    def new_person(self, checked: CheckedRow) -> bool:
        """Whether the row's adult would be a new person record (the dry run's count).

        Also counts a row the import would leave unallocated.
        """
        values = checked.values
        email = str(values.get("lado_email") or "").casefold()
        lado = self.ladoes.get(email) if email else None
        self.unallocated += bool(email) and (lado is None or self.could_be(lado, values))
        key = adult_key(values)
        if key is not None and self.people.counted_before(key):
            return False
        return self.people.earlier(tidy_name(adult_name(values)), values.get("adult_date_of_birth")) is None

    def created_counts(self, records: QuerySet[ImportedRecord]) -> Counter[str]:
        """What the committed records of an attempt are, counted."""
        return Counter(
            contacts=records.count(),
            cases=records.exclude(case=None).count(),
            decisions=Decision.objects.filter(contact__import_source__in=records).count(),
            people=records.filter(made_person=True).count(),
        )

    # ------------------------------------------------------------------ helpers

    def lado(self, values: Mapping[str, Any], person: Person) -> User | None:
        """The LADO the row names by address, if they are a LADO of the service now and not who it is about.

        A LADO who has left (most old logs name some) or an address not known here leaves the record
        unallocated, as does a LADO whom the adult is or could be: nobody holds a record about themselves.
        """
        email = values.get("lado_email")
        lado = self.ladoes.get(str(email).casefold()) if email else None
        if lado is None or not users_not_about(person, [lado]) or self.could_be(lado, values):
            if email:
                self.unallocated += 1
            return None
        return lado

    def could_be(self, user: User, values: Mapping[str, Any]) -> bool:
        """Whether the row's adult could be ``user`` by name (rule 2's keys), before any person is written."""
        return bool(possible_members(name=adult_name(values), organisations=(), members=[user]))

    def employer(self, values: Mapping[str, Any]) -> Organisation | None:
        """The organisation in Threshold whose name is the row's employer, if any."""
        return self.employers.get(folded(values.get("employer_name")))

    def adult(self, values: Mapping[str, Any]) -> tuple[Person, bool]:
        """The adult's person record, and whether this row made it (``services.adults``)."""
        return self.people.person(values, employer=self.employer(values))

    def event_details(self, checked: CheckedRow) -> dict[str, Any]:
        """What an imported record's audit event says of its source: the run, the file, the sheet and the row."""
        # The file's name is not copied: people name files after whom they are about ("Smith allegation.xlsx").
        return {"import": self.run.pk, "row": checked.number}

    # ------------------------------------------------------------------ creating

    def create(self, checked: CheckedRow) -> ImportedRecord:
        """The row's records, new; returns its source row."""
        values = checked.values
        person, made_person = self.adult(values)
        lado = self.lado(values, person)
        level = values.get("decision", "")
        contact = Contact.objects.create(
            local_authority=self.local_authority,
            subject=person,
            employer=self.employer(values),
            received_at=at_midday(values["received_on"]),
            method=ContactMethod.IMPORTED,
            source=values.get("source") or ContactSource.NOT_RECORDED,
            referrer_name=values.get("referrer_name", ""),
            referrer_agency=values.get("referrer_agency", ""),
            adult_name=tidy_name(adult_name(values)),
            adult_date_of_birth=values.get("adult_date_of_birth"),
            adult_role=values.get("adult_role", ""),
            employer_name=values.get("employer_name", ""),
            summary=values.get("summary", ""),
            status=ContactStatus.DECIDED if level else ContactStatus.NEW,
            recorded_by=self.recorded_by,
            allocated_to=lado if not level else None,
        )
        record_contact_event(
            actor=self.recorded_by,
            contact=contact,
            action="contact.imported",
            audit_context=self.audit_context,
            details={**self.event_details(checked), "new_person": made_person},
        )
        case = self.open_case(checked, contact, lado) if level in (Level.TIER_1, Level.TIER_2) else None
        if level:
            self.decide(checked, contact, case, supersedes=None)
        if case is not None:
            self.case_rows(checked, case, previous=None)
            self.new_cases.append(case)
        self.new_contacts.append(contact)
        return source_record(self.run, checked, contact=contact, case=case, made_person=made_person)

    def start_batch(self, rows: Sequence[CheckedRow]) -> None:
        """Read at once what the batch's new ``rows`` would each look up: the earlier adults they name."""
        self.people.look_ahead(rows)

    def finish_batch(self) -> None:
        """The clocks of the batch's new contacts and cases, each relation read once for them all (its transaction)."""
        cases_deadlines_sync(self.new_cases, new=True)
        contacts_deadlines_sync(self.new_contacts, new=True)
        self.new_cases, self.new_contacts = [], []

    def close(self) -> None:
        """Forget the adults the run has met (their ledger's file goes with it)."""
        self.people.close()

    def decide(self, checked: CheckedRow, contact: Contact, case: Case | None, supersedes: Decision | None) -> None:
        """The row's decision, recorded on the day decided, superseding ``supersedes`` if given."""
        values = checked.values
        decided_on = values.get("decided_on") or values["received_on"]
        Decision(
            contact=contact,
            supersedes=supersedes,
            level=values["decision"],
            consultation_reason=values.get("consultation_reason", ""),
            rationale=IMPORTED_RATIONALE.format(source=source_text(self.run, checked.number)),
            police_advised=bool(values.get("police_involved")),
            childrens_social_care_advised=bool(values.get("csc_involved")),
            case=case,
            pack="",
            pack_version="",
            pack_digest="",
            recorded_at=at_midday(decided_on),
            recorded_by=self.recorded_by,
        ).save()

    def case_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The case's data set fields the row gives."""
        found = {field: values.get(column) for column, field in CASE_FIELDS.items()}
        found = {field: value for field, value in found.items() if value is not None}
        found["abuse_categories"] = list(values.get("categories") or [])
        return found

    def open_case(self, checked: CheckedRow, contact: Contact, lado: User | None) -> Case:
        """The row's case, opened on the day decided, closed on the day concluded; audited with its source."""
        values = checked.values
        decided_on = values.get("decided_on") or values["received_on"]
        concluded = values.get("concluded_on")
        case = Case.objects.create(
            local_authority=self.local_authority,
            subject=contact.subject,
            contact=contact,
            lado=lado,
            tier=values["decision"],
            status=CaseStatus.CLOSED if concluded else CaseStatus.OPEN,
            received_on=values["received_on"],
            opened_at=at_midday(decided_on),
            adult_name=contact.adult_name,
            employer=contact.employer,
            outcome=values.get("outcome", "") if concluded else "",
            concluded_on=concluded,
            closed_on=concluded,
            imported=True,
            **self.case_values(values),
        )
        record_case_event(
            actor=self.recorded_by,
            case=case,
            action="case.imported",
            audit_context=self.audit_context,
            text=f"Brought in from the service's earlier records: {source_text(self.run, checked.number)}"
            + (f" (reference {values['reference']})." if values.get("reference") else "."),
            details=self.event_details(checked),
        )
        if lado is not None:
            Allocation(
                case=case, lado=lado, reason="Imported", recorded_at=at_midday(decided_on), recorded_by=self.recorded_by
            ).save()
        return case

    def case_rows(self, checked: CheckedRow, case: Case, previous: Mapping[str, Any] | None) -> list[str]:
        """The risk measure, investigations, referrals, conclusion and notes the row gives that ``previous`` did not.

        "Police involved" is a criminal investigation and "children's social care involved" a strategy
        discussion, as the LADO report counts them; the log does not say more, and their notes say so. Returns
        what it added, by kind of row ("investigation", "chronology entry", ...), for a re-run's audit event.
        """
        values, before = checked.values, previous or {}
        added: list[str] = []
        for column, kind in _INVOLVED:
            if values.get(column) and not before.get(column):
                Investigation(
                    case=case,
                    kind=kind,
                    notes="Imported: the service's records say they were involved, not how.",
                    recorded_at=at_midday(values.get("decided_on") or values["received_on"]),
                    recorded_by=self.recorded_by,
                ).save()
                added.append("investigation")
        notes = values.get("chronology_notes")
        if notes and notes != before.get("chronology_notes"):
            chronology_record_event(
                record=case,
                text=f"From the service's earlier records ({source_text(self.run, checked.number)}): {notes}",
                actor=self.recorded_by,
                occurred_at=at_midday(values["received_on"]),
            )
            added.append("chronology entry")
        suspended = values.get("suspended_on")
        if suspended and suspended != before.get("suspended_on"):
            RiskMeasure(
                case=case,
                kind=RiskMeasureKind.SUSPENDED,
                started_on=suspended,
                notes="Imported",
                recorded_at=at_midday(suspended),
                recorded_by=self.recorded_by,
            ).save()
            added.append("risk measure")
        for column, body in _BODIES:
            day = values.get(column)
            if day and day != before.get(column):
                BodyReferral(
                    case=case,
                    body=body,
                    referred=True,
                    referred_on=day,
                    recorded_at=at_midday(day),
                    recorded_by=self.recorded_by,
                ).save()
                added.append("referral")
        outcome, concluded = str(values.get("outcome") or ""), values.get("concluded_on")
        if concluded and (outcome, concluded) != (before.get("outcome"), before.get("concluded_on")):
            Conclusion(
                case=case,
                outcome=outcome,
                concluded_on=concluded,
                summary=f"Imported: {source_text(self.run, checked.number)}.",
                recorded_at=at_midday(concluded),
                recorded_by=self.recorded_by,
            ).save()
            added.append("conclusion")
        return added

    # ------------------------------------------------------------------ updating

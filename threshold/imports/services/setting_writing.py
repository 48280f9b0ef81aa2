"""Writing checked rows as a setting's records: concerns, their triage, low-level records and allegations.

Inside the caller's transaction (``services.running`` commits a batch at a time). Each row is a concern as
appendix 2 records it (``Concern`` and ``ConcernDetails``, the person raising it by name only, or anonymous
when the log leaves the name blank as the form asks), with the triage decision of question 7 (the pack's
fields blank, as for a LADO service's imported decisions), then what the decision makes of it: the
low-level concern record with the pack's retention and reference decisions, or the allegation with the
outcome it concluded with. Historic dates stay historic; clocks of closed records are met or missed
(``concerns.services.deadlines``, ``allegations.services.deadlines``). Each record is audited as
``concern.imported`` / ``allegation.imported`` naming the run and the row, never a value of the file.

Adults are matched as a concern's subject is (``concerns.services.common.subject_person``): a member of the
setting named exactly is linked to their account, anyone else is the setting's person of that name. A row
that is or could be about the person importing is refused, not written: nobody records a concern about
themselves, and its figures would tell them whether one was recorded before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from threshold.access import fetch
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation, AllegationStatus, OutcomeRecord
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import (
    Concern,
    ConcernDetails,
    ConcernStatus,
    Decision,
    HowArose,
    LowLevelRecord,
    Routing,
    Triage,
)
from threshold.concerns.selectors import governance_recipients, is_headteacher
from threshold.concerns.services.common import routing_of, subject_person
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.concerns.services.low_level import low_level_decisions_set
from threshold.imports.checking import CheckedRow, Problem, adult_name
from threshold.imports.columns import folded
from threshold.imports.ledger import Ledger
from threshold.imports.models import ImportedRecord, ImportRun
from threshold.imports.services.writing import at_midday, source_record, source_text, tidy_name
from threshold.imports.setting_checking import RECORD_COLUMNS
from threshold.imports.setting_columns import SETTING_COLUMNS
from threshold.lado.services.contacts import member_named_exactly
from threshold.people.models import Person
from threshold.people.subjects import members_of, possible_members

IMPORTED_RATIONALE = "Decided before the setting used Threshold; brought in from its earlier records ({source})."
ABOUT_YOU = (
    "This row is about you, or someone with your name: ask a colleague who handles concerns to import it "
    "(nobody records a concern about themselves)"
)
NOBODY_ABOVE = (
    "This row is about the setting's manager, or someone with their name, and nobody in its governance role uses "
    "Threshold yet to receive it: ask your local authority to add your chair of governors or management "
    "committee, then import the file again"
)
# What a log writes for a concern raised anonymously, where the form asks for the name to be left blank.
ANONYMOUS = frozenset({"anonymous", "anon", "anonymously", "notgiven", "withheld", "unknown"})
# The concern's status after question 7's decision.
STATUS_OF = {
    Decision.LOW_LEVEL: ConcernStatus.LOW_LEVEL,
    Decision.ALLEGATION: ConcernStatus.ALLEGATION,
    Decision.APPROPRIATE: ConcernStatus.APPROPRIATE,
}


def raised_by(values: Mapping[str, Any]) -> str:
    """Who raised the concern, as the log names them; "" when it was raised anonymously (left blank, or so written)."""
    name = str(values.get("raiser_name") or "")
    return "" if folded(name) in ANONYMOUS else name[:300]


def has_record(values: Mapping[str, Any]) -> bool:
    """The row is a low-level concern that gives its record's answers (questions 5 and 6, further action)."""
    return values.get("decision") == Decision.LOW_LEVEL and any(name in values for name in RECORD_COLUMNS)


class SettingWriter:
    """Writes one run's rows for its setting; remembers the adults it has met, by name."""

    def __init__(self, *, run: ImportRun, recorded_by: User | None, audit_context: AuditContext) -> None:
        self.run = run
        self.setting: Organisation = run.organisation
        # None for a dry run on the command line, which writes nothing.
        self.recorded_by: User = recorded_by  # type: ignore[assignment]
        self.audit_context = audit_context
        self.members = members_of([self.setting])
        # Whom a concern about goes above (section 13.3): the setting's headteacher or manager.
        self.heads = [user for user in self.members if is_headteacher(user=user, organisation=self.setting)]
        # A setting with no trust sends a concern about its manager to its governance role (13.3): with nobody in
        # that role using Threshold, such a concern would be seen by nobody, so it is not brought in.
        above = routing_of(organisation=self.setting, subject_user=None, headteacher_conflict=True)
        self.nobody_above = above == Routing.GOVERNANCE and not governance_recipients(self.setting)
        # Each adult met, by folded name, to their person's id: on disk (ADR 0038).
        self.adults = Ledger()
        self.unallocated = 0  # a setting's rows are allocated to nobody: its handlers see them all
        self._hidden: set[int] | None = None

    # ------------------------------------------------------------------ checks needing the database

    def may_change(self, record: ImportedRecord) -> bool:
        """Whether the person importing may change an earlier import's record (never one about themselves)."""
        if self.recorded_by is None:
            return True
        if self._hidden is None:
            changeable = fetch.visible_concerns(self.recorded_by, "change").values("pk")
            self._hidden = set(
                ImportedRecord.objects.filter(organisation=self.setting)
                .exclude(concern_id__in=changeable)
                .values_list("concern_id", flat=True)
            )
        return record.concern_id not in self._hidden

    def row_problems(self, checked: CheckedRow) -> list[Problem]:
        """Why this importer may not write the row, new or imported before.

        It is about them (or someone of their name), or about the setting's manager with nobody above them in
        Threshold to receive it.
        """
        name = adult_name(checked.values)
        about_you = self.recorded_by is not None and possible_members(
            name=name, organisations=(), members=[self.recorded_by]
        )
        nobody_above = self.nobody_above and possible_members(name=name, organisations=(), members=self.heads)
        if not (about_you or nobody_above):
            return []
        column = (
            self.run.mapping.get("adult_last_name")
            or self.run.mapping.get("adult_name")
            or SETTING_COLUMNS.by_name["adult_name"].label
        )
        return [Problem(checked.number, column, ABOUT_YOU if about_you else NOBODY_ABOVE)]

    # ------------------------------------------------------------------ figures

    def count_new(self, outcome_created: Counter[str], checked: CheckedRow) -> None:
        """Count the records a new row brings in."""
        values = checked.values
        outcome_created["concerns"] += 1
        outcome_created["low_level_records"] += has_record(values)
        outcome_created["allegations"] += values.get("decision") == Decision.ALLEGATION

    def new_person(self, checked: CheckedRow) -> bool:
        """Not counted for a setting (always False).

        Its people are found by name alone, so whether one exists already would tell a DSL that a concern hidden
        from them (about the head, routed past them) was recorded.
        """
        return False

    def created_counts(self, records: QuerySet[ImportedRecord]) -> Counter[str]:
        """What the committed records of an attempt are, counted."""
        return Counter(
            concerns=records.count(),
            low_level_records=LowLevelRecord.objects.filter(concern__import_source__in=records).count(),
            allegations=records.exclude(allegation=None).count(),
        )

    # ------------------------------------------------------------------ writing

    def _earlier(self, name: str) -> Person | None:
        user = member_named_exactly(local_authority=self.setting, name=name, members=self.members)
        people = Person.objects.filter(organisation=self.setting)
        if user is not None:
            return people.filter(user=user).first()
        return people.filter(user__isnull=True, full_name__iexact=name).first()

    def adult(self, values: Mapping[str, Any], recorded_at: dt.datetime) -> tuple[Person, bool]:
        """The concern's subject, as the concern form finds them; and whether this row made the record."""
        name = tidy_name(adult_name(values))
        known = self.adults.get("adults", folded(name))
        if known:
            return Person.objects.get(pk=known), False
        earlier = self._earlier(name)
        person = earlier or subject_person(
            organisation=self.setting,
            user=member_named_exactly(local_authority=self.setting, name=name, members=self.members),
            name=name,
            role=str(values.get("adult_role") or ""),
            recorded_at=recorded_at,
            context=self.audit_context,
        )
        self.adults.put("adults", folded(name), person.pk)
        return person, earlier is None

    def event_details(self, checked: CheckedRow) -> dict[str, Any]:
        """What an imported record's audit event says of its source: the run and the row (never the file's name)."""
        return {"import": self.run.pk, "row": checked.number}

    def create(self, checked: CheckedRow) -> ImportedRecord:
        """The row's concern and what its decision made of it; returns its source row."""
        values = checked.values
        raised = at_midday(values["raised_on"])
        person, made_person = self.adult(values, raised)
        decision = values.get("decision", "")
        possible = possible_members(name=person.full_name, organisations=(), members=self.heads)
        routing = routing_of(
            organisation=self.setting, subject_user=person.user, headteacher_conflict=False, possible=possible
        )
        raiser = raised_by(values)
        concern = Concern.objects.create(
            organisation=self.setting,
            subject=person,
            reporter=None,
            is_anonymous=not raiser,
            routed_to_trust=routing != Routing.SETTING,
            summary=values["summary"],
            raised_on=values["raised_on"],
            created_at=raised,
            status=ConcernStatus.CLOSED if values.get("closed_on") else STATUS_OF.get(decision, ConcernStatus.NEW),
            closed_reason=f"Closed on {values['closed_on']:%d/%m/%Y}, before the setting used Threshold."
            if values.get("closed_on")
            else "",
            imported=True,
        )
        ConcernDetails.objects.create(
            concern=concern,
            subject_role=str(values.get("adult_role") or "")[:200],
            how_arose=values.get("how_arose") or HowArose.NOT_RECORDED,
            routing=routing,
            raised_by=raiser,
            signed_at=raised,
        )
        self._audit(concern, "concern.imported", checked, new_person=made_person)
        chronology_record_event(
            record=concern,
            text=f"Brought in from the setting's earlier records: {source_text(self.run, checked.number)}"
            + (f" (reference {values['reference']})." if values.get("reference") else "."),
            actor=self.recorded_by,
            occurred_at=raised,
        )
        allegation = self.triage(checked, concern) if decision else None
        if has_record(values):
            self.low_level_record(checked, concern)
        concern_deadlines_sync(concern)
        return source_record(self.run, checked, concern=concern, allegation=allegation, made_person=made_person)

    def start_batch(self, rows: Sequence[CheckedRow]) -> None:
        """Nothing to read ahead: a setting's adults are found by its own rules as each row is written."""

    def finish_batch(self) -> None:
        """Nothing waits for a batch's end: a setting's rows write their clocks as they go (a few to a row)."""

    def close(self) -> None:
        """Forget the adults the run has met (their ledger's file goes with it)."""
        self.adults.close()

    def _audit(self, record: Concern | Allegation, action: str, checked: CheckedRow, **details: Any) -> None:
        audit_record(
            context=self.audit_context,
            action=action,
            record_type=record._meta.model_name or "",
            record_id=record.pk,
            organisation=self.setting,
            details={**self.event_details(checked), **details},
        )

    def triage(self, checked: CheckedRow, concern: Concern) -> Allegation | None:
        """Question 7's decision, made on the day raised; an allegation for one that met the threshold."""
        values = checked.values
        decision = values["decision"]
        allegation = self.allegation(checked, concern) if decision == Decision.ALLEGATION else None
        Triage.objects.create(
            concern=concern,
            decision=decision,
            advised_decision=decision,
            rationale=values.get("rationale")
            or IMPORTED_RATIONALE.format(source=source_text(self.run, checked.number)),
            previous_concerns=bool(values.get("previous_concerns")),
            pack_id="",
            pack_version="",
            pack_digest="",
            allegation=allegation,
            decided_by=self.recorded_by,
            decided_at=concern.created_at,
        )
        return allegation

    def allegation(self, checked: CheckedRow, concern: Concern) -> Allegation:
        """The allegation the concern became, concluded with its outcome when the row gives one."""
        values = checked.values
        concluded = values.get("concluded_on")
        allegation = Allegation.objects.create(
            organisation=self.setting,
            subject=concern.subject,
            concern=concern,
            routed_to_trust=concern.routed_to_trust,
            summary=values["summary"],
            status=AllegationStatus.CONCLUDED if concluded else AllegationStatus.OPEN,
            created_at=concern.created_at,
            came_to_attention_on=values["raised_on"],
            imported=True,
        )
        self._audit(allegation, "allegation.imported", checked)
        chronology_record_event(
            record=allegation,
            text=f"Brought in from the setting's earlier records: {source_text(self.run, checked.number)}.",
            actor=self.recorded_by,
            occurred_at=concern.created_at,
        )
        if concluded:
            self.conclude(checked, allegation)
        allegation_deadlines_sync(allegation)
        return allegation

    def conclude(self, checked: CheckedRow, allegation: Allegation) -> None:
        """The outcome the allegation concluded with, recorded on the day concluded."""
        values = checked.values
        OutcomeRecord(
            allegation=allegation,
            report=f"Imported: {source_text(self.run, checked.number)}.",
            outcome=values["outcome"],
            concluded_on=values["concluded_on"],
            dbs_referred_on=values.get("dbs_referred_on"),
            tra_referred_on=values.get("tra_referred_on"),
            pack="",
            pack_version="",
            pack_digest="",
            recorded_at=at_midday(values["concluded_on"]),
            recorded_by=self.recorded_by,
        ).save()

    def low_level_record(self, checked: CheckedRow, concern: Concern) -> LowLevelRecord:
        """Appendix 2's questions 5 and 6 and the further action, with the pack's retention and reference decisions."""
        values = checked.values
        record = LowLevelRecord(
            concern=concern,
            investigation_steps=values.get("investigation_steps", ""),
            individual_response=values.get("individual_response", ""),
            breach_category=values.get("breach_category", ""),
            further_action=values.get("further_action", ""),
            action_owner=str(values.get("action_owner") or "")[:150],
            action_due_on=values.get("action_due_on"),
            action_done_on=values.get("action_done_on"),
            substantiated=bool(values.get("substantiated")),
            ordinarily_in_reference=bool(values.get("ordinarily_in_reference")),
            updated_by=self.recorded_by,
            updated_at=concern.created_at,
        )
        low_level_decisions_set(record)
        record.save()
        return record

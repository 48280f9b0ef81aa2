"""A setting's re-run: the concern (and allegation) an earlier import brought in, in step with the corrected row.

As for a LADO service's rows (``services.updating``): only the columns whose value in the file changed are
applied, each change audited by field name without its values; a record someone has worked on in Threshold
since is not changed; and a change the import must not make is a problem with nothing written for the row: a
different adult, a decision changed or removed once made (and its reasons), a closing date removed, or an
outcome changed once recorded. What a log often fills in later is brought in: a decision for a concern
imported undecided, the low-level record's answers, a closing date, an allegation's outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from threshold.allegations.models import Allegation, AllegationStatus
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import context_for
from threshold.audit.services import audit_record
from threshold.concerns.models import Concern, ConcernDetails, ConcernStatus, HowArose, LowLevelRecord
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.concerns.services.low_level import low_level_decisions_set
from threshold.imports.checking import CheckedRow, Problem, adult_name, restored_values
from threshold.imports.models import ImportedRecord
from threshold.imports.services.common import worked_on_since
from threshold.imports.services.setting_writing import STATUS_OF, SettingWriter, has_record, raised_by
from threshold.imports.services.updating import apply_changes, same_adult
from threshold.imports.services.writing import source_rerun, tidy_name
from threshold.imports.setting_checking import RECORD_COLUMNS
from threshold.imports.setting_columns import SETTING_COLUMNS
from threshold.people.models import Person
from threshold.people.subjects import possible_members

_DECIDED = ("decision", "rationale", "previous_concerns")
_CONCLUDED = ("outcome", "concluded_on", "dbs_referred_on", "tra_referred_on")
_NAME = ("adult_first_name", "adult_last_name", "adult_name")
_RECORD_FIELDS = {name: name for name in RECORD_COLUMNS}


def _adult_is_the_concerns_own(concern: Concern) -> bool:
    """Whether the concern's person record is about no other concern or allegation (its own allegation aside)."""
    person = Person.objects.get(pk=concern.subject_id)
    return not (person.concerns.exclude(pk=concern.pk).exists() or person.allegations.exclude(concern=concern).exists())


class SettingRows(SettingWriter):
    """A setting's rows, new or brought up to date by a re-run: what the import services write with."""

    def _problem(self, checked: CheckedRow, column: str, message: str) -> list[Problem]:
        header = self.run.mapping.get(column) or SETTING_COLUMNS.by_name[column].label
        return [Problem(checked.number, header, message)]

    def update_problems(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Why a changed row must not be applied to ``record`` by import, as problems (reads only)."""
        values, previous = checked.values, restored_values(record.values, SETTING_COLUMNS)
        if not same_adult(values, previous):
            return self._problem(checked, "reference", "This reference was first imported for a different person: "
                                 "give the row its own reference")  # fmt: skip
        if previous.get("decision") and any(values.get(name) != previous.get(name) for name in _DECIDED):
            return self._problem(checked, "decision", "Low level or allegation (or its reasons) has changed since "
                                 "it was imported: change the concern in Threshold, not by import")  # fmt: skip
        if bool(raised_by(values)) != bool(raised_by(previous)):
            return self._problem(checked, "raiser_name", "Whether the concern was raised anonymously has changed "
                                 "since it was imported: an import does not change that")  # fmt: skip
        if values.get("raised_on") != previous.get("raised_on"):
            return self._problem(checked, "raised_on", "Date the concern was raised has changed since it was "
                                 "imported: an import does not move a concern's dates (undo the import and import "
                                 "the corrected file)")  # fmt: skip
        removed = [name for name in RECORD_COLUMNS if previous.get(name) not in (None, "") and name not in values]
        if removed:
            return self._problem(checked, removed[0], f"{SETTING_COLUMNS.by_name[removed[0]].label} was given when "
                                 "first imported and is now blank: change the record in Threshold")  # fmt: skip
        if previous.get("closed_on") and values.get("closed_on") != previous.get("closed_on"):
            return self._problem(checked, "closed_on", "Date closed has changed since it was imported: "
                                 "change the concern in Threshold, not by import")  # fmt: skip
        if previous.get("outcome") and any(values.get(name) != previous.get(name) for name in _CONCLUDED):
            return self._problem(checked, "outcome", "The allegation's outcome has changed since it was imported: "
                                 "change the allegation in Threshold, not by import")  # fmt: skip
        concern = record.concern
        assert concern is not None  # a setting's record is a concern's
        renamed = [name for name in _NAME if values.get(name) != previous.get(name)]
        if renamed and not (record.made_person and _adult_is_the_concerns_own(concern)):
            # The concern would stay with the old person record, which rule 2 and the routing read.
            return self._problem(checked, renamed[0], f"{SETTING_COLUMNS.by_name[renamed[0]].label} has changed "
                                 "since it was imported, and other records are about the same person: correct "
                                 "the person in Threshold")  # fmt: skip
        if renamed and self._could_be_the_head(adult_name(values)) != self._could_be_the_head(adult_name(previous)):
            # Who the concern goes to (section 13.3) was decided by the name first imported.
            return self._problem(checked, renamed[0], f"{SETTING_COLUMNS.by_name[renamed[0]].label} has changed "
                                 "whether the concern could be about the headteacher or manager: undo the import "
                                 "and import the corrected file")  # fmt: skip
        if worked_on_since(
            since=record.imported_at,
            concerns=[concern.pk],
            allegations=[record.allegation_id] if record.allegation_id else [],
            people=[concern.subject_id] if record.made_person else [],
        ):
            return self._problem(checked, "reference", "Someone has worked on this record in Threshold since it "
                                 "was imported: make the change there")  # fmt: skip
        return []

    def update(self, record: ImportedRecord, checked: CheckedRow) -> list[Problem]:
        """Bring ``record``'s concern (and allegation) in step with its changed row; what must not, as problems."""
        assert record.concern_id is not None  # a setting's record is a concern's
        concern = Concern.objects.select_for_update().get(pk=record.concern_id)
        refused = self.update_problems(record, checked)
        if refused:
            return refused
        values, previous = checked.values, restored_values(record.values, SETTING_COLUMNS)
        changed = {name for name in {*values, *previous} if values.get(name) != previous.get(name)}
        self._concern_follows(checked, concern, changed, record)
        if record.made_person and changed & set(_NAME):
            self._person_follows(checked, concern)
        allegation = record.allegation
        if values.get("decision") and not previous.get("decision"):
            # The allegation a decision makes is audited as imported (``SettingWriter.allegation``).
            allegation = self.triage(checked, concern)
            status = ConcernStatus.CLOSED if values.get("closed_on") else STATUS_OF[values["decision"]]
            changes = apply_changes(concern, {"status": status})
            self._audit_update(concern, checked, {**changes, "triage": (None, values["decision"])})
        if has_record(values) and changed & set(RECORD_COLUMNS):
            self._record_follows(checked, concern)
        if allegation is not None and values.get("outcome") and not previous.get("outcome"):
            if not allegation.outcomes.exists():
                self.conclude(checked, allegation)
            changes = apply_changes(allegation, {"status": AllegationStatus.CONCLUDED})
            self._audit_update(allegation, checked, {**changes, "outcome": (None, values["outcome"])})
            allegation_deadlines_sync(allegation)
        concern_deadlines_sync(concern)
        record.allegation = allegation
        source_rerun(record, self.run, checked, "allegation")
        return []

    def _audit_update(self, record: Any, checked: CheckedRow, changes: Mapping[str, Any]) -> None:
        if not changes:
            return
        audit_record(
            context=context_for(self.recorded_by, self.audit_context),
            action=f"{record._meta.model_name}.import_updated",
            record_type=record._meta.model_name,
            record_id=record.pk,
            organisation=self.setting,
            changes=dict(changes),
            excluded_fields=list(changes),  # the values come from the file: named, never copied
            details=self.event_details(checked),
        )

    def _concern_follows(
        self, checked: CheckedRow, concern: Concern, changed: set[str], record: ImportedRecord
    ) -> None:
        values = checked.values
        wanted: dict[str, Any] = {}
        if "summary" in changed:
            wanted["summary"] = values["summary"]
        if "closed_on" in changed and values.get("closed_on"):
            wanted.update(
                status=ConcernStatus.CLOSED,
                closed_reason=f"Closed on {values['closed_on']:%d/%m/%Y}, before the setting used Threshold.",
            )
        changes = apply_changes(concern, wanted)
        details = ConcernDetails.objects.get(concern=concern)
        detail_changes: dict[str, tuple[Any, Any]] = {}
        for column, field, new in (
            ("adult_role", "subject_role", str(values.get("adult_role") or "")[:200]),
            ("how_arose", "how_arose", values.get("how_arose") or HowArose.NOT_RECORDED),
            ("raiser_name", "raised_by", raised_by(values)),
        ):
            if column in changed and getattr(details, field) != new:
                detail_changes[field] = (getattr(details, field), new)
                setattr(details, field, new)
        if detail_changes:
            details.save(update_fields=list(detail_changes))
        self._audit_update(concern, checked, {**changes, **detail_changes})
        if record.allegation_id and "summary" in changed:
            allegation = Allegation.objects.select_for_update().get(pk=record.allegation_id)
            self._audit_update(allegation, checked, apply_changes(allegation, {"summary": values["summary"]}))

    def _could_be_the_head(self, name: str) -> bool:
        """Whether a concern about someone of this name goes above the setting (section 13.3), as ``create`` asks."""
        return bool(possible_members(name=tidy_name(name), organisations=(), members=self.heads))

    def _person_follows(self, checked: CheckedRow, concern: Concern) -> None:
        """The person this row's import made follows the corrected name (``update_problems``: theirs alone)."""
        person = Person.objects.select_for_update().get(pk=concern.subject_id)
        changes = apply_changes(person, {"full_name": tidy_name(adult_name(checked.values))})
        self._audit_update(person, checked, changes)

    def _record_follows(self, checked: CheckedRow, concern: Concern) -> None:
        record = LowLevelRecord.objects.select_for_update().filter(concern=concern).first()
        if record is None:
            made = self.low_level_record(checked, concern)
            self._audit_update(
                concern,
                checked,
                {name: (None, getattr(made, name)) for name in RECORD_COLUMNS if checked.values.get(name)},
            )
            return
        values = checked.values
        wanted = {
            field: values.get(column, None if column.endswith("_on") else "")
            for column, field in _RECORD_FIELDS.items()
        }
        wanted["substantiated"] = bool(values.get("substantiated"))
        wanted["ordinarily_in_reference"] = bool(values.get("ordinarily_in_reference"))
        wanted["action_owner"] = str(values.get("action_owner") or "")[:150]
        changes = apply_changes(record, wanted)
        if changes:
            low_level_decisions_set(record)
            record.save()
            self._audit_update(concern, checked, changes)

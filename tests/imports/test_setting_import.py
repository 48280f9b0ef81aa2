"""Dev, Oakfield's DSL, brings the school's low-level concern log in from the command line: a messy workbook
imported end to end with every count; the concerns, their triage, low-level records and an allegation as the
forms would have made them; a dry run that writes nothing; re-runs that change nothing or update what changed;
an undo; the concern about Hana routed past her; the row about Dev refused. The clock stands at Christmas Eve
2024."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError

from tests.imports.concern_log import FIRST, HEADER, ROWS, concern_log, log_row
from tests.imports.test_import_command import import_command
from tests.imports.workbook import titled_workbook
from threshold.access import fetch
from threshold.allegations.models import Allegation, AllegationStatus, OutcomeRecord
from threshold.audit.models import AuditEvent
from threshold.concerns.models import (
    BreachCategory,
    Concern,
    ConcernStatus,
    Decision,
    FurtherAction,
    HowArose,
    LowLevelRecord,
    Triage,
)
from threshold.imports.models import ImportedRecord, ImportKind, ImportRun, RunStatus
from threshold.imports.services.undo import import_undo
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState

CHRISTMAS_EVE = dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        yield


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "oakfield-concerns.xlsx"
    path.write_bytes(concern_log())
    return path


def write(tmp_path: Path, name: str, rows: list[list[Any] | None]) -> Path:
    path = tmp_path / name
    path.write_bytes(concern_log(rows))
    return path


def setting_import(path: Path, *options: str) -> dict[str, Any]:
    return import_command(path, "--setting", "oakfield-primary-school", *options)


def as_dev(persona: Any) -> tuple[str, str]:
    return ("--as", persona("dev").email)


def imported(reference: str) -> ImportedRecord:
    return ImportedRecord.objects.select_related("concern", "allegation").get(source_reference=reference)


def concern_of(reference: str) -> Concern:
    concern = imported(reference).concern
    assert concern is not None
    return concern


def counts() -> dict[str, int]:
    return {
        "concerns": Concern.objects.count(),
        "triages": Triage.objects.count(),
        "records": LowLevelRecord.objects.count(),
        "allegations": Allegation.objects.count(),
        "outcomes": OutcomeRecord.objects.count(),
        "people": Person.objects.count(),
        "deadlines": Deadline.objects.count(),
    }


def test_the_messy_log_imports_with_every_count(persona: Any, log: Path) -> None:
    before = counts()
    summary = setting_import(log, *as_dev(persona))
    assert summary["rows"] == 8  # the blank row is skipped; the title and the merged groups are above the header
    assert summary["created"] == {"concerns": 5, "low_level_records": 2, "allegations": 2}
    assert (summary["updated"], summary["unchanged"], summary["duplicates"]) == (0, 0, 1)
    assert summary["rows_with_errors"] == 2
    assert summary["errors"] == [
        {
            "row": 9,
            "column": "Date raised",
            "message": "Date the concern was raised must be a real date, like 27/03/2024",
        },
        {
            "row": 11,
            "column": "Name",
            "message": "This row is about you, or someone with your name: ask a colleague who handles concerns to "
            "import it (nobody records a concern about themselves)",
        },
    ]
    after = counts()
    assert {name: after[name] - before[name] for name in ("concerns", "triages", "records", "allegations")} == {
        "concerns": 5,
        "triages": 5,
        "records": 2,
        "allegations": 2,
    }
    assert after["outcomes"] - before["outcomes"] == 1
    run = ImportRun.objects.get()
    assert (run.kind, run.organisation.name, run.status) == (ImportKind.SETTING, "Oakfield Primary School", "imported")


def test_historic_dates_stay_historic_and_the_codes_are_translated(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    first = concern_of("LC-01")
    assert (first.raised_on, first.status, first.imported) == (dt.date(2022, 9, 14), ConcernStatus.CLOSED, True)
    assert first.created_at.date() == dt.date(2022, 9, 14)
    assert (first.is_anonymous, first.reporter, first.details.raised_by) == (False, None, "Tom Teacher (colleague)")
    assert first.details.how_arose == HowArose.SUSPICION
    assert first.triage.decision == Decision.LOW_LEVEL
    assert first.triage.decided_by == persona("dev")
    record = first.low_level_record
    assert (record.breach_category, record.further_action) == (BreachCategory.BOUNDARIES, FurtherAction.CONVERSATION)
    assert (record.action_due_on, record.action_done_on) == (dt.date(2022, 9, 21), dt.date(2022, 9, 20))
    assert record.retention_result  # the pack's retention decision, as a saved record has
    second = concern_of("LC-02")
    assert (second.is_anonymous, second.status) == (True, ConcernStatus.LOW_LEVEL)  # "Raised by" left blank
    assert second.low_level_record.further_action == FurtherAction.FORMAL_PLAN
    allegation = imported("LC-03").allegation
    assert allegation is not None
    assert (allegation.status, allegation.came_to_attention_on) == (AllegationStatus.CONCLUDED, dt.date(2023, 11, 6))
    outcome = allegation.outcomes.get()
    assert (outcome.outcome, outcome.concluded_on) == ("unsubstantiated", dt.date(2024, 1, 12))
    assert concern_of("LC-03").details.how_arose == HowArose.COMPLAINT  # "Parent complaint"
    assert concern_of("LC-07").details.how_arose == HowArose.DISCLOSURE_CHILD  # "Disclosure by a child"
    open_allegation = imported("LC-07").allegation
    assert open_allegation is not None
    assert open_allegation.status == AllegationStatus.OPEN


def test_one_adult_in_three_rows_is_one_person(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    carl = {concern_of(reference).subject_id for reference in ("LC-01", "LC-02", "LC-03")}
    assert len(carl) == 1
    person = Person.objects.get(pk=carl.pop())
    assert person.full_name == "Carl Coach"
    assert person.concerns.count() == 3  # the pattern review and "concerns raised before" see all three


def test_each_record_carries_its_source_and_an_event_naming_dev(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    record = imported("LC-03")
    assert (record.file_name, record.sheet, record.row) == ("oakfield-concerns.xlsx", "Concerns", 7)
    events = AuditEvent.objects.filter(action__in=("concern.imported", "allegation.imported"))
    assert events.count() == 7
    assert {event.actor_id for event in events} == {persona("dev").pk}
    concern_event = events.get(action="concern.imported", record_id=str(record.concern_id))
    assert concern_event.details["row"] == 7
    assert "Carl" not in json.dumps(concern_event.details)  # counts and places, never a value of the file


def test_closed_records_clocks_are_met_or_missed_not_overdue_today(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    concluded = imported("LC-03").allegation
    assert concluded is not None
    states = set(Deadline.objects.filter(allegation=concluded).values_list("state", flat=True))
    assert DeadlineState.MISSED in states  # what the log does not show as done was missed then
    assert DeadlineState.OPEN not in states
    action = Deadline.objects.get(concern=concern_of("LC-01"), kind="low-level-action")
    assert (action.state, action.met_on) == (DeadlineState.MET, dt.date(2022, 9, 20))
    # The formal plan of an open low-level concern is still due: it is work to do, not history.
    plan = Deadline.objects.get(concern=concern_of("LC-02"), kind="low-level-action")
    assert plan.state == DeadlineState.OPEN
    still_open = imported("LC-07").allegation
    assert Deadline.objects.filter(allegation=still_open, state=DeadlineState.OPEN).exists()


def test_concerns_brought_in_do_not_make_last_terms_pattern_review_overdue(persona: Any, log: Path) -> None:
    from threshold.concerns.services.deadlines import pattern_review_deadline_sync

    setting_import(log, *as_dev(persona))
    oakfield = concern_of("LC-05").organisation  # raised in the summer term, before Threshold
    pattern_review_deadline_sync(oakfield)  # the daily reminder pass
    rows = Deadline.objects.filter(record_key=f"organisation:{oakfield.pk}", kind="pattern-review")
    assert list(rows.values_list("key", flat=True)) == ["2024-autumn"]  # this term's only


def test_the_concern_about_hana_goes_to_the_trust_and_is_hidden_from_her(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    about_hana = concern_of("LC-05")
    assert about_hana.subject.user == persona("hana")  # named exactly: linked to her account
    assert about_hana.routed_to_trust
    assert about_hana.is_anonymous  # "Anonymous" in the log
    assert not fetch.visible_concerns(persona("hana")).filter(pk=about_hana.pk).exists()
    assert fetch.visible_concerns(persona("priya")).filter(pk=about_hana.pk).exists()
    assert fetch.visible_concerns(persona("hana")).filter(pk=concern_of("LC-01").pk).exists()


def test_a_dry_run_writes_nothing(persona: Any, log: Path) -> None:
    before = counts()
    summary = setting_import(log, "--dry-run", *as_dev(persona))
    assert summary["created"] == {"concerns": 5, "low_level_records": 2, "allegations": 2}
    assert counts() == before
    assert not ImportedRecord.objects.exists()
    assert ImportRun.objects.get().status == RunStatus.CHECKED


def test_running_the_same_file_again_changes_nothing(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    before = counts()
    again = setting_import(log, *as_dev(persona))
    assert again["created"] == {"concerns": 0, "low_level_records": 0, "allegations": 0}
    assert (again["updated"], again["unchanged"], again["duplicates"]) == (0, 5, 1)
    assert counts() == before


def test_a_corrected_file_brings_in_what_the_log_filled_in_later(persona: Any, tmp_path: Path) -> None:
    second = list(ROWS[2] or [])
    setting_import(write(tmp_path, "log.xlsx", [second]), *as_dev(persona))
    done = list(second)
    done[HEADER.index("Action completed")] = "2023-04-02"
    done[HEADER.index("Date closed")] = "2023-04-10"
    summary = setting_import(write(tmp_path, "log.xlsx", [done]), *as_dev(persona))
    assert (summary["updated"], summary["rows_with_errors"]) == (1, 0)
    concern = concern_of("LC-02")
    assert concern.status == ConcernStatus.CLOSED
    assert concern.low_level_record.action_done_on == dt.date(2023, 4, 2)
    plan = Deadline.objects.get(concern=concern, kind="low-level-action")
    assert (plan.state, plan.met_on) == (DeadlineState.MET, dt.date(2023, 4, 2))
    events = AuditEvent.objects.filter(action="concern.import_updated", record_id=str(concern.pk))
    named = {field for event in events for field in event.excluded_fields}
    assert {"status", "action_done_on"} <= named  # each change named by its field...
    assert "2023-04-02" not in json.dumps([event.changes for event in events], default=str)  # ...never its value


def test_a_decision_changed_after_import_is_refused_and_nothing_changes(persona: Any, tmp_path: Path) -> None:
    setting_import(write(tmp_path, "log.xlsx", [log_row()]), *as_dev(persona))
    changed = log_row(LLC_or_allegation="Appropriate", Steps_taken="", Response="", Breach="", Further_action="",
                      Action_owner="", Action_due="", Action_completed="")  # fmt: skip
    summary = setting_import(write(tmp_path, "log.xlsx", [changed]), *as_dev(persona))
    assert summary["updated"] == 0
    assert summary["errors"] == [
        {
            "row": 4,
            "column": "LLC or allegation",
            "message": "Low level or allegation (or its reasons) has changed since it was imported: change the "
            "concern in Threshold, not by import",
        }
    ]
    assert concern_of("LC-01").triage.decision == Decision.LOW_LEVEL


def test_an_import_is_undone_as_a_whole(persona: Any, log: Path) -> None:
    before = counts()
    setting_import(log, *as_dev(persona))
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    import_undo(actor=persona("dev"), run=run, expected_version=run.version)
    assert counts() == before
    run.refresh_from_db()
    assert run.status == RunStatus.UNDONE
    assert AuditEvent.objects.filter(action="import.undone", actor=persona("dev")).get().details["concerns"] == 5


def test_an_import_cannot_be_undone_once_hana_has_worked_on_its_records(persona: Any, log: Path) -> None:
    from threshold.chronology.services import chronology_add_manual

    setting_import(log, *as_dev(persona))
    concern = concern_of("LC-02")
    chronology_add_manual(actor=persona("hana"), record=concern, text="Met Carl.", occurred_at=CHRISTMAS_EVE)
    run = ImportRun.objects.get(status=RunStatus.IMPORTED)
    with pytest.raises(ValidationError, match="worked on records"):
        import_undo(actor=persona("dev"), run=run, expected_version=run.version)
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_hana_cannot_learn_of_the_concern_about_her_by_importing_the_log_again(persona: Any, log: Path) -> None:
    setting_import(log, *as_dev(persona))
    changed = [list(row) if row else None for row in ROWS]
    about_hana = changed[6]
    assert about_hana is not None
    about_hana[HEADER.index("Reasons")] = "Changed by Hana."
    summary = setting_import(_saved(log, changed), "--as", persona("hana").email)
    assert summary["updated"] == 0
    # The same answer as before Dev imported it: the row is about her, so not hers to write.
    assert [error["message"][:30] for error in summary["errors"] if error["row"] == 10] == [
        "This row is about you, or some"
    ]
    assert concern_of("LC-05").triage.rationale == "Reasonable in the circumstances."


def _saved(log: Path, rows: list[list[Any] | None]) -> Path:
    path = log.with_name("again.xlsx")
    path.write_bytes(concern_log(rows))
    return path


def test_only_who_handles_the_settings_concerns_imports_its_log(persona: Any, log: Path) -> None:
    for outsider in ("tom", "henry", "lara"):
        with pytest.raises(CommandError, match="Only a LADO manager"):
            setting_import(log, "--as", persona(outsider).email)
    assert not ImportRun.objects.exists()
    summary = setting_import(log, "--dry-run", "--as", persona("priya").email)  # the trust's director of school
    assert summary["rows"] == 8


def test_the_canonical_setting_columns_need_no_mapping(persona: Any, tmp_path: Path) -> None:
    from threshold.imports.setting_columns import SETTING_COLUMNS

    header = [column.name for column in SETTING_COLUMNS.columns]
    values = {
        "reference": "C-1",
        "raised_on": "2024-03-01",
        "adult_first_name": "Ivy",
        "adult_last_name": "Ink",
        "summary": "Used a personal phone in class.",
        "decision": "low_level",
        "investigation_steps": "Spoke to Ivy.",
        "further_action": "none",
        "how_arose": "suspicion",
    }
    path = tmp_path / "canonical.csv"
    path.write_text(",".join(header) + "\n" + ",".join(values.get(name, "") for name in header) + "\n")
    summary = setting_import(path, *as_dev(persona))
    assert (summary["created"]["concerns"], summary["created"]["low_level_records"], summary["errors"]) == (1, 1, [])


def test_dev_is_told_the_row_about_him_is_not_his_whether_or_not_a_colleague_imported_it(
    persona: Any, log: Path
) -> None:
    about_dev = [ROWS[7]]
    first = setting_import(write(log.parent, "dev.xlsx", about_dev), "--dry-run", *as_dev(persona))
    setting_import(write(log.parent, "dev.xlsx", about_dev), "--as", persona("hana").email)
    assert concern_of("LC-06").subject.user == persona("dev")
    again = setting_import(write(log.parent, "dev.xlsx", about_dev), "--dry-run", *as_dev(persona))
    assert (again["unchanged"], again["errors"]) == (first["unchanged"], first["errors"]) == (0, first["errors"])
    assert "This row is about you" in again["errors"][0]["message"]


def test_the_figures_never_count_adults_so_a_hidden_record_about_the_head_shows_nowhere(
    persona: Any, log: Path
) -> None:
    about_hana = [ROWS[6]]
    before = setting_import(write(log.parent, "hana.xlsx", about_hana), "--dry-run", *as_dev(persona))
    setting_import(write(log.parent, "hana.xlsx", about_hana), "--as", persona("priya").email)
    assert not fetch.visible_concerns(persona("dev")).filter(pk=concern_of("LC-05").pk).exists()
    renamed = list(about_hana[0] or [])
    renamed[0] = "LC-55"  # a different reference: a new row about the same head, for Dev
    after = setting_import(write(log.parent, "hana.xlsx", [renamed]), "--dry-run", *as_dev(persona))
    assert "people" not in before["created"]
    assert before["created"] == after["created"]


def test_an_outcome_the_log_filled_in_later_concludes_the_allegation_and_is_audited(
    persona: Any, tmp_path: Path
) -> None:
    open_allegation = list(ROWS[8] or [])
    setting_import(write(tmp_path, "log.xlsx", [open_allegation]), *as_dev(persona))
    concluded = list(open_allegation)
    concluded[HEADER.index("Outcome of allegation")] = "Unfounded"
    concluded[HEADER.index("Date concluded")] = "2024-12-20"
    summary = setting_import(write(tmp_path, "log.xlsx", [concluded]), *as_dev(persona))
    assert (summary["updated"], summary["errors"]) == (1, [])
    allegation = imported("LC-07").allegation
    assert allegation is not None
    assert allegation.status == AllegationStatus.CONCLUDED
    assert allegation.outcomes.get().outcome == "unfounded"
    event = AuditEvent.objects.get(action="allegation.import_updated", record_id=str(allegation.pk))
    assert set(event.excluded_fields) == {"status", "outcome"}
    assert "unfounded" not in json.dumps(event.changes)


def test_a_moved_date_raised_is_refused_rather_than_half_applied(persona: Any, tmp_path: Path) -> None:
    setting_import(write(tmp_path, "log.xlsx", [log_row()]), *as_dev(persona))
    summary = setting_import(write(tmp_path, "log.xlsx", [log_row(Date_raised="15/09/2022")]), *as_dev(persona))
    assert summary["updated"] == 0
    assert summary["errors"][0]["column"] == "Date raised"
    assert concern_of("LC-01").raised_on == dt.date(2022, 9, 14)


def test_a_concern_about_a_manager_nobody_above_would_receive_is_not_brought_in(persona: Any, tmp_path: Path) -> None:
    from threshold.accounts.models import Membership

    about_nina = log_row(Ref="LA-1", Name="Nina Nursery", Role="Manager", LLC_or_allegation="", Reasons="",
                         Steps_taken="", Response="", Breach="", Further_action="", Action_owner="", Action_due="",
                         Action_completed="", Date_closed="")  # fmt: skip
    path = tmp_path / "acorns.xlsx"
    path.write_bytes(concern_log([about_nina]))
    received = import_command(path, "--setting", "Little Acorns Nursery", "--dry-run")
    assert received["errors"] == []  # Gina, the chair of governors, receives it (13.3)
    Membership.objects.filter(user=persona("gina")).update(is_active=False)
    nobody = import_command(path, "--setting", "Little Acorns Nursery", "--dry-run")
    assert "nobody in its governance role uses Threshold yet" in nobody["errors"][0]["message"]


def test_a_log_s_column_for_misconduct_a_reference_would_include_sets_the_records_reference_decision(
    persona: Any, tmp_path: Path
) -> None:
    """Section 13.5: a low-level concern which is misconduct or poor performance may be mentioned in references."""
    path = tmp_path / "log.xlsx"
    path.write_bytes(
        titled_workbook(
            sheet="Concerns", title="Oakfield", groups=[None], merged=[],
            header=[*HEADER, "Include in references"], rows=[[*FIRST, "Yes"]],
        )
    )  # fmt: skip
    # Imported once version 1.2 of the trust's pack (section 13.5 read whole) is in force.
    with time_machine.travel(dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC), tick=False):
        summary = setting_import(path, *as_dev(persona))
    assert summary["created"]["low_level_records"] == 1
    record = LowLevelRecord.objects.get(concern=concern_of("LC-01"))
    assert (record.ordinarily_in_reference, record.pack_version) == (True, "1.2")
    assert record.reference_result["may_mention"] is True


def test_a_concern_imported_still_to_be_decided_is_due_for_triage_not_marked_missed(
    persona: Any, tmp_path: Path
) -> None:
    """A log's row with no decision yet is waiting for triage now, like any other concern (only what was closed
    before it came in is marked missed)."""
    blank = ("Reasons", "Steps_taken", "Response", "Breach", "Further_action", "Action_owner", "Action_due")
    waiting = log_row(
        Ref="LC-09", LLC_or_allegation="", Action_completed="", Date_closed="", **dict.fromkeys(blank, "")
    )
    setting_import(write(tmp_path, "log.xlsx", [waiting]), *as_dev(persona))
    row = Deadline.objects.get(concern=concern_of("LC-09"), kind="concern-triage")
    assert row.state == DeadlineState.OPEN

"""Checking one row of an import with the rules the contact, decision and conclusion forms apply.

Every problem is reported by row and by the file's own column header, in words a person can act on
("Row 14, DOB: Adult's date of birth must be a real date, like 27/03/2024"). A row with a problem is not
imported; the others are. Nothing here touches the database: the writer (``writing``) acts on what passes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from threshold.imports.columns import BY_NAME, LADO_COLUMNS, ColumnSet, Kind, folded
from threshold.imports.reading import Row
from threshold.imports.values import CellError, Translations, read_cell
from threshold.lado.models import Level
from threshold.lado.services.contacts import PUBLIC_SOURCES

CASE_LEVELS = frozenset({Level.TIER_1, Level.TIER_2})
# What only a Tier 1 or Tier 2 case keeps: given on any other row it would be lost, so it is a problem instead.
CASE_ONLY = ("outcome", "concluded_on", "suspended_on", "dbs_referred_on", "tra_referred_on", "ofsted_notified_on",
             "chronology_notes")  # fmt: skip
_DATES_AFTER_RECEIPT = (
    "decided_on",
    "concluded_on",
    "suspended_on",
    "dbs_referred_on",
    "tra_referred_on",
    "ofsted_notified_on",
)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or the row, when ``column`` is blank), as the person will read it."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """The problem as the summary and the errors file give it."""
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CheckedRow:
    """A row read into Threshold's values, with its problems; ``key`` is what a re-run matches it on."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    key: str = ""
    digest: str = ""

    @property
    def ok(self) -> bool:
        """No problem: the row can be imported."""
        return not self.problems

    @property
    def is_case(self) -> bool:
        """The decision was Tier 1 or Tier 2: the row is a contact with its case."""
        return self.values.get("decision") in CASE_LEVELS


def adult_name(values: Mapping[str, Any]) -> str:
    """The adult's name as one string: first and last names, or the full-name column."""
    parts = " ".join(part for part in (values.get("adult_first_name"), values.get("adult_last_name")) if part)
    return parts or str(values.get("adult_name") or "")


def stored_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The row's values as JSON keeps them (dates as ISO text)."""
    return {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in values.items()}


def restored_values(stored: Mapping[str, Any], columns: ColumnSet = LADO_COLUMNS) -> dict[str, Any]:
    """The row's values from ``stored_values`` again, dates as dates."""
    dates = {column.name for column in columns.columns if column.kind is Kind.DATE}
    return {name: dt.date.fromisoformat(value) if name in dates and value else value for name, value in stored.items()}


def _digest(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _source_key(values: Mapping[str, Any]) -> str:
    """The row's reference, or (a file without references) a digest of the adult and the day received (or raised)."""
    if values.get("reference"):
        # Case and spacing aside, a reference is kept as written: "12/3" and "1/23" are two references.
        return "ref:" + " ".join(str(values["reference"]).split()).casefold()[:190]
    who = {
        "name": folded(adult_name(values)),
        "born": values.get("adult_date_of_birth"),
        "received": values.get("received_on", values.get("raised_on")),
        "summary": folded(values.get("summary"))[:200],
    }
    return "row:" + _digest(who)


class RowCheck:
    """Reading one row into Threshold's values and checking it, collecting problems under the file's headers.

    A kind of import gives its columns and its rules (``check``); this one is a LADO service's.
    """

    columns: ColumnSet = LADO_COLUMNS

    def __init__(self, row: Row, mapping: Mapping[str, str], today: dt.date) -> None:
        self.checked = CheckedRow(number=row.number)
        self.mapping = mapping
        self.today = today

    def problem(self, name: str, message: str) -> None:
        """Note a problem with field ``name``, under the file's header for it."""
        # A field left unmapped is named by its label.
        column = self.mapping.get(name) or self.columns.by_name[name].label
        self.checked.problems.append(Problem(row=self.checked.number, column=column, message=message))

    def given(self, name: str) -> Any:
        """The row's value of field ``name``, if it has one."""
        return self.checked.values.get(name)

    def label(self, name: str) -> str:
        """How a field is named in a message."""
        return self.columns.by_name[name].label

    def check(self) -> None:
        """A LADO service's rules: those of the contact, decision and conclusion forms."""
        values = self.checked.values
        received = values.get("received_on")
        if received is None and "received_on" not in self.failed:
            self.problem("received_on", "Date received is blank: enter the date the contact was received")
        for name in ("received_on", "adult_date_of_birth", "incident_date", *_DATES_AFTER_RECEIPT):
            day = values.get(name)
            if isinstance(day, dt.date) and day > self.today:
                self.problem(name, f"{BY_NAME[name].label} must be today or in the past")
        born = values.get("adult_date_of_birth")
        if isinstance(born, dt.date) and isinstance(received, dt.date) and born >= received:
            self.problem("adult_date_of_birth", "Adult's date of birth must be before the date received")
        incident = values.get("incident_date")
        if isinstance(incident, dt.date) and isinstance(received, dt.date) and incident > received:
            self.problem("incident_date", "Date of the incident must be on or before the date received")
        for name in _DATES_AFTER_RECEIPT:
            day = values.get(name)
            if isinstance(day, dt.date) and isinstance(received, dt.date) and day < received:
                self.problem(name, f"{BY_NAME[name].label} must be on or after the date received")
        if not values.get("summary") and "summary" not in self.failed:
            self.problem("summary", "Summary is blank: enter brief details of the circumstances")
        source = values.get("source")
        if source and source not in PUBLIC_SOURCES:
            if not values.get("referrer_name"):
                self.problem(
                    "referrer_name", "Referrer's name is blank: enter the name of the professional making the contact"
                )
            if not values.get("referrer_agency"):
                self.problem("referrer_agency", "Referrer's agency is blank: enter the agency making the contact")
        self.check_decision()

    def check_decision(self) -> None:
        """The decision form's rules: a consultation's reason, a case's categories and conclusion."""
        values = self.checked.values
        decision = values.get("decision")
        if not decision:
            for name in ("decided_on", "consultation_reason", *CASE_ONLY):
                if values.get(name):
                    self.problem(name, f"{BY_NAME[name].label} is given but Decision is blank: enter the decision")
            return
        if decision == Level.CONSULTATION:
            if not values.get("consultation_reason") and "consultation_reason" not in self.failed:
                self.problem(
                    "consultation_reason",
                    "Why a consultation is blank: enter why the referral did not meet the definition",
                )
            for name in CASE_ONLY:
                if values.get(name):
                    self.problem(
                        name, f"{BY_NAME[name].label} is given for a consultation: only a Tier 1 or Tier 2 case has one"
                    )
            return
        if values.get("consultation_reason"):
            self.problem(
                "consultation_reason", "Why a consultation is given for a Tier 1 or Tier 2 case: leave it blank"
            )
        if not values.get("categories") and "categories" not in self.failed:
            self.problem(
                "categories", "Categories of abuse is blank: enter at least one category for a Tier 1 or Tier 2 case"
            )
        outcome, concluded = values.get("outcome"), values.get("concluded_on")
        if outcome and concluded is None and "concluded_on" not in self.failed:
            self.problem("concluded_on", "Date concluded is blank: enter the date the case concluded with this outcome")
        if concluded is not None and not outcome and "outcome" not in self.failed:
            self.problem("outcome", "Outcome is blank: enter the outcome the case concluded with")
        decided = values.get("decided_on")
        if isinstance(decided, dt.date) and isinstance(concluded, dt.date) and concluded < decided:
            self.problem("concluded_on", "Date concluded must be on or after the date decided")

    def read(self, row: Row, translations: Translations) -> CheckedRow:
        """Read each mapped cell, then check the row; its values, problems, key and digest."""
        self.failed: set[str] = set()
        for name, header in self.mapping.items():
            column = self.columns.by_name.get(name)
            if column is None or header not in row.cells:
                continue
            try:
                self.checked.values[name] = read_cell(column, row.cells[header], translations)
            except CellError as error:
                self.failed.add(name)
                self.problem(name, f"{column.label} {error}")
        self.checked.values = {
            name: value for name, value in self.checked.values.items() if value not in ("", None, [])
        }
        self.check()
        self.checked.key = _source_key(self.checked.values)
        self.checked.digest = _digest(self.checked.values)
        return self.checked


def check_row(
    row: Row,
    *,
    mapping: Mapping[str, str],
    translations: Translations,
    today: dt.date,
    rules: type[RowCheck] = RowCheck,
) -> CheckedRow:
    """The row read with ``mapping`` (canonical column → the file's header) and checked by ``rules``; never raises."""
    return rules(row, mapping, today).read(row, translations)

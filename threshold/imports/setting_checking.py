"""Checking one row of a setting's import with the rules of the concern, triage and low-level record forms.

A row is a concern shared under appendix 2; its "Low level or allegation" answer says what else it is: a
low-level concern (with its record of questions 5 and 6 and the further action, when the log gives them),
an allegation (with its outcome, when concluded), or appropriate conduct. A problem is reported by row and by
the file's own header, in words a person can act on, as the LADO service's rows are (``checking``).
"""

from __future__ import annotations

import datetime as dt

from threshold.concerns.models import Decision, FurtherAction
from threshold.imports.checking import RowCheck, adult_name
from threshold.imports.setting_columns import SETTING_COLUMNS

# The low-level concern record (appendix 2, questions 5 and 6, and "Details of further action required").
RECORD_COLUMNS = ("investigation_steps", "individual_response", "breach_category", "further_action",
                  "action_owner", "action_due_on", "action_done_on", "substantiated",
                  "ordinarily_in_reference")  # fmt: skip
# How an allegation concluded: only an allegation has them.
ALLEGATION_COLUMNS = ("outcome", "concluded_on", "dbs_referred_on", "tra_referred_on")
_NOT_FUTURE = ("raised_on", "action_done_on", "closed_on", "concluded_on", "dbs_referred_on", "tra_referred_on")
_AFTER_RAISED = ("action_due_on", *_NOT_FUTURE[1:])


class SettingRowCheck(RowCheck):
    """A setting's rules for one row: the concern form's, then the triage's and the record's."""

    columns = SETTING_COLUMNS

    def check(self) -> None:
        """Every rule of the forms a row's answers go through, each broken one a problem."""
        values = self.checked.values
        raised = values.get("raised_on")
        if raised is None and "raised_on" not in self.failed:
            self.problem("raised_on", "Date the concern was raised is blank: enter the date the concern was raised")
        if not adult_name(values):
            name = "adult_last_name" if "adult_last_name" in self.mapping else "adult_name"
            self.problem(name, "Name of the individual is blank: enter the name of the person the concern is about")
        if not values.get("summary") and "summary" not in self.failed:
            self.problem("summary", "Details of the concern is blank: enter the details of the concern reported")
        for name in _NOT_FUTURE:
            day = values.get(name)
            if isinstance(day, dt.date) and day > self.today:
                self.problem(name, f"{self.label(name)} must be today or in the past")
        for name in _AFTER_RAISED:
            day = values.get(name)
            if isinstance(day, dt.date) and isinstance(raised, dt.date) and day < raised:
                self.problem(name, f"{self.label(name)} must be on or after the date the concern was raised")
        self.check_decision()

    def check_decision(self) -> None:
        """What the decision allows: a low-level record for a low-level concern, an outcome for an allegation."""
        values = self.checked.values
        decision = values.get("decision")
        given = [name for name in ("rationale", "closed_on", *RECORD_COLUMNS, *ALLEGATION_COLUMNS) if name in values]
        if not decision:
            for name in given:
                self.problem(
                    name, f"{self.label(name)} is given but Low level or allegation is blank: enter the decision"
                )
            return
        if decision != Decision.LOW_LEVEL:
            for name in RECORD_COLUMNS:
                if name in values:
                    self.problem(name, f"{self.label(name)} is given but the concern is not low level: "
                                 "only a low-level concern has a low-level concern record")  # fmt: skip
        if decision != Decision.ALLEGATION:
            for name in ALLEGATION_COLUMNS:
                if name in values:
                    self.problem(name, f"{self.label(name)} is given but the concern is not an allegation: "
                                 "only an allegation has an outcome")  # fmt: skip
        if decision == Decision.LOW_LEVEL and any(name in values for name in RECORD_COLUMNS):
            self.check_record()
        if decision == Decision.ALLEGATION:
            self.check_allegation()

    def check_record(self) -> None:
        """The low-level concern record form's rules, for a row that gives any of its answers."""
        values = self.checked.values
        if not values.get("investigation_steps") and "investigation_steps" not in self.failed:
            self.problem("investigation_steps", "Steps taken to investigate is blank: enter the steps taken to "
                         "investigate the concern")  # fmt: skip
        action = values.get("further_action")
        if not action and "further_action" not in self.failed:
            self.problem("further_action", "Further action is blank: enter the further action (or no further action)")
        if action and action != FurtherAction.NONE:
            if not values.get("action_owner"):
                self.problem("action_owner", "Who owns the further action is blank: enter who owns it")
            if not values.get("action_due_on") and "action_due_on" not in self.failed:
                self.problem("action_due_on", "Date the action is due is blank: enter the date the action is due")
        if action == FurtherAction.NONE:
            for name in ("action_owner", "action_due_on", "action_done_on"):
                if name in values:
                    self.problem(name, f"{self.label(name)} is given but Further action is no further action: "
                                 "leave it blank")  # fmt: skip

    def check_allegation(self) -> None:
        """An allegation concludes with an outcome on a day: both or neither; it is not closed as a concern is."""
        values = self.checked.values
        if "closed_on" in values:
            self.problem("closed_on", "Date closed is given for an allegation: give the date the allegation "
                         "concluded, with its outcome")  # fmt: skip
        outcome, concluded = values.get("outcome"), values.get("concluded_on")
        if outcome and concluded is None and "concluded_on" not in self.failed:
            self.problem("concluded_on", "Date the allegation concluded is blank: enter the date it concluded "
                         "with this outcome")  # fmt: skip
        if concluded is not None and not outcome and "outcome" not in self.failed:
            self.problem("outcome", "Outcome of the allegation is blank: enter the outcome it concluded with")
        for name in ("dbs_referred_on", "tra_referred_on"):
            if name in values and not outcome:
                self.problem(name, f"{self.label(name)} is given but the allegation has no outcome: "
                             "a referral is recorded with the outcome")  # fmt: skip

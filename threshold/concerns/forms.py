"""Forms for sharing a concern, triage, the low-level concern record and pattern reviews.

Forms only parse and check what was typed; the services decide and write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone

from threshold.concerns.models import SHARED_HOW_AROSE, BreachCategory, Decision, FurtherAction, MatrixColumn
from threshold.concerns.services.escalate import threshold_problems
from threshold.core.forms import CaseForm, CleanCharField, VersionedForm, WrittenForm, opened_at_version
from threshold.people.forms import ConfirmsSubject
from threshold.policy import FACTS, HARM_THRESHOLD_FACTS

if TYPE_CHECKING:
    from threshold.concerns.services.low_level import LowLevelDetails

SOMEONE_ELSE = "other"
MYSELF = "me"


@dataclass(frozen=True)
class DateSpec:
    """A GOV.UK date input: its label, whether it must be given, whether it must not be in the future."""

    label: str
    required: bool = False
    past: bool = False


class DateInputsForm(WrittenForm):
    """A form whose dates are GOV.UK date inputs: three boxes, ``<name>_day``, ``_month`` and ``_year``.

    The cleaned date is ``cleaned_data[name]`` (or None); every error about a
    date goes beside its day box, which the error summary links to.
    """

    DATES: dict[str, DateSpec] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DATES:
            for part, size in (("day", 2), ("month", 2), ("year", 4)):
                self.fields[f"{name}_{part}"] = forms.CharField(
                    required=False,
                    max_length=size,
                    error_messages={"max_length": f"{self.DATES[name].label} must be a real date"},
                )
            value = self.initial.get(name)
            if isinstance(value, dt.date):
                self.initial.update(
                    {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}
                )

    def clean(self) -> dict[str, Any]:
        """Turn each date's three boxes into a real date, or put the GOV.UK error beside them."""
        cleaned = super().clean() or {}
        for name, spec in self.DATES.items():
            cleaned[name] = None
            if any(f"{name}_{part}" in self.errors for part in ("day", "month", "year")):
                self._move_box_errors(name)
                continue
            raw = [str(cleaned.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")]
            if not any(raw):
                if spec.required:
                    self.add_error(f"{name}_day", f"Enter the {spec.label[0].lower()}{spec.label[1:]}")
                continue
            missing = [part for part, value in zip(("a day", "a month", "a year"), raw, strict=True) if not value]
            if missing:
                self.add_error(f"{name}_day", f"{spec.label} must include {' and '.join(missing)}")
                continue
            try:
                if not all(part.isdigit() for part in raw) or len(raw[2]) != 4:
                    raise ValueError(raw)
                value = dt.date(int(raw[2]), int(raw[1]), int(raw[0]))
            except ValueError:
                self.add_error(f"{name}_day", f"{spec.label} must be a real date")
                continue
            if spec.past and value > timezone.localdate():
                self.add_error(f"{name}_day", f"{spec.label} must be today or in the past")
                continue
            cleaned[name] = value
        return cleaned

    def _move_box_errors(self, name: str) -> None:
        """One message beside the day box, however many boxes were wrong."""
        for part in ("month", "year"):
            self.errors.pop(f"{name}_{part}", None)
        if f"{name}_day" not in self.errors:
            self.add_error(f"{name}_day", f"{self.DATES[name].label} must be a real date")

    def error_field(self, name: str) -> str | None:
        """The field a service's error about ``name`` goes beside, or None for the top of the form."""
        if name in self.DATES:
            return f"{name}_day"
        return name if name in self.fields else None


class ShareConcernForm(ConfirmsSubject, DateInputsForm):
    """Appendix 2, questions 1 to 4, and how the concern arose."""

    DATES = {"raised_on": DateSpec("Date the concern was raised", required=True, past=True)}
    NAME_FIELDS = ("subject_name", "subject_role")

    anonymous = forms.ChoiceField(
        choices=[("no", "Share it with my name"), ("yes", "Share it anonymously")],
        error_messages={
            "required": "Choose whether to give your name",
            "invalid_choice": "Choose whether to give your name",
        },
    )
    about = forms.ChoiceField(
        error_messages={
            "required": "Choose who the concern is about",
            "invalid_choice": "Choose who the concern is about",
        }
    )
    subject_name = CleanCharField(label="Their name", max_length=200, required=False)
    subject_role = CleanCharField(label="Their role", max_length=200, required=False)
    how_arose = forms.ChoiceField(
        label="How did the concern arise?",
        choices=SHARED_HOW_AROSE,
        error_messages={"required": "Choose how the concern arose"},
    )
    raised_by = CleanCharField(label="Who raised it", max_length=300, required=False)
    details = CleanCharField(
        label="Details of the concern",
        max_length=10000,
        error_messages={"required": "Enter the details of the concern"},
    )
    headteacher_conflict = forms.BooleanField(required=False)
    declaration = forms.BooleanField(
        error_messages={"required": "Confirm that what you have written is accurate to the best of your knowledge"}
    )

    def __init__(self, *args: Any, colleagues: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [  # type: ignore[attr-defined]
            *colleagues,
            (MYSELF, "Myself (a self-referral)"),
            (SOMEONE_ELSE, "Someone else (type their name and role)"),
        ]

    def clean(self) -> dict[str, Any]:
        """Someone else needs a name; a self-referral cannot be anonymous."""
        cleaned = super().clean() or {}
        if cleaned.get("about") == SOMEONE_ELSE and not (cleaned.get("subject_name") or "").strip():
            self.add_error("subject_name", "Enter the name of the person the concern is about")
        if cleaned.get("about") == MYSELF and cleaned.get("anonymous") == "yes":
            self.add_error("anonymous", "A self-referral cannot be anonymous: choose to share it with your name")
        return cleaned


# The facts triage asks, in the order a case manager thinks about them.
TRIAGE_FACTS: tuple[str, ...] = (
    "harmed_or_may_have_harmed_child",
    "possible_criminal_offence",
    "behaviour_indicates_risk_of_harm",
    "may_be_unsuitable_to_work_with_children",
    "inconsistent_with_code_of_conduct",
    "safeguarding_concern",
    "practice_issue_only",
    "injury",
    "corroborating_evidence",
    "incident_pattern",
    "abuse_categories",
    "sexual_interest_in_children_concern",
    "potential_significant_harm",
    "complicated_by_numbers_or_roles",
    "subject_is_teacher",
)

# Each fact as a question in plain words (the engine's meaning is in threshold.policy.FACTS).
TRIAGE_QUESTIONS: dict[str, str] = {
    "harmed_or_may_have_harmed_child": "Has the adult behaved in a way that has harmed, or may have harmed, a child?",
    "possible_criminal_offence": "Might the adult have committed a criminal offence against or related to a child?",
    "behaviour_indicates_risk_of_harm": "Has the adult behaved towards a child in a way that suggests a risk of harm?",
    "may_be_unsuitable_to_work_with_children": (
        "Does the behaviour suggest they may not be suitable to work with children, including conduct outside work?"
    ),
    "inconsistent_with_code_of_conduct": "Is the behaviour inconsistent with the staff code of conduct?",
    "safeguarding_concern": "Is there an identifiable safeguarding concern about the adult?",
    "practice_issue_only": "Is this better described as a practice or conduct issue than a safeguarding one?",
    "injury": "Was a child injured? (A red mark is a visible minor injury.)",
    "corroborating_evidence": "Is there corroborating evidence, such as an injury seen or witness accounts?",
    "incident_pattern": (
        "Which column of the response matrix fits: accidental (generally the first incident), neglectful"
        " (a further incident) or intentional (one serious incident, or behaviour previous action has not changed)?"
    ),
    "abuse_categories": "Which categories does the concern fall into?",
    "sexual_interest_in_children_concern": "Might the behaviour indicate a sexual interest in children?",
    "potential_significant_harm": "Is there cause to suspect a child is at risk of significant harm?",
    "complicated_by_numbers_or_roles": (
        "Is it complicated by the number of children or adults involved, or a breach of a position of trust?"
    ),
    "subject_is_teacher": "Is the adult a teacher?",
}

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not known")]


class TriageForm(VersionedForm):
    """The policy-engine facts, then the decision (appendix 2, questions 7 and 8)."""

    # A non-recent (historic) allegation has its own advice (the police; Appendix 4 for supply workers and
    # volunteers): the pack reads it from when the incident happened against the day the concern was raised.
    DATES = {"incident_date": ("The date of the incident", None)}

    decision = forms.ChoiceField(
        label="Is this concern ‘low level’ or should it be treated as an allegation?",
        choices=Decision.choices,
        required=False,
    )
    rationale = CleanCharField(label="Your reasons for the decision", max_length=10000, required=False)
    override_reason = CleanCharField(
        label="Why you decided differently from the policy's advice", max_length=10000, required=False
    )
    advice_hr = forms.BooleanField(required=False)
    advice_trust = forms.BooleanField(required=False)
    advice_lado = forms.BooleanField(required=False)
    advice_notes = CleanCharField(label="Notes of the advice taken", max_length=10000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TRIAGE_FACTS:
            spec = FACTS[name]
            if spec.kind.name == "BOOL":
                self.fields[name] = forms.ChoiceField(choices=YES_NO_UNKNOWN, required=False)
            elif spec.kind.name == "CHOICE":
                choices = [(choice, choice.capitalize()) for choice in spec.choices] + [("", "Not known")]
                self.fields[name] = forms.ChoiceField(choices=choices, required=False)
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=[(choice, choice.capitalize()) for choice in spec.choices],
                    required=False,
                )
            self.fields[name].label = TRIAGE_QUESTIONS[name]
            self.fields[name].help_text = spec.meaning

    def fact_fields(self) -> list[forms.BoundField]:
        """The fact questions, in order."""
        return [self[name] for name in TRIAGE_FACTS]

    def raw_facts(self) -> dict[str, Any]:
        """The answered facts as the policy engine reads them (unanswered facts are left out)."""
        raw: dict[str, Any] = {}
        for name in TRIAGE_FACTS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            raw[name] = {"yes": True, "no": False}.get(value, value) if isinstance(value, str) else list(value)
        if self.cleaned_data.get("incident_date"):
            raw["incident_date"] = self.cleaned_data["incident_date"].isoformat()
        return raw


class LowLevelRecordForm(DateInputsForm):
    """Appendix 2, questions 5 and 6 and further action; the reference input (retention reads the person's date)."""

    DATES = {
        "action_due_on": DateSpec("Date the action is due"),
        "action_done_on": DateSpec("Date the action was completed", past=True),
        "met_individual_on": DateSpec("Date of the meeting with the individual", past=True),
        "monitor_until": DateSpec("Date monitoring ends"),
        "review_on": DateSpec("Date of the review"),
    }

    spoke_to_raiser = forms.BooleanField(required=False)
    spoke_to_person = forms.BooleanField(required=False)
    spoke_to_witnesses = forms.BooleanField(required=False)
    investigation_steps = CleanCharField(
        label="Details of the steps taken",
        max_length=10000,
        error_messages={"required": "Enter the steps taken to investigate the concern"},
    )
    individual_response = CleanCharField(
        label="The individual's response to the concern", max_length=10000, required=False
    )
    breach_category = forms.ChoiceField(
        label="How does the behaviour sit against the code of conduct?",
        choices=BreachCategory.choices,
        error_messages={"required": "Choose how the behaviour sits against the code of conduct"},
    )
    further_action = forms.ChoiceField(
        label="Further action required",
        choices=FurtherAction.choices,
        error_messages={"required": "Choose the further action"},
    )
    action_owner = CleanCharField(label="Who owns the further action", max_length=150, required=False)
    substantiated = forms.BooleanField(required=False)
    ordinarily_in_reference = forms.BooleanField(required=False)
    matrix_column = forms.ChoiceField(
        choices=MatrixColumn.choices,
        required=False,
        error_messages={"invalid_choice": "Choose accidental or neglectful"},
    )
    advice_given = CleanCharField(label="Advice given to the individual", max_length=10000, required=False)
    formal_plan = CleanCharField(label="Formal plan for addressing the behaviour", max_length=10000, required=False)
    version = opened_at_version()

    def clean(self) -> dict[str, Any]:
        """Further action needs an owner and a due date."""
        cleaned = super().clean() or {}
        action = cleaned.get("further_action")
        if action and action != FurtherAction.NONE:
            if not (cleaned.get("action_owner") or "").strip():
                self.add_error("action_owner", "Enter who owns the further action")
            if not cleaned.get("action_due_on") and "action_due_on_day" not in self.errors:
                self.add_error("action_due_on_day", "Enter the date the action is due")
        return cleaned

    def service_data(self) -> LowLevelDetails:
        """The record's answers, as the service takes them (the version travels on its own)."""
        return cast("LowLevelDetails", {name: value for name, value in self.cleaned_data.items() if name != "version"})


class PatternReviewStartForm(DateInputsForm):
    """The period a pattern review looks at."""

    DATES = {
        "period_start": DateSpec("Start of the period", required=True),
        "period_end": DateSpec("End of the period", required=True),
    }

    def clean(self) -> dict[str, Any]:
        """The period must not end before it starts."""
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end_day", "The end of the period must be on or after its start")
        return cleaned


class PatternFindingForm(WrittenForm):
    """What the review found about one person."""

    subject = forms.IntegerField(widget=forms.HiddenInput)
    pattern_found = forms.ChoiceField(
        label="Is there a pattern in the concerns?",
        choices=[("no", "No pattern"), ("yes", "A pattern of concerning behaviour")],
        error_messages={"required": "Choose whether there is a pattern"},
    )
    findings = CleanCharField(label="Findings", max_length=10000, error_messages={"required": "Enter the findings"})


class PatternReviewCompleteForm(WrittenForm):
    """Completing a review, with a summary of what it found."""

    summary = CleanCharField(
        label="Summary of the review", max_length=10000, error_messages={"required": "Enter a summary of the review"}
    )


class LeavingDateForm(VersionedForm):
    """The date the adult left or retired, recorded once on their person (13.4); the version is the person's."""

    DATES = {"left_employment_on": ("The date the person left or retired", None)}


class ConcernReasonForm(VersionedForm):
    """A reason for closing, re-routing or escalating a concern, with the version the page was loaded at."""

    # The service names the reason after its purpose; the form has one "reason" box.
    ERROR_FIELDS = {"reroute_reason": "reason", "came_to_light": "reason"}

    # Each page asks its own question ("Why is the concern being closed?"); the messages name the answer.
    reason = CleanCharField(label="The reason", max_length=5000, error_messages={"required": "Enter the reason"})

    def __init__(self, *args: Any, required_message: str = "Enter the reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = required_message


# An answer as the engine reads it: Yes, No, or not known (None).
_ANSWERS = {"yes": True, "no": False}


class ThresholdForm(CaseForm):
    """The harm threshold's four limbs answered again to escalate low-level concerns to an allegation.

    The questions are triage's (``TRIAGE_QUESTIONS``). The escalation services' rule, at least one Yes
    (``threshold_problems``), is said with the form's other errors. A pattern review's escalation asks only these;
    one concern's escalation asks what came to light too (``EscalateForm``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in HARM_THRESHOLD_FACTS:
            self.fields[name] = forms.ChoiceField(
                choices=YES_NO_UNKNOWN, required=False, label=TRIAGE_QUESTIONS[name], help_text=FACTS[name].meaning
            )

    def threshold_fields(self) -> list[forms.BoundField]:
        """The harm threshold's questions, in order."""
        return [self[name] for name in HARM_THRESHOLD_FACTS]

    def threshold_answers(self) -> dict[str, bool | None]:
        """Each limb as answered: True, False, or None where not known."""
        return _answers(self.cleaned_data)

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """At least one limb may now be met."""
        return threshold_problems(_answers(data))


def _answers(data: dict[str, Any]) -> dict[str, bool | None]:
    return {name: _ANSWERS.get(data.get(name) or "") for name in HARM_THRESHOLD_FACTS}


class EscalateForm(ThresholdForm, ConcernReasonForm):
    """What has come to light about one low-level concern, and the harm threshold answered again."""

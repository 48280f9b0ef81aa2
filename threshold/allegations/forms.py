"""Forms for the case manager's pages: GOV.UK date inputs, the referral data set, the appendix 3 table."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import (
    Allegation,
    ContactMethod,
    Employment,
    RiskManaged,
    Route,
)
from threshold.allegations.services.outcome import outcome_errors
from threshold.allegations.services.referral import referral_errors
from threshold.allegations.services.steps import step_errors
from threshold.chronology.forms import parse_time
from threshold.core.forms import CaseForm, CleanCharField, VersionedForm, WrittenForm
from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender, Outcome

if TYPE_CHECKING:
    from threshold.allegations.services.referral import ChildOnReferral, ReferralDetails

RISK_ROWS = 3
# However many rows the case manager adds, a page never grows without bound.
MAX_RISK_ROWS = 30
CHILD_ROWS = 3
RISK_FIELDS = ("area", "responsibilities", "potential_risks", "mitigation", "monitoring")
CHILD_FIELDS = ("full_name", "address", "gender", "ethnicity")


def _text(label: str, required_message: str | None = None, max_length: int = 5000) -> forms.CharField:
    return CleanCharField(
        label=label,
        required=required_message is not None,
        max_length=max_length,
        error_messages={
            "required": required_message or "",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def _choice(label: str, choices: Any, required_message: str | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", ""), *list(choices)],
        required=required_message is not None,
        error_messages={"required": required_message or "", "invalid_choice": required_message or "Choose an option"},
    )


class AllegationDetailsForm(VersionedForm):
    """The allegation's own facts: when it came to attention, employment, agency, restrictions, IPO."""

    DATES = {
        "came_to_attention_on": ("The date it came to attention", "Enter the date it came to attention"),
        "reporting_restriction_ended_on": ("The date the restriction ended", None),
        "left_employment_on": ("The date the adult left", None),
    }
    subject_employment = _choice("How the adult is engaged", Employment.choices, "Choose how the adult is engaged")
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Organisation.objects.filter(kind=OrganisationKind.AGENCY, is_active=True),
        required=False,
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    case_manager = forms.ModelChoiceField(
        label="Case manager",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose the case manager",
            "invalid_choice": "Choose a case manager from the list",
        },
    )
    agency_name = _text("Agency or contracting company (if not in Threshold)", None, 200)
    agency_contact = _text("Contact email or phone", None, 200)
    barred_from_trust = forms.BooleanField(required=False)
    subject_is_teacher = forms.BooleanField(required=False)
    accused_by_pupil = forms.BooleanField(required=False)
    interim_prohibition_order = forms.BooleanField(required=False)

    def __init__(self, *args: Any, case_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case_manager"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case_managers


class ReferralForm(CaseForm):
    """The LADO recording data set, pre-filled from the allegation and the person."""

    DATES = {
        "adult_date_of_birth": ("The adult's date of birth", None),
        "incident_date": ("The date of the incident", None),
        **{f"child_{i}_date_of_birth": ("The child's date of birth", None) for i in range(CHILD_ROWS)},
    }
    previous = forms.IntegerField(required=False, widget=forms.HiddenInput)
    adult_name = _text("Full name", "Enter the adult's name", 200)
    adult_address = _text("Address")
    adult_gender = _choice("Gender", Gender.choices)
    adult_ethnicity = _choice("Ethnicity", Ethnicity.choices)
    adult_role = _text("Role or occupation", "Enter the adult's role or occupation", 200)
    employer_name = _text("Employing organisation", "Enter the employing organisation", 200)
    agency_name = _text("Agency (supply staff)", None, 200)
    referring_organisation = _text("Referring organisation", "Enter the referring organisation", 200)
    referrer_name = _text("Referrer's name", "Enter the referrer's name", 200)
    referrer_contact = _text("Referrer's contact details", None, 200)
    came_to_light = _choice(
        "How did the allegation come to light?", CameToLight.choices, "Choose how the allegation came to light"
    )
    abuse_categories = forms.MultipleChoiceField(
        choices=AbuseCategory.choices,
        error_messages={"required": "Choose at least one category of abuse", "invalid_choice": "Choose a category"},
    )
    summary = _text("Summary of the allegation", "Enter a summary of the allegation")
    risk_managed = _choice(
        "How has the risk been managed so far?", RiskManaged.choices, "Choose how the risk has been managed so far"
    )
    police_involved = forms.BooleanField(required=False)
    childrens_social_care_involved = forms.BooleanField(required=False)

    def __init__(self, *args: Any, allegation: Allegation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation = allegation
        for i in range(CHILD_ROWS):
            self.fields[f"child_{i}_full_name"] = _text("Child's name", None, 200)
            self.fields[f"child_{i}_address"] = _text("Child's address", None, 1000)
            self.fields[f"child_{i}_gender"] = _choice("Gender", Gender.choices)
            self.fields[f"child_{i}_ethnicity"] = _choice("Ethnicity", Ethnicity.choices)

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The referral service's rules (a supply worker's agency, the incident's date), with the fields' errors."""
        return referral_errors(
            self.allegation, agency_name=data.get("agency_name") or "", incident_date=data.get("incident_date")
        )

    def clean(self) -> dict[str, Any]:
        """A child row with anything in it needs the child's name."""
        data = super().clean()
        for i in range(CHILD_ROWS):
            others = [data.get(f"child_{i}_{f}") for f in ("address", "gender", "ethnicity", "date_of_birth")]
            others.append(any(self.data.get(f"child_{i}_date_of_birth_{p}") for p in ("day", "month", "year")))
            if any(others) and not data.get(f"child_{i}_full_name"):
                self.add_error(f"child_{i}_full_name", "Enter the child's name")
        return data

    def children(self) -> list[ChildOnReferral]:
        """The children rows that hold anything."""
        rows = []
        for i in range(CHILD_ROWS):
            row = {field: self.cleaned_data.get(f"child_{i}_{field}") for field in CHILD_FIELDS}
            row["date_of_birth"] = self.cleaned_data.get(f"child_{i}_date_of_birth")
            if any(row.values()):
                rows.append((i, row))
        return [cast("ChildOnReferral", row) for _, row in rows]

    def child_indexes(self) -> list[int]:
        """The form row of each child returned by ``children`` (for errors)."""
        return [
            i
            for i in range(CHILD_ROWS)
            if any(self.cleaned_data.get(f"child_{i}_{f}") for f in (*CHILD_FIELDS, "date_of_birth"))
        ]

    def details(self) -> ReferralDetails:
        """The data set fields, as the service takes them."""
        names = [
            "adult_name",
            "adult_address",
            "adult_date_of_birth",
            "adult_gender",
            "adult_ethnicity",
            "adult_role",
            "employer_name",
            "agency_name",
            "referring_organisation",
            "referrer_name",
            "referrer_contact",
            "came_to_light",
            "abuse_categories",
            "incident_date",
            "summary",
            "risk_managed",
            "police_involved",
            "childrens_social_care_involved",
        ]
        return cast("ReferralDetails", {name: self.cleaned_data.get(name) for name in names})


class StepForm(CaseForm):
    """What was done or decided at one step; step 7 also asks the justification and what goes in writing."""

    DATES = {"done_on": ("The date it was done", "Enter the date it was done")}
    decision = _text("What was done or decided", "Enter what was done or decided")
    justification = _text("Justification for taking no further action")
    written_information = _text("What information is put in writing to the individual")
    written_to = _text("To whom", None, 200)
    written_by = _text("By whom", None, 200)
    route = _choice("The course of action agreed", Route.choices)
    action_for_individual = _text("What action should follow in respect of the individual")
    action_for_allegers = _text("What action should follow in respect of those who made the allegation")
    agreed_with_lado = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose whether this was agreed with the LADO"},
    )
    done_by = _text("Who notified Ofsted", None, 200)
    reference = _text("Ofsted's reference", None, 100)

    def __init__(self, *args: Any, allegation: Allegation, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation, self.step = allegation, step

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The step service's rules (step 7's answers, the course agreed, Ofsted, the police), with the fields'."""
        texts = (
            "decision",
            "justification",
            "written_information",
            "written_to",
            "written_by",
            "route",
            "action_for_individual",
            "action_for_allegers",
            "done_by",
        )
        return step_errors(
            self.allegation,
            step=self.step,
            done_on=data.get("done_on"),
            agreed_with_lado=data.get("agreed_with_lado"),
            **{name: data.get(name) or "" for name in texts},
        )


class ParentUpdateForm(CaseForm):
    """Step 9: one contact keeping the parents or carers informed of the progress of the case."""

    DATES = {"given_on": ("The date they were informed", "Enter the date the parents or carers were informed")}
    informed = _text("Who was informed", "Enter who was informed, for example the parents of the child involved", 200)
    method = _choice("How they were informed", ContactMethod.choices, "Choose how the parents or carers were informed")
    note = _text("What they were told", "Enter what they were told about the progress of the case")


class OutcomeForm(CaseForm):
    """Section 6.3 and 6.5: the report, the outcome and the specific actions."""

    DATES = {
        "concluded_on": ("The date of the outcome", "Enter the date of the outcome"),
        "dbs_referred_on": ("The date of the DBS referral", None),
        "tra_referred_on": ("The date of the TRA referral", None),
    }
    report = _text("The case manager's report", "Enter the case manager's report", 20000)
    outcome = _choice("Outcome", Outcome.choices, "Choose the outcome")
    removed_from_regulated_activity = forms.BooleanField(required=False)
    resigned_before_conclusion = forms.BooleanField(required=False)
    disciplinary_route = _text("Disciplinary route")
    dbs_reference = _text("DBS referral reference", None, 100)
    tra_reference = _text("TRA referral reference", None, 100)
    return_to_work = _text("Return to work after suspension")
    malicious_action = _text("Action regarding a malicious allegation")
    child_support = _text("Support for the child")

    def __init__(self, *args: Any, allegation: Allegation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allegation = allegation

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The outcome service's rules (section 6.5's actions, the referrals, the LADO told), with the fields'."""
        return outcome_errors(
            self.allegation,
            report=data.get("report") or "",
            outcome=data.get("outcome") or "",
            concluded_on=data.get("concluded_on"),
            removed_from_regulated_activity=bool(data.get("removed_from_regulated_activity")),
            resigned_before_conclusion=bool(data.get("resigned_before_conclusion")),
            disciplinary_route=data.get("disciplinary_route") or "",
            dbs_referred_on=data.get("dbs_referred_on"),
            dbs_reference=data.get("dbs_reference") or "",
            tra_referred_on=data.get("tra_referred_on"),
            tra_reference=data.get("tra_reference") or "",
            return_to_work=data.get("return_to_work") or "",
            malicious_action=data.get("malicious_action") or "",
        )


class FileRecordForm(CaseForm):
    """Section 8: what is kept on the adult's confidential file."""

    DATES = {"copy_given_on": ("The date the copy was given", None)}
    summary = _text(
        "A clear and comprehensive summary of the allegation",
        "Enter a clear and comprehensive summary of the allegation",
    )
    follow_up = _text(
        "Details of how the allegation was followed up and resolved",
        "Enter how the allegation was followed up and resolved",
    )
    actions = _text(
        "Notes of any action taken, decisions reached and the outcome",
        "Enter the actions taken, decisions reached and the outcome",
    )


class FollowUpForm(CaseForm):
    """A DBS or TRA referral after the outcome: its date and reference, or why it is not made."""

    DATES = {"referred_on": ("The date of the referral", None)}
    reference = _text("Reference", None, 100)
    not_referred_reason = _text("Why no referral is made")


class LessonForm(WrittenForm):
    """Section 11: a lesson learned."""

    reviewed_with = _text("Reviewed with", None, 200)
    text = _text("Improvements to procedures or practice", "Enter the lesson learned")


class AgencyForm(CaseForm):
    """Appendix 4: the agency's part."""

    DATES = {
        "notified_on": ("The date the agency was notified", "Enter the date the agency was notified"),
        "removed_on": ("The date the worker was suspended or removed", None),
        "cover_arranged_on": ("The date replacement cover was arranged", None),
        "notes_sent_on": ("The date the investigation notes were sent", None),
        "outcome_sent_on": ("The date the outcome was sent", None),
    }
    ERROR_FIELDS = {"notified_at": "notified_on_day"}
    notified_time = _text("Time notified", "Enter the time the agency was notified", 10)
    suspension_discussed = _text(
        "What was agreed with the agency about suspension or redeployment",
        "Enter what was agreed with the agency about suspension or redeployment",
    )

    def clean(self) -> dict[str, Any]:
        """Combine the date and time notified into one moment in Europe/London."""
        from threshold.chronology.forms import LONDON

        data = super().clean()
        time_text = str(data.get("notified_time") or "")
        if time_text:
            time = parse_time(time_text)
            if time is None:
                self.add_error("notified_time", "Enter the time like 2:30pm or 14:30")
            elif data.get("notified_on"):
                moment = dt.datetime.combine(data["notified_on"], time, tzinfo=LONDON)
                data["notified_at"] = moment.astimezone(dt.UTC)
                if data["notified_at"] > timezone.now():
                    self.add_error("notified_time", "The time must be now or in the past")
        return data

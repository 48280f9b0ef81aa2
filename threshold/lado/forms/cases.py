"""Forms of the LADO case pages: the data set in groups, children, risk, investigations, bodies, tier, allocation.

Each form only parses what a person typed; the services validate the rules
(dates in order, reasons given, who may be allocated) and their errors are
put beside the fields with ``apply_errors``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.accounts.models import User
from threshold.core.forms import CleanCharField, VersionedForm, WrittenForm
from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender, SchoolPhase
from threshold.lado.models.cases import Body, CaseManager, Injury, RiskMeasureKind, Sector
from threshold.lado.services.case_agencies import body_referral_errors, investigation_errors, risk_measure_errors
from threshold.lado.services.cases import CASE_TIERS, INVESTIGATION_OUTCOMES
from threshold.people.forms import ConfirmsSubject


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


class AdultForm(ConfirmsSubject, VersionedForm):
    """'Name, Address, Date of Birth, gender and ethnicity of the adult'; a possible colleague's name is asked."""

    NAME_FIELDS = ("adult_name",)
    DATES = {"adult_date_of_birth": ("The adult's date of birth", None)}
    adult_name = _text("Full name", "Enter the adult's name", 200)
    adult_address = _text("Address")
    adult_gender = _choice("Gender", Gender.choices)
    adult_ethnicity = _choice("Ethnicity", Ethnicity.choices)


class AgenciesForm(VersionedForm):
    """'Details of the referring agency'; 'Details of the employing agency; role/occupation', and a school's phase."""

    referring_agency = _text("Referring agency", None, 200)
    employer_name = _text("Employing agency", None, 200)
    sector = _choice("Sector", Sector.choices)
    school_phase = _choice("School phase", SchoolPhase.choices)
    adult_role = _text("Role or occupation", None, 200)


class AllegationForm(VersionedForm):
    """How it came to light, category of abuse, date of incident, and the summary of the allegation."""

    DATES = {"incident_date": ("The date of the incident", None)}
    came_to_light = _choice("How did the allegation come to light?", CameToLight.choices)
    abuse_categories = forms.MultipleChoiceField(
        choices=AbuseCategory.choices,
        required=False,
        error_messages={"invalid_choice": "Choose categories of abuse from the list"},
    )
    injury = _choice("Injury to the child", Injury.choices)
    summary = _text("Summary of the allegation", "Enter a summary of the allegation")


# The data set's groups that are changed on one page each, with the form and the fields each changes.
DATASET_GROUPS: dict[str, tuple[str, type[VersionedForm], tuple[str, ...]]] = {
    "adult": (
        "The adult",
        AdultForm,
        ("adult_name", "adult_address", "adult_date_of_birth", "adult_gender", "adult_ethnicity"),
    ),
    "agencies": (
        "The referring and employing agencies",
        AgenciesForm,
        ("referring_agency", "employer_name", "sector", "school_phase", "adult_role"),
    ),
    "allegation": (
        "The allegation",
        AllegationForm,
        ("came_to_light", "abuse_categories", "incident_date", "injury", "summary"),
    ),
}


class ChildForm(VersionedForm):
    """A child (victim): name, address, date of birth, gender and ethnicity."""

    DATES = {"date_of_birth": ("The child's date of birth", None)}
    full_name = _text("Full name", "Enter the child's name", 200)
    address = _text("Address")
    gender = _choice("Gender", Gender.choices)
    ethnicity = _choice("Ethnicity", Ethnicity.choices)


class RiskMeasureForm(VersionedForm):
    """'How the risk was managed – ie suspended /restricted duties', with dates."""

    DATES = {
        "started_on": ("The date the measure started", None),
        "ended_on": ("The date the measure ended", None),
    }
    kind = _choice("How is the risk managed?", RiskMeasureKind.choices, "Choose how the risk was managed")
    notes = _text("Notes")

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """A measure's start, and its end on or after it, with the form's other errors."""
        return risk_measure_errors(
            kind=data.get("kind") or "", started_on=data.get("started_on"), ended_on=data.get("ended_on")
        )


class InvestigationForm(VersionedForm):
    """One line of investigation and its outcome; the outcomes are those of the line chosen."""

    DATES = {
        "referred_on": ("The date it was referred or started", "Enter the date it was referred or started"),
        "outcome_on": ("The date of the outcome", None),
    }
    reference = _text("Reference", None, 100)
    lead = _text("Investigating officer or lead", None, 200)
    outcome = forms.ChoiceField(
        label="Outcome so far", choices=(), error_messages={"required": "Choose the outcome so far (or ongoing)"}
    )
    outcome_detail = _text("About the outcome")
    notes = _text("Notes")
    dbs_information = _text("Information the police hold that may inform future DBS disclosures")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = list(INVESTIGATION_OUTCOMES[kind])
        outcome.error_messages["invalid_choice"] = "Choose the outcome so far (or ongoing)"

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The outcome's date and description, the dates' order, the police's DBS information, with the rest."""
        return investigation_errors(
            kind=self.kind,
            outcome=data.get("outcome") or "",
            outcome_detail=data.get("outcome_detail") or "",
            referred_on=data.get("referred_on"),
            outcome_on=data.get("outcome_on"),
            dbs_information=data.get("dbs_information") or "",
        )


class BodyReferralForm(VersionedForm):
    """'Referral to and date of DBS referral – and details of referral to any other body', or why not."""

    DATES = {"referred_on": ("The date of the referral", None)}
    body = _choice("Which body?", Body.choices, "Choose the body")
    body_name = _text("Name of the body (for a regulator or other body)", None, 200)
    referred = forms.TypedChoiceField(
        choices=(("yes", "Referred"), ("no", "Not referred")),
        coerce=lambda value: value == "yes",
        error_messages={
            "required": "Say whether a referral was made",
            "invalid_choice": "Say whether a referral was made",
        },
    )
    reference = _text("Reference", None, 100)
    explanation = _text("Why was no referral made?")

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The body's name, the referral's date or why none was made, with the form's other errors."""
        return body_referral_errors(
            body=data.get("body") or "",
            body_name=data.get("body_name") or "",
            referred=data.get("referred"),
            referred_on=data.get("referred_on"),
            explanation=data.get("explanation") or "",
        )


class TierForm(VersionedForm):
    """Move the case between Tier 1 and Tier 2, with the reason (for example, a pattern emerges)."""

    tier = _choice("Move the case to", CASE_TIERS.items(), "Choose Tier 1 or Tier 2")
    reason = _text("Why does the case move tier?", "Enter why the case moves tier")


class ManagementForm(VersionedForm):
    """Transfer the management of the case (children's social care to the LADO, or back), with date and reason."""

    DATES = {
        "transferred_on": ("The date of the transfer", "Enter the date the management of the case was transferred")
    }
    managed_by = _choice("Who manages the case from now on?", CaseManager.choices, "Choose who manages the case")
    reason = _text(
        "Why is the management of the case transferred?", "Enter why the management of the case is transferred"
    )


class LadoChoiceField(forms.ModelChoiceField):
    """A LADO shown by their name."""

    def label_from_instance(self, obj: User) -> str:
        """The LADO's full name."""
        return obj.full_name


class ReassignForm(VersionedForm):
    """The LADO manager allocates the case to another LADO of the local authority."""

    lado = LadoChoiceField(
        queryset=User.objects.none(),
        error_messages={"required": "Choose the LADO", "invalid_choice": "Choose a LADO from the list"},
    )
    reason = _text("Reason (optional)")

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lado"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).order_by("full_name")


class CaseFilterForm(WrittenForm):
    """The manager's filters on all cases: GET parameters holding no personal data.

    ``employers`` are the employer filter's choices, or None when the authority names more than a list can
    offer (``lado.list_selectors.case_employers``): the manager then types all or part of the name, and the
    filter is ``employer_contains``.
    """

    tier = forms.ChoiceField(label="Tier", required=False, choices=[("", "Any tier"), *CASE_TIERS.items()])
    status = forms.ChoiceField(label="Status", required=False)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *AbuseCategory.choices]
    )
    employer = forms.ChoiceField(label="Employer", required=False)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    overdue = forms.BooleanField(required=False)

    def __init__(self, *args: Any, statuses: Any, employers: list[str] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", "Any status"), *statuses]
        self.employer_typed = employers is None
        if employers is None:
            self.fields["employer"] = CleanCharField(label="Employer", required=False, max_length=200)
        else:
            employer = self.fields["employer"]
            assert isinstance(employer, forms.ChoiceField)
            employer.choices = [("", "Any employer"), *[(name, name) for name in employers]]

    def chosen(self) -> dict[str, Any]:
        """The filters chosen, without the empty ones; none when the form is not valid (the whole list shows)."""
        if not self.is_valid():
            return {}
        chosen = {name: value for name, value in self.cleaned_data.items() if value}
        if self.employer_typed and "employer" in chosen:
            chosen["employer_contains"] = chosen.pop("employer")
        return chosen

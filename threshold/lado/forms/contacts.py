"""Forms for contacts into the LADO service: recording one, the advice given, the decision, reopening, search.

Dates are GOV.UK date inputs (three boxes) as on the employer side
(``threshold.core.forms.CaseForm``); a time is typed as people say
it ("2:30pm", "14:30"). The decision form asks the facts the local
authority's policy pack reasons about, in the protocol's words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from threshold.chronology.forms import parse_time
from threshold.core.forms import CaseForm, CleanCharField, VersionedForm, WrittenForm
from threshold.core.vocabularies import AbuseCategory
from threshold.lado.forms.decision_questions import ANSWERED_QUESTIONS, QUESTION_ERROR_FIELDS, question_field
from threshold.lado.models import ConsultationReason, ContactMethod, ContactSource, Level
from threshold.lado.services.contacts import ContactDetails, contact_errors
from threshold.people.forms import ConfirmsSubject

LONDON = ZoneInfo("Europe/London")


def _text(label: str, required: str | None = None, max_length: int = 5000) -> forms.CharField:
    return CleanCharField(
        label=label,
        required=required is not None,
        max_length=max_length,
        error_messages={
            "required": required or "",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def _choice(label: str, choices: Any, required: str | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", ""), *list(choices)],
        required=required is not None,
        error_messages={"required": required or "", "invalid_choice": required or "Choose an option"},
    )


def _many(choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, error_messages={"invalid_choice": "Choose from the list"}
    )


# "Is the adult a teacher?" is answered, never read from the role ("Head of Maths" is a teacher).
TEACHER = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]


class MomentForm(CaseForm):
    """A GOV.UK date input plus a time box, combined into one moment in Europe/London, never in the future.

    ``MOMENT`` is the date's name (its time box is ``<name>_time``); the
    combined, aware datetime is ``cleaned_data[<name>_at]``.
    """

    MOMENT = ""
    MOMENT_LABEL = ""

    def clean(self) -> dict[str, Any]:
        """Add the time to the date; errors go beside the date or the time."""
        data = super().clean()
        name = self.MOMENT
        time_text = str(data.get(f"{name}_time") or "").strip()
        day = data.get(name)
        if not time_text:
            if day is not None or self.DATES[name][1]:
                self.add_error(f"{name}_time", f"Enter the time {self.MOMENT_LABEL}")
            return data
        time = parse_time(time_text) if len(time_text) <= 20 else None
        if time is None:
            self.add_error(f"{name}_time", f"Enter the time {self.MOMENT_LABEL} in the format 2:30pm or 14:30")
        elif day is not None:
            moment = dt.datetime.combine(day, time, tzinfo=LONDON)
            if moment > timezone.now():
                field = f"{name}_day" if day > timezone.localdate() else f"{name}_time"
                self.add_error(field, f"The date and time {self.MOMENT_LABEL} must be in the past")
            else:
                data[f"{name}_at"] = moment.astimezone(dt.UTC)
        return data


class ContactForm(ConfirmsSubject, MomentForm):
    """A contact from anyone other than an employer in Threshold: when, how, who, what, and about whom."""

    NAME_FIELDS = ("adult_name", "adult_role", "referrer_name")

    MOMENT = "received"
    MOMENT_LABEL = "the contact was received"
    DATES = {
        "received": ("The date received", "Enter the date the contact was received"),
        "adult_date_of_birth": ("The adult's date of birth", None),
        # The employer's one-working-day duty (KCSIE Part 4): optional, "not known" is an answer.
        "employer_knew_on": ("The date the employer first knew", None),
    }
    ERROR_FIELDS = {"received_at": "received_day"}
    employer_knew_not_known = forms.BooleanField(required=False)
    subject_is_teacher = _choice("Is the adult a teacher?", TEACHER)
    received_time = _text("Time received", None, 20)
    method = _choice(
        "How was the contact made?",
        [c for c in ContactMethod.choices if c[0] not in (ContactMethod.THRESHOLD, ContactMethod.IMPORTED)],
        "Choose how the contact was made",
    )
    source = _choice(
        "Who made the contact?",
        [c for c in ContactSource.choices if c[0] not in (ContactSource.THRESHOLD, ContactSource.NOT_RECORDED)],
        "Choose who made the contact",
    )
    referrer_name = _text("Name of the person making the contact", None, 200)
    referrer_agency = _text("Agency", None, 200)
    referrer_contact = _text("Their phone number or email", None, 200)
    adult_name = _text("The adult's full name", None, 200)
    adult_role = _text("Role or occupation", None, 200)
    adult_email = forms.EmailField(
        label="The adult's work email", required=False, error_messages={"invalid": "Enter a real email address"}
    )
    employer_name = _text("Employer", None, 200)
    summary = _text("Brief details of the circumstances", "Enter brief details of the circumstances")

    def rule_errors(self, data: dict[str, Any]) -> dict[str, str]:
        """The contact service's rules (a professional named, with their agency; the dates' order) with the rest.

        When it was received is the form's own question (``MomentForm``), said beside its boxes already.
        """
        details = self.service_data()
        errors = contact_errors(
            received_at=details["received_at"],
            method=details["method"],
            source=details["source"],
            summary=details["summary"],
            referrer_name=details["referrer_name"],
            referrer_agency=details["referrer_agency"],
            adult_date_of_birth=details["adult_date_of_birth"],
            employer_knew_on=details["employer_knew_on"],
            employer_knew_not_known=details["employer_knew_not_known"],
        )
        errors.pop("received_at", None)
        return errors

    def service_data(self) -> ContactDetails:
        """What ``contact_record`` takes, by name."""
        data = self.cleaned_data
        return ContactDetails(
            received_at=data.get("received_at"),
            method=data.get("method") or "",
            source=data.get("source") or "",
            summary=data.get("summary") or "",
            referrer_name=data.get("referrer_name") or "",
            referrer_agency=data.get("referrer_agency") or "",
            referrer_contact=data.get("referrer_contact") or "",
            adult_name=data.get("adult_name") or "",
            adult_date_of_birth=data.get("adult_date_of_birth"),
            adult_role=data.get("adult_role") or "",
            adult_email=data.get("adult_email") or "",
            employer_name=data.get("employer_name") or "",
            subject_confirmation=data.get("subject_confirmation") or "",
            employer_knew_on=data.get("employer_knew_on"),
            employer_knew_not_known=bool(data.get("employer_knew_not_known")),
            subject_is_teacher={"yes": True, "no": False}.get(data.get("subject_is_teacher") or ""),
        )


class AdviceForm(MomentForm, VersionedForm):
    """The advice given on a contact, and when (blank: now)."""

    MOMENT = "given"
    MOMENT_LABEL = "advice was given"
    DATES = {"given": ("The date advice was given", None)}
    ERROR_FIELDS = {"given_at": "given_day"}
    given_time = _text("Time advice was given", None, 20)
    advice = _text("What advice was given", "Enter the advice given")


class EmployerFactsForm(VersionedForm):
    """When the employer first knew of the allegation (or not known), and "Is the adult a teacher?", on a contact."""

    DATES = {"employer_knew_on": ("The date the employer first knew", None)}
    employer_knew_not_known = forms.BooleanField(required=False)
    subject_is_teacher = _choice("Is the adult a teacher?", TEACHER)

    def teacher(self) -> bool | None:
        """The teacher answer as the contact stores it (None: not known)."""
        return {"yes": True, "no": False}.get(self.cleaned_data.get("subject_is_teacher") or "")


def employer_facts_initial(knew_on: dt.date | None, not_known: bool, teacher: bool | None) -> dict[str, Any]:
    """``EmployerFactsForm``'s answers as a contact holds them."""
    return {
        "employer_knew_on": knew_on,
        "employer_knew_not_known": not_known,
        "subject_is_teacher": {True: "yes", False: "no", None: "not_known"}[teacher],
    }


YES_NO = [("yes", "Yes"), ("no", "No")]

# The facts the protocol's criteria turn on, asked in its words. Each group is
# a set of checkboxes: a ticked box is a fact the LADO confirms.
DEFINITION = [
    ("harmed_or_may_have_harmed_child", "Behaved in a way that has harmed a child, or may have harmed a child"),
    ("possible_criminal_offence", "Possibly committed a criminal offence against or related to a child"),
    (
        "behaviour_indicates_risk_of_harm",
        "Behaved towards a child or children in a way that indicates they may pose a risk of harm to children",
    ),
    (
        "may_be_unsuitable_to_work_with_children",
        "Behaviour, in the workplace or the adult's personal life, gives rise to concerns about their "
        "suitability to work with children",
    ),
]
POLICE = [
    (
        "sexual_interest_in_children_concern",
        "Concerns about the adult's behaviour which may indicate a sexual interest in children",
    ),
    ("battery_without_injury", "An allegation of battery where there is no injury"),
    ("aggravating_previous_pattern", "A previous pattern of this behaviour"),
    (
        "aggravating_violence_threat_or_premeditation",
        "The level of violence, threat of violence, or premeditation escalates the level of concern",
    ),
    ("aggravating_intent_to_harm", "The underlying intent is believed to be to cause harm to the child"),
    (
        "child_or_parent_wishes_police_involvement",
        "The wishes of the child or the parent mean that police consultation is required",
    ),
    ("child_additional_vulnerability", "There is an additional vulnerability of the child"),
]
SOCIAL_CARE = [
    ("potential_significant_harm", "At the point of referral, the concern shows the potential for significant harm"),
]
COMPLEXITY = [
    ("needs_other_agencies", "Requires the involvement of other agencies such as the police or children's social care"),
    (
        "complicated_by_numbers_or_roles",
        "Complicated by the number of victims or perpetrators, roles held, or a possible breach of a position of trust",
    ),
    ("pattern_emerging", "A pattern of allegations or concerns is emerging"),
    ("third_party_interest", "Interest by a third party, such as the media"),
]
INJURY = [("none", "No injury"), ("reported", "Injury reported"), ("visible", "Visible injury, including a red mark")]
SETTING = [
    ("school", "School"),
    ("early_years", "Early years"),
    ("further_education", "Further education"),
    ("other", "Other"),
]
TICKED_GROUPS = ("definition", "police", "social_care", "complexity")
ANSWERED = {
    "works_with_children": "works_with_children",
    "adult_identified": "adult_identified",
    "safeguarding_concern": "safeguarding_concern",
    **ANSWERED_QUESTIONS,
}


class DecisionForm(VersionedForm):
    """The facts the pack needs, then the LADO's decision ("Assess" shows the advice; "Record" saves)."""

    DATES = {"incident_date": ("The date of the incident", None)}
    # The pack's "answer this" messages name a fact; each goes beside its question.
    ERROR_FIELDS = dict(QUESTION_ERROR_FIELDS)
    assessed = forms.CharField(required=False, widget=forms.HiddenInput)
    works_with_children = _choice("Is the adult someone who works with children?", YES_NO)
    adult_identified = _choice("Can the adult be identified?", YES_NO)
    safeguarding_concern = _choice("Is there an identifiable safeguarding children concern?", YES_NO)
    practice_issue_only = forms.BooleanField(required=False)
    definition = _many(DEFINITION)
    abuse_categories = _many(list(AbuseCategory.choices))
    injury = _choice("Injury to the child", INJURY)
    working_together = question_field("working_together")
    physical_intervention = question_field("physical_intervention")
    adult_vulnerable = question_field("adult_vulnerable")
    direct_impact = question_field("direct_impact")
    police = _many(POLICE)
    social_care = _many(SOCIAL_CARE)
    complexity = _many(COMPLEXITY)
    subject_is_teacher = forms.BooleanField(required=False)
    setting_type = _choice("The kind of setting", SETTING)
    level = _choice("Your decision", Level.choices)
    override_reason = _text("Why you decided differently from the advice")
    consultation_reason = _choice("Why the definition was not met", ConsultationReason.choices)
    rationale = _text("Rationale")

    def facts(self) -> dict[str, Any]:
        """The answers as policy facts: ticked boxes true, yes or no answered, the rest not known."""
        data = self.cleaned_data
        facts: dict[str, Any] = {}
        for field, fact in ANSWERED.items():
            if data.get(field) in ("yes", "no"):
                facts[fact] = data[field] == "yes"
        for group in TICKED_GROUPS:
            for fact in data.get(group) or []:
                facts[fact] = True
        for flag in ("practice_issue_only", "subject_is_teacher"):
            if data.get(flag):
                facts[flag] = True
        if data.get("abuse_categories"):
            facts["abuse_categories"] = list(data["abuse_categories"])
        for choice in ("injury", "setting_type"):
            if data.get(choice):
                facts[choice] = data[choice]
        if data.get("incident_date"):
            facts["incident_date"] = data["incident_date"].isoformat()
        return facts


def facts_digest(facts: dict[str, Any]) -> str:
    """A fingerprint of the facts the advice was shown for, so a decision is never recorded on unseen advice."""
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def initial_from_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The decision form's answers from stored facts (to show a decision's facts again)."""
    initial: dict[str, Any] = {}
    for field, fact in ANSWERED.items():
        if fact in facts:
            initial[field] = "yes" if facts[fact] else "no"
    groups = {"definition": DEFINITION, "police": POLICE, "social_care": SOCIAL_CARE, "complexity": COMPLEXITY}
    for group, choices in groups.items():
        initial[group] = [fact for fact, _ in choices if facts.get(fact) is True]
    for name in ("practice_issue_only", "subject_is_teacher", "abuse_categories", "injury", "setting_type"):
        if name in facts:
            initial[name] = facts[name]
    return initial


class ReopenForm(VersionedForm):
    """Reopen a consultation as a referral: the tier and why (``version``: the consultation as the form showed it)."""

    prompted_by = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    level = _choice(
        "Reopen as", [(Level.TIER_2, Level.TIER_2.label), (Level.TIER_1, Level.TIER_1.label)], "Choose Tier 2 or Tier 1"
    )
    reason = _text(
        "Why the consultation is reopened as a referral", "Enter why the consultation is reopened as a referral"
    )


class SearchForm(WrittenForm):
    """Search the LADO service's records. Sent by POST: a name must never sit in a URL."""

    name = _text("Adult's name", None, 200)
    reference = _text("Reference", None, 40)
    employer = _text("Employer", None, 200)

    def clean(self) -> dict[str, Any]:
        """At least one thing to search by."""
        data = super().clean() or {}
        if not any(str(data.get(name) or "").strip() for name in ("name", "reference", "employer")):
            self.add_error("name", "Enter a name, a reference or an employer to search for")
        return data

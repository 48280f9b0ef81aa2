"""The canonical columns of a setting's import: its low-level concern log, and the allegations it managed.

They follow the trust policy's low-level concern form (appendix 2), question by question: "1. Name of
individual raising the concern" ("Leave blank if concern was raised anonymously"), "2. Date the concern was
raised", "3. Name and role of individual about whom concern has been raised", "4. Details of the concern(s)
reported", "5. Details of steps have been taken to investigate this concern", "6. Set out the Individual's
response to the concern", "7. Is this concern 'low level' or should it be treated as an allegation…? … Set
out your reasons", "8. Have 'low level' or other concerns been raised about this individual previously?",
and "Details of further action required"; then how an allegation concluded. ``docs/import.md`` lists them.
"""

from __future__ import annotations

from threshold.concerns.models import BreachCategory, Decision, FurtherAction, HowArose
from threshold.imports.columns import BY_NAME, Column, ColumnSet, Kind, choices_of

DECISION_ALIASES = {
    "llc": Decision.LOW_LEVEL,
    "ll": Decision.LOW_LEVEL,
    "low": Decision.LOW_LEVEL,
    "lowlevel": Decision.LOW_LEVEL,
    "lowlevelconcern": Decision.LOW_LEVEL,
    "alleg": Decision.ALLEGATION,
    "allegation": Decision.ALLEGATION,
    "meetsthreshold": Decision.ALLEGATION,
    "harmthreshold": Decision.ALLEGATION,
    "referredtolado": Decision.ALLEGATION,
    "appropriate": Decision.APPROPRIATE,
    "noconcern": Decision.APPROPRIATE,
    "appropriateconduct": Decision.APPROPRIATE,
}
FURTHER_ACTION_ALIASES = {
    "nfa": FurtherAction.NONE,
    "noaction": FurtherAction.NONE,
    "nofurtheraction": FurtherAction.NONE,
    "none": FurtherAction.NONE,
    "chat": FurtherAction.CONVERSATION,
    "discussion": FurtherAction.CONVERSATION,
    "conversation": FurtherAction.CONVERSATION,
    "plan": FurtherAction.FORMAL_PLAN,
    "formalplan": FurtherAction.FORMAL_PLAN,
    "disciplinary": FurtherAction.DISCIPLINARY,
    "hr": FurtherAction.DISCIPLINARY,
}
HOW_AROSE_ALIASES = {
    "childdisclosure": HowArose.DISCLOSURE_CHILD,
    "pupil": HowArose.DISCLOSURE_CHILD,
    "parent": HowArose.DISCLOSURE_PARENT,
    "parentcomplaint": HowArose.COMPLAINT,
    "colleague": HowArose.DISCLOSURE_ADULT,
    "staff": HowArose.DISCLOSURE_ADULT,
    "observed": HowArose.SUSPICION,
    "dbs": HowArose.VETTING,
}

SETTING_COLUMNS = ColumnSet(
    (
        BY_NAME["reference"],
        Column(
            "raised_on",
            "Date the concern was raised",
            Kind.DATE,
            variants=("date", "dateraised", "dateofconcern", "datereported", "datereceived", "received", "raised"),
        ),
        Column(
            "raiser_name",
            "Name of the person raising the concern",
            variants=("raisedby", "reportedby", "nameofindividualraisingtheconcern", "reporter", "raisedbyname"),
            max_length=300,
        ),
        BY_NAME["adult_first_name"],
        BY_NAME["adult_last_name"],
        BY_NAME["adult_name"],
        BY_NAME["adult_role"],
        Column(
            "how_arose",
            "How the concern arose",
            Kind.CODED,
            variants=("howarose", "howitarose", "howitcametolight", "cametolight", "howraised"),
            choices=choices_of(HowArose.choices, without=(HowArose.NOT_RECORDED,)),
            aliases=HOW_AROSE_ALIASES,
        ),
        Column(
            "summary",
            "Details of the concern",
            variants=(
                "details",
                "detailsoftheconcern",
                "detailsoftheconcerns",
                "detailsoftheconcernsreported",
                "concern",
                "description",
                "summary",
                "summaryofconcern",
            ),
            max_length=20000,
        ),
        Column(
            "investigation_steps",
            "Steps taken to investigate",
            variants=("stepstaken", "investigation", "stepstakentoinvestigate", "stepstakentoinvestigatethisconcern"),
            max_length=20000,
        ),
        Column(
            "individual_response",
            "The individual's response",
            variants=("response", "individualsresponse", "responseoftheindividual", "theirresponse"),
            max_length=20000,
        ),
        Column(
            "decision",
            "Low level or allegation",
            Kind.CODED,
            variants=("decision", "lowlevelorallegation", "llcorallegation", "triage", "triagedecision", "outcome"),
            choices=choices_of(Decision.choices),
            aliases=DECISION_ALIASES,
        ),
        Column(
            "rationale",
            "Reasons for the decision",
            variants=("reasons", "reason", "rationale", "reasonsforthedecision", "reasonfordecision"),
            max_length=20000,
        ),
        Column(
            "previous_concerns",
            "Concerns raised before about this individual",
            Kind.YES_NO,
            variants=("previousconcerns", "raisedpreviously", "previousconcernsraised", "concernsraisedbefore"),
        ),
        Column(
            "breach_category",
            "Breach of the code of conduct",
            Kind.CODED,
            variants=("breach", "codeofconductbreach", "breachofcodeofconduct", "breachcategory"),
            choices=choices_of(BreachCategory.choices),
        ),
        Column(
            "further_action",
            "Further action",
            Kind.CODED,
            variants=("furtheraction", "action", "actionrequired", "furtheractionrequired"),
            choices=choices_of(FurtherAction.choices),
            aliases=FURTHER_ACTION_ALIASES,
        ),
        Column("action_owner", "Who owns the further action", variants=("actionowner", "owner", "actionby")),
        Column(
            "action_due_on", "Date the action is due", Kind.DATE, variants=("actiondue", "duedate", "dateactiondue")
        ),
        Column(
            "action_done_on",
            "Date the action was completed",
            Kind.DATE,
            variants=("actioncompleted", "datecompleted", "actiondone", "completedon", "datedone"),
        ),
        Column("substantiated", "Substantiated", Kind.YES_NO, variants=("wassubstantiated", "concernsubstantiated")),
        # Section 13.5: also mentioned in references when it is misconduct or poor performance.
        Column(
            "ordinarily_in_reference",
            "Misconduct or poor performance a reference would include",
            Kind.YES_NO,
            variants=("misconductorpoorperformance", "inreferences", "includeinreferences", "mentioninreferences"),
        ),
        Column("closed_on", "Date closed", Kind.DATE, variants=("dateclosed", "closed", "closedon", "closuredate")),
        Column(
            "outcome",
            "Outcome of the allegation",
            Kind.CODED,
            variants=("outcomeofallegation", "allegationoutcome", "finaloutcome"),
            choices=BY_NAME["outcome"].choices,
            aliases=BY_NAME["outcome"].aliases,
        ),
        Column(
            "concluded_on",
            "Date the allegation concluded",
            Kind.DATE,
            variants=("dateconcluded", "conclusiondate", "concluded", "dateofoutcome", "outcomedate"),
        ),
        BY_NAME["dbs_referred_on"],
        BY_NAME["tra_referred_on"],
    )
)

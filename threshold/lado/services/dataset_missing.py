"""What of the protocol's recording data set a case still lacks, and the reasons given for it at conclusion.

The protocol: "Where an allegation is made and meets the criteria for either
Tier 1 or Tier 2 the following data should be captured: Name, Address, Date of
Birth, gender and ethnicity of the adult and the victim; Details of the
referring agency; Details of the employing agency; role/occupation; How did
allegation come to light; Category of abuse …; date of incident …; Case
management Tier; How the risk was managed …; How allegation was investigated …
and outcome of investigations; Referral to and date of DBS referral …;
Conclusion category and date of conclusion …; Summary of the allegation."

The case page lists what is still to record, each with a link to where it is
recorded. Conclusion asks, for each item still missing, that it is recorded or
that the LADO gives a reason ("Not known", "The child's family declined to give
it"); the reasons are kept on the conclusion. The DBS referral and the
conclusion itself are asked on the conclusion form, so they are not asked twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from threshold.lado.models import Case
from threshold.lado.models.cases import Body, Investigation, InvestigationKind
from threshold.lado.selectors import (
    children_in_order,
    current_investigations,
    latest_body_referrals,
    police_required,
    standing_decision,
)
from threshold.lado.services.case_agencies import ONGOING
from threshold.lado.services.common import text

REASON_LIMIT = 1000
# Asked by the conclusion form itself: not asked again as a missing item there.
ANSWERED_AT_CONCLUSION = frozenset({"dbs_referral", "conclusion"})
_LINES = {
    InvestigationKind.CRIMINAL.value: "criminal investigation",
    InvestigationKind.SECTION_47.value: "section 47 enquiry",
    InvestigationKind.STRATEGY_DISCUSSION.value: "strategy discussion",
    InvestigationKind.DISCIPLINARY.value: "disciplinary investigation",
    InvestigationKind.OTHER.value: "other investigation",
}


@dataclass(frozen=True)
class MissingItem:
    """One item of the data set not yet recorded: a stable key, its name, and the page where it is recorded."""

    key: str
    label: str
    page: str  # URL name; its arguments are the case's id, then ``page_args``
    page_args: tuple[object, ...] = ()
    anchor: str = ""


def _blank(value: object) -> bool:
    return value in (None, "", [])


def _adult_items(case: Case) -> list[MissingItem]:
    fields = (
        ("adult_name", "The adult's name"),
        ("adult_address", "The adult's address"),
        ("adult_date_of_birth", "The adult's date of birth"),
        ("adult_gender", "The adult's gender"),
        ("adult_ethnicity", "The adult's ethnicity"),
    )
    return [
        MissingItem(name, label, "case_change_dataset", ("adult",))
        for name, label in fields
        if _blank(getattr(case, name))
    ]


def _child_items(case: Case) -> list[MissingItem]:
    children = children_in_order(case)
    if not children:
        return [MissingItem("children", "The child (victim)", "case_add_child")]
    items = []
    parts = (
        ("address", "address"),
        ("date_of_birth", "date of birth"),
        ("gender", "gender"),
        ("ethnicity", "ethnicity"),
    )
    for number, child in enumerate(children, start=1):
        missing = [label for name, label in parts if _blank(getattr(child, name))]
        if missing:
            items.append(
                MissingItem(
                    f"child_{child.pk}",
                    f"Child (victim) {number}'s " + ", ".join(missing),
                    "case_change_child",
                    (child.pk,),
                )
            )
    return items


def _allegation_items(case: Case) -> list[MissingItem]:
    fields = (
        ("referring_agency", "The referring agency", "agencies"),
        ("employer_name", "The employing agency", "agencies"),
        ("adult_role", "The adult's role or occupation", "agencies"),
        ("came_to_light", "How the allegation came to light", "allegation"),
        ("abuse_categories", "The category of abuse", "allegation"),
        ("incident_date", "The date of the incident", "allegation"),
        ("summary", "The summary of the allegation", "allegation"),
    )
    return [
        MissingItem(name, label, "case_change_dataset", (group,))
        for name, label, group in fields
        if _blank(getattr(case, name))
    ]


def _police_item(case: Case, investigations: list[Investigation]) -> list[MissingItem]:
    """The referral to the police, where the decision that stands says the protocol always makes one.

    The protocol: "We would always refer to the police in cases where" (an injury, sexual abuse, battery with
    aggravating factors, the child's or parent's wishes, the child's additional vulnerability). The decision
    records that the pack required it (``police_advised``); the referral is the criminal line of investigation,
    with the date it was referred and, later, what the police decided ("No further action" included).
    """
    decision = standing_decision(case)
    if decision is None or not police_required(decision):
        return []
    if any(row.kind == InvestigationKind.CRIMINAL for row in investigations):
        return []
    conclusion = case.conclusions.first()
    if conclusion is not None and "police_referral" not in conclusion.missing_reasons:
        # Concluded before the question was asked (a conclusion asks it, or keeps the reason for its absence):
        # the case keeps the answers it concluded with, "How the allegation was investigated" among them.
        return []
    return [
        MissingItem(
            "police_referral",
            "The referral to the police (the protocol always refers an allegation like this)",
            "case_record_investigation",
            (InvestigationKind.CRIMINAL.value,),
        )
    ]


def _agency_items(case: Case) -> list[MissingItem]:
    items = []
    if not case.risk_measures.exists():
        items.append(MissingItem("risk", "How the risk was managed", "case_add_risk_measure"))
    investigations = current_investigations(case)
    police = _police_item(case, investigations)
    items.extend(police)
    if not investigations and not police:  # recording the police referral records how it was investigated
        items.append(
            MissingItem(
                "investigation", "How the allegation was investigated", "case_detail", anchor="dataset-investigations"
            )
        )
    for row in investigations:
        if row.outcome in ("", ONGOING):
            line = _LINES.get(row.kind, "investigation")
            items.append(
                MissingItem(
                    f"outcome_{row.kind}", f"The outcome of the {line}", "case_record_investigation", (row.kind,)
                )
            )
    if Body.DBS not in latest_body_referrals(case):
        items.append(
            MissingItem("dbs_referral", "The referral to the DBS (or why none was made)", "case_record_body_referral")
        )
    if not case.outcome or case.concluded_on is None:
        items.append(MissingItem("conclusion", "The conclusion category and date", "case_conclusion"))
    return items


def missing_items(case: Case) -> list[MissingItem]:
    """The data set items the case has not recorded yet, in the protocol's order."""
    return [*_adult_items(case), *_child_items(case), *_allegation_items(case), *_agency_items(case)]


def missing_at_conclusion(case: Case) -> list[MissingItem]:
    """The missing items the conclusion asks a reason for (the DBS and the conclusion are its own questions)."""
    return [item for item in missing_items(case) if item.key not in ANSWERED_AT_CONCLUSION]


def missing_errors(items: list[MissingItem], reasons: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The errors for missing items without a reason (keyed ``missing_<key>``), and the reasons to keep."""
    errors: dict[str, str] = {}
    kept: dict[str, str] = {}
    for item in items:
        reason = text(reasons.get(item.key))
        if not reason:
            errors[f"missing_{item.key}"] = (
                f"{item.label} is not recorded: record it on the case, or enter why (for example, not known)"
            )
        elif len(reason) > REASON_LIMIT:
            errors[f"missing_{item.key}"] = f"The reason must be {REASON_LIMIT:,} characters or fewer"
        else:
            kept[item.key] = reason
    return errors, kept

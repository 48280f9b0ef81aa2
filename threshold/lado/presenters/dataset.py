"""The case page's data set: the protocol's "Suggested Recording Data Set" as GOV.UK summary cards.

The groups and their titles are the seed's own headings, so a LADO sees the
data set they are asked to capture, in the order the protocol lists it. The
template only loops over what this module shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from markupsafe import Markup

from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender, Outcome, SchoolPhase
from threshold.jinja2 import govuk_date
from threshold.lado.models import Case
from threshold.lado.models.cases import Body, CaseManager, Injury, InvestigationKind, RiskMeasureKind, Sector
from threshold.lado.selectors import children_in_order, current_investigations, lado_pack
from threshold.lado.services.cases import CASE_TIERS, INVESTIGATION_OUTCOMES

NOT_RECORDED = "Not recorded"

# Each line of investigation as the link to record it reads.
INVESTIGATION_NAMES = {
    InvestigationKind.CRIMINAL.value: "criminal investigation",
    InvestigationKind.SECTION_47.value: "section 47 enquiry",
    InvestigationKind.STRATEGY_DISCUSSION.value: "strategy discussion",
    InvestigationKind.DISCIPLINARY.value: "disciplinary investigation",
    InvestigationKind.OTHER.value: "other investigation",
}


@dataclass
class Card:
    """One summary card: a heading of the data set, its rows and the links to change it."""

    title: str
    rows: list[dict[str, Any]]
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # (href, text, visually hidden text)
    anchor: str = ""

    def params(self) -> dict[str, Any]:
        """The parameters of ``govukSummaryList`` for this card."""
        items = [{"href": href, "text": text, "visuallyHiddenText": hidden} for href, text, hidden in self.actions]
        card: dict[str, Any] = {"title": {"text": self.title, "headingLevel": 3}}
        if items:
            card["actions"] = {"items": items}
        return {"card": card, "rows": self.rows or [_row("Nothing recorded", "None yet")]}


def _row(key: str, value: object) -> dict[str, Any]:
    if isinstance(value, Markup):
        return {"key": {"text": key}, "value": {"html": value}}
    if isinstance(value, dt.date):
        value = govuk_date(value)
    return {"key": {"text": key}, "value": {"text": str(value) if value not in (None, "") else NOT_RECORDED}}


def _choice(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value)) if value else NOT_RECORDED


def _school_phase(case: Case) -> str:
    """The phase the report counts: the case's own, else the one on the employer's record in Threshold (said so)."""
    employer = case.employer
    if not case.school_phase and employer is not None and employer.phase:
        return f"{employer.get_phase_display()} (from {employer.name}'s record in Threshold)"
    return _choice(SchoolPhase.choices, case.school_phase)


def _lines(*parts: str) -> Markup:
    return Markup("<br>").join(part for part in parts if part)


def tier_label(tier: str) -> str:
    """A tier in words: 'Tier 1'."""
    return CASE_TIERS.get(tier, tier or "No tier")


def _incident(case: Case) -> str:
    if case.incident_date is None:
        return NOT_RECORDED
    when = govuk_date(case.incident_date)
    if case.non_recent is True:
        months = lado_pack(case.local_authority).non_recent_after_months
        return f"{when} (non-recent: over {months} months before the referral)"
    if case.non_recent is False:
        return f"{when} (recent)"
    return when


def dataset_cards(case: Case, *, may_change: bool) -> list[Card]:
    """The data set of a case, heading by heading, with "Change" links for people who may change it."""
    change = may_change and case.status != "closed"

    def link(name: str, *args: object) -> str:
        return reverse(name, args=[case.pk, *args])

    adult = Card(
        "Name, Address, Date of Birth, gender and ethnicity of the adult",
        [
            _row("Name", case.adult_name),
            _row("Address", case.adult_address),
            _row("Date of birth", case.adult_date_of_birth),
            _row("Gender", _choice(Gender.choices, case.adult_gender)),
            _row("Ethnicity", _choice(Ethnicity.choices, case.adult_ethnicity)),
        ],
        [(link("case_change_dataset", "adult"), "Change", "the adult's details")] if change else [],
        "dataset-adult",
    )
    children = [
        Card(
            f"Child (victim) {number}",
            [
                _row("Name", child.full_name),
                _row("Address", child.address),
                _row("Date of birth", child.date_of_birth),
                _row("Gender", _choice(Gender.choices, child.gender)),
                _row("Ethnicity", _choice(Ethnicity.choices, child.ethnicity)),
            ],
            [
                (link("case_change_child", child.pk), "Change", f"child (victim) {number}'s details"),
                (link("case_remove_child", child.pk), "Remove", f"child (victim) {number}"),
            ]
            if change
            else [],
            f"dataset-child-{child.pk}",
        )
        for number, child in enumerate(children_in_order(case), start=1)
    ]
    victims = Card(
        "Name, Address, Date of Birth, gender and ethnicity of the victim",
        [] if children else [_row("Children (victims)", "None recorded yet")],
        [(link("case_add_child"), "Add a child", "(victim)")] if change else [],
        "dataset-children",
    )
    agencies = [(link("case_change_dataset", "agencies"), "Change", "the agencies")] if change else []
    referring = Card("Details of the referring agency", [_row("Referring agency", case.referring_agency)], agencies)
    employing = Card(
        "Details of the employing agency; role/occupation",
        [
            _row("Employing agency", case.employer_name),
            _row("Sector", _choice(Sector.choices, case.sector)),
            *([_row("School phase", _school_phase(case))] if case.sector == Sector.SCHOOL or case.school_phase else []),
            _row("Role or occupation", case.adult_role),
        ],
        agencies,
        "dataset-agencies",
    )
    allegation = [(link("case_change_dataset", "allegation"), "Change", "the allegation's details")] if change else []
    came_to_light = Card(
        "How did allegation come to light",
        [_row("How it came to light", _choice(CameToLight.choices, case.came_to_light))],
        allegation,
        "dataset-allegation",
    )
    labels = dict(AbuseCategory.choices)
    category = Card(
        "Category of abuse (physical, sexual, neglect, conduct etc); date of incident (historic if over 12 months ago)",
        [
            _row("Category of abuse", ", ".join(str(labels.get(c, c)) for c in case.abuse_categories)),
            _row("Date of incident", _incident(case)),
            _row("Injury to the child", _choice(Injury.choices, case.injury)),
        ],
        allegation,
    )
    tier_rows = [_row("Tier", tier_label(case.tier))]
    for change_row in case.tier_changes.all():
        tier_rows.append(
            _row(
                f"Moved on {govuk_date(change_row.recorded_at)}",
                f"From {tier_label(change_row.from_tier)} to {tier_label(change_row.to_tier)}: {change_row.reason}",
            )
        )
    tier = Card(
        "Case management Tier (ie 1,2 )",
        tier_rows,
        [(link("case_change_tier"), "Change", "the tier")] if change and case.status == "open" else [],
        "dataset-tier",
    )
    management = Card(
        "Who manages the case",
        _management_rows(case),
        [(link("case_management_transfer"), "Transfer", "the management of the case")]
        if change and case.status == "open"
        else [],
        "management",
    )
    risk = Card(
        "How the risk was managed – ie suspended /restricted duties",
        [
            _row(
                RiskMeasureKind(measure.kind).label,
                _dates(measure.started_on, measure.ended_on) + (f". {measure.notes}" if measure.notes else ""),
            )
            for measure in case.risk_measures.all()
        ],
        [(link("case_add_risk_measure"), "Add", "how the risk is managed")] if change else [],
        "dataset-risk",
    )
    investigations = Card(
        "How allegation was investigated – criminal S47; disciplinary etc and outcome of investigations",
        [_investigation_row(row) for row in current_investigations(case)],
        [(link("case_record_investigation", kind), f"Record {name}", "") for kind, name in INVESTIGATION_NAMES.items()]
        if change
        else [],
        "dataset-investigations",
    )
    bodies = Card(
        "Referral to and date of DBS referral – and details of referral to any other body",
        _body_rows(case),
        [(link("case_record_body_referral"), "Add", "a referral to a body")] if change else [],
        "dataset-bodies",
    )
    conclusion = Card(
        "Conclusion category and date of conclusion timescale for case",
        [
            _row("Conclusion category", _choice(Outcome.choices, case.outcome)),
            _row("Date of conclusion", case.concluded_on),
            # The timescales section of the monitoring panel (lado/case/_monitoring.html) has this anchor.
            _row("Timescales", Markup('<a class="govuk-link" href="#timescales">See the case\'s timescales</a>')),
        ],
        anchor="dataset-conclusion",
    )
    summary = Card("Summary of the allegation.", [_row("Summary", case.summary)], allegation, "dataset-summary")
    return [
        adult,
        victims,
        *children,
        referring,
        employing,
        came_to_light,
        category,
        tier,
        management,
        risk,
        investigations,
        bodies,
        conclusion,
        summary,
    ]


def _management_rows(case: Case) -> list[dict[str, Any]]:
    """Who manages the case and, once transferred, when and why (the protocol's transfer to the LADO)."""
    rows = [_row("Managed by", CaseManager(case.managed_by).label)]
    if case.management_transferred_on is not None:
        rows.append(_row("Transferred on", case.management_transferred_on))
        rows.append(_row("Why it was transferred", case.management_transfer_reason))
    if case.managed_by == CaseManager.LADO:
        rows.append(_row("Meetings", "Chaired by the LADO"))
    else:
        rows.append(_row("Meetings", "Strategy meetings chaired by children's social care, the LADO invited"))
    return rows


def _dates(started: dt.date | None, ended: dt.date | None) -> str:
    if started is None:
        return "Dates not recorded"
    return f"From {govuk_date(started)}" + (f" to {govuk_date(ended)}" if ended else ", continuing")


def _investigation_row(row: Any) -> dict[str, Any]:
    outcome = dict(INVESTIGATION_OUTCOMES.get(row.kind, ())).get(row.outcome, row.outcome)
    return _row(
        InvestigationKind(row.kind).label,
        _lines(
            f"Referred on {govuk_date(row.referred_on)}" if row.referred_on else "",
            f"Reference: {row.reference}" if row.reference else "",
            f"Lead: {row.lead}" if row.lead else "",
            f"Outcome: {outcome}" + (f" on {govuk_date(row.outcome_on)}" if row.outcome_on else ""),
            row.outcome_detail,
            row.notes,
            f"Information to inform future DBS disclosures: {row.dbs_information}" if row.dbs_information else "",
        ),
    )


def _body_value(row: Any) -> str:
    if row.referred:
        return f"Referred on {govuk_date(row.referred_on)}" + (f", reference {row.reference}" if row.reference else "")
    return f"Not referred: {row.explanation}"


def _body_rows(case: Case) -> list[dict[str, Any]]:
    """One row per body: its latest record, with what was recorded before it as history beneath."""
    history: dict[tuple[str, str], list[Any]] = {}
    for row in case.body_referrals.all():
        # A regulator or other body is told apart by its name; the DBS, TRA and Ofsted by the body alone.
        named = row.body in (Body.REGULATOR, Body.OTHER)
        history.setdefault((row.body, row.body_name.lower() if named else ""), []).append(row)
    rows = []
    for records in history.values():
        latest, earlier = records[-1], records[:-1]
        rows.append(
            _row(
                latest.body_name or Body(latest.body).label,
                _lines(
                    _body_value(latest),
                    *(f"Earlier, recorded {govuk_date(row.recorded_at)}: {_body_value(row)}" for row in earlier),
                ),
            )
        )
    return rows

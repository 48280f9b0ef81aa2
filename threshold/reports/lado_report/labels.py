"""The words a report's rows are labelled with, and the keys its JSON uses: the vocabularies and the packs.

Each breakdown is a list of ``(key, label)`` in the order a reader expects (the vocabulary's own order), ending
with what was not recorded. The keys are the stored values (the ids the packs name outcomes by, the protocol's
levels ``tier-1``/``tier-2``); the labels are the words the record pages show, never the keys.
"""

from __future__ import annotations

from threshold.accounts.roles import OrganisationKind
from threshold.core.vocabularies import AbuseCategory, SchoolPhase
from threshold.lado.models import ConsultationReason, ContactSource, Level
from threshold.lado.models.cases import Body, InvestigationKind, RiskMeasureKind, Sector
from threshold.lado.models.meetings import MeetingKind
from threshold.lado.services.case_agencies import INVESTIGATION_OUTCOMES
from threshold.lado.services.conclusion import outcome_definitions
from threshold.policy import Pack

Choices = list[tuple[str, str]]

NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"
OPEN = "open"
OPEN_LABEL = "Open at the end of the period"
AWAITING = "awaiting"
NOT_IN_THRESHOLD = "not_in_threshold"
NOT_KNOWN = "not_known"

SOURCES: Choices = [(str(value), str(label)) for value, label in ContactSource.choices]
DECISIONS: Choices = [
    (Level.CONSULTATION, "Consultation"),
    (Level.TIER_2, "Referral: Tier 2"),
    (Level.TIER_1, "Referral: Tier 1"),
    (AWAITING, "Awaiting a decision"),
]
REASONS: Choices = [(str(value), str(label)) for value, label in ConsultationReason.choices] + [
    (NOT_RECORDED, NOT_RECORDED_LABEL)
]
TIERS: Choices = [(Level.TIER_1, "Tier 1"), (Level.TIER_2, "Tier 2"), (NOT_RECORDED, NOT_RECORDED_LABEL)]
SECTORS: Choices = [(str(value), str(label)) for value, label in Sector.choices] + [(NOT_RECORDED, NOT_RECORDED_LABEL)]
CATEGORIES: Choices = [(str(value), str(label)) for value, label in AbuseCategory.choices] + [
    (NOT_RECORDED, NOT_RECORDED_LABEL)
]
# The phase of education of referrals in the school sector (the case's, else its employer organisation's).
PHASES: Choices = [(str(value), str(label)) for value, label in SchoolPhase.choices] + [
    (NOT_RECORDED, NOT_RECORDED_LABEL)
]
# The employer's kind of organisation where the employer uses Threshold (a school, an early years setting).
EMPLOYER_KINDS: Choices = [
    (OrganisationKind.SCHOOL, "School"),
    (OrganisationKind.ACADEMY_TRUST, "Academy trust (central team)"),
    (OrganisationKind.EARLY_YEARS, "Early years setting"),
    (OrganisationKind.OTHER_EMPLOYER, "Other employer (club, faith group, charity)"),
    (OrganisationKind.AGENCY, "Supply or recruitment agency"),
    (NOT_IN_THRESHOLD, "Employer not using Threshold"),
]
TEACHER: Choices = [("yes", "Yes"), ("no", "No"), (NOT_KNOWN, "Not known")]
RECENCY: Choices = [("recent", "Recent"), ("non_recent", "Non-recent (historic)"), (NOT_RECORDED, NOT_RECORDED_LABEL)]
INVESTIGATIONS: Choices = [(str(value), str(label)) for value, label in InvestigationKind.choices]
RISK_MEASURES: Choices = [(str(value), str(label)) for value, label in RiskMeasureKind.choices]
MEETINGS: Choices = [(str(value), str(label)) for value, label in MeetingKind.choices]
BODIES: Choices = [
    (Body.DBS, "Referrals to the DBS"),
    (Body.TRA, "Referrals to the TRA"),
    (Body.OFSTED, "Notifications to Ofsted"),
]


def outcomes(pack: Pack) -> Choices:
    """The outcomes as the LADO's pack names them (KCSIE's five where it names none), then "open"."""
    choices, _ = outcome_definitions(pack)
    return [(choice.value, choice.label) for choice in choices] + [(OPEN, OPEN_LABEL)]


def investigation_outcome_label(kind: str, code: str) -> str:
    """The line of investigation and its coded outcome, in words: "Criminal (police): Charged"."""
    kind_label = dict(INVESTIGATIONS).get(kind, kind)
    code_label = dict(INVESTIGATION_OUTCOMES.get(kind, ())).get(code, code or NOT_RECORDED_LABEL)
    return f"{kind_label}: {code_label}"


def investigation_outcome_codes() -> list[tuple[str, str]]:
    """Every (line of investigation, coded outcome) pair, in the order the case page offers them."""
    return [(kind, code) for kind, _ in INVESTIGATIONS for code, _ in INVESTIGATION_OUTCOMES.get(kind, ())]


def investigation_outcome_choices(kind: str) -> Choices:
    """The coded outcomes of one line of investigation, with their words."""
    return list(INVESTIGATION_OUTCOMES.get(kind, ()))

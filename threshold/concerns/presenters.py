"""Presenters: shape the pack's words and answers for the concern pages, so templates hold no logic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from threshold.accounts.models import Organisation
from threshold.concerns import selectors
from threshold.concerns.models import Concern, Decision, LowLevelRecord
from threshold.concerns.services import advised_decision, low_level_decision_facts
from threshold.jinja2 import govuk_date
from threshold.people.models import Person
from threshold.policy import decide_reference, decide_retention, get_pack, retention_in_words
from threshold.policy.pack import Level, Pack
from threshold.policy.results import Assessment

SPECTRUM_ORDER = (
    ("allegation", "Allegation"),
    ("low-level-concern", "Low-level concern"),
    ("appropriate-conduct", "Appropriate conduct"),
)

# Where a setting has no trust, KCSIE Part 4 sends a concern about the
# headteacher to the chair of governors, chair of the management committee or
# proprietor: the governance role. If the setting has nobody in that role in
# Threshold yet, the page says so rather than implying someone receives it.
NOBODY_RECEIVES = (
    "This concern is about the headteacher or manager, or they have a conflict of interest, and your setting has"
    " no trust. It has been kept from them, and nobody in Threshold receives it yet: tell your chair of governors,"
    " chair of the management committee or proprietor that you have shared it, and give them the reference."
)


def governance_receipt(organisation: Organisation, subject: Person | None = None) -> tuple[str, bool]:
    """Who receives a concern routed past the head of a setting with no trust, and whether anyone in Threshold does."""
    names = [user.full_name for user in selectors.governance_recipients(organisation, subject=subject)]
    if not names:
        return NOBODY_RECEIVES, False
    return (
        f"It goes to your chair of governors or management committee ({', '.join(names)}), and has been kept from"
        " your headteacher or manager.",
        True,
    )


def lado_note(organisation: Organisation) -> str:
    """For a concern nobody in Threshold receives: go to the LADO directly if it may meet the harm threshold."""
    local_authority = organisation.local_authority
    lado = f"the LADO at {local_authority.name}" if local_authority else "the LADO of your setting's local authority"
    return (
        "If it may meet the harm threshold – a child has been, or may have been, harmed, a criminal offence may have"
        " been committed, or the adult may not be suitable to work with children – contact"
        f" {lado} yourself, today, as well."
    )


def guidance(organisation: Organisation) -> dict[str, Any]:
    """The spectrum of behaviour (appendix 1) and the low-level concern definition, from the organisation's pack."""
    pack = organisation.pack_in_force()
    spectrum = [
        {"title": title, "text": pack.spectrum[key].text, "source": pack.spectrum[key].source}
        for key, title in SPECTRUM_ORDER
        if key in pack.spectrum
    ]
    return {
        "spectrum": spectrum,
        "low_level_definition": pack.low_level_concerns.definition,
        "low_level_examples": pack.low_level_concerns.examples,
        "pack_title": pack.title,
    }


EXAMPLE_TITLES = {
    "tier": "General",
    "general": "General",
    "physical": "Physical",
    "sexual": "Sexual",
    "emotional": "Emotional",
    "emotional_neglect": "Emotional or neglect",
}


def level_examples(level: Level) -> list[dict[str, Any]]:
    """A level's examples (appendix 5: physical, sexual, emotional) as titled groups."""
    return [
        {"title": EXAMPLE_TITLES.get(key, key.replace("_", " ").capitalize()), "items": list(items)}
        for key, items in level.examples.items()
        if items
    ]


def threshold_examples(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    """For the share page: the pack's examples of concerns that do and do not meet the harm threshold."""
    pack = organisation.pack_in_force()
    met: list[dict[str, Any]] = []
    not_met: list[dict[str, Any]] = []
    for level in pack.levels:
        groups = level_examples(level)
        for group in groups:
            group["title"] = f"{level.title}: {group['title'].lower()}"
        (met if level.meets_harm_threshold else not_met).extend(groups)
    return {"threshold_met_examples": met, "threshold_not_met_examples": not_met}


def advice(assessment: Assessment) -> dict[str, Any]:
    """The pack's answer for the triage page, in its own words."""
    referrals = [
        {
            "agency": agency.replace("_", " ").capitalize(),
            "verdict": "Required" if item.required else "Consider",
            "reasons": [reason.text for reason in item.reasons],
        }
        for agency, item in assessment.referrals.items()
        if item.consider
    ]
    advised = advised_decision(assessment)
    # Tier 4 is "consideration of suspension/ police referral/ arrest/ immediate action to protect child":
    # the suspension advice is listed beside the referrals, with the alternatives to weigh first.
    suspension = assessment.suspension
    return {
        "suspension": {
            "verdict": "Required" if suspension.required else "Consider",
            "reasons": [reason.text for reason in suspension.reasons],
            "alternatives": list(assessment.suspension_alternatives),
        }
        if suspension.consider
        else None,
        "level_title": assessment.level_title,
        "level_description": assessment.level_description,
        "level_action": assessment.level_action,
        "meets_harm_threshold": assessment.meets_harm_threshold,
        "refer_to_lado": assessment.refer_to_lado,
        # None when nobody gave the date of the incident.
        "non_recent": assessment.non_recent,
        "reasons": [reason.text for reason in assessment.reasons],
        "referrals": referrals,
        "deadlines": list(assessment.deadlines),
        "response": assessment.response,
        "notes": list(assessment.notes),
        "guidance": list(assessment.guidance),
        "advised": advised,
        "advised_label": Decision(advised).label,
        "pack": f"{assessment.pack.id} version {assessment.pack.version}",
        "examples": _advised_examples(assessment),
    }


def _advised_examples(assessment: Assessment) -> list[dict[str, Any]]:
    """The examples the pack gives for the advised level (none where it gives none)."""
    try:
        level = get_pack(f"{assessment.pack.id}@{assessment.pack.version}").level(assessment.level)
    except (KeyError, LookupError):
        return []
    return level_examples(level)


def concern_record(concern: Concern) -> dict[str, Any]:
    """What the detail page shows beyond the concern: details, triage, low-level record, retention and references."""
    details = getattr(concern, "details", None)
    triage = getattr(concern, "triage", None)
    record = getattr(concern, "low_level_record", None)
    context: dict[str, Any] = {
        "details": details,
        "triage": triage,
        "low_level": record,
        "governance_note": governance_receipt(concern.organisation, concern.subject)[0]
        if details is not None and details.routing == "governance"
        else "",
        "lado_note": lado_note(concern.organisation) if details is not None and details.routing == "governance" else "",
    }
    if triage is not None:
        context["triage_level"] = triage.result.get("level_title", "")
    if record is not None:
        context.update(_stored_decisions(concern, record))
    left_on = concern.subject.left_employment_on
    context["leaving"] = {
        "text": govuk_date(left_on) if left_on else "Not recorded",
        "link_text": f"{'Change' if left_on else 'Record'} the date they left or retired",
    }
    return context


def _pack_of(record: LowLevelRecord, concern: Concern) -> Pack:
    """The pack the record's decisions were made under, or the organisation's now if that version is gone."""
    try:
        return get_pack(f"{record.pack_id}@{record.pack_version}")
    except (KeyError, LookupError):
        return concern.organisation.pack_in_force()


def leaving_words(pack: Pack) -> str:
    """How long after the person leaves the pack keeps a low-level record, in words ("until 7 years after…")."""
    rule = pack.retention.records.get("low_level_concern")
    periods = rule.periods if rule else ()
    years = next((period.years for period in periods if period.start == "left_employment_on"), None)
    if years is None:
        return ""
    return f"until {years} years after the person leaves" if years else "at least until the person leaves"


def _keep_until_text(retention: dict[str, Any], pack: Pack) -> str:
    """The "keep the record until" answer in words: a date, a hold, or what must be recorded first and why."""
    if retention["holds"]:
        return "Preserved (no end date)"
    if retention["keep_until"]:
        return govuk_date(retention["keep_until"])
    if "left_employment_on" in retention["waiting_for"] and (words := leaving_words(pack)):
        # Section 13.4 counts from the day the person leaves: never an internal fact name on the page.
        return f"Kept {words}: their leaving date is not recorded yet"
    if "subject_date_of_birth" in retention["waiting_for"]:
        return "Cannot be worked out until the date of birth is recorded"
    return " ".join(retention["reasons"])


def leaving_page(concern: Concern) -> dict[str, Any]:
    """What the leaving-date page says: whose date it is and how the organisation's pack counts retention from it."""
    pack = concern.organisation.pack_in_force()
    rule = pack.retention.records.get("low_level_concern")
    return {"person": concern.subject, "retention_rule": rule.text if rule else "", "kept": leaving_words(pack)}


def _stored_decisions(concern: Concern, record: LowLevelRecord) -> dict[str, Any]:
    """The retention and reference decisions kept when the record was saved, and whether the pack has changed since."""
    if not record.pack_digest:
        return {}
    keep_until = record.retention_result.get("keep_until")
    context: dict[str, Any] = {
        "retention": {
            "keep_until": dt.date.fromisoformat(keep_until) if keep_until else None,
            "reasons": [retention_in_words(reason["text"]) for reason in record.retention_result.get("reasons", [])],
            **{k: record.retention_result.get(k) or [] for k in ("waiting_for", "holds")},
        },
        "reference": {
            "may_mention": record.reference_result.get("may_mention"),
            "reasons": [reason["text"] for reason in record.reference_result.get("reasons", [])],
        },
        "decisions_pack": f"{record.pack_id} version {record.pack_version}",
        "pack_changed": None,
    }
    context["retention"]["keep_until_text"] = _keep_until_text(context["retention"], _pack_of(record, concern))
    pack = concern.organisation.pack_in_force()
    if pack.digest != record.pack_digest:
        retention_facts, reference_facts = low_level_decision_facts(record)
        retention = decide_retention(pack, retention_facts)
        reference = decide_reference(pack, reference_facts)
        context["pack_changed"] = {
            "pack": f"{pack.id} version {pack.version}",
            "keep_until": retention.keep_until,
            "may_mention": reference.may_mention,
        }
    return context

"""Presenters: shape the pack's words and answers for the concern pages, so templates hold no logic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from threshold.accounts.models import Organisation
from threshold.concerns.models import Concern, Decision, LowLevelRecord
from threshold.concerns.services import advised_decision, low_level_decision_facts
from threshold.policy import decide_reference, decide_retention, get_pack
from threshold.policy.results import Assessment

SPECTRUM_ORDER = (
    ("allegation", "Allegation"),
    ("low-level-concern", "Low-level concern"),
    ("appropriate-conduct", "Appropriate conduct"),
)

# Where a setting has no trust, KCSIE Part 4 sends a concern about the
# headteacher to the chair of governors, chair of the management committee or
# proprietor. Threshold has no account for that role, so the page says so.
GOVERNANCE_NOTE = (
    "This concern is about the headteacher or manager, or they have a conflict of interest, and your setting has"
    " no trust. It has been kept from them, and nobody in Threshold receives it: tell your chair of governors,"
    " chair of the management committee or proprietor that you have shared it, and give them the reference."
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
    pack = get_pack(organisation.policy_pack)
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
    return {
        "level_title": assessment.level_title,
        "level_description": assessment.level_description,
        "level_action": assessment.level_action,
        "meets_harm_threshold": assessment.meets_harm_threshold,
        "refer_to_lado": assessment.refer_to_lado,
        "reasons": [reason.text for reason in assessment.reasons],
        "referrals": referrals,
        "deadlines": list(assessment.deadlines),
        "response": assessment.response,
        "notes": list(assessment.notes),
        "advised": advised,
        "advised_label": Decision(advised).label,
        "pack": f"{assessment.pack.id} version {assessment.pack.version}",
    }


def concern_record(concern: Concern) -> dict[str, Any]:
    """What the detail page shows beyond the concern: details, triage, low-level record, retention and references."""
    details = getattr(concern, "details", None)
    triage = getattr(concern, "triage", None)
    record = getattr(concern, "low_level_record", None)
    context: dict[str, Any] = {
        "details": details,
        "triage": triage,
        "low_level": record,
        "governance_note": GOVERNANCE_NOTE if details is not None and details.routing == "governance" else "",
        "lado_note": lado_note(concern.organisation) if details is not None and details.routing == "governance" else "",
    }
    if triage is not None:
        context["triage_level"] = triage.result.get("level_title", "")
    if record is not None:
        context.update(_stored_decisions(concern, record))
    return context


def _stored_decisions(concern: Concern, record: LowLevelRecord) -> dict[str, Any]:
    """The retention and reference decisions kept when the record was saved, and whether the pack has changed since."""
    if not record.pack_digest:
        return {}
    keep_until = record.retention_result.get("keep_until")
    context: dict[str, Any] = {
        "retention": {
            "keep_until": dt.date.fromisoformat(keep_until) if keep_until else None,
            "reasons": [reason["text"] for reason in record.retention_result.get("reasons", [])],
        },
        "reference": {
            "may_mention": record.reference_result.get("may_mention"),
            "reasons": [reason["text"] for reason in record.reference_result.get("reasons", [])],
        },
        "decisions_pack": f"{record.pack_id} version {record.pack_version}",
        "pack_changed": None,
    }
    pack = get_pack(concern.organisation.policy_pack)
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

"""The allegation page's end: the outcome and its DBS and TRA referrals, the LADO's conclusion, the file record."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.allegations import selectors
from threshold.allegations.models import Allegation, FileRecord, OutcomeRecord
from threshold.allegations.presenters.common import Link, row
from threshold.allegations.services import pack_for
from threshold.jinja2 import govuk_date
from threshold.lado.presenters.employer import outcome_agreement_text
from threshold.lado.services.conclusion import lado_conclusion_for


def _referral_made(outcome: OutcomeRecord, body: str, entry: dict[str, Any] | None) -> str:
    """A DBS or TRA referral as the outcome says it: its date and reference, or that (and why) it was not made."""
    made_on = entry["made_on"] if entry else getattr(outcome, f"{body}_referred_on")
    reference = entry["reference"] if entry else getattr(outcome, f"{body}_reference")
    if made_on:
        return govuk_date(made_on) + (f", reference {reference}" if reference else "")
    return f"Not made: {entry['reason']}" if entry and entry["reason"] else "Not made"


def outcome_section(
    allegation: Allegation, outcome: OutcomeRecord | None, follow_ups: dict[str, dict[str, Any]], *, can_change: bool
) -> dict[str, Any]:
    """The outcome, the pack's warning on settlement agreements, and the DBS and TRA referrals still to act on."""
    pack = pack_for(allegation)
    section: dict[str, Any] = {
        "warning": selectors.settlement_warning(pack),
        "rows": None,
        "prompts": [],
        "updates": [],
    }
    if outcome is None:
        return section
    definitions = {key: value.text for key, value in pack.outcomes.items()}
    section["rows"] = [
        row("Outcome", f"{outcome.get_outcome_display()}: {definitions.get(outcome.outcome, '')}"),
        row("Concluded", govuk_date(outcome.concluded_on)),
        # Managed by the LADO: "agreed with the LADO" is the LADO's answer, not the employer's say-so.
        *([row("Agreed with the LADO", agreed)] if (agreed := outcome_agreement_text(allegation)) else []),
        row("Case manager's report", outcome.report),
        row("Disciplinary route", outcome.disciplinary_route or "None"),
        row("DBS referral", _referral_made(outcome, "dbs", follow_ups.get("dbs"))),
        row("TRA referral", _referral_made(outcome, "tra", follow_ups.get("tra"))),
        row("Return to work after suspension", outcome.return_to_work or "None"),
        row("Action regarding a malicious allegation", outcome.malicious_action or "None"),
        row("Support for the child", outcome.child_support or "None"),
    ]
    resigned = (
        f", even though {allegation.subject.full_name} resigned before the process concluded"
        if outcome.resigned_before_conclusion
        else ""
    )
    for body, entry in follow_ups.items():
        href = reverse("allegation_follow_up", args=[allegation.pk, body])
        if entry["open"]:
            section["prompts"].append(
                {
                    "body": body,
                    "tag": f"{entry['label']} referral {'required' if entry['required'] else 'to consider'}",
                    "text": f" ({outcome.pack} {outcome.pack_version}){resigned}. It stays due on the home page until"
                    " its date and reference, or why it is not made, are recorded.",
                    "reasons": [reason.get("text", "") for reason in entry["reasons"]],
                    "link": Link(href, f"Record the {entry['label']} referral", "or why it is not made")
                    if can_change
                    else None,
                }
            )
        elif can_change:
            section["updates"].append(Link(href, f"Update the {entry['label']} referral"))
    return section


def lado_conclusion_rows(allegation: Allegation) -> list[dict[str, Any]] | None:
    """What the LADO sent back when the case opened from this allegation's referral concluded."""
    conclusion = lado_conclusion_for(allegation)
    if conclusion is None:
        return None
    return [
        row("LADO service", f"{conclusion.case.local_authority.name}, case {conclusion.case.reference}"),
        row("Outcome", f"{conclusion.get_outcome_display()}: {conclusion.definition}"),
        row("Concluded", govuk_date(conclusion.concluded_on)),
        row("Summary", conclusion.summary),
    ]


def kept_until(record: FileRecord) -> str:
    """How long the file record is kept: preserved, a date, or why no date can be worked out yet."""
    retention = record.retention if isinstance(record.retention, dict) else {}
    if retention.get("holds"):
        return "Preserved (no end date)"
    keep_until = record.keep_until()
    if keep_until:
        return govuk_date(keep_until)
    if retention.get("undetermined", True) and "subject_date_of_birth" in retention.get(
        "waiting_for", ["subject_date_of_birth"]
    ):
        return "Cannot be worked out until the date of birth is recorded"
    return "Not worked out"


def file_record_section(allegation: Allegation, record: FileRecord | None) -> dict[str, Any] | None:
    """The summary kept on the confidential file, and the link to print the person's copy."""
    if record is None:
        return None
    mention = record.may_mention_in_references
    return {
        "remove": record.remove_from_personnel_file,
        "rows": [
            row("Summary of the allegation", record.summary),
            row("How it was followed up and resolved", record.follow_up),
            row("Actions, decisions and outcome", record.actions),
            row(
                "Referred to in future references",
                "Yes" if mention else ("No" if mention is False else "To be decided"),
            ),
            row("Kept until", kept_until(record)),
            row("Copy given to the person", govuk_date(record.copy_given_on) if record.copy_given_on else "Not yet"),
        ],
        "copy_link": Link(
            reverse("allegation_file_copy", args=[allegation.pk]), "Print the person's copy of this summary"
        ),
    }

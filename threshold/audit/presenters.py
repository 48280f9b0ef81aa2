"""The audit trail in plain words (issue 17): "Lara Lado viewed case LADO-2026-0001", not ``record.view`` and "case 3".

Each event's action is said as a verb phrase, and the record it is about by its kind and its reference (the one
people quote: ``CON-…``, ``ALG-…``, ``LADO-…``), read for a page of events at once. Records without a reference
keep their URL token. The raw codes stay in the CSV export, for whoever needs to filter them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from threshold.audit.models import AuditEvent
from threshold.audit.selectors import record_references
from threshold.core.record_ids import token_of

# Verb phrases for actions that do not read well from their own words, or that say more than the record.
ACTION_WORDS: dict[str, str] = {
    "record.view": "viewed",
    "record.change": "opened to change",
    "record.report": "counted",
    "record.download": "downloaded",
    "record.view_report": "viewed the report of",
    "record.view_summary": "viewed the summary of",
    "record.view_referred": "followed the referral of",
    "record.print": "printed",
    "records.listed": "listed",
    "records.searched": "searched",
    "records.exported": "exported",
    "auth.signed_in": "signed in",
    "auth.signed_out": "signed out",
    "auth.sign_in_failed": "failed to sign in",
    "auth.locked_out": "was locked out",
    "auth.mfa_verified": "passed the second sign-in step",
    "auth.mfa_failed": "failed the second sign-in step",
    "auth.mfa_locked_out": "was locked out at the second sign-in step",
    "auth.session_expired": "was signed out when the session expired",
    "auth.organisation_switched": "switched organisation",
    "audit.events_viewed": "viewed the audit trail",
    "audit.events_exported": "exported the audit trail",
    "audit.record_events_viewed": "viewed the audit trail of",
    "audit.access_log_viewed": "viewed who has looked at the records of",
    "audit.checkpoint_exported": "exported a checkpoint of the audit trail",
    "case.dataset_changed": "changed the data set of",
    "contact.imported": "imported",
    "case.imported": "imported",
    "concern.imported": "imported",
    "allegation.imported": "imported",
    "person.recorded": "recorded",
    "deadlines.synced": "updated the timescales of",
    "demo.loaded": "loaded the demo world",
    "demo.records_loaded": "loaded the demo records",
}
# Words an action's own name abbreviates, as a page says them.
_SAY = {"lado": "LADO", "hr": "HR", "dbs": "DBS", "tra": "TRA", "mfa": "MFA", "dataset": "data set", "csc": "CSC"}
# Kinds of record as a sentence names them.
_KINDS = {
    "contact": "contact",
    "case": "case",
    "concern": "concern",
    "allegation": "allegation",
    "person": "person record",
    "meeting": "meeting",
    "document": "document",
    "import": "import",
    "import_mapping": "saved import mapping",
    "user": "account",
    "organisation": "organisation",
    "membership": "membership",
    "deadline": "timescale",
    "export": "export",
    "pattern_review": "pattern review",
}


def _words(code: str) -> str:
    return " ".join(_SAY.get(word, word) for word in code.split("_"))


def action_words(action: str) -> str:
    """An action as a verb phrase ("case.tier_changed" → "tier changed on"), never its code."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    noun, _, verb = action.partition(".")
    if not verb:
        return _words(noun)
    return _words(verb)


def actor_words(label: str) -> str:
    """Who acted when no person did: one of Threshold's jobs ("system:lado_import" → "Threshold (lado import)")."""
    job = label.removeprefix("system:") if label.startswith("system:") else ""
    return f"Threshold ({_words(job.replace('-', '_'))})" if job else "Threshold"


def action_label(action: str) -> str:
    """An action as a choice in the filter ("Case: tier changed", "Viewed")."""
    noun, words = action.partition(".")[0], action_words(action)
    if noun in ("record", "records", "auth", "audit", "demo"):
        return words[:1].upper() + words[1:]
    return f"{kind_words(noun)[:1].upper()}{kind_words(noun)[1:]}: {words}"


def kind_words(record_type: str) -> str:
    """A kind of record as a sentence names it."""
    return _KINDS.get(record_type, _words(record_type))


@dataclass(frozen=True)
class EventLine:
    """One event as the page says it."""

    event: AuditEvent
    who: str
    sentence: str


def described(events: Iterable[AuditEvent], *, references: dict[tuple[str, str], str] | None = None) -> list[EventLine]:
    """The events in plain words, each record named by its reference (read for all the events at once).

    ``references``: those already read (the export reads them once for its own column too).
    """
    events = list(events)
    if references is None:
        references = record_references((event.record_type, event.record_id) for event in events if event.record_type)
    lines = []
    for event in events:
        who = event.actor.full_name if event.actor else actor_words(event.actor_label)
        what = action_words(event.action)
        if event.record_type and event.record_id:
            label = references.get((event.record_type, event.record_id)) or token_of(event.record_id)
            what = f"{what} {kind_words(event.record_type)} {label}"
        elif event.record_type:  # a list or a search: the records it showed are in its details
            what = f"{what} {kind_words(event.record_type)}s"
        elif event.action.partition(".")[0] not in ("auth", "audit", "demo") and event.action not in ACTION_WORDS:
            what = f"{kind_words(event.action.partition('.')[0])}: {what}"
        lines.append(EventLine(event=event, who=who, sentence=f"{who} {what}"))
    return lines

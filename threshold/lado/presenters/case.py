"""The case page: its summary, the data set cards and who it has been allocated to, in the words the page shows."""

from __future__ import annotations

from typing import Any

from threshold.jinja2 import govuk_date
from threshold.lado.models import Case
from threshold.lado.presenters.dataset import dataset_cards, tier_label
from threshold.lado.presenters.dataset_missing import still_to_record
from threshold.lado.presenters.requests import case_requests
from threshold.lado.selectors import case_retention
from threshold.policy import retention_in_words
from threshold.policy.results import RetentionDecision


def summary_rows(case: Case) -> list[dict[str, Any]]:
    """The case at a glance (shown to everyone who may see the case, its summary included)."""
    rows = [
        ("Adult", case.subject.full_name),
        ("Tier", tier_label(case.tier)),
        ("Status", case.get_status_display()),
        ("LADO", case.lado.full_name if case.lado else "Not allocated"),
        ("Managed by", case.get_managed_by_display()),
        ("Referral received", govuk_date(case.received_on)),
        ("Opened", govuk_date(case.opened_at)),
        ("Summary", case.summary),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def keep_until_words(retention: RetentionDecision) -> str:
    """How long the record is kept, in words: a hold, a date and the pack's rule, or what is still missing."""
    if retention.holds:
        return f"Preserved (no end date). {retention.holds[0].text}"
    rule = retention_in_words(retention.reasons[0].text) if retention.reasons else ""
    if retention.keep_until:
        return f"{govuk_date(retention.keep_until)}. {rule}"
    if "subject_date_of_birth" in retention.waiting_for:
        return f"Cannot be worked out until the adult's date of birth is recorded. {rule}"
    if not retention.undetermined:
        return f"No end date is set. {rule}"
    return rule


def allocation_lines(case: Case) -> list[str]:
    """Who the case was allocated to, when and by whom, oldest first (none before anyone allocates it)."""
    return [
        f"{govuk_date(allocation.recorded_at)}: allocated to {allocation.lado.full_name} by"
        f" {allocation.recorded_by.full_name}" + (f" ({allocation.reason})" if allocation.reason else "")
        for allocation in case.allocations.select_related("lado", "previous", "recorded_by")
    ]


def case_page_context(case: Case, *, may_change: bool) -> dict[str, Any]:
    """What the full case page shows of the case itself: summary, data set and allocation."""
    # Only on the full page: from the date a summary-only partner could work out the adult's date of birth.
    kept = {"key": {"text": "Keep the record until"}, "value": {"text": keep_until_words(case_retention(case))}}
    return {
        "summary_rows": [*summary_rows(case), kept],
        "dataset_cards": [
            {"anchor": card.anchor, "params": card.params()} for card in dataset_cards(case, may_change=may_change)
        ],
        **still_to_record(case, may_change=may_change),
        "allocation_lines": allocation_lines(case),
        "allocated_to": f"Allocated to {case.lado.full_name if case.lado else 'nobody'}.",
        **case_requests(case, may_change=may_change),
    }

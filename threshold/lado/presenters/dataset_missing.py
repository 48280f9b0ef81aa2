"""The case page's "Still to record" list: the recording data set items the case lacks, each linked to its page.

Once a case is concluded, the items it concluded without are listed with the
reason the LADO gave ("Not known"), from the conclusion.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from threshold.lado.models import Case, CaseStatus
from threshold.lado.services.dataset_missing import MissingItem, missing_items


def missing_href(case: Case, item: MissingItem) -> str:
    """The page where ``item`` is recorded (the case page at its card when it has no page of its own)."""
    return reverse(item.page, args=[case.pk, *item.page_args]) + (f"#{item.anchor}" if item.anchor else "")


def still_to_record(case: Case, *, may_change: bool) -> dict[str, Any]:
    """Context for ``lado/case/_still_to_record.html``: what is missing, with links for people who may record it.

    ``missing_with_reasons`` are the items the conclusion recorded a reason for;
    ``still_to_record`` leaves them out. A concluded case's "conclusion" item is
    gone with the conclusion itself.
    """
    conclusion = case.conclusions.first()
    reasons: dict[str, str] = dict(conclusion.missing_reasons) if conclusion is not None else {}
    # A concluded case's data set can still be completed until it is closed.
    links = may_change and case.status != CaseStatus.CLOSED
    missing = missing_items(case)
    items = [
        {"text": item.label, "href": missing_href(case, item) if links else ""}
        for item in missing
        if item.key not in reasons
    ]
    # An item recorded since the conclusion is no longer missing: its reason is not shown.
    explained = [{"text": item.label, "reason": reasons[item.key]} for item in missing if item.key in reasons]
    return {"still_to_record": items, "missing_with_reasons": explained}

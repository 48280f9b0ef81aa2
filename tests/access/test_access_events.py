"""Every page that shows a protected record, found from the access matrix, writes an access event naming it.

For each URL that takes a record's id and answers 200 to some persona (the
matrix's table), the first such persona opens it and the audit trail must
gain at least one access event (``record.*``, ``records.*`` or an auditor's
``audit.*_viewed``) that names that record: by ``record_type``/``record_id``,
or among the ids a list or search event keeps in its details. Pages where that
is legitimately not so are listed in ``NOT_A_READ_OF_A_RECORD`` with why.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse

from tests.access.expected_access import expected, url_args
from tests.access.routes import PERSONAS
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns.models import PatternFinding

pytestmark = pytest.mark.django_db

EXPECTED = expected()
ARGS = url_args()

# Which protected record a URL parameter names.
RECORD_OF_PARAMETER = {
    "concern_id": "concern",
    "allegation_id": "allegation",
    "contact_id": "contact",
    "case_id": "case",
    "meeting_id": "meeting",
    "person_id": "person",
    "document_id": "document",
    "deadline_id": "deadline",
}

NOT_A_READ_OF_A_RECORD = {
    # Administration pages name accounts and organisations, which are not case data (rule 4).
    "user_detail": "an account, not a protected record; account changes are audited as changes",
    "user_reset_sign_in": "an account, not a protected record",
    "organisation_edit": "an organisation, not a protected record",
    "organisation_pack": "an organisation's policy pack, not a protected record",
    "organisation_role_grants": "an organisation's role grants (accounts), not a protected record",
    # Starting a pattern review names the organisation whose concerns will be reviewed, not a record.
    "pattern_review_start": "an organisation, not a protected record; the review it starts is audited",
}

# A page that takes a record id and that some persona may open.
PAGES = sorted(name for name in ARGS if name in EXPECTED and any(status == 200 for status in EXPECTED[name].values()))


def _target(kwargs: dict[str, Any]) -> tuple[str, str]:
    """The (record type, id) a page is about, from its URL's parameters."""
    if "record_type" in kwargs and "record_id" in kwargs:
        return str(kwargs["record_type"]), str(kwargs["record_id"])
    if "entry_id" in kwargs:
        entry = ChronologyEntry.objects.get(pk=kwargs["entry_id"])
        for record_type in ("concern", "allegation", "case"):
            if getattr(entry, f"{record_type}_id"):
                return record_type, str(getattr(entry, f"{record_type}_id"))
    if "review_id" in kwargs and "case_id" not in kwargs:
        return "pattern_review", str(kwargs["review_id"])
    if "finding_id" in kwargs:  # a finding is read as part of its review
        return "pattern_review", str(PatternFinding.objects.get(pk=kwargs["finding_id"]).review_id)
    for parameter, record_type in RECORD_OF_PARAMETER.items():
        if parameter in kwargs:
            return record_type, str(kwargs[parameter])
    raise AssertionError(f"No protected record among the parameters {sorted(kwargs)}")


def _ids_in(value: Any) -> set[str]:
    """Every id a list event's details mention: numbers, and the numbers of "kind:id" strings."""
    if isinstance(value, dict):
        return set().union(*(_ids_in(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_ids_in(item) for item in value)) if value else set()
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {str(value)}
    if isinstance(value, str):
        return {value.rsplit(":", 1)[-1]}
    return set()


def _names(event: AuditEvent, record_type: str, record_id: str) -> bool:
    if event.record_type == record_type and event.record_id == record_id:
        return True
    return (
        event.action.startswith("records.") and event.record_type == record_type and record_id in _ids_in(event.details)
    )


def _is_access_event(event: AuditEvent) -> bool:
    return event.action.startswith(("record.", "records.")) or (
        event.action.startswith("audit.") and event.action.endswith("_viewed")
    )


def test_the_pages_checked_include_every_kind_of_record_page() -> None:
    assert {"concern_detail", "case_detail", "chronology_correct", "chronology_add", "meeting_update_add"} <= set(PAGES)
    assert set(NOT_A_READ_OF_A_RECORD) <= set(PAGES), "allowlisted pages that no longer exist"


@pytest.mark.parametrize("name", PAGES)
def test_opening_a_page_about_a_record_writes_an_access_event_naming_it(name, records, signed_in) -> None:
    if name in NOT_A_READ_OF_A_RECORD:
        pytest.skip(NOT_A_READ_OF_A_RECORD[name])
    path = reverse(name, args=ARGS[name](records))
    record_type, record_id = _target(resolve(path).kwargs)
    reader = next(key for key in PERSONAS if EXPECTED[name][key] == 200)
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    assert signed_in(reader).get(path).status_code == 200
    events = [event for event in AuditEvent.objects.filter(sequence__gt=before) if _is_access_event(event)]
    assert any(_names(event, record_type, record_id) for event in events), (
        f"{name} ({path}) as {reader} wrote no access event naming {record_type} {record_id}: "
        f"{[(event.action, event.record_type, event.record_id) for event in events]}"
    )

"""Fields whose values never enter the audit trail, which cannot be edited or deleted.

The trail keeps who changed what and when for as long as the service runs; a
child's name, a date of birth or a narrative copied into it would outlive the
record's own retention and could never be corrected or erased. So
``audit_record`` looks every changed field up here: a sensitive field is
recorded as changed (listed in ``excluded_fields``) without its old or new
value. Callers need not remember; they may still name more fields themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Sensitive on every record type: secrets, dates of birth, children's details and free text.
ALWAYS: frozenset[str] = frozenset(
    {
        "password",
        # Dates of birth, of children and of adults alike.
        "date_of_birth",
        "adult_date_of_birth",
        "child_date_of_birth",
        # Children's names and details.
        "child_name",
        "child_names",
        "children",
        "child_full_name",
        # Free-text narrative: what was alleged, said or advised.
        "details",
        "summary",
        "advice",
        "minutes",
        "notes",
        "narrative",
        "description",
        "text",
        "rationale",
        # Where someone lives.
        "address",
        "adult_address",
        # Third parties' names and how to reach them: a referrer, an agency's contact, the adult's representative.
        "referrer_name",
        "referrer_contact",
        "agency_contact",
        "representative_name",
        "representative_contact",
    }
)

# More fields by record type (the ``record_type`` passed to ``audit_record``).
BY_RECORD_TYPE: Mapping[str, frozenset[str]] = {
    # A child's record: every identifying field.
    "child": frozenset({"full_name", "gender", "ethnicity"}),
    "case_child": frozenset({"full_name", "gender", "ethnicity"}),
    "case": frozenset({"adult_gender", "adult_ethnicity"}),
    "concern": frozenset({"how_arose"}),
    # An adult's own email address, kept to link their records to an account (rule 2).
    "person": frozenset({"email"}),
    "meeting": frozenset({"agenda", "update"}),
    "lesson": frozenset({"lesson", "lessons"}),
}


def sensitive_fields(record_type: str) -> frozenset[str]:
    """The fields of this record type whose values are never copied into the trail."""
    return ALWAYS | BY_RECORD_TYPE.get(record_type, frozenset())


def split_changes(
    record_type: str, changes: Mapping[str, tuple[Any, Any]] | None, excluded: Iterable[str]
) -> tuple[dict[str, tuple[Any, Any]], list[str]]:
    """The changes whose values may be kept, and the sorted names of those that may not."""
    hidden = sensitive_fields(record_type) | set(excluded)
    kept = {name: values for name, values in (changes or {}).items() if name not in hidden}
    names = {name for name in (changes or {}) if name in hidden} | set(excluded)
    return kept, sorted(names)

"""What the deadline tests share: a dozen adults' names, a phoned-in contact, and a record's stored rows by kind."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.lado.models import Case, Contact
from threshold.lado.services.contacts import contact_record
from threshold.timescales.models import Deadline

# Adults a contact can be about, one per test record (none of them a persona).
NAMES = [
    "Robin Ash",
    "Sasha Birch",
    "Kit Cedar",
    "Jules Damson",
    "Ari Elm",
    "Noor Fir",
    "Remy Gorse",
    "Tam Hazel",
    "Lou Ivy",
    "Cam Juniper",
    "Mika Larch",
    "Sol Maple",
]


def deadline_rows(record: Case | Contact) -> dict[tuple[str, str], Deadline]:
    """The record's stored deadlines by (kind, key)."""
    field = "case" if isinstance(record, Case) else "contact"
    return {(row.kind, row.key): row for row in Deadline.objects.filter(**{field: record})}


def phone_contact(persona: Callable[[str], User], northshire: Organisation, name: str = "Robin Ash") -> Contact:
    """A parent rings the Northshire LADO service about a teaching assistant: received now."""
    return contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now(),
        method="phone",
        source="parent",
        summary="[test] A parent says the assistant shouted at a child and pulled her by the arm.",
        adult_name=name,
        adult_role="Teaching assistant",
    )

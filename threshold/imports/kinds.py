"""What each kind of import is: its columns, the rules its rows are checked by, and what its mapping must give.

A LADO service's file (``ImportKind.LADO``) holds contacts, consultations and cases; a setting's
(``ImportKind.SETTING``) its low-level concern log and its allegations. Whose records a file holds follows
from the organisation it is imported for: a local authority's LADO service, or a setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from threshold.accounts.models import Organisation
from threshold.accounts.roles import OrganisationKind
from threshold.imports.checking import RowCheck
from threshold.imports.columns import LADO_COLUMNS, ColumnSet
from threshold.imports.models import ImportKind
from threshold.imports.setting_checking import SettingRowCheck
from threshold.imports.setting_columns import SETTING_COLUMNS


@dataclass(frozen=True)
class KindRules:
    """One kind of import: its columns, its row rules, the columns a mapping must give, and what it creates."""

    kind: str
    columns: ColumnSet
    rules: type[RowCheck]
    # Each entry: the columns of which one must be mapped, and what to say beside the first when none is.
    required: tuple[tuple[tuple[str, ...], str], ...]
    # The created figures of its summary, in order.
    created: tuple[str, ...]


LADO = KindRules(
    kind=ImportKind.LADO,
    columns=LADO_COLUMNS,
    rules=RowCheck,
    required=(
        (("received_on",), "Choose the column that holds the date received"),
        (("summary",), "Choose the column that holds the summary (brief details of the circumstances)"),
        (("adult_last_name", "adult_name"), "Choose the column that holds the adult's last name (or full name)"),
    ),
    created=("contacts", "decisions", "cases", "people"),
)
SETTING = KindRules(
    kind=ImportKind.SETTING,
    columns=SETTING_COLUMNS,
    rules=SettingRowCheck,
    required=(
        (("raised_on",), "Choose the column that holds the date the concern was raised"),
        (("summary",), "Choose the column that holds the details of the concern"),
        (
            ("adult_last_name", "adult_name"),
            "Choose the column that holds the name of the person the concern is about (or their last name)",
        ),
    ),
    # Not the adults: found by name alone, their count would tell whether a record hidden from the importer
    # exists (ADR 0035).
    created=("concerns", "low_level_records", "allegations"),
)
_KINDS = {LADO.kind: LADO, SETTING.kind: SETTING}


def kind_rules(kind: str) -> KindRules:
    """The rules of ``kind`` (an ``ImportKind`` value)."""
    return _KINDS[kind]


def kind_for(organisation: Organisation) -> str:
    """Whose records an import for ``organisation`` holds: a local authority's LADO service's, or a setting's."""
    return ImportKind.LADO if organisation.kind == OrganisationKind.LOCAL_AUTHORITY else ImportKind.SETTING

"""Keeping the stored match keys of LADO records in step with the adult each record is about (``people.AdultKey``).

The keys are a derived index of a contact or case, like a person's
``PersonKey``: rewritten in the saving transaction whenever what matching
reads changes, so "previous records" and search choose candidates by what the
records say now. No audit event: nothing anyone can read changes.
``people.receivers`` calls ``adult_keys_write`` on every save of a contact,
case or person; code that makes rows without saving them (``bulk_create`` in
benches and loaders) calls ``adult_keys_fill`` afterwards. Inside ``adult_keys_deferred`` (an import's
batch, thousands of new records in one transaction) the new records' keys are written together as it ends.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.db.models import Q

from threshold.core.bulk import rows_insert
from threshold.people.models import AdultKey, Person
from threshold.people.record_keys import adult_keys

if TYPE_CHECKING:
    from threshold.lado.models import Case, Contact

_BATCH = 5000
_KEY_COLUMNS = ("contact_id", "case_id", "key")
# The new records whose keys wait for the end of ``adult_keys_deferred`` (None: none wait, keys go at once).
_waiting: ContextVar[list[Contact | Case] | None] = ContextVar("adult_keys_waiting", default=None)


def adult_of(record: Contact | Case) -> tuple[str, dt.date | None, str]:
    """The adult as matching reads a record: its own name and date of birth, else its subject's; its employer."""
    name, born = record.adult_name, record.adult_date_of_birth
    if not name or born is None:
        name, born = adult_name_and_birth(name, born, record.subject.full_name, record.subject.date_of_birth)
    return name, born, record.employer_name


def adult_name_and_birth(
    name: str, born: dt.date | None, subject_name: str, subject_born: dt.date | None
) -> tuple[str, dt.date | None]:
    """A record's own name and date of birth for its adult, each else its subject's (``adult_of`` on a row)."""
    return name or subject_name, born if born is not None else subject_born


def _owner(record: Contact | Case) -> dict[str, Contact | Case]:
    return {record._meta.model_name or "": record}


def adult_keys_write(*, record: Contact | Case, new: bool = False) -> None:
    """Bring ``record``'s stored keys in step with its adult: the keys it no longer has go, new ones are added.

    ``new``: the record was just inserted, so it has no keys yet to read (an import writes thousands); inside
    ``adult_keys_deferred`` its keys are written when that ends.
    """
    waiting = _waiting.get()
    if new and waiting is not None:
        waiting.append(record)
        return
    name, born, employer = adult_of(record)
    wanted = adult_keys(name=name, date_of_birth=born, employer_name=employer)
    owner = _owner(record)
    with transaction.atomic():
        stored = set() if new else set(AdultKey.objects.filter(**owner).values_list("key", flat=True))
        if stored - wanted:
            AdultKey.objects.filter(**owner, key__in=sorted(stored - wanted)).delete()
        rows_insert(AdultKey, columns=_KEY_COLUMNS, rows=_key_rows(record, wanted - stored))


def adult_keys_of_subject(*, person: Person) -> None:
    """Rewrite the keys of the records that fall back on ``person`` for the adult's name or date of birth."""
    falls_back = Q(adult_name="") | Q(adult_date_of_birth__isnull=True)
    # The reverse managers are typed by their abstract base; the rows are contacts and cases.
    records = cast(
        "list[Contact | Case]", [*person.lado_contacts.filter(falls_back), *person.lado_cases.filter(falls_back)]
    )
    for record in records:
        adult_keys_write(record=record)


@contextmanager
def adult_keys_deferred() -> Iterator[None]:
    """Write the keys of the records inserted within, together, as it ends (one insert, not one a record).

    Use it inside the transaction that inserts the records, around code that reads no new record's keys
    (an import's batch: nothing in it matches against the rows it is writing). Keys of records changed, not
    inserted, are written at once as ever. If the block raises, nothing is written: its transaction is
    rolled back with the records.
    """
    waiting: list[Contact | Case] = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    cases = [record for record in waiting if record._meta.model_name == "case"]
    contacts = [record for record in waiting if record._meta.model_name != "case"]
    adult_keys_fill(contacts=cast("list[Contact]", contacts), cases=cast("list[Case]", cases))


def adult_keys_fill(*, contacts: Iterable[Contact] = (), cases: Iterable[Case] = ()) -> int:
    """Write the keys of records made without ``save`` (``bulk_create``); returns how many keys were written.

    The records should have their subject loaded (``select_related("subject")``
    or the instances just created) when their own name or date of birth is
    blank, or each such record costs a query.
    """
    written = 0
    batch: list[tuple[int | None, int | None, str]] = []
    # Streamed, not listed: a loader passes iterators over tens of thousands of rows.
    records: Iterable[Contact | Case] = itertools.chain(contacts, cases)
    for record in records:
        name, born, employer = adult_of(record)
        batch.extend(_key_rows(record, adult_keys(name=name, date_of_birth=born, employer_name=employer)))
        if len(batch) >= _BATCH:
            written += rows_insert(AdultKey, columns=_KEY_COLUMNS, rows=batch)
            batch = []
    written += rows_insert(AdultKey, columns=_KEY_COLUMNS, rows=batch)
    return written


def _key_rows(record: Contact | Case, keys: Iterable[str]) -> list[tuple[int | None, int | None, str]]:
    """``AdultKey`` rows of ``record`` for ``keys``, as ``rows_insert`` takes them (``_KEY_COLUMNS``)."""
    is_case = record._meta.model_name == "case"
    contact_id, case_id = (None, record.pk) if is_case else (record.pk, None)
    return [(contact_id, case_id, key) for key in sorted(keys)]

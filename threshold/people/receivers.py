"""Saves that change what matching reads rewrite the LADO records' match keys (``people.services``).

A receiver rather than a call in each service: contacts and cases are saved
by many services (and by the demo loaders), and a key left behind by one
that forgot would hide a previous record without anyone noticing. A save
that names its fields (``update_fields``) and none that matching reads costs
nothing; any other costs one query when the keys are unchanged.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from threshold.people.models import Person
from threshold.people.services import adult_keys_of_subject, adult_keys_write

# What the keys are made from: the record's adult, its employer, and the subject it falls back on.
RECORD_FIELDS = frozenset({"adult_name", "adult_date_of_birth", "employer_name", "subject", "subject_id"})
PERSON_FIELDS = frozenset({"full_name", "date_of_birth"})


def _reads(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def adult_record_saved(sender: Any, instance: Any, created: bool, raw: bool, update_fields: Any, **kwargs: Any) -> None:
    """A contact or case was saved: keep its keys in step when what they are made from may have changed."""
    if not raw and _reads(update_fields, RECORD_FIELDS):
        adult_keys_write(record=instance, new=created)


def person_saved(sender: Any, instance: Person, created: bool, raw: bool, update_fields: Any, **kwargs: Any) -> None:
    """A person was renamed or their date of birth changed: the records that fall back on them follow."""
    if not raw and not created and _reads(update_fields, PERSON_FIELDS):
        adult_keys_of_subject(person=instance)


def connect() -> None:
    """Connect the receivers (``PeopleConfig.ready``)."""
    post_save.connect(adult_record_saved, sender="lado.Contact", dispatch_uid="people-adult-keys-contact")
    post_save.connect(adult_record_saved, sender="lado.Case", dispatch_uid="people-adult-keys-case")
    post_save.connect(person_saved, sender=Person, dispatch_uid="people-adult-keys-person")

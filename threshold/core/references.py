"""The references people quote for records: random-looking, unique, with a prefix per record type.

A reference derived from the primary key (``C-3``) tells whoever sees it how
many records were made before it, so a gap between two references someone can
see reveals a record they cannot (ADR 0017). References are therefore drawn at
random: eight characters of Crockford's base32 (40 bits) after a prefix that
says which kind of record it is, in two groups of four so they can be read
aloud and copied by hand (``CON-7KQ2-9MXD``). Uniqueness is the database's job
(a unique constraint); a collision, roughly one in a million after a million
records of one type, is retried with a fresh draw.

This module knows the prefixes, not the record apps: it imports no models of
its own (core must not depend on the record apps).
"""

from __future__ import annotations

import re
import secrets
from typing import Any, cast

from django.db import IntegrityError, models, transaction

# Crockford's base32: digits and letters without I, L, O and U, so a reference
# read over the phone or copied from paper cannot be mistaken (1/I/L, 0/O).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARACTERS = 8  # 8 x 5 bits = 40 bits
GROUP = 4
# Longest prefix plus two groups and three hyphens, with room to spare.
MAX_LENGTH = 24
# Attempts before giving up; at 40 bits even one retry is vanishingly rare.
ATTEMPTS = 5

# One prefix per record type: no two kinds of record ever share a format, so
# "CON-…" on a school's page and "CT-…" in a LADO's inbox cannot be confused.
CONCERN = "CON"
ALLEGATION = "ALG"
LADO_CONTACT = "CT"
LADO_CASE = "LADO"
PREFIXES = (CONCERN, ALLEGATION, LADO_CONTACT, LADO_CASE)

# What people type for characters the alphabet leaves out (Crockford's decoding rules).
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")


def new_reference(prefix: str) -> str:
    """A fresh random reference with the given prefix, e.g. ``CON-7KQ2-9MXD``.

    Drawn with ``secrets`` so references cannot be predicted from one another.
    Uniqueness is not checked here: the ``reference`` field's unique
    constraint and ``UniqueReference.save`` see to it.
    """
    characters = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARACTERS))
    groups = [characters[start : start + GROUP] for start in range(0, RANDOM_CHARACTERS, GROUP)]
    return "-".join([prefix, *groups])


def new_concern_reference() -> str:
    """A new concern reference (``CON-…``): the default of ``Concern.reference``."""
    return new_reference(CONCERN)


def new_allegation_reference() -> str:
    """A new allegation reference (``ALG-…``): the default of ``Allegation.reference``."""
    return new_reference(ALLEGATION)


def new_contact_reference() -> str:
    """A new LADO contact reference (``CT-…``): the default of ``Contact.reference``."""
    return new_reference(LADO_CONTACT)


def new_case_reference() -> str:
    """A new LADO case reference (``LADO-…``): the default of ``Case.reference``."""
    return new_reference(LADO_CASE)


def reference_key(text: str) -> str:
    """A reference as typed, reduced to the form two references are compared in.

    Case, spaces and hyphens do not matter (``con 7kq2 9mxd``, ``CON7KQ29MXD``),
    and in the random part O is read as 0 and I or L as 1, as Crockford's
    base32 decodes them. The prefix is kept as typed, since prefixes contain
    letters the random part never does.
    """
    compact = _NOT_ALPHANUMERIC.sub("", text.upper())
    # Longest first, so a longer prefix is never cut short by a shorter one.
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if compact.startswith(prefix):
            return prefix + compact[len(prefix) :].translate(_MISREAD)
    return compact


class UniqueReference(models.Model):
    """Gives a model's ``reference`` (a unique field with a ``new_*_reference`` default) a retry on collision.

    The concrete model declares ``reference`` itself, so its migration names
    its own default. A new row whose random reference is already taken is
    inserted again with a fresh one; any other integrity error is raised as it
    was. Rows made with ``bulk_create`` get their default but no retry.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; when inserting, draw a new reference and try again if the drawn one is taken."""
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        field = cast("models.Field[Any, Any]", self._meta.get_field("reference"))
        for attempt in range(1, ATTEMPTS + 1):
            try:
                # A savepoint, so a collision does not spoil the caller's transaction.
                with transaction.atomic(using=kwargs.get("using")):
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                # The plain manager, as Django's own saves use: a uniqueness check on the row being
                # saved, whose answer nobody is shown.
                # access-lint: allow a uniqueness check on a row being saved; it shows nobody anything
                manager = type(self)._base_manager
                if attempt == ATTEMPTS or not manager.filter(**{field.attname: field.value_from_object(self)}).exists():
                    raise
                setattr(self, field.attname, field.get_default())


def fill_references(model: type[models.Model], prefix: str, *, replace_existing: bool = False) -> int:
    """Give every row of ``model`` without a reference (or, with ``replace_existing``, every row) a new one.

    For data migrations, which pass the historical model: its rows are
    updated one by one, each with a reference no other row holds. Returns
    how many rows were given a reference.
    """
    # access-lint: allow data migrations give rows their references; nobody is shown anything
    manager = model._default_manager
    rows = manager.all() if replace_existing else manager.filter(reference__isnull=True)
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    # Never hand out a reference a row still holds (even an old one about to be replaced).
    taken = set(manager.exclude(reference__isnull=True).values_list("reference", flat=True))
    for pk in pks:
        reference = new_reference(prefix)
        while reference in taken:
            reference = new_reference(prefix)
        taken.add(reference)
        manager.filter(pk=pk).update(reference=reference)
    return len(pks)

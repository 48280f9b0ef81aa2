"""A person as one organisation records them. Protected: fetch only through ``threshold.access``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connection, models, transaction
from django.db.models.functions import Substr, Upper
from django.utils import timezone

from threshold.core.bulk import rows_insert
from threshold.core.names import record_keys, without_hidden_characters


class PersonKind(models.TextChoices):
    """The part a person plays in the records."""

    ADULT = "adult", "Adult who works with children"
    CHILD = "child", "Child"
    REFERRER = "referrer", "Referrer"
    CONTACT = "contact", "Contact"


class Person(models.Model):
    """Someone recorded once per organisation and linked to the records about them.

    ``user`` links the person to a Threshold account when they have one (a
    member of staff, a headteacher): that link is what makes subject exclusion
    work, so nobody ever sees a record about themselves.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The organisation that recorded this person.",
    )
    kind = models.CharField(max_length=16, choices=PersonKind.choices, default=PersonKind.ADULT)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    role_title = models.CharField("role or occupation", max_length=200, blank=True)
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees_recorded",
    )
    email = models.EmailField(blank=True)
    # Section 13.4: "We will retain these records for 7 years from the date of the member of staff either leaving
    # the academy or retiring." Recorded once for the person, so every low-level record about them counts from
    # the same day (``concerns.services.leaving``), not typed into each record.
    left_employment_on = models.DateField(
        "date they left or retired",
        null=True,
        blank=True,
        help_text="The day the adult left the organisation or retired; retention of low-level records counts from it.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_records",
        help_text="The person's own Threshold account, if they have one.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    # The recorder said this person is not someone who uses Threshold (ADR 0018). It is their
    # statement, kept for whoever handles the record: it does not lift the exclusion of a possible match.
    not_a_member_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_a_member_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["organisation", "full_name"], name="people_org_name_idx"),
            # Rule 2 finds the people carrying a reader's address on this, whoever wrote the row and however
            # (``threshold.access.policies.people_about_user``): a save, an update, a bulk create or an import.
            models.Index(Upper("email"), name="people_person_email_upper"),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keyed = (self.full_name, self.email)

    def __str__(self) -> str:
        return f"Person {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Store the name without hidden characters, and keep the match keys in step with the name and email.

        The keys are a derived index of the row, like a search column: they are
        rewritten in the same transaction whenever the name or email changes,
        so subject exclusion is decided on what the record says now (ADR 0018).
        ``QuerySet.update`` of these fields would skip this: services save.
        """
        self.full_name = without_hidden_characters(self.full_name).strip()
        self.email = without_hidden_characters(self.email).strip()
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating or self._keyed != (self.full_name, self.email):
                person_keys_write(self, new=creating)
        self._keyed = (self.full_name, self.email)


class PersonKey(models.Model):
    """One match key of a person's name or email (``threshold.core.names``): what subject exclusion compares.

    Not protected on its own: a key says nothing readable about anyone, and
    it is only ever used inside the access rules' conditions.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="people_person_key_unique")]
        indexes = [models.Index(fields=["key", "person"], name="people_key_person_idx")]

    def __str__(self) -> str:
        return f"Key of person {self.person_id}"


class SubjectClearance(models.Model):
    """Someone who handles a record decided that its possible match with an account is not that person.

    Until then a record whose subject could be a colleague is hidden from that
    colleague; a clearance (with its reason, by someone who is not that
    colleague) shows it to them again. Immutable: a mistaken clearance is
    corrected by linking the person to the account.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="clearances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    cleared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "user"], name="people_clearance_unique")]

    def __str__(self) -> str:
        return f"Clearance of person {self.person_id}"


class AdultKey(models.Model):
    """One match key of the adult a LADO contact or case is about (``threshold.people.record_keys``).

    What "previous records" and the LADO search choose candidates by, in the
    database, before ``threshold.people.likeness`` judges them. Written by
    ``people.services`` whenever a record's adult (name, date of birth,
    employer, or the subject they fall back to) changes. Not protected on its
    own: a key is read only inside a query over ``threshold.access``'s
    contacts and cases.
    """

    contact = models.ForeignKey(
        "lado.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="adult_keys"
    )
    case = models.ForeignKey("lado.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="adult_keys")
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False, case__isnull=True)
                | models.Q(contact__isnull=True, case__isnull=False),
                name="people_adultkey_one_record",
            )
        ]
        indexes = [
            models.Index(fields=["key", "contact"], name="people_adultkey_contact_idx"),
            models.Index(fields=["key", "case"], name="people_adultkey_case_idx"),
        ]

    def __str__(self) -> str:
        return f"Key of {'contact ' + str(self.contact_id) if self.contact_id else 'case ' + str(self.case_id)}"


# Every key is a two-character kind ("s:", "e:") and a word; a likeness compares the words (migration people 0005).
KEY_PREFIX_LENGTH = 2


def adult_key_rows(*, record: str, keys: Iterable[str], similar: Iterable[str] = ()) -> models.QuerySet[AdultKey]:
    """The key rows of contacts or cases among ``keys`` or, on PostgreSQL, like one of ``similar``.

    ``record`` is ``"contact"`` or ``"case"``; "like" is a trigram likeness.

    Only ever a condition inside a query over ``threshold.access``'s contacts
    or cases (``people.matching``): evaluated on its own, outside a service,
    the access guard refuses it.
    """
    condition = models.Q(key__in=sorted(keys))
    if connection.vendor == "postgresql":
        # pg_trgm's ``%`` over the word after the kind, as migration people 0005 indexes it; the kind must match.
        word = Substr("key", KEY_PREFIX_LENGTH + 1)
        for key in sorted(similar):
            kind, like = key[:KEY_PREFIX_LENGTH], key[KEY_PREFIX_LENGTH:]
            condition |= models.Q(TrigramSimilar(word, like)) & models.Q(key__startswith=kind)
    return AdultKey.objects.filter(condition, **{f"{record}__isnull": False})


def person_keys_write(person: Person, *, new: bool = False) -> None:
    """Replace ``person``'s match keys with those of their current name and email (``Person.save`` calls this).

    A clearance ("this record is not about Lara") was decided on the name and
    email the record had then: a new name or address may be hers, so every
    clearance of the person goes with the old keys and must be decided again.
    ``new``: the person was just inserted and has neither keys nor clearances to remove.
    """
    if not new:
        SubjectClearance.objects.filter(person=person).delete()
        PersonKey.objects.filter(person=person).delete()
    keys = record_keys(name=person.full_name, email=person.email)
    rows_insert(PersonKey, columns=("person_id", "key"), rows=[(person.pk, key) for key in sorted(keys)])

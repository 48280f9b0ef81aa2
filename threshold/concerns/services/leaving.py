"""Recording the date the adult a concern is about left or retired, once for the person (policy section 13.4).

"We will retain these records for 7 years from the date of the member of staff either leaving the academy or
retiring." The date belongs to the person, not to each low-level record: it is recorded once (by whoever
handles a concern about them), and every low-level concern record about them works its retention out again
from it, so two records about the same adult never disagree about when the adult left.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns.models import Concern, LowLevelRecord
from threshold.concerns.services.low_level import low_level_decisions_set
from threshold.core.locking import bump_version
from threshold.people.models import Person

# What the stored decisions of a low-level record are made of: all that changes when the leaving date does.
DECISION_FIELDS = (
    "pack_id",
    "pack_version",
    "pack_digest",
    "retention_facts",
    "retention_result",
    "reference_facts",
    "reference_result",
)


def person_leaving_date_record(
    *,
    actor: User,
    concern: Concern,
    expected_version: int,
    left_on: dt.date | None,
    audit_context: AuditContext | None = None,
) -> Person:
    """Record (or correct, or clear) the date the concern's adult left or retired, on their person record.

    The caller fetched the concern with "change"; ``expected_version`` is the person's version the form was
    loaded with. A blank date clears a date recorded by mistake (the person has not left). Every low-level
    concern record about the person has its retention and reference decisions worked out again, under the
    organisation's pack as it is now, in the same transaction.
    """
    person = concern.subject
    if left_on is not None and left_on > timezone.localdate():
        raise ValidationError(
            {"left_employment_on": "The date the person left or retired must be today or in the past"}
        )
    if left_on is None and person.left_employment_on is None:
        raise ValidationError({"left_employment_on": "Enter the date the person left or retired"})
    with transaction.atomic(durable=True):
        bump_version(person, expected_version)
        old = person.left_employment_on
        person.left_employment_on = left_on
        person.save(update_fields=["left_employment_on"])
        records = list(
            LowLevelRecord.objects.filter(concern__subject=person).select_related(
                "concern__organisation", "concern__subject"
            )
        )
        for record in records:
            low_level_decisions_set(record)
            record.save(update_fields=list(DECISION_FIELDS))
        audit_record(
            context=context_for(actor, audit_context),
            action="person.leaving_date_recorded",
            record_type="person",
            record_id=person.pk,
            organisation=person.organisation,
            changes={"left_employment_on": (old, left_on)} if old != left_on else {},
            # A count, not ids: the person may have records the actor does not handle (a concern routed past them).
            details={"concern": concern.pk, "low_level_records_worked_out_again": len(records)},
        )
        chronology_record_event(
            record=concern,
            text=f"Recorded that the adult left or retired on {left_on.day} {left_on:%B %Y}."
            if left_on
            else "Removed the date the adult left or retired: they have not left.",
            actor=actor,
        )
    return person

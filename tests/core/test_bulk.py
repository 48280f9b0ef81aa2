"""The prepared inserts an import writes derived rows with (``threshold.core.bulk``, ADR 0037).

A row written by ``rows_insert`` reads back as ``bulk_create`` would have stored it (dates, times, choices,
blanks), and ``row_insert`` gives the instance it inserts its id, as ``save`` would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.core.bulk import row_insert, rows_insert
from threshold.demo import world
from threshold.timescales.models import Deadline, DeadlineState

COLUMNS = (
    *("organisation_id", "record_key", "kind", "key", "reference", "label", "source", "due_on", "due_at"),
    *("state", "met_on", "reason", "updated_at", "version"),
)


def _stored(record_key: str) -> dict[str, Any]:
    row = Deadline.objects.filter(record_key=record_key).values().get()
    return {name: value for name, value in row.items() if name not in ("id", "record_key")}


def test_a_row_inserted_together_reads_back_as_bulk_create_stores_it(demo_world: None) -> None:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    now = timezone.now()
    due_at = dt.datetime(2024, 12, 24, 16, 30, tzinfo=dt.UTC)
    values = {
        "organisation": northshire,
        "kind": "lado-initial-decision",
        "key": "",
        "reference": "CT-TEST-0001",
        "label": "Advice and initial decision",
        "source": "",
        "due_on": dt.date(2024, 12, 27),
        "due_at": due_at,
        "state": DeadlineState.MET,
        "met_on": dt.date(2024, 12, 24),
        "reason": "",
        "updated_at": now,
        "version": 1,
    }
    Deadline.objects.bulk_create([Deadline(record_key="bulk:1", **values)])
    row = [northshire.pk, "prepared:1", *[values[name] for name in COLUMNS[2:]]]

    assert rows_insert(Deadline, columns=COLUMNS, rows=[row]) == 1
    assert _stored("prepared:1") == _stored("bulk:1")
    assert Deadline.objects.get(record_key="prepared:1").due_at == due_at


def test_no_rows_write_nothing(demo_world: None) -> None:
    before = Deadline.objects.count()

    assert rows_insert(Deadline, columns=COLUMNS, rows=[]) == 0
    assert Deadline.objects.count() == before


def test_a_row_inserted_alone_gets_its_id_as_save_would_give_it(persona: Any) -> None:
    context = AuditContext.for_user(persona("mo"))
    event = AuditEvent(
        sequence=10**9, occurred_at=timezone.now(), actor=context.actor.user, actor_label=context.actor.label,
        action="test.inserted", details={"row": 3}, previous_hash="0" * 64, content_hash="1" * 64,
    )  # fmt: skip

    row_insert(event)

    assert event.pk is not None
    assert not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.sequence, stored.details, stored.actor_id) == (10**9, {"row": 3}, persona("mo").pk)


def test_a_row_already_stored_is_never_inserted_again(persona: Any) -> None:
    context = AuditContext.for_user(persona("mo"))
    event = AuditEvent(
        sequence=10**9 + 1, occurred_at=timezone.now(), actor=context.actor.user, actor_label=context.actor.label,
        action="test.inserted", details={}, previous_hash="0" * 64, content_hash="2" * 64,
    )  # fmt: skip
    row_insert(event)
    stored = AuditEvent.objects.count()

    with pytest.raises(PermissionError, match="Only a new row"):
        row_insert(event)

    assert AuditEvent.objects.count() == stored

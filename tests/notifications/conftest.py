"""Fixtures for the notifications tests: the demo world with its records, and deadlines written on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model

from tests.conftest import demo_record_ids
from threshold.accounts.models import Organisation, User
from threshold.timescales.models import Deadline, DeadlineState


@pytest.fixture
def ids(demo_world: None) -> dict[str, int]:
    """The demo records' ids, by name; their own stored deadlines are cleared, so each test says what is due."""
    records = demo_record_ids()
    Deadline.objects.all().delete()
    return records


def deadline(
    record: Model | None,
    *,
    due_on: dt.date,
    owner: User | None = None,
    kind: str = "evaluation-meeting",
    label: str = "Evaluation meeting",
    organisation: Organisation | None = None,
    key: str = "",
) -> Deadline:
    """One open deadline on a demo record (None: the organisation's own), written as a sync function would."""
    fields: dict[str, object] = {}
    if record is None:
        assert organisation is not None
        record_key, reference = f"organisation:{organisation.pk}", "Pattern review"
    else:
        name = record._meta.model_name
        assert name is not None
        fields[name] = record
        on: Any = record
        record_key, reference = f"{name}:{record.pk}", str(on.reference)
        organisation = organisation or getattr(on, "local_authority", None) or on.organisation
    assert organisation is not None
    return Deadline.objects.create(
        record_key=record_key,
        kind=kind,
        key=key or f"{due_on.isoformat()}",
        reference=reference,
        label=label,
        owner=owner,
        due_on=due_on,
        state=DeadlineState.OPEN,
        organisation=organisation,
        **fields,
    )

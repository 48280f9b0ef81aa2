"""Helpers for the work-list tests: stored deadlines attached to demo records, written directly."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db.models import Model

from threshold.accounts.models import Organisation, User
from threshold.timescales.models import Deadline, DeadlineState

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 7 December 2026, mid-morning in London: "today" in these tests.
MONDAY = dt.date(2026, 12, 7)
MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)


def deadline(
    record: Any,
    *,
    kind: str,
    due_on: dt.date,
    owner: User | None = None,
    organisation: Organisation | None = None,
    key: str = "",
    label: str = "",
    meeting: Model | None = None,
    state: str = DeadlineState.OPEN,
) -> Deadline:
    """One stored deadline on ``record`` (a contact, case, allegation or concern; None: the organisation's own).

    A meeting action is a row on the case naming the ``meeting`` it was agreed at.
    """
    fields: dict[str, object] = {}
    if record is None:
        assert organisation is not None
        record_key, reference = f"organisation:{organisation.pk}", organisation.name[:40]
    else:
        name = record._meta.model_name
        assert name is not None
        fields[name] = record
        record_key, reference = f"{name}:{record.pk}", str(record.reference)
        organisation = organisation or getattr(record, "local_authority", None) or record.organisation
    if meeting is not None:
        fields["meeting"] = meeting
    return Deadline.objects.create(
        record_key=record_key,
        kind=kind,
        key=key,
        reference=reference,
        label=label or kind.replace("-", " ").capitalize(),
        owner=owner,
        due_on=due_on,
        state=state,
        organisation=organisation,
        **fields,
    )

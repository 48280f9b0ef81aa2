"""Fixtures for the audit tests: a realistic trail of events to verify and tamper with."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from threshold.accounts.models import Membership, User
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record

TRAIL_LENGTH = 20


@pytest.fixture
def trail(persona: Callable[[str], User]) -> list[AuditEvent]:
    """Twenty events in the shapes real features write, after whatever the demo world recorded.

    Returns the whole trail in sequence order, so ``trail[i].sequence == i + 1``.
    """
    lara = persona("lara")
    northshire = Membership.objects.get(user=lara).organisation
    request = RequestFactory().get("/cases/", REMOTE_ADDR="203.0.113.7")
    request.request_id = "3f2a9c0d1e"  # type: ignore[attr-defined]
    while AuditEvent.objects.count() < TRAIL_LENGTH:
        number = AuditEvent.objects.count()
        if number % 3 == 0:
            audit_record(
                context=AuditContext.from_request(request, user=lara),
                action="case.viewed",
                record_type="lado.case",
                record_id=1000 + number,
                organisation=northshire,
            )
        elif number % 3 == 1:
            audit_record(
                context=AuditContext.from_request(request, user=lara),
                action="case.updated",
                record_type="lado.case",
                record_id=1000 + number,
                organisation=northshire,
                changes={"status": ("open", "closed"), "title": ("Concern raised", "Concern – resolved")},
                excluded_fields=["child_name"],
            )
        else:
            audit_record(
                context=AuditContext.system("reminders"),
                action="timescale.reminder_sent",
                details={"due": "2026-12-24", "working_days": 5, "recipients": ["lara"]},
            )
    return list(AuditEvent.objects.order_by("sequence"))


@dataclass(frozen=True)
class Outcome:
    """What ``manage.py audit ...`` did: its exit code and what it printed."""

    code: int | str | None
    out: str
    err: str


def run_audit(*args: str) -> Outcome:
    """Run ``manage.py audit`` in-process against the test database, catching its exit."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return Outcome(code=exit_.code, out=out.getvalue(), err=err.getvalue())
    return Outcome(code=0, out=out.getvalue(), err=err.getvalue())

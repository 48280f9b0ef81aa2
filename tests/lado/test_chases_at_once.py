"""Two reminder passes for the same day at once (cron beside a hand-run ``manage.py remind``) chase once and
neither fails (each holds the request before looking for its chase). PostgreSQL only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from tests.concurrency import at_once
from tests.lado.nursery import open_nursery_case
from threshold.audit.context import AuditContext
from threshold.lado.models import InformationChase
from threshold.lado.services.request_chases import requests_chase
from threshold.lado.services.requests import information_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer already"),
]
SYSTEM = AuditContext.system("remind")


def test_two_passes_at_once_chase_once_and_neither_crashes(persona, ids) -> None:
    case = open_nursery_case(persona, ids)
    today = timezone.localdate()
    request = information_request(
        actor=persona("lara"), case=case, what="The rota.", due_on=today, chase_every_days=1, chase_limit=3
    )
    day = today + dt.timedelta(days=1)
    results = at_once(
        lambda: requests_chase(on=day, audit_context=SYSTEM),
        lambda: requests_chase(on=day, audit_context=SYSTEM),
        lambda: requests_chase(on=day, audit_context=SYSTEM),
    )
    assert InformationChase.objects.filter(request=request, stage="chase").count() == 1
    assert not [result for result in results if isinstance(result, IntegrityError)], results

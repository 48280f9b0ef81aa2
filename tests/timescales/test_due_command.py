"""``manage.py due``: a person's work list as JSON, on a given day, audited as a system read."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.timescales.work_helpers import MONDAY, deadline
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.demo.world import PERSONAS_BY_KEY
from threshold.lado.models import Case
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_deadlines(records: dict[str, int]) -> None:
    Deadline.objects.all().delete()


def _due(*arguments: str) -> list[dict[str, str]]:
    out = StringIO()
    call_command("due", *arguments, stdout=out)
    rows: list[dict[str, str]] = json.loads(out.getvalue())
    return rows


def test_it_prints_the_persons_work_list_as_json_on_the_day_given(records, persona) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    lara = persona("lara")
    deadline(case, kind="strategy-discussion", due_on=MONDAY - dt.timedelta(days=1), owner=lara)
    deadline(case, kind="evaluation-meeting", due_on=MONDAY, owner=lara)
    deadline(case, kind="monitoring-review", due_on=MONDAY + dt.timedelta(days=3), owner=lara)
    deadline(case, kind="resolve-target-one-month", due_on=dt.date(2027, 1, 6), owner=lara)

    rows = _due("--user", PERSONAS_BY_KEY["lara"].email, "--on", "2026-12-07", "--format", "json")

    assert rows == [
        {"reference": case.reference, "kind": "strategy-discussion", "due": "2026-12-06", "status": "overdue"},
        {"reference": case.reference, "kind": "evaluation-meeting", "due": "2026-12-07", "status": "today"},
        {"reference": case.reference, "kind": "monitoring-review", "due": "2026-12-10", "status": "week"},
        {"reference": case.reference, "kind": "resolve-target-one-month", "due": "2027-01-06", "status": "later"},
    ]
    # Another day, another grouping: between Christmas and New Year the target is a week away.
    later = _due("--user", PERSONAS_BY_KEY["lara"].email, "--on", "2026-12-30")
    assert [row["status"] for row in later] == ["overdue", "overdue", "overdue", "week"]


def test_it_reads_through_the_persons_access_so_nothing_about_them_is_printed(records, persona) -> None:
    about_hana = Concern.objects.get(pk=records["concern_about_hana"])
    deadline(about_hana, kind="concern-triage", due_on=MONDAY, owner=persona("hana"))

    assert _due("--user", PERSONAS_BY_KEY["hana"].email, "--on", "2026-12-07") == []


def test_the_read_is_audited_as_a_system_read_naming_the_records(records, persona) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    deadline(case, kind="evaluation-meeting", due_on=MONDAY, owner=persona("lara"))
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    _due("--user", PERSONAS_BY_KEY["lara"].email, "--on", "2026-12-07")

    event = AuditEvent.objects.get(sequence__gt=before)
    assert (event.action, event.actor_label, event.details["records"]) == (
        "records.listed",
        "system:due",
        [f"case:{case.pk}"],
    )
    assert event.details["user"] == persona("lara").pk  # whose work list the operator read


def test_an_unknown_email_is_a_clear_error_with_exit_status_1(demo_world) -> None:
    with pytest.raises(CommandError, match="No active user has that email address") as error:
        call_command("due", "--user", "nobody@example.invalid", stdout=StringIO())

    assert error.value.returncode == 1


def test_a_malformed_date_is_refused(demo_world) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("due", "--user", PERSONAS_BY_KEY["lara"].email, "--on", "7/12/2026", stdout=StringIO())

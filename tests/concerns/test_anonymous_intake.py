"""Anonymous concerns reach the audit trail the next night, from a system job, so the trail cannot time the reporter."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.verify import verify_chain
from threshold.chronology.models import ChronologyEntry
from threshold.concerns.models import Concern, ConcernDetails
from threshold.concerns.services import anonymous_intake, concern_share
from threshold.demo.world import OAKFIELD

pytestmark = pytest.mark.django_db

INTAKE = "system:anonymous-intake"


@pytest.fixture
def share(persona, rf):
    """Tom shares a concern at Oakfield from his desk (an address and request id the trail must not keep)."""

    def _share(*, anonymous: bool = True, subject_name: str = "Chris Coach") -> Concern:
        tom = persona("tom")
        request = rf.post("/concerns/share/", REMOTE_ADDR="203.0.113.9")
        request.user = tom
        request.request_id = "req-tom-1"
        values: dict[str, Any] = {
            "organisation": Organisation.objects.get(name=OAKFIELD),
            "subject_user": None,
            "subject_name": subject_name,
            "subject_role": "Sports coach",
            "anonymous": anonymous,
            "raised_on": timezone.localdate() - dt.timedelta(days=1),
            "how_arose": "suspicion",
            "details": "Chris kept a pupil behind alone in the sports hall.",
            "headteacher_conflict": False,
            "audit_context": AuditContext.from_request(request),
        }
        return concern_share(actor=tom, **values)

    return _share


def shared_events(concern: Concern) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="concern.shared", record_id=str(concern.pk)))


def tomorrow() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


def test_an_anonymous_share_writes_and_queues_nothing_in_the_request(share, django_capture_on_commit_callbacks) -> None:
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        share()
    assert AuditEvent.objects.count() == before
    # Not even a queued job: a task row keeps the time it was queued.
    assert callbacks == []


def test_the_nightly_batch_records_the_share_as_a_named_system_job_with_no_address_or_request(share, persona) -> None:
    tom: User = persona("tom")
    concern = share()
    assert anonymous_intake(before=tomorrow()) == 1
    [event] = shared_events(concern)
    assert event.actor is None
    assert event.actor_label == INTAKE
    assert event.source_ip is None
    assert event.request_id == ""
    assert event.organisation == concern.organisation
    assert event.details["anonymous"] is True
    assert event.details["shared_on"] == timezone.localdate().isoformat()
    assert "Tom" not in str(event.details)
    assert str(tom.pk) not in event.actor_label
    assert verify_chain().ok


def test_the_batch_leaves_todays_shares_for_tomorrow_night(share) -> None:
    concern = share()
    assert anonymous_intake() == 0
    assert shared_events(concern) == []
    assert anonymous_intake(before=tomorrow()) == 1


def test_a_named_share_is_still_audited_in_the_request_as_its_sharer(share, persona) -> None:
    concern = share(anonymous=False)
    [event] = shared_events(concern)
    assert event.actor == persona("tom")
    assert event.source_ip == "203.0.113.9"


def test_a_missed_night_is_caught_up_by_the_next(share) -> None:
    missed = [share(subject_name="Chris Coach"), share(subject_name="Pat Painter")]
    Concern.objects.filter(pk__in=[concern.pk for concern in missed]).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    assert anonymous_intake() == 2
    for concern in missed:
        assert [event.actor_label for event in shared_events(concern)] == [INTAKE]


def test_the_anonymous_intake_command_records_earlier_days_each_concern_once(share) -> None:
    concern = share()
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    first, again = io.StringIO(), io.StringIO()
    call_command("anonymous_intake", stdout=first)
    assert first.getvalue() == "Took in 1 anonymous concern(s).\n"
    call_command("anonymous_intake", stdout=again)
    assert again.getvalue() == "Took in 0 anonymous concern(s).\n"
    assert len(shared_events(concern)) == 1


def test_the_subject_first_recorded_by_an_anonymous_share_is_recorded_by_the_batch_not_the_request(share) -> None:
    concern = share(subject_name="Nobody Known")
    assert not AuditEvent.objects.filter(action="person.recorded", record_id=str(concern.subject_id)).exists()
    anonymous_intake(before=tomorrow())
    events = AuditEvent.objects.filter(action="person.recorded", record_id=str(concern.subject_id))
    assert [event.actor_label for event in events] == [INTAKE]


def test_nothing_written_at_an_anonymous_share_carries_the_time_of_day(share) -> None:
    concern = share()
    midnight = dt.time(0, 0)

    def local_time(moment: dt.datetime) -> dt.time:
        return timezone.localtime(moment).time()

    assert local_time(concern.created_at) == midnight
    assert local_time(concern.subject.created_at) == midnight
    assert local_time(ConcernDetails.objects.get(concern=concern).signed_at) == midnight
    for entry in ChronologyEntry.objects.filter(concern=concern):
        assert entry.recorded_by is None
        assert local_time(entry.occurred_at) == midnight
        assert local_time(entry.recorded_at) == midnight


def test_the_nightly_batch_reads_only_the_trail_s_events_about_its_own_concerns(share) -> None:
    """The trail grows every night: the batch asks it about the concerns still missing their event, by index,
    rather than reading every ``concern.shared`` and ``person.recorded`` event ever written."""
    for name in ("Chris Coach", "Pat Painter", "Sam Singer"):
        share(anonymous=False, subject_name=name)
    waiting = share()
    with CaptureQueriesContext(connection) as queries:
        assert anonymous_intake(before=tomorrow()) == 1
    reads = [
        query["sql"] for query in queries if "audit_auditevent" in query["sql"] and query["sql"].startswith("SELECT")
    ]
    # Only correlated EXISTS probes, and the chain's head (the last event) that every append reads.
    whole_trail = [sql for sql in reads if "EXISTS" not in sql.upper() and "LIMIT 1" not in sql.upper()]
    assert whole_trail == [], whole_trail
    assert [event.actor_label for event in shared_events(waiting)] == [INTAKE]


def test_the_old_audit_record_anonymous_still_runs_the_intake_and_says_it_moved(share) -> None:
    """A deployment's nightly cron line chains its steps with ``&&``: the old name must not stop the chain."""
    concern = share()
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "record_anonymous", stdout=out, stderr=err)
    assert out.getvalue() == "Took in 1 anonymous concern(s).\n"
    assert "now 'anonymous_intake'" in err.getvalue()
    assert len(shared_events(concern)) == 1

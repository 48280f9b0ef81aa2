"""Two people doing the same thing to one concern at once: the second is told (a message or the conflict page),
never a 500. Each service holds the row both change first (``core.locking.hold``). PostgreSQL only: SQLite
admits one writer at a time already."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS
from tests.concerns.test_review_and_close import COMPLETE_RECORD
from tests.concurrency import at_once
from threshold.concerns import selectors, services
from threshold.concerns.models import Concern, ConcernHrShare, LowLevelRecord, PatternFinding
from threshold.people.models import Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer already"),
]


def _low_level(share, persona) -> Concern:
    concern = share(persona("tom"))
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    return concern


def _no_500s(results: list[object]) -> None:
    # core.pages.form_page answers ValidationError (errors beside the fields) and ConflictError (the 409 page);
    # anything else is a 500 for the person who pressed the button.
    crashes = [result for result in results if isinstance(result, IntegrityError)]
    assert not crashes, f"the second person gets a 500: {crashes}"


def test_hana_and_dev_sharing_concerns_about_tom_at_once_record_him_once(share, persona, oakfield) -> None:
    tom = persona("tom")
    at_once(lambda: share(persona("hana"), subject_user=tom), lambda: share(persona("dev"), subject_user=tom))
    assert Person.objects.filter(organisation=oakfield, user=tom).count() == 1


def test_the_head_and_the_dsl_asking_henry_at_once_is_not_a_500(share, persona) -> None:
    concern = _low_level(share, persona)
    henry = persona("henry")
    results = at_once(
        lambda: services.concern_share_with_hr(
            actor=persona("hana"), concern=Concern.objects.get(pk=concern.pk), partner=henry, question="Disciplinary?"
        ),
        lambda: services.concern_share_with_hr(
            actor=persona("dev"), concern=Concern.objects.get(pk=concern.pk), partner=henry, question="Advice?"
        ),
    )
    assert ConcernHrShare.objects.filter(concern=concern).count() == 1
    _no_500s(results)


def test_two_first_saves_of_the_low_level_record_give_the_conflict_page_not_a_500(share, persona) -> None:
    concern = _low_level(share, persona)
    results = at_once(
        lambda: services.low_level_record_save(
            actor=persona("hana"),
            concern=Concern.objects.get(pk=concern.pk),
            expected_version=0,
            values=COMPLETE_RECORD,
        ),
        lambda: services.low_level_record_save(
            actor=persona("dev"),
            concern=Concern.objects.get(pk=concern.pk),
            expected_version=0,
            values=COMPLETE_RECORD,
        ),
    )
    assert LowLevelRecord.objects.filter(concern=concern).count() == 1
    _no_500s(results)


def test_two_reviewers_recording_findings_about_one_person_at_once_is_not_a_500(share, persona, oakfield) -> None:
    first = share(persona("tom"))
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=persona("dev"), organisation=oakfield, period_start=term.start, period_end=term.end
    )
    results = at_once(
        lambda: services.pattern_finding_record(
            actor=persona("dev"), review=review, subject=first.subject, pattern_found=False, findings="None."
        ),
        lambda: services.pattern_finding_record(
            actor=persona("hana"), review=review, subject=first.subject, pattern_found=True, findings="A pattern."
        ),
    )
    assert PatternFinding.objects.filter(review=review).count() == 1
    _no_500s(results)


def test_a_share_holding_its_setting_and_an_audited_read_there_at_the_same_moment_both_finish(
    share, persona, oakfield, monkeypatch
) -> None:
    """The share holds Oakfield; the read takes the trail's lock and inserts an event naming Oakfield. With a plain
    FOR UPDATE the event's insert waited on the share's hold while the share waited on the trail: a deadlock."""
    from threshold.audit import services as audit_services
    from threshold.audit.context import AuditContext
    from threshold.concerns.services import share as share_services

    held, chained = threading.Event(), threading.Event()
    real_hold, real_lock_chain = share_services.hold, audit_services.lock_chain

    def slow_hold(record: Any) -> Any:
        row = real_hold(record)
        held.set()
        chained.wait(5)
        time.sleep(0.3)  # the read now inserts its event, naming the setting this share holds
        return row

    def signalling_lock_chain() -> None:
        real_lock_chain()
        if threading.current_thread().name == "reader":
            chained.set()

    monkeypatch.setattr(share_services, "hold", slow_hold)
    monkeypatch.setattr(audit_services, "lock_chain", signalling_lock_chain)
    results: dict[str, object] = {}

    def sharer() -> None:
        try:
            results["share"] = share(persona("hana"))
        except Exception as error:
            results["share"] = error
        finally:
            connections.close_all()

    def reader() -> None:
        held.wait(5)
        try:
            with transaction.atomic():
                results["read"] = audit_services.audit_record(
                    context=AuditContext.system("reader", organisation=oakfield),
                    action="record.view",
                    organisation=oakfield,
                )
        except Exception as error:
            results["read"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sharer, name="sharer"), threading.Thread(target=reader, name="reader")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not [repr(value) for value in results.values() if isinstance(value, Exception)]
    assert set(results) == {"share", "read"}

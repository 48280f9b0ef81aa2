"""A concern shared with a school is waiting for someone: "We recognise the importance of responding to and
dealing with any concerns in a timely manner to safeguard the welfare of children" (policy 13).

Hana (the head) and Dev (the DSL) are told at once that a concern waits to be triaged (its reference only), and
its triage falls due the working day after it was raised: if it is an allegation, the LADO's one working day
runs from then. An anonymous concern's clock and notifications come from the nightly intake, never its share.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS, UNSUITABLE
from threshold.concerns import services
from threshold.concerns.services.deadlines import concern_deadlines_sync
from threshold.notifications.models import Notification
from threshold.policy import add_working_days
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_CHRISTMAS = dt.date(2026, 12, 18)


def told(concern) -> set[str]:
    return {n.recipient.email for n in Notification.objects.filter(key=f"concern:shared:{concern.pk}")}


def test_the_head_and_dsl_are_told_a_concern_waits_and_triage_is_due_the_next_working_day(
    share, persona, django_capture_on_commit_callbacks
) -> None:
    friday = time_machine.travel(dt.datetime(2026, 12, 18, 15, tzinfo=dt.UTC), tick=False)
    with friday, django_capture_on_commit_callbacks(execute=True):
        concern = share(persona("tom"), raised_on=FRIDAY_BEFORE_CHRISTMAS)
    assert told(concern) == {persona("hana").email, persona("dev").email}
    notification = Notification.objects.filter(key=f"concern:shared:{concern.pk}").first()
    assert notification is not None
    assert concern.reference in notification.text
    assert "Chris" not in notification.text
    row = Deadline.objects.get(concern=concern, kind="concern-triage")
    assert (row.state, row.due_on) == (DeadlineState.OPEN, dt.date(2026, 12, 21))  # the Monday after
    assert mail.outbox  # told at once (immediate emails), by reference only
    assert all("Chris" not in f"{message.subject} {message.body}" for message in mail.outbox)

    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2: a breach of the code of conduct.",
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, timezone.localdate())


def test_triage_on_christmas_eve_counts_past_the_bank_holidays(share, persona) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 24, 10, tzinfo=dt.UTC), tick=False):
        concern = share(persona("tom"), raised_on=dt.date(2026, 12, 24))
    assert Deadline.objects.get(concern=concern, kind="concern-triage").due_on == dt.date(2026, 12, 29)


def test_a_dsl_s_decision_sent_to_the_head_meets_triage_and_the_head_s_sign_off_falls_due(share, persona) -> None:
    concern = share(persona("tom"))
    services.concern_triage(
        actor=persona("dev"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    kinds = dict(Deadline.objects.filter(concern=concern).values_list("kind", "state"))
    assert kinds == {"concern-triage": DeadlineState.MET, "head-sign-off": DeadlineState.OPEN}

    # Hana sends it back: it is Dev's to decide again, by the working day after.
    concern.refresh_from_db()
    services.concern_sign_off(
        actor=persona("hana"), concern=concern, expected_version=concern.version, agree=False,
        reason="Speak to the pupil first.",
    )  # fmt: skip
    triage = Deadline.objects.get(concern=concern, kind="concern-triage")
    assert (triage.state, triage.due_on) == (DeadlineState.OPEN, add_working_days(timezone.localdate(), 1))


def test_the_sharer_and_the_adult_are_not_told(share, persona) -> None:
    by_dev = share(persona("dev"))
    assert told(by_dev) == {persona("hana").email}
    about_dev = share(persona("tom"), subject_user=persona("dev"), subject_name="")
    assert persona("dev").email not in told(about_dev)


def test_an_anonymous_concern_is_told_and_falls_due_from_the_nightly_intake_not_its_share(share, persona) -> None:
    concern = share(persona("tom"), anonymous=True)
    assert told(concern) == set()
    assert not Deadline.objects.filter(concern=concern).exists()
    concern_deadlines_sync(concern)  # the day's sync (the demo's, every five minutes) writes nothing about it yet
    assert not Deadline.objects.filter(concern=concern).exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):  # the night after
        services.anonymous_intake()
    assert told(concern) == {persona("hana").email, persona("dev").email}
    assert Deadline.objects.get(concern=concern, kind="concern-triage").due_on > concern.raised_on


def test_a_concern_escalated_by_a_pattern_review_before_triage_has_its_triage_met_that_day(
    share, persona, oakfield
) -> None:
    from threshold.concerns import selectors

    concern = share(persona("tom"))
    assert Deadline.objects.get(concern=concern, kind="concern-triage").state == DeadlineState.OPEN
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=persona("dev"), organisation=oakfield, period_start=term.start, period_end=term.end
    )
    finding = services.pattern_finding_record(
        actor=persona("dev"), review=review, subject=concern.subject, pattern_found=True, findings="Two alike."
    )
    services.pattern_finding_escalate(actor=persona("dev"), finding=finding, threshold_answers=UNSUITABLE)
    row = Deadline.objects.get(concern=concern, kind="concern-triage")
    assert (row.state, row.met_on) == (DeadlineState.MET, timezone.localdate())


def test_an_anonymous_concern_triaged_the_day_it_was_shared_tells_nobody_at_night(share, persona) -> None:
    concern = share(persona("tom"), anonymous=True)
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        services.anonymous_intake()
    assert told(concern) == set()
    assert Deadline.objects.get(concern=concern, kind="concern-triage").state == DeadlineState.MET
